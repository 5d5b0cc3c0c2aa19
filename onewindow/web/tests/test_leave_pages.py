"""The leave pages: ask, the worklist with the stand-in state, the detail's actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onewindow.attendance.models import LeaveRequest
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 0, 0, tzinfo=dt.UTC)  # Monday 08:00 in Shanghai


@pytest.fixture
def web(org):
    with time_machine.travel(NOW, tick=False):
        org.users["solo"] = make_user(
            "solo", center=org.center, department=org.dept_a, roles=("window_clerk",), window=org.window_a
        )
        org.users["clerk2"] = make_user(
            "clerk2",
            center=org.center,
            department=org.dept_a,
            roles=("window_clerk",),
            window=org.general_window,
        )

        def as_user(who: str) -> Client:
            client = Client()
            assert client.login(username=who, password=PASSWORD)
            return client

        yield as_user


def test_ask_for_a_day_the_chief_signs_after_naming_a_stand_in_the_supervisor_approves(web, org):
    solo = web("solo")
    page = solo.get(reverse("web:leave_request"))
    assert page.status_code == 200
    assert b'data-testid="leave-alone"' in page.content
    assert b"clerk2" in page.content  # an eligible colleague
    r = solo.post(
        reverse("web:leave_request"),
        {"kind": "annual", "starts_at": "2026-12-08T08:30", "ends_at": "2026-12-08T17:30", "reason": "体检"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    leave = LeaveRequest.objects.get()
    chief = web("scjg-chief")
    worklist = chief.get(reverse("web:leave_worklist"))
    assert b'data-state="required"' in worklist.content
    detail = reverse("web:leave_detail", args=[leave.pk])
    r = chief.post(reverse("web:leave_action", args=[leave.pk, "approve"]), {"version": 1})
    assert r.status_code == 409 and b'data-testid="leave-error"' in r.content
    r = chief.post(
        reverse("web:leave_action", args=[leave.pk, "stand-in"]),
        {"version": 1, "stand_in": org.user("clerk2").pk},
    )
    assert r.status_code == 302 and r["Location"] == detail
    r = chief.post(reverse("web:leave_action", args=[leave.pk, "approve"]), {"version": 2, "note": "同意"})
    assert r.status_code == 302
    sup = web("supervisor")
    assert b'data-testid="leave-approve"' in sup.get(detail).content
    sup.post(reverse("web:leave_action", args=[leave.pk, "approve"]), {"version": 3})
    leave.refresh_from_db()
    assert leave.status == "approved"
    page = solo.get(detail)
    assert b'data-testid="leave-approve"' not in page.content and b'data-decision="approved"' in page.content


def test_form_errors_say_what_to_fix(web):
    clerk = web("clerk")
    r = clerk.post(
        reverse("web:leave_request"),
        {"kind": "sick", "starts_at": "2026-12-08T08:30", "ends_at": "2026-12-09T17:30", "reason": "发烧"},
    )
    assert r.status_code == 422 and b"certificate" in r.content
    r = clerk.post(
        reverse("web:leave_request"), {"kind": "personal", "starts_at": "", "ends_at": "x", "reason": ""}
    )
    assert r.status_code == 422 and b"errorlist" in r.content


def test_reject_needs_a_note_and_withdraw(web, org):
    clerk = web("clerk")
    clerk.post(
        reverse("web:leave_request"),
        {
            "kind": "personal",
            "starts_at": "2026-12-08T09:00",
            "ends_at": "2026-12-08T10:00",
            "reason": "办事",
        },
    )
    leave = LeaveRequest.objects.get()
    make_user("leader", center=org.center, roles=("group_leader",))
    leader = web("leader")
    r = leader.post(reverse("web:leave_action", args=[leave.pk, "reject"]), {"version": 1, "note": ""})
    assert r.status_code == 422
    assert clerk.get(reverse("web:leave_worklist")).status_code == 403
    assert web("clerk2").get(reverse("web:leave_detail", args=[leave.pk])).status_code == 404
    r = clerk.post(reverse("web:leave_action", args=[leave.pk, "withdraw"]), {"version": 1})
    assert r.status_code == 302
    leave.refresh_from_db()
    assert leave.status == "withdrawn"
