"""The staff complaint pages (worklist, desk registration, the complaint page and its actions)
and the public ones (submit, follow)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from onewindow.complaints.models import Complaint
from onewindow.supervision.models import AccountabilityRecord

from .conftest import act, at, register

pytestmark = pytest.mark.django_db

FORM = {
    "title": "窗口推诿",
    "content": "A01窗口让我跑了三次，电话13912345678。",
    "kind": "referral",
    "source": "desk",
    "name": "赵六",
    "phone": "13900000006",
    "id_number": "",
    "respondent_window": "A01",
    "department": "SCJG",
}


def test_desk_registration_shows_the_number_and_code_once(client: Any, cx: Any) -> None:
    client.force_login(cx.user("clerk"))
    assert client.get(reverse("web:complaint_new")).status_code == 200
    with at("2026-11-02 10:00"):
        page = client.post(reverse("web:complaint_new"), FORM)
    assert page.status_code == 200
    c = Complaint.objects.get()
    body = page.content.decode()
    assert c.number in body and 'data-testid="complaint-code"' in body
    assert c.status == "assigned" and c.department == cx.dept_a


def test_desk_registration_errors_say_what_to_fix(client: Any, cx: Any) -> None:
    client.force_login(cx.user("clerk"))
    page = client.post(reverse("web:complaint_new"), {**FORM, "title": "", "phone": "12ab"})
    assert page.status_code == 422
    body = page.content.decode()
    assert 'class="errorlist"' in body and "13812345678" in body  # the phone hint
    assert not Complaint.objects.exists()


def test_registration_needs_the_permission(client: Any, cx: Any) -> None:
    client.force_login(cx.user("scjg-reviewer"))
    assert client.get(reverse("web:complaint_new")).status_code == 403
    assert client.get(reverse("web:complaints")).status_code == 403


def test_worklist_masks_and_badges(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
    c.level = 2
    c.save(update_fields=["level"])
    client.force_login(cx.user("scjg-chief"))
    body = client.get(reverse("web:complaints")).content.decode()
    assert f'data-complaint="{c.number}"' in body and 'data-testid="level-red"' in body
    assert "13900000005" not in body and "王五" not in body
    with at("2026-11-03 10:00"):
        on_time = client.get(reverse("web:complaints"), {"overdue": "1"}).content.decode()
    with at("2026-11-10 10:00"):
        late = client.get(reverse("web:complaints"), {"overdue": "1", "status": "open"}).content.decode()
    assert c.number not in on_time and c.number in late


def test_the_complaint_page_shows_only_allowed_forms_and_masks(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
    client.force_login(cx.user("clerk"))
    body = client.get(reverse("web:complaint", args=[c.number])).content.decode()
    assert "王*" in body and "王五" not in body and "13912345678" not in body
    assert 'data-testid="action-not_accept"' in body and 'data-testid="action-answer"' not in body
    client.force_login(cx.user("scjg-chief"))
    body = client.get(reverse("web:complaint", args=[c.number])).content.decode()
    assert (
        "王五" in body and 'data-testid="action-answer"' in body and 'data-testid="action-judge"' not in body
    )
    client.force_login(cx.user("sw-chief"))
    assert client.get(reverse("web:complaint", args=[c.number])).status_code == 404


def test_answer_then_judge_with_accountability_through_the_pages(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
    client.force_login(cx.user("scjg-chief"))
    url = reverse("web:complaint_action", args=[c.number, "answer"])
    empty = client.post(url, {"version": c.version, "answer": ""})
    assert empty.status_code == 422 and 'class="errorlist"' in empty.content.decode()
    stale = client.post(url, {"version": 99, "answer": "好"}, follow=True)
    assert stale.status_code == 200 and Complaint.objects.get().status == "assigned"
    with at("2026-11-03 10:00"):
        done = client.post(url, {"version": c.version, "answer": "已核实。"})
    assert done.status_code == 302
    client.force_login(cx.user("supervisor"))
    c.refresh_from_db()
    judge = reverse("web:complaint_action", args=[c.number, "judge"])
    client.post(judge, {"version": c.version, "valid": "yes", "reason": "属实", "accountability": "on"})
    c.refresh_from_db()
    assert c.valid is True
    assert AccountabilityRecord.objects.filter(subject_ref=c.number, department=cx.dept_a).count() == 1
    body = client.get(reverse("web:complaint", args=[c.number])).content.decode()
    assert 'data-testid="complaint-accountability"' in body


def test_not_found_for_unknown_numbers(client: Any, cx: Any) -> None:
    client.force_login(cx.user("supervisor"))
    assert client.get(reverse("web:complaint", args=["TS000"])).status_code == 404
    assert (
        client.post(reverse("web:complaint_action", args=["TS000", "answer"]), {"version": 1}).status_code
        == 404
    )


def test_nav_entry_for_complaint_staff_only(client: Any, cx: Any) -> None:
    client.force_login(cx.user("clerk"))
    assert reverse("web:complaints") in client.get(reverse("web:home")).content.decode()
    client.force_login(cx.user("scjg-reviewer"))
    assert reverse("web:complaints") not in client.get(reverse("web:home")).content.decode()


def test_act_helper_is_the_service(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx).complaint
        assert act(c, "assign", cx.user("clerk"), department="SW").status == "assigned"


# --- public ------------------------------------------------------------------------------------


def test_public_submit_then_follow(client: Any, cx: Any) -> None:
    assert client.get(reverse("portal:complaint_submit")).status_code == 200
    with at("2026-11-02 10:00"):
        page = client.post(
            reverse("portal:complaint_submit"),
            {"title": "无人", "content": "窗口无人", "respondent": "SCJG", "name": "钱七", "phone": ""},
        )
    assert page.status_code == 200
    c = Complaint.objects.get()
    body = page.content.decode()
    assert c.number in body and 'data-testid="complaint-code"' in body
    code = body.split('data-testid="complaint-code">')[1].split("<")[0]
    found = client.post(reverse("portal:complaint_follow"), {"number": c.number, "code": code})
    assert (
        found.status_code == 200 and "钱*" in found.content.decode() and "钱七" not in found.content.decode()
    )
    wrong = client.post(reverse("portal:complaint_follow"), {"number": c.number, "code": "ZZZZZZ"})
    unknown = client.post(reverse("portal:complaint_follow"), {"number": "TS1", "code": code})
    assert wrong.status_code == unknown.status_code == 404


def test_public_submit_errors_say_what_to_fix(client: Any, cx: Any) -> None:
    page = client.post(reverse("portal:complaint_submit"), {"title": "", "content": "x", "phone": "12ab"})
    assert page.status_code == 422 and page.content.decode().count('class="errorlist"') == 2
