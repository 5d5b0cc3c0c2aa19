"""Issuing tickets: numbers per business per local day, prefixes, the daily cap, opening hours,
the appointment check-in's Y ticket."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from onewindow.appointments.models import BusinessType
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.hall.models import DaySequence, Ticket, TicketEvent
from onewindow.hall.tickets import ahead_of, ticket_issue
from tests.factories import OrgFixture, make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def business(org: OrgFixture) -> BusinessType:
    business = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    business.windows.add(org.window_a, org.general_window)
    return business


@pytest.fixture
def kiosk(org: OrgFixture):  # type: ignore[no-untyped-def]
    return make_user("kiosk", center=org.center, roles=("ticket_dispenser",))


def test_numbers_count_per_business_and_reset_at_local_midnight(org, business, kiosk) -> None:
    other = BusinessType.objects.create(center=org.center, letter="B", name="税务业务")
    first = ticket_issue(business=business, actor=kiosk, now=at(2026, 12, 8, 9))
    second = ticket_issue(business=business, actor=kiosk, now=at(2026, 12, 8, 23, 59))
    b1 = ticket_issue(business=other, actor=kiosk, now=at(2026, 12, 8, 10))
    # 00:00 in Shanghai is 16:00 UTC the day before: a new local day, a new sequence
    next_day = ticket_issue(business=business, actor=kiosk, now=at(2026, 12, 9, 0, 0))
    assert [first.number, second.number, b1.number, next_day.number] == ["A001", "A002", "B001", "A001"]
    assert next_day.date == dt.date(2026, 12, 9)
    assert DaySequence.objects.get(business=business, date=dt.date(2026, 12, 8)).last == 2
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.ISSUED).count() == 4


def test_priority_prefix_and_ahead(org, business, kiosk) -> None:
    walk_in = ticket_issue(business=business, actor=kiosk, now=at(2026, 12, 8, 9))
    elderly = ticket_issue(
        business=business, actor=kiosk, priority=True, priority_reason="elderly", now=at(2026, 12, 8, 9, 1)
    )
    assert elderly.number == "VA002"
    assert elderly.priority_reason == Ticket.PriorityReason.ELDERLY
    assert ahead_of(elderly) == 0
    assert ahead_of(walk_in) == 1  # the priority ticket goes first


def test_cap_hours_phone_and_permission(org, business, kiosk) -> None:
    business.daily_ticket_cap = 1
    business.opens_at = dt.time(8, 30)
    business.closes_at = dt.time(17)
    business.save()
    with pytest.raises(ValidationFailed) as closed:
        ticket_issue(business=business, actor=kiosk, now=at(2026, 12, 8, 8))
    assert closed.value.code == "business_closed"
    with pytest.raises(ValidationFailed) as phone:
        ticket_issue(business=business, actor=kiosk, phone="12345", now=at(2026, 12, 8, 9))
    assert phone.value.code == "invalid_phone"
    ticket_issue(business=business, actor=kiosk, phone="138 0013 8000", now=at(2026, 12, 8, 9))
    with pytest.raises(Conflict) as cap:
        ticket_issue(business=business, actor=kiosk, now=at(2026, 12, 8, 9, 5))
    assert cap.value.code == "daily_cap_reached"
    assert Ticket.objects.count() == 1  # nothing half-written
    reviewer = make_user("nobody", center=org.center, roles=("reviewer",))
    with pytest.raises(PermissionDenied):
        ticket_issue(business=business, actor=reviewer, now=at(2026, 12, 8, 9))
