"""The portal's "my cases" pages and the notice downloads (portal and staff)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.identity.models import RealNameLevel
from tests.applicants import make_enterprise, make_person, sign_in
from tests.factories import PASSWORD
from tests.online.helpers import (
    OTHER_ID,
    accept_online,
    online_item,
    person_applicant,
    submit_online,
    window_case,
)
from tests.online.pdftext import content_streams

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def accepted(org):
    person = make_person()
    app, case = submit_online(org, online_item(org), person)
    case = accept_online(org, app, case)
    return person, case


def test_signing_in_is_needed(client, accepted):
    _person, case = accepted
    for url in (reverse("portal:my_cases"), reverse("portal:my_case", args=[case.number])):
        response = client.get(url)
        # the sign-in page is another app's: until it exists, a page saying to sign in
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "next=" in response["Location"]
        else:
            assert 'data-testid="signin-needed"' in response.content.decode()


def test_the_list_shows_the_case_in_its_tab_and_the_nav_links_it(client, accepted):
    person, case = accepted
    sign_in(client, person)
    response = client.get(reverse("portal:my_cases"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-number="{case.number}"' in body and 'data-tab="in_progress"' in body
    assert reverse("portal:my_cases") in body  # the nav's link
    assert person.id_number not in body
    empty = client.get(reverse("portal:my_cases"), {"tab": "drafts"}).content.decode()
    assert 'data-testid="my-cases-empty"' in empty


def test_one_case_page_shows_progress_notices_messages_and_withdraw(client, accepted):
    person, case = accepted
    sign_in(client, person)
    response = client.get(reverse("portal:my_case", args=[case.number]))
    body = response.content.decode()
    assert response.status_code == 200
    notice = case.notices.get()
    assert reverse("portal:my_notice_pdf", args=[case.number, notice.number]) in body
    assert 'data-testid="my-case-withdraw"' in body and 'data-testid="my-case-steps"' in body
    assert "受理通知书" in body and person.phone not in body and person.id_number not in body
    page = client.get(reverse("portal:my_notice", args=[case.number, notice.number])).content.decode()
    assert notice.number in page and person.id_number not in page


def test_the_applicant_downloads_the_pdf_and_nobody_else(client, accepted):
    person, case = accepted
    notice = case.notices.get()
    url = reverse("portal:my_notice_pdf", args=[case.number, notice.number])
    sign_in(client, person)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and f"({notice.number})".encode() in content_streams(
        response.content
    )
    assert "attachment" in response["Content-Disposition"]
    other = make_person(
        phone="13900139000", name="李四", id_number=OTHER_ID, real_name_level=RealNameLevel.CERTIFIED
    )
    sign_in(client, other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:my_case", args=[case.number])).status_code == 404
    company = make_enterprise(other)
    sign_in(client, other, company)
    assert client.get(url).status_code == 404


def test_withdraw_asks_for_confirmation_then_withdraws(client, accepted):
    person, case = accepted
    sign_in(client, person)
    url = reverse("portal:my_case_withdraw", args=[case.number])
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'data-testid="withdraw-form"' in confirm.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED  # nothing happens on GET
    missing = client.post(url, {"version": case.version, "reason": ""})
    assert missing.status_code == 422
    stale = client.post(url, {"version": case.version - 1, "reason": "不办了"})
    assert stale.status_code == 409
    done = client.post(url, {"version": case.version, "reason": "不办了"}, follow=True)
    assert done.status_code == 200 and 'data-testid="flash"' in done.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    again = client.get(url).content.decode()
    assert 'data-testid="withdraw-not-possible"' in again


def test_staff_download_the_pdf_with_the_notice_pages_permission(client, org):
    case = window_case(org, online_item(org), person_applicant(make_person()))
    notice = case.notices.get()
    url = reverse("web:case_notice_pdf", args=[case.number, notice.number])
    assert client.get(url).status_code == 302  # to the login page
    client.login(username="clerk", password=PASSWORD)
    page = client.get(reverse("web:case_notice", args=[case.number, notice.number])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("web:case_notice_pdf", args=[case.number, "nope"])).status_code == 404
    client.logout()
    client.login(username="sw-reviewer", password=PASSWORD)  # another department's data scope
    assert client.get(url).status_code == 404
