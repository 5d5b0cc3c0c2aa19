"""What the hall's screens show: the latest call per window, recent calls, waiting counts, window
statuses, the notices of the day, today's completed cases (masked), the wait page's estimate."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.appointments.models import BusinessType
from onewindow.cases.models import Case
from onewindow.cases.tests.conftest import at, local
from onewindow.hall import screens
from onewindow.hall.board import announce
from onewindow.hall.models import Announcement, HallNotice, Ticket, WindowState
from onewindow.hall.tickets import ticket_issue
from tests.factories import OrgFixture, make_item, make_user


@pytest.fixture
def business(org: OrgFixture) -> BusinessType:
    business = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    business.windows.add(org.window_a, org.general_window)
    return business


@pytest.fixture
def kiosk(org: OrgFixture):  # type: ignore[no-untyped-def]
    return make_user("kiosk", center=org.center, roles=("ticket_dispenser",))


def call(ticket: Ticket, window, moment: dt.datetime, kind: str = Announcement.Kind.CALL) -> Announcement:  # type: ignore[no-untyped-def]
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.CALLED, window=window, called_at=moment, first_called_at=moment
    )
    return announce(kind=kind, window=window, ticket=ticket, now=moment)


def test_calls_latest_per_window_and_recent(org, business, kiosk) -> None:
    with at("2026-12-08 09:00"):
        tickets = [ticket_issue(business=business, actor=kiosk) for _ in range(4)]
    call(tickets[0], org.window_a, local("2026-12-08 09:05"))
    call(tickets[1], org.general_window, local("2026-12-08 09:06"))
    call(tickets[2], org.window_a, local("2026-12-08 09:07"))
    # yesterday's call is not shown
    Announcement.objects.create(
        center=org.center,
        kind="call",
        number="B009",
        window_code="Z09",
        text="请B009号，到Z09号窗口",
        at=local("2026-12-07 16:00"),
    )
    with at("2026-12-08 09:08"):
        state = screens.hall_state(org.center)
    assert [(c["number"], c["window"]) for c in state["calls"]] == [("A003", "A01"), ("A002", "Z01")]
    assert [c["number"] for c in state["recent"]] == ["A003", "A002", "A001"]
    assert state["calls"][0]["clips"][:3] == ["chime", "qing", "A"]
    assert state["waiting"] == [{"letter": "A", "name": "市场监管业务", "waiting": 1}]
    assert state["announcements"] == [] and state["last_announcement"] > 0


def test_announcements_after_an_id_in_order(org, business, kiosk) -> None:
    with at("2026-12-08 09:00"):
        a, b = (ticket_issue(business=business, actor=kiosk) for _ in range(2))
    first = call(a, org.window_a, local("2026-12-08 09:05"))
    call(b, org.general_window, local("2026-12-08 09:05"))
    announce(kind=Announcement.Kind.PAUSE, window=org.window_a, now=local("2026-12-08 09:06"))
    with at("2026-12-08 09:07"):
        state = screens.hall_state(org.center, after=first.pk)
    assert [x["text"] for x in state["announcements"]] == ["请A002号，到Z01号窗口", "A01号窗口暂停服务"]
    assert state["announcements"][1]["clips"] == ["chime", "A", "d0", "d1", "haochuangkou", "zantingfuwu"]


def test_void_tickets_are_not_counted_and_windows_show_their_status(org, business, kiosk) -> None:
    with at("2026-12-08 09:00"):
        t1 = ticket_issue(business=business, actor=kiosk)
        ticket_issue(business=business, actor=kiosk)
    Ticket.objects.filter(pk=t1.pk).update(status=Ticket.Status.VOID)
    WindowState.objects.create(
        window=org.window_a,
        status=WindowState.Status.AWAY,
        message="去档案室取件",
        expected_return=local("2026-12-08 10:30"),
    )
    with at("2026-12-08 09:30"):
        state = screens.hall_state(org.center)
    assert state["waiting"][0]["waiting"] == 1
    rows = {w["code"]: w for w in state["windows"]}
    assert rows["A01"]["status"] == "away" and rows["A01"]["message"] == "去档案室取件"
    assert rows["A01"]["back"] == "10:30"
    assert rows["Z01"]["status"] == "closed" and rows["Z01"]["message"] == ""


@pytest.mark.parametrize(
    ("starts", "ends", "active", "shown"),
    [
        (None, None, True, True),
        (None, None, False, False),
        ("2026-12-08", "2026-12-08", True, True),
        ("2026-12-09", None, True, False),
        (None, "2026-12-07", True, False),
        ("2026-12-01", "2026-12-31", True, True),
    ],
)
def test_notices_by_date(org, starts, ends, active, shown) -> None:
    HallNotice.objects.create(
        center=org.center,
        text="元旦假期（1月1日至3日）大厅暂停服务。",
        active=active,
        starts_on=dt.date.fromisoformat(starts) if starts else None,
        ends_on=dt.date.fromisoformat(ends) if ends else None,
        created_at=local("2026-12-01 09:00"),
    )
    assert (screens.notices(org.center.pk, dt.date(2026, 12, 8)) != []) is shown


def make_case(org: OrgFixture, version, n: int, *, status: str, completed: dt.datetime | None) -> Case:  # type: ignore[no-untyped-def]
    return Case.objects.create(
        center=org.center,
        item_version=version,
        department=org.dept_a,
        number=f"2026120800{n}",
        receipt_number=f"R2026120800{n}",
        channel=Case.Channel.WINDOW,
        status=status,
        applicant_kind=Case.ApplicantKind.PERSON,
        applicant_name="张三丰",
        applicant_id_type=Case.IdType.RESIDENT_ID,
        applicant_id_number="110101199003071234",
        applicant_phone="13800138000",
        decision=Case.Decision.GRANTED if completed else "",
        completed_at=completed,
        promised_limit=10,
        legal_limit=20,
        created_at=local("2026-12-01 09:00"),
    )


def test_results_are_today_completed_and_masked(org) -> None:
    version = make_item(org, code="SC201", name="食品经营许可")
    make_case(org, version, 1, status=Case.Status.COMPLETED, completed=local("2026-12-08 10:00"))
    make_case(org, version, 2, status=Case.Status.COMPLETED, completed=local("2026-12-07 10:00"))
    make_case(org, version, 3, status=Case.Status.IN_PROGRESS, completed=None)
    with at("2026-12-08 11:00"):
        state = screens.hall_state(org.center)
    assert state["results"] == [
        {
            "number": "20261208001",
            "item": "食品经营许可",
            "applicant": "张**",
            "result": "准予许可",
            "at": "10:00",
        }
    ]
    flat = str(state)
    assert "张三丰" not in flat and "110101" not in flat and "13800138000" not in flat


def test_wait_state_estimate(org, business, kiosk) -> None:
    with at("2026-12-08 09:00"):
        done = ticket_issue(business=business, actor=kiosk)
        waiting = [ticket_issue(business=business, actor=kiosk) for _ in range(3)]
    with at("2026-12-08 09:10"):
        state = screens.wait_state(waiting[2])
    assert state["ahead"] == 3 and state["position"] == 4
    assert state["estimate_minutes"] == 15 and state["estimate_default"] is True
    assert state["windows"] == ["A01", "Z01"]
    Ticket.objects.filter(pk=done.pk).update(
        status=Ticket.Status.SERVED,
        started_at=local("2026-12-08 09:01"),
        finished_at=local("2026-12-08 09:09"),
    )
    state = screens.wait_state(waiting[2])
    assert state["estimate_minutes"] == 16 and state["estimate_default"] is False
    call(waiting[2], org.general_window, local("2026-12-08 09:20"))
    waiting[2].refresh_from_db()
    state = screens.wait_state(waiting[2])
    assert state["status"] == "called" and state["window"] == "Z01" and state["windows"] == ["Z01"]
    assert state["ahead"] == 0


def test_window_display(org) -> None:
    WindowState.objects.create(
        window=org.general_window, status=WindowState.Status.PAUSED, message="系统维护"
    )
    center, row = screens.window_display("Z01")
    assert center == org.center and row["status"] == "paused" and row["message"] == "系统维护"
