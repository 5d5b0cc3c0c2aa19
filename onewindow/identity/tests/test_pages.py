"""The account pages of the portal, the header's tools, the elderly mode and the staff page
that verifies an applicant (issue 14 §1, 3, 4, 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from onewindow.core import clock
from onewindow.identity.models import Enterprise, Person, RealNameLevel
from onewindow.identity.sessions import SESSION_ENTERPRISE, SESSION_PERSON
from onewindow.identity.tests.helpers import last_code
from tests.applicants import make_enterprise, make_person, resident_id, sign_in, uscc

pytestmark = pytest.mark.django_db

PHONE = "13900000061"


def test_sign_in_with_a_code_through_the_pages(org, client):
    page = client.get(reverse("portal:signin"))
    assert page.status_code == 200 and "signin-phone" in page.content.decode()
    sent = client.post(reverse("portal:signin"), {"step": "send", "phone": PHONE})
    assert sent.status_code == 200 and 'data-testid="code-sent"' in sent.content.decode()
    wrong = client.post(reverse("portal:signin"), {"step": "code", "phone": PHONE, "code": "abc"})
    assert wrong.status_code == 401 and 'data-testid="signin-error"' in wrong.content.decode()
    done = client.post(
        reverse("portal:signin"),
        {"step": "code", "phone": PHONE, "code": last_code(PHONE), "next": "https://evil.example/"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("portal:account")  # no open redirect
    assert client.session[SESSION_PERSON] == Person.objects.get(phone=PHONE).pk
    account = client.get(reverse("portal:account"))
    assert account.status_code == 200 and "139****0061" in account.content.decode()
    out = client.post(reverse("portal:signout"))
    assert out.status_code == 302 and SESSION_PERSON not in client.session


def test_sign_in_goes_back_to_a_local_next(org, client):
    client.post(reverse("portal:signin"), {"step": "send", "phone": PHONE})
    done = client.post(
        reverse("portal:signin"),
        {"step": "code", "phone": PHONE, "code": last_code(PHONE), "next": "/items/X/"},
    )
    assert done["Location"] == "/items/X/"


def test_the_account_page_needs_a_sign_in(org, client):
    response = client.get(reverse("portal:account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:signin"))


def test_profile_enterprise_and_agent_through_the_account_page(org, client):
    person = make_person(phone=PHONE, name="", id_number="")
    sign_in(client, person)
    url = reverse("portal:account")
    bad = client.post(url, {"form": "profile", "name": "张明", "id_type": "resident_id", "id_number": "1"})
    assert bad.status_code == 422 and 'data-testid="account-error"' in bad.content.decode()
    number = resident_id("11010119900101123")
    ok = client.post(url, {"form": "profile", "name": "张明", "id_type": "resident_id", "id_number": number})
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.name == "张明" and person.id_number == number
    code = uscc("91110108MA01QQQQ1")
    assert (
        client.post(url, {"form": "enterprise", "name": "示例科技有限公司", "uscc": code}).status_code == 302
    )
    enterprise = Enterprise.objects.get(uscc=code)
    today = clock.today()
    agent_form = {
        "form": "agent",
        "enterprise": enterprise.pk,
        "phone": "13900000062",
        "valid_from": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=30)).isoformat(),
    }
    assert client.post(url, agent_form).status_code == 302
    page = client.get(url).content.decode()
    assert "139****0062" in page and "示例科技有限公司" in page
    assert client.post(url, {**agent_form, "valid_until": "not a date"}).status_code == 422
    # acting for the enterprise from the header's form, then back
    back = client.post(reverse("portal:act_for"), {"enterprise": enterprise.pk, "next": "/search/"})
    assert back["Location"] == "/search/" and client.session[SESSION_ENTERPRISE] == enterprise.pk
    client.post(reverse("portal:act_for"), {"enterprise": ""})
    assert SESSION_ENTERPRISE not in client.session


def test_an_outsider_cannot_act_for_an_enterprise(org, client):
    rep = make_person(phone="13900000063")
    enterprise = make_enterprise(rep)
    outsider = make_person(phone=PHONE, id_number=resident_id("11010119910101123"))
    sign_in(client, outsider)
    client.post(reverse("portal:act_for"), {"enterprise": enterprise.pk})
    assert SESSION_ENTERPRISE not in client.session


def test_the_header_offers_the_enterprises_and_the_elderly_mode(org, client):
    rep = make_person(phone=PHONE)
    make_enterprise(rep, name="示例科技有限公司")
    sign_in(client, rep)
    page = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="act-for-form"' in page and "示例科技有限公司" in page
    assert 'data-testid="elderly-toggle"' in page and 'class="portal elderly' not in page
    on = client.post(reverse("portal:elderly"), {"on": "1", "next": "/search/"})
    assert on.status_code == 302 and on["Location"] == "/search/" and on.cookies["ow_elderly"].value == "1"
    page = client.get(reverse("portal:home")).content.decode()
    assert re.search(r'<body class="portal elderly', page)
    assert 'style="' not in page and "<style" not in page
    evil = client.get(reverse("portal:elderly"), {"next": "//evil.example/x"})
    assert evil["Location"] == reverse("portal:home") and evil.cookies["ow_elderly"].value == ""


def test_the_elderly_mode_css_gives_large_type_and_targets():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "portal/static/portal/portal.css").read_text()
    block = css[css.index("body.elderly {") :]
    assert re.search(r"body\.elderly \{[^}]*font-size: 2\dpx", block)
    assert "min-height: 48px" in block


def test_the_clerk_verifies_an_applicant(org, client):
    person = make_person(phone=PHONE, name="张明", id_number="")
    client.force_login(org.user("clerk"))
    url = reverse("web:applicant_verify")
    page = client.get(url, {"phone": PHONE}).content.decode()
    assert "139****0061" in page and "张明" not in page  # masked
    number = resident_id("11010119700101123")
    done = client.post(url, {"phone": PHONE, "name": "张明", "id_type": "resident_id", "id_number": number})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.CONSISTENT and person.verified_how == "window"
    assert client.get(url, {"phone": "13900009999"}).status_code == 200
    client.force_login(org.user("auditor"))
    assert client.get(url, {"phone": PHONE}).status_code == 403


def test_odd_form_values_are_answers_not_errors(org, client):
    person = make_person(phone=PHONE)
    sign_in(client, person)
    huge = "9" * 30
    assert client.post(reverse("portal:act_for"), {"enterprise": huge}).status_code == 302
    assert (
        client.post(reverse("portal:account"), {"form": "revoke", "authorization": huge}).status_code == 404
    )
    assert client.post(reverse("portal:account"), {"form": "nothing"}).status_code == 400
    assert client.post(reverse("portal:signin"), {"step": "nothing", "phone": PHONE}).status_code == 400
