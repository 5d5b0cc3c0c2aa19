"""Window evaluator devices (feedback/devices.py) and the tablet (portal/evaluator)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases.tests.conftest import at, intake, item
from onewindow.core.audit import AuditEntry
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.feedback import devices
from onewindow.feedback.models import Evaluation, EvaluatorDevice, ServiceOccasion
from onewindow.feedback.staff_selectors import current_occasion

pytestmark = pytest.mark.django_db

COOKIE = "ow_evaluator"  # portal/evaluator/views.py (a higher layer: not imported)


def _device(cx: Any, window: Any = None) -> tuple[EvaluatorDevice, str]:
    return devices.device_create(
        window=window or cx.general_window, name="综合窗口1评价器", actor=cx.user("centeradmin")
    )


def test_the_key_is_shown_once_and_only_its_digest_is_stored(cx: Any) -> None:
    device, raw = _device(cx)
    assert raw.startswith("owe_") and len(raw) > 40
    device.refresh_from_db()
    assert device.key_digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in device.key_hint and device.key_hint.startswith("owe_")
    assert devices.device_from_key(raw) == device
    assert devices.device_from_key(raw + "x") is None
    assert devices.device_from_key("owa_" + raw[4:]) is None
    entry = AuditEntry.objects.get(action="evaluator.create")
    assert raw not in str(entry.after)


def test_only_a_manager_of_the_window_may_create_or_revoke(cx: Any) -> None:
    with pytest.raises(PermissionDenied):
        devices.device_create(window=cx.general_window, name="x", actor=cx.user("clerk"))
    device, raw = _device(cx)
    with pytest.raises(PermissionDenied):
        devices.device_revoke(device_id=device.pk, actor=cx.user("supervisor"))
    with pytest.raises(NotFound):
        devices.device_revoke(device_id=device.pk + 100, actor=cx.user("centeradmin"))
    devices.device_revoke(device_id=device.pk, actor=cx.user("centeradmin"))
    assert devices.device_from_key(raw) is None
    assert AuditEntry.objects.filter(action="evaluator.revoke").count() == 1
    devices.device_revoke(device_id=device.pk, actor=cx.user("centeradmin"))  # idempotent
    assert AuditEntry.objects.filter(action="evaluator.revoke").count() == 1


def _paired(raw: str) -> Client:
    client = Client()
    response = client.post(reverse("portal:evaluator_pair"), {"key": raw})
    assert response.status_code == 302 and response["Location"] == reverse("portal:evaluator")
    assert response.cookies[COOKIE]["httponly"]
    assert raw not in response.cookies[COOKIE].value or ":" in response.cookies[COOKIE].value  # signed
    return client


def test_pairing_refuses_an_unknown_key(cx: Any) -> None:
    response = Client().post(reverse("portal:evaluator_pair"), {"key": "owe_nothing-of-ours-at-all-here"})
    assert response.status_code == 422
    assert "owe_" in response.content.decode()
    response = Client().get(reverse("portal:evaluator"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:evaluator_pair")


def test_the_tablet_shows_the_current_case_and_takes_one_evaluation(cx: Any) -> None:
    version = item(cx)
    _device_row, raw = _device(cx)
    client = _paired(raw)
    with at("2026-11-02 10:00"):
        idle = client.get(reverse("portal:evaluator"))
        assert 'data-testid="evaluator-idle"' in idle.content.decode()
        assert client.get(reverse("portal:evaluator_state"), HTTP_ACCEPT="application/json").json() == {
            "occasion": None
        }
    with at("2026-11-02 10:05"):
        case = intake(cx, version)
    occasion = ServiceOccasion.objects.get(case=case)
    with at("2026-11-02 10:06"):
        page = client.get(reverse("portal:evaluator")).content.decode()
        assert 'data-testid="evaluator-screen"' in page
        assert case.applicant_name not in page and case.applicant_name[0] + "*" in page
        assert case.display_number not in page
        number = case.display_number
        assert number[:4] + "*" * (len(number) - 8) + number[-4:] in page  # the middle masked
        assert "食品经营许可" in page and "服务态度" in page
        state = client.get(reverse("portal:evaluator_state"), HTTP_ACCEPT="application/json").json()
        assert state == {"occasion": occasion.pk}
        bad = client.post(
            reverse("portal:evaluator_submit"), {"occasion": occasion.pk, "level": "very_dissatisfied"}
        )
        assert bad.status_code == 422 and "reason" in bad.content.decode().lower()
        done = client.post(
            reverse("portal:evaluator_submit"), {"occasion": occasion.pk, "level": "very_satisfied"}
        )
        assert done.status_code == 200 and 'data-testid="evaluator-thanks"' in done.content.decode()
        again = client.post(
            reverse("portal:evaluator_submit"), {"occasion": occasion.pk, "level": "satisfied"}
        )
        assert again.status_code == 409
        assert 'data-testid="evaluator-idle"' in client.get(reverse("portal:evaluator")).content.decode()
    evaluation = Evaluation.objects.get(occasion=occasion)
    assert evaluation.channel == "hall_tablet" and evaluation.device == _device_row
    assert evaluation.level == "very_satisfied" and evaluation.recorded_by is None


def test_an_occasion_older_than_30_minutes_or_at_another_window_is_not_shown(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
    with at("2026-11-02 10:31"):
        assert current_occasion(cx.general_window.pk) is None
    with at("2026-11-02 10:20"):
        assert current_occasion(cx.general_window.pk) is not None
        assert current_occasion(cx.window_a.pk) is None
        _row, raw = _device(cx, cx.window_a)
        client = _paired(raw)
        other = ServiceOccasion.objects.get(case=case)
        refused = client.post(
            reverse("portal:evaluator_submit"), {"occasion": other.pk, "level": "satisfied"}
        )
        assert refused.status_code == 409
    assert not Evaluation.objects.exists()


def test_a_staff_session_is_refused_and_a_revoked_device_goes_back_to_pairing(cx: Any) -> None:
    version = item(cx)
    device, raw = _device(cx)
    client = _paired(raw)
    client.force_login(cx.user("clerk"))
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
        occasion = ServiceOccasion.objects.get(case=case)
        response = client.get(reverse("portal:evaluator"))
        assert response.status_code == 403
        assert 'data-testid="evaluator-refused"' in response.content.decode()
        posted = client.post(
            reverse("portal:evaluator_submit"), {"occasion": occasion.pk, "level": "satisfied"}
        )
        assert posted.status_code == 403
        assert client.get(reverse("portal:evaluator_pair")).status_code == 403
    assert not Evaluation.objects.exists()
    client.logout()
    devices.device_revoke(device_id=device.pk, actor=cx.user("centeradmin"))
    with at("2026-11-02 10:01"):
        response = client.get(reverse("portal:evaluator"))
        assert response.status_code == 302 and response["Location"] == reverse("portal:evaluator_pair")
        polled = client.get(reverse("portal:evaluator_state"), HTTP_ACCEPT="application/json")
        assert polled.status_code == 401
