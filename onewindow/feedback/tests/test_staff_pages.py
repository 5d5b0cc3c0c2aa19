"""The staff evaluation pages: list, filters, rates, scope, the 差评 queue, the phone call-back
entry and the window evaluators' page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases.tests.conftest import at, intake, item
from onewindow.feedback.models import Evaluation, EvaluatorDevice, Rectification, ServiceOccasion
from onewindow.feedback.services import evaluation_submit

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rated(cx: Any) -> dict[str, Any]:
    """Three occasions: SCJG very satisfied (tablet), SCJG very dissatisfied (QR), SW unevaluated."""
    scjg = item(cx)
    sw = item(cx, code="SW-T01", department=cx.dept_b)
    with at("2026-11-02 10:00"):
        a = intake(cx, scjg)
        b = intake(cx, scjg)
        c = intake(cx, sw)
        good = evaluation_submit(
            occasion=ServiceOccasion.objects.get(case=a),
            level="very_satisfied",
            tags=[],
            text="",
            channel="hall_tablet",
        )
        bad = evaluation_submit(
            occasion=ServiceOccasion.objects.get(case=b),
            level="very_dissatisfied",
            tags=["attitude"],
            text="窗口人员态度差，电话13812345678",
            channel="qr_code",
        )
    return {"a": a, "b": b, "c": c, "good": good, "bad": bad}


def test_the_list_shows_rates_masks_names_and_filters(cx: Any, rated: dict[str, Any]) -> None:
    client = _client(cx.user("supervisor"))
    with at("2026-11-03 09:00"):
        body = client.get(reverse("web:evaluations")).content.decode()
    assert 'data-testid="rate-occasions">3<' in body
    assert 'data-testid="rate-unevaluated">33.3%<' in body
    assert 'data-testid="rate-satisfied">50.0%<' in body
    assert 'data-testid="rate-bad">1<' in body
    name = rated["a"].applicant_name
    assert name not in body and name[0] + "*" in body
    assert "13812345678" not in body
    rectification = Rectification.objects.get(evaluation=rated["bad"])
    assert f"/staff/rectifications/{rectification.pk}/" in body

    def rows(**params: str) -> set[int]:
        with at("2026-11-03 09:00"):
            page = client.get(reverse("web:evaluations"), params).content.decode()
        return {e.pk for e in Evaluation.objects.all() if f'data-evaluation="{e.pk}"' in page}

    assert rows() == {rated["good"].pk, rated["bad"].pk}
    assert rows(bad="1") == {rated["bad"].pk}
    assert rows(level="very_satisfied") == {rated["good"].pk}
    assert rows(channel="qr_code") == {rated["bad"].pk}
    assert rows(department="SW") == set()
    assert rows(window="Z01") == {rated["good"].pk, rated["bad"].pk}
    assert rows(voided="yes") == set()
    assert rows(**{"from": "2026-11-03"}) == set()
    assert rows(**{"from": "2026-11-02", "to": "2026-11-02"}) == {rated["good"].pk, rated["bad"].pk}
    with at("2026-11-03 09:00"):
        sw = client.get(reverse("web:evaluations"), {"department": "SW"}).content.decode()
    assert 'data-testid="rate-unevaluated">100.0%<' in sw


def test_a_chief_sees_only_his_department(cx: Any, rated: dict[str, Any]) -> None:
    with at("2026-11-03 09:00"):
        sw = _client(cx.user("sw-chief")).get(reverse("web:evaluations")).content.decode()
        scjg = _client(cx.user("scjg-chief")).get(reverse("web:evaluations")).content.decode()
        detail = _client(cx.user("sw-chief")).get(reverse("web:evaluation", args=[rated["good"].pk]))
    assert f'data-evaluation="{rated["good"].pk}"' not in sw
    assert 'data-testid="rate-occasions">1<' in sw
    assert f'data-evaluation="{rated["good"].pk}"' in scjg
    assert detail.status_code == 404


def test_the_bad_queue_and_the_detail(cx: Any, rated: dict[str, Any]) -> None:
    client = _client(cx.user("supervisor"))
    with at("2026-11-03 09:00"):
        queue = client.get(reverse("web:evaluations_bad")).content.decode()
        detail = client.get(reverse("web:evaluation", args=[rated["bad"].pk])).content.decode()
    assert f'data-evaluation="{rated["bad"].pk}"' in queue
    assert f'data-evaluation="{rated["good"].pk}"' not in queue
    assert 'data-testid="rectification-link"' in queue
    assert "服务态度" in detail and "13812345678" not in detail


def test_pages_need_their_permission(cx: Any, rated: dict[str, Any]) -> None:
    clerk = _client(cx.user("clerk"))
    for name in (
        "web:evaluations",
        "web:evaluations_bad",
        "web:evaluation_callback",
        "web:evaluator_devices",
    ):
        assert clerk.get(reverse(name)).status_code == 403
    assert _client(cx.user("scjg-chief")).get(reverse("web:evaluation_callback")).status_code == 403
    assert _client(cx.user("supervisor")).get(reverse("web:evaluator_devices")).status_code == 403


def test_a_phone_call_back_is_recorded_with_who_called(cx: Any, rated: dict[str, Any]) -> None:
    client = _client(cx.user("supervisor"))
    case = rated["c"]
    occasion = ServiceOccasion.objects.get(case=case)
    with at("2026-11-03 09:00"):
        found = client.get(
            reverse("web:evaluation_callback"), {"number": case.display_number}
        ).content.decode()
        assert 'data-testid="callback-form"' in found and case.applicant_name not in found
        missing = client.get(reverse("web:evaluation_callback"), {"number": "NOPE0001"}).content.decode()
        assert "No case with this number" in missing or "没有" in missing
        refused = client.post(
            reverse("web:evaluation_callback"),
            {
                "number": case.display_number,
                "occasion": occasion.pk,
                "level": "dissatisfied",
                "caller": "王回访",
            },
        )
        assert refused.status_code == 422
        done = client.post(
            reverse("web:evaluation_callback"),
            {
                "number": case.display_number,
                "occasion": occasion.pk,
                "level": "satisfied",
                "caller": "王回访",
            },
        )
        assert done.status_code == 302
        after = client.get(
            reverse("web:evaluation_callback"), {"number": case.display_number}
        ).content.decode()
        assert 'data-testid="callback-none"' in after
        # an evaluated occasion is not offered again, and a second post is refused
        again = client.post(
            reverse("web:evaluation_callback"),
            {
                "number": case.display_number,
                "occasion": occasion.pk,
                "level": "satisfied",
                "caller": "王回访",
            },
        )
        assert again.status_code == 422
    evaluation = Evaluation.objects.get(occasion=occasion)
    assert evaluation.channel == "phone" and evaluation.recorded_by == cx.user("supervisor")
    assert evaluation.caller == "王回访"


def test_the_evaluators_page_shows_the_key_once_and_revokes(cx: Any) -> None:
    client = _client(cx.user("centeradmin"))
    bad = client.post(reverse("web:evaluator_devices"), {"op": "create", "window": "Z01", "name": ""})
    assert bad.status_code == 422
    created = client.post(
        reverse("web:evaluator_devices"), {"op": "create", "window": "Z01", "name": "一号评价器"}
    )
    assert created.status_code == 200
    body = created.content.decode()
    assert 'data-testid="evaluator-created"' in body and "owe_" in body
    assert "no-store" in created.get("Cache-Control", "") or "no-cache" in created.get("Cache-Control", "")
    device = EvaluatorDevice.objects.get()
    key = body.split('data-testid="evaluator-key">')[1].split("<")[0]
    listed = client.get(reverse("web:evaluator_devices")).content.decode()
    assert key not in listed and device.key_hint in listed
    revoked = client.post(reverse("web:evaluator_devices"), {"op": "revoke", "device": device.pk})
    assert revoked.status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None


def test_the_navigation_shows_the_entries_by_permission(cx: Any) -> None:
    def links(user: str) -> str:
        return _client(cx.user(user)).get(reverse("web:home")).content.decode()

    supervisor = links("supervisor")
    assert f'href="{reverse("web:evaluations")}"' in supervisor
    assert f'href="{reverse("web:evaluation_callback")}"' in supervisor
    assert f'href="{reverse("web:evaluator_devices")}"' not in supervisor
    assert f'href="{reverse("web:evaluator_devices")}"' in links("centeradmin")
    assert f'href="{reverse("web:evaluations")}"' not in links("clerk")
