"""The public evaluation page (/evaluate/<token>/): a plain form POST, no script needed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from onewindow.cases.tests.conftest import at
from onewindow.feedback.models import Evaluation
from onewindow.feedback.tests.occasion_helpers import delivered_case, token_of
from tests.applicants import make_person, sign_in

pytestmark = pytest.mark.django_db
LATER = "2026-11-03 09:00"


def url(token: str) -> str:
    return f"/evaluate/{token}/"


def test_the_page_shows_the_service_without_personal_data(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    with at(LATER):
        page = client.get(url(token_of(case)))
    html = page.content.decode()
    assert page.status_code == 200
    assert "食品经营许可" in html and "市场监督管理局" in html and "2026-11-02" in html
    assert case.applicant_name not in html and case.applicant_phone not in html
    assert case.applicant_id_number not in html
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意", "服务态度"):
        assert label in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_bad_rating_without_a_reason_is_refused_then_accepted_with_a_chip(cx: Any) -> None:
    case = delivered_case(cx)
    client = Client(enforce_csrf_checks=False)
    token = token_of(case)
    with at(LATER):
        refused = client.post(url(token), {"level": "dissatisfied", "text": ""})
        assert refused.status_code == 422
        assert "请选择评价指标或填写意见" in refused.content.decode() or "需要" in refused.content.decode()
        assert not Evaluation.objects.exists()
        done = client.post(url(token), {"level": "dissatisfied", "tags": ["attitude"]})
        assert done.status_code == 302 and done["Location"] == f"/evaluate/{token}/thanks/"
        thanks = client.get(done["Location"])
        assert thanks.status_code == 200 and 'data-testid="evaluate-thanks"' in thanks.content.decode()
        again = client.get(url(token))
        assert 'data-testid="evaluate-done"' in again.content.decode()
        twice = client.post(url(token), {"level": "satisfied"})
        assert twice.status_code == 409
    evaluation = Evaluation.objects.get()
    assert evaluation.channel == "qr_code" and evaluation.tags == ["attitude"] and evaluation.bad


def test_the_sms_link_records_the_channel_sms(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    token = token_of(case)
    with at(LATER):
        page = client.get(url(token) + "?via=sms")
        assert 'name="via" value="sms"' in page.content.decode()
        done = client.post(url(token), {"level": "very_satisfied", "via": "sms"})
        assert done.status_code == 302 and done["Location"].endswith("?via=sms")
    assert Evaluation.objects.get().channel == "sms"


def test_a_signed_in_applicant_is_named(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    person = make_person()
    sign_in(client, person)
    with at(LATER):
        client.post(url(token_of(case)), {"level": "satisfied"})
    assert Evaluation.objects.get().applicant == person


def test_staff_closed_and_invalid_links_get_their_own_pages(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    token = token_of(case)
    invalid = client.get(url("1.notavalidsignature"))
    assert invalid.status_code == 404 and 'data-testid="evaluate-invalid"' in invalid.content.decode()
    assert client.get(url("nonsense") + "thanks/").status_code == 404
    with at("2026-12-20 10:00"):
        closed = client.get(url(token))
        assert 'data-testid="evaluate-closed"' in closed.content.decode()
        assert client.post(url(token), {"level": "satisfied"}).status_code == 409
    client.force_login(cx.user("clerk"))
    with at(LATER):
        staff = client.get(url(token))
        assert staff.status_code == 403 and 'data-testid="evaluate-staff"' in staff.content.decode()
        assert client.post(url(token), {"level": "satisfied"}).status_code == 403
        # the thank-you page of an unevaluated occasion leads back to the form
        assert client.get(url(token) + "thanks/")["Location"] == url(token)
    assert not Evaluation.objects.exists()
