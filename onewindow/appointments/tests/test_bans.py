"""No-shows, day end, the ban rule (table-driven over no-show histories), bans refusing bookings,
lifting, appeals, the permanent flag, and the reminder the day before."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.appointments import bans, selectors, sweeps
from onewindow.appointments.bans import BanRule, ban_due
from onewindow.appointments.models import BanAppeal, Booking, BookingBan
from onewindow.appointments.tests.conftest import Hall, at, book, ids, local
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.notifications.models import OutboxMessage

NOW = local("2026-11-10 12:00")
RULE = BanRule(lookback_days=90, no_shows=3, ban_days=30)


@pytest.mark.parametrize(
    ("days_ago", "spent_days_ago", "banned"),
    [
        ([], None, False),
        ([1, 2], None, False),
        ([1, 2, 3], None, True),
        ([0, 0, 0], None, True),
        ([1, 45, 89], None, True),
        ([1, 45, 90], None, False),  # the third is exactly 90 days old: outside the window
        ([1, 2, 91, 120], None, False),
        ([1, 2, 3, 4], 3, False),  # the ban 3 days ago spent the older ones: only 2 count
        ([1, 2, 3, 10, 11], 5, True),  # three after the last ban
        ([-1, 1, 2], None, False),  # a no-show in the future is not counted
    ],
)
def test_the_ban_rule(days_ago: list[int], spent_days_ago: int | None, banned: bool) -> None:
    missed = [NOW - dt.timedelta(days=d) for d in days_ago]
    spent = (
        NOW - dt.timedelta(days=spent_days_ago) + dt.timedelta(minutes=1)
        if spent_days_ago is not None
        else None
    )
    assert ban_due(missed, NOW, RULE, spent) is banned


def test_no_shows_after_the_grace_then_a_ban_that_refuses_booking(hall: Hall) -> None:
    days = ["2026-11-09", "2026-11-10", "2026-11-11"]
    booked_on = ["2026-11-06", *days[:-1]]
    for day, booking_day in zip(days, booked_on, strict=True):
        with at(f"{booking_day} 10:00"):
            booking = book(hall, day, "09:00")
        with at(f"{day} 09:44"):
            assert sweeps.bookings_mark_no_shows() == 0
        with at(f"{day} 09:45"):
            assert sweeps.bookings_mark_no_shows() == 1
        booking.refresh_from_db()
        assert booking.status == Booking.Status.MISSED
    ban = BookingBan.objects.get()
    assert ban.until == dt.date(2026, 12, 11) and ban.no_shows == 3 and not ban.permanent
    assert AuditEntry.objects.filter(action="appointment.missed").count() == 3
    with at("2026-11-12 10:00"), pytest.raises(Conflict) as err:
        book(hall, "2026-11-13")
    assert err.value.code == "booking_banned" and err.value.details["until"] == "2026-12-11"
    assert "2026-12-11" in err.value.message
    # the ban runs out
    with at("2026-12-12 10:00"):
        assert book(hall, "2026-12-14").status == Booking.Status.BOOKED


def test_day_end_turns_unused_bookings_into_no_shows(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        late = book(hall, "2026-11-09", "16:30", n=1)
        used = book(hall, "2026-11-09", "16:30", n=2)
    with at("2026-11-09 16:35"):
        from onewindow.appointments import services

        services.booking_check_in(booking=used, actor=hall.org.user("clerk"))
    with at("2026-11-09 23:59"):
        assert sweeps.bookings_day_end() == 0
    with at("2026-11-10 00:05"):
        assert sweeps.bookings_day_end() == 1
    late.refresh_from_db()
    used.refresh_from_db()
    assert late.status == Booking.Status.MISSED and used.status == Booking.Status.CHECKED_IN


def _ban(hall: Hall) -> BookingBan:
    with at("2026-11-06 10:00"):
        return BookingBan.objects.create(
            id_number=ids(1), name="张三", created_at=NOW, until=dt.date(2026, 12, 10), reason="3"
        )


def test_a_supervisor_lifts_a_ban_audited(hall: Hall) -> None:
    ban = _ban(hall)
    with at("2026-11-10 10:00"):
        with pytest.raises(PermissionDenied):
            bans.ban_lift(ban=ban, actor=hall.org.user("clerk"), reason="误判")
        with pytest.raises(ValidationFailed):
            bans.ban_lift(ban=ban, actor=hall.org.user("supervisor"), reason=" ")
        bans.ban_lift(ban=ban, actor=hall.org.user("supervisor"), reason="系统故障导致未签到")
        with pytest.raises(Conflict):
            bans.ban_lift(ban=ban, actor=hall.org.user("supervisor"), reason="again")
        assert selectors.ban_of(ids(1)) is None
        assert book(hall, "2026-11-11").status == Booking.Status.BOOKED
    entry = AuditEntry.objects.get(action="appointment_ban.lift")
    assert entry.actor_id == hall.org.user("supervisor").pk


def test_an_appeal_granted_lifts_the_ban(hall: Hall) -> None:
    ban = _ban(hall)
    with at("2026-11-10 10:00"):
        with pytest.raises(ValidationFailed):
            bans.appeal_submit(ban=ban, person=hall.person, text="")
        appeal = bans.appeal_submit(ban=ban, person=hall.person, text="那天医院急诊，附病历。")
        with pytest.raises(Conflict):
            bans.appeal_submit(ban=ban, person=hall.person, text="再次申诉")
        assert list(selectors.open_appeals()) == [appeal]
        bans.appeal_decide(appeal=appeal, actor=hall.org.user("supervisor"), grant=True, answer="情况属实")
    appeal.refresh_from_db()
    ban.refresh_from_db()
    assert appeal.status == BanAppeal.Status.GRANTED and ban.lifted_at is not None
    assert ban.lift_reason == "情况属实"


def test_a_rejected_appeal_keeps_the_ban_and_a_permanent_ban(hall: Hall) -> None:
    ban = _ban(hall)
    supervisor = hall.org.user("supervisor")
    with at("2026-11-10 10:00"):
        appeal = bans.appeal_submit(ban=ban, person=hall.person, text="申诉")
        bans.appeal_decide(appeal=appeal, actor=supervisor, grant=False, answer="无证明材料")
        assert selectors.ban_of(ids(1)) == ban
        forever = bans.ban_set_permanent(id_number=ids(2), name="李四", reason="恶意占号", actor=supervisor)
        assert selectors.ban_of(ids(2)) == forever
    with at("2027-06-01 10:00"), pytest.raises(Conflict) as err:
        book(hall, "2027-06-02", n=2)
    assert err.value.details == {"until": None, "permanent": True}


def test_the_reminder_goes_once_the_day_before(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-09", "09:00", n=1)
        book(hall, "2026-11-10", "09:00", n=2)
    with at("2026-11-08 15:59"):
        assert sweeps.bookings_remind() == 0
    with at("2026-11-08 16:00"):
        assert sweeps.bookings_remind() == 1
    with at("2026-11-08 16:30"):
        assert sweeps.bookings_remind() == 0
    sms = OutboxMessage.objects.get(template_code="appointment_reminder")
    assert "2026年11月9日" in sms.body and ids(1) not in sms.body
