"""The public view of a bundle case (issue 13 §5): the progress page and the public API show a
bundle number as the bundle — its status, the joint due date, and per department the item,
status and public events — with the applicant masked, no staff names and no opinions but a
denial's reasons; a sub-case says which bundle it is part of. The same verification code and the
same single 404 as a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from onewindow.approvals import public
from onewindow.approvals.models import BundleCase
from onewindow.cases.numbers import format_number

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
PHONE_CODE = APPLICANT["phone"][-4:]
ID_CODE = APPLICANT["id_number"][-4:]
STAFF_NAMES = ("李审查", "王批准", "赵窗口")
OPINIONS = ("内部审查意见：同意", "内部决定意见：准予")
DENIAL = "经营场所不符合消防安全要求"


@pytest.fixture(autouse=True)
def _frozen_time():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


def _name_the_staff(world: Any) -> None:
    """Every reviewer and approver (and the clerk) gets a real name: none may leak."""
    for key, user in world.users.items():
        user.full_name = STAFF_NAMES[0] if key.endswith("reviewer") else STAFF_NAMES[1]
        user.save(update_fields=["full_name"])
    clerk = world.org.user("clerk")
    clerk.full_name = STAFF_NAMES[2]
    clerk.save(update_fields=["full_name"])


def _decide(world: Any, case: Any, *, grant: bool) -> None:
    from onewindow.cases import services as case_services

    code = case.department.code
    case = case_services.case_act(
        case=case.pk,
        action="pass_step",
        version=case.version,
        actor=world.reviewer(code),
        opinion=OPINIONS[0],
    )
    extra = {"opinion": OPINIONS[1]} if grant else {"reasons": DENIAL}
    case_services.case_act(
        case=case.pk,
        action="grant" if grant else "deny",
        version=case.version,
        actor=world.approver(code),
        **extra,
    )


@pytest.fixture
def decided(world) -> BundleCase:
    """A bundle whose four departments decided: three granted, one (公安) denied."""
    _name_the_staff(world)
    bc = world.intake()
    for sub in bc.sub_cases.select_related("case", "case__department").order_by("position"):
        _decide(world, sub.case, grant=sub.item_code != "GA-B1")
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED
    return bc


def _no_staff_and_no_secrets(text: str) -> None:
    for secret in (*STAFF_NAMES, *OPINIONS, APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["name"]):
        assert secret not in text, secret
    for username in ("ga-reviewer", "rs-approver", "clerk"):
        assert username not in text


def test_the_read_module_shows_each_department_without_staff(decided):
    found = public.public_bundle(decided.number, PHONE_CODE)
    assert found is not None
    assert public.public_bundle(decided.number.lower(), ID_CODE) is not None
    assert found.status == "decided" and found.due_date == dt.date(2026, 3, 4)
    assert found.applicant.startswith("示") and "*" in found.applicant
    assert [s.department for s in found.sub_cases] == ["市场监督管理局", "公安局", "税务局", "人社局"]
    by_item = {s.item_code: s for s in found.sub_cases}
    assert by_item["GA-B1"].outcome == "denied" and by_item["GA-B1"].denial_reason == DENIAL
    assert by_item["SW-B1"].outcome == "granted" and by_item["SW-B1"].denial_reason == ""
    assert all(s.events for s in found.sub_cases)
    assert [e.action for e in found.events][:1] == ["accept"] and found.events[-1].action == "decide"
    _no_staff_and_no_secrets(repr(found))


def test_wrong_input_is_none(decided):
    for number, code in (
        (decided.number, "0000"),
        (decided.number, ""),
        (decided.number[:-1] + ("A" if decided.number[-1] != "A" else "B"), PHONE_CODE),
        ("garbage", PHONE_CODE),
        (format_number("DEMO", dt.date(2026, 3, 2), 999_999), PHONE_CODE),
    ):
        assert public.public_bundle(number, code) is None


def test_the_public_api_answers_a_bundle_number_with_the_bundle(decided):
    response = Client().get("/api/v1/public/progress", {"number": decided.number, "code": PHONE_CODE})
    assert response.status_code == 200, response.content
    text = response.content.decode()
    _no_staff_and_no_secrets(text)
    data = response.json()
    assert data["kind"] == "bundle" and data["number"] == decided.number
    assert data["due_date"] == "2026-03-04" and data["status"] == "decided"
    assert [s["item_code"] for s in data["sub_cases"]] == ["SCJG-B1", "GA-B1", "SW-B1", "RS-B1"]
    ga = data["sub_cases"][1]
    assert ga["department"] == "公安局" and ga["outcome"] == "denied" and ga["denial_reason"] == DENIAL
    assert all(s["number"] and s["status_label"] and s["events"] for s in data["sub_cases"])
    # a wrong code: the one 404 of every failure
    wrong = Client().get("/api/v1/public/progress", {"number": decided.number, "code": "0000"})
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"


def test_a_sub_case_says_which_bundle_it_is_part_of(decided):
    sub = decided.sub_cases.select_related("case").get(item_code="SW-B1").case
    data = Client().get("/api/v1/public/progress", {"number": sub.number, "code": PHONE_CODE}).json()
    assert data["kind"] == "case"
    assert data["bundle"] == {"number": decided.number, "name": decided.bundle_name}
    page = Client().post(reverse("portal:progress"), {"number": sub.number, "code": PHONE_CODE})
    assert page.status_code == 200
    assert decided.number in page.content.decode()
    assert 'data-testid="progress-part-of"' in page.content.decode()


def test_the_progress_page_shows_the_bundle_per_department(decided):
    response = Client().post(reverse("portal:progress"), {"number": decided.number, "code": ID_CODE})
    assert response.status_code == 200
    html = response.content.decode()
    _no_staff_and_no_secrets(html)
    assert 'data-testid="progress-bundle"' in html and decided.bundle_name in html
    assert html.count('data-testid="progress-sub-case"') == 4
    assert DENIAL in html and "2026-03-04" in html
    for dept in ("市场监督管理局", "公安局", "税务局", "人社局"):
        assert dept in html


def test_the_corrections_of_a_bundle_are_listed(world):
    bc = world.intake(
        action="correct",
        materials=["营业执照"],
        correction_items=[{"name": "身份证明", "note": "复印件不清晰", "item_code": "GA-B1"}],
    )
    found = public.public_bundle(bc.number, PHONE_CODE)
    assert found is not None and found.status == "correction_requested"
    assert [(c.name, c.note) for c in found.corrections] == [("身份证明", "复印件不清晰")]
    assert all(s.number == "" and s.status == "" for s in found.sub_cases)
    html = (
        Client().post(reverse("portal:progress"), {"number": bc.number, "code": PHONE_CODE}).content.decode()
    )
    assert "复印件不清晰" in html


def test_a_wrong_code_on_the_page_is_the_one_not_found(decided):
    response = Client().post(reverse("portal:progress"), {"number": decided.number, "code": "0000"})
    assert response.status_code == 404
    assert 'data-testid="progress-bundle"' not in response.content.decode()


@override_settings(PROGRESS_LOOKUPS_PER_MINUTE=2)
def test_bundle_lookups_share_the_rate_limit(decided):
    client = Client()
    for _ in range(2):
        assert (
            client.get("/api/v1/public/progress", {"number": decided.number, "code": "0000"}).status_code
            == 404
        )
    response = client.get("/api/v1/public/progress", {"number": decided.number, "code": PHONE_CODE})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert (
        client.post(reverse("portal:progress"), {"number": decided.number, "code": PHONE_CODE}).status_code
        == 429
    )
