"""Booking, the booking window across weekends and holidays, duplicates, full slots, cancelling,
phone bookings and check-in."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.appointments import hooks, schedule, selectors, services
from onewindow.appointments.models import Booking, ExtraSlot, Slot
from onewindow.appointments.tests.conftest import Hall, at, book, ids
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.notifications.models import OutboxMessage

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("today", "extra", "window"),
    [
        # Friday before the 2026 Mid-Autumn holiday: Sunday 20 Sep is an adjusted working day,
        # 25–27 Sep are holidays.
        ("2026-09-18", None, ["2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24"]),
        # an extra service day on Saturday 19 Sep counts as one of the five
        ("2026-09-18", "2026-09-19", ["2026-09-19", "2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23"]),
        # Thursday before the holiday: the window jumps over 25–27 Sep
        ("2026-09-24", None, ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]),
        # an ordinary week: Friday → Monday to Friday
        ("2026-11-06", None, ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"]),
    ],
)
def test_the_booking_window_counts_service_days(
    hall: Hall, today: str, extra: str | None, window: list[str]
) -> None:
    if extra:
        ExtraSlot.objects.create(
            business=hall.business,
            date=D(extra),
            kind=ExtraSlot.Kind.HOLIDAY,
            start=dt.time(9),
            end=dt.time(11),
            slot_minutes=60,
            capacity=3,
        )
    assert schedule.bookable_days(hall.business, D(today)) == [D(d) for d in window]


def test_a_day_has_the_rules_slots_and_its_extra_slots(hall: Hall) -> None:
    ExtraSlot.objects.create(
        business=hall.business, date=D("2026-11-10"), start=dt.time(17, 30), end=dt.time(19), capacity=4
    )
    slots = schedule.planned_slots(hall.business, D("2026-11-10"))
    assert len(slots) == 6 + 7 + 1
    assert (slots[0].start, slots[0].end, slots[0].capacity) == (dt.time(9), dt.time(9, 30), 5)
    assert (slots[-1].start, slots[-1].end, slots[-1].capacity, slots[-1].extra) == (
        dt.time(17, 30),
        dt.time(19),
        4,
        True,
    )
    assert schedule.planned_slots(hall.business, D("2026-11-07")) == []  # Saturday


def test_booking_takes_a_place_sends_the_code_and_is_audited(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        booking = book(hall, "2026-11-09", "09:30", item=hall.item)
    assert booking.status == Booking.Status.BOOKED
    assert booking.code.startswith("A") and len(booking.code) == 8
    assert booking.starts_at.isoformat() == "2026-11-09T09:30:00+08:00"
    slot = Slot.objects.get(business=hall.business, date=D("2026-11-09"), start=dt.time(9, 30))
    assert (slot.capacity, slot.booked) == (5, 1)
    assert Slot.objects.filter(business=hall.business, date=D("2026-11-09")).count() == 13
    sms = OutboxMessage.objects.get(template_code="appointment_booked")
    assert booking.code in sms.body and "张*" in sms.body and ids(1) not in sms.body
    assert "110***" in sms.body and "2026年11月9日09:30至10:00" in sms.body
    entry = AuditEntry.objects.get(action="appointment.book")
    assert ids(1) not in str(entry.after) and entry.object_id == str(booking.pk)
    free = {s.start: s.free for s in selectors.day_slots(hall.business, D("2026-11-09"))}
    assert free[dt.time(9, 30)] == 4 and free[dt.time(9)] == 5


@pytest.mark.parametrize(
    ("day", "start", "field"),
    [
        ("2026-11-06", "14:00", "date"),  # today
        ("2026-11-16", "09:00", "date"),  # the sixth working day
        ("2026-11-07", "09:00", "date"),  # Saturday
        ("2026-11-09", "12:00", "start"),  # the lunch break
        ("2026-11-09", "09:10", "start"),  # not a slot's start
    ],
)
def test_outside_the_window_or_the_slots_is_refused(hall: Hall, day: str, start: str, field: str) -> None:
    with at("2026-11-06 10:00"), pytest.raises(ValidationFailed) as err:
        book(hall, day, start)
    assert field in err.value.details
    assert not Booking.objects.exists() and not Slot.objects.exists()


@pytest.mark.parametrize(
    ("id_number", "name", "phone", "field"),
    [
        ("110101199003071230", "张三", "13800138000", "id_number"),  # wrong check digit
        ("12345", "张三", "13800138000", "id_number"),
        (None, "", "13800138000", "name"),
        (None, "张三", "12345", "phone"),
    ],
)
def test_bad_personal_data_is_refused(
    hall: Hall, id_number: str | None, name: str, phone: str, field: str
) -> None:
    with at("2026-11-06 10:00"), pytest.raises(ValidationFailed) as err:
        book(hall, "2026-11-09", id_number=id_number or ids(1), name=name, phone=phone)
    assert list(err.value.details) == [field]


def test_one_active_booking_per_id_number_and_business(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        first = book(hall, "2026-11-09", "09:00")
        with pytest.raises(Conflict) as err:
            book(hall, "2026-11-10", "10:00")
        assert err.value.code == "duplicate_booking"
        assert not Slot.objects.filter(date=D("2026-11-10"), booked__gt=0).exists()
        services.booking_cancel(booking=first, person=hall.person)
        second = book(hall, "2026-11-10", "10:00")  # once cancelled, a new booking is fine
    assert second.status == Booking.Status.BOOKED


def test_a_full_slot_refuses_the_next(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        for n in range(1, 6):
            book(hall, "2026-11-09", "09:00", n=n)
        with pytest.raises(Conflict) as err:
            book(hall, "2026-11-09", "09:00", n=6)
    assert err.value.code == "slot_full"
    assert Booking.objects.count() == 5
    assert Slot.objects.get(date=D("2026-11-09"), start=dt.time(9)).booked == 5


@pytest.mark.parametrize(
    ("now", "allowed"),
    [("2026-11-08 20:00", True), ("2026-11-09 07:00", True), ("2026-11-09 07:01", False)],
)
def test_cancel_up_to_two_hours_before(hall: Hall, now: str, allowed: bool) -> None:
    with at("2026-11-06 10:00"):
        booking = book(hall, "2026-11-09", "09:00")
    with at(now):
        if allowed:
            services.booking_cancel(booking=booking, person=hall.person)
        else:
            with pytest.raises(Conflict) as err:
                services.booking_cancel(booking=booking, person=hall.person)
            assert err.value.code == "too_late_to_cancel"
    booking.refresh_from_db()
    slot = Slot.objects.get(pk=booking.slot_id)
    assert booking.status == (Booking.Status.CANCELLED if allowed else Booking.Status.BOOKED)
    assert slot.booked == (0 if allowed else 1)
    assert OutboxMessage.objects.filter(template_code="appointment_cancelled").count() == int(allowed)


def test_only_the_applicant_or_staff_cancel(hall: Hall) -> None:
    from tests.applicants import make_person

    with at("2026-11-06 10:00"):
        booking = book(hall, "2026-11-09")
        other = make_person(phone="13900139000", id_number=ids(2))
        with pytest.raises(NotFound):
            services.booking_cancel(booking=booking, person=other)
        with pytest.raises(NotFound):
            services.booking_cancel(booking=booking, actor=hall.org.user("auditor"))
        services.booking_cancel(booking=booking, actor=hall.org.user("clerk"))
        with pytest.raises(Conflict):
            services.booking_cancel(booking=booking, actor=hall.org.user("clerk"))


def test_a_clerk_books_by_phone(hall: Hall) -> None:
    clerk = hall.org.user("clerk")
    with at("2026-11-06 10:00"):
        booking = book(hall, "2026-11-09", person=None, actor=clerk)
        with pytest.raises(PermissionDenied):
            book(hall, "2026-11-09", n=2, person=None, actor=hall.org.user("auditor"))
        with pytest.raises(PermissionDenied):
            book(hall, "2026-11-09", n=3, person=None)
    assert booking.channel == Booking.Channel.PHONE and booking.booked_by == clerk


def test_check_in_on_the_day_calls_the_hooks(hall: Hall) -> None:
    clerk = hall.org.user("clerk")
    seen: list[tuple[str, str]] = []

    def hook(booking: Booking, actor: object) -> None:
        seen.append((booking.code, booking.status))

    hooks.register_checked_in(hook)
    try:
        with at("2026-11-06 10:00"):
            booking = book(hall, "2026-11-09")
            with pytest.raises(ValidationFailed) as err:
                services.booking_check_in(booking=booking, actor=clerk)
            assert err.value.code == "not_today"
        with at("2026-11-09 08:50"):
            found = selectors.booking_find(hall.org.center.pk, booking.code.lower())
            assert found == [booking] and selectors.booking_find(hall.org.center.pk, ids(1)) == [booking]
            with pytest.raises(PermissionDenied):
                services.booking_check_in(booking=booking, actor=hall.org.user("auditor"))
            services.booking_check_in(booking=booking, actor=clerk)
            with pytest.raises(Conflict):
                services.booking_check_in(booking=booking, actor=clerk)
    finally:
        hooks.unregister_checked_in(hook)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN and booking.checked_in_by == clerk
    assert seen == [(booking.code, Booking.Status.CHECKED_IN)]


def test_an_item_must_belong_to_the_business(hall: Hall) -> None:
    from tests.factories import make_item

    other = make_item(hall.org, code="SC200").item
    with at("2026-11-06 10:00"), pytest.raises(ValidationFailed) as err:
        book(hall, "2026-11-09", item=other)
    assert "item" in err.value.details
    assert selectors.business_for_item(hall.item.pk) == hall.business
