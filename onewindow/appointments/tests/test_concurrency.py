"""50 applicants book a slot of capacity 10 at once (threads, each with its own connection):
exactly 10 succeed, 40 get slot_full, the counter row says 10 (on SQLite and PostgreSQL); two
cancellations of the same booking at once free one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.appointments import services
from onewindow.appointments.models import Booking, Slot, SlotRule
from onewindow.appointments.tests.conftest import at, book, ids
from onewindow.core.errors import Conflict
from tests.threads import run_together


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_bookings_fill_ten_places_exactly(hall: Any) -> None:
    SlotRule.objects.filter(business=hall.business).update(capacity=10)
    with at("2026-11-06 10:00"):

        def work(i: int) -> Booking:
            return book(hall, "2026-11-09", "10:00", n=100 + i, person=None, actor=hall.org.user("clerk"))

        results, errors = run_together(50, work)
    assert len(results) == 10, errors[:3]
    assert len(errors) == 40 and {getattr(e, "code", repr(e)) for e in errors} == {"slot_full"}
    slot = Slot.objects.get(business=hall.business, date=dt.date(2026, 11, 9), start=dt.time(10))
    assert (slot.capacity, slot.booked) == (10, 10)
    assert Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).count() == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_and_cancellations(hall: Any) -> None:
    with at("2026-11-06 10:00"):
        # the same ID number in different slots at once: one booking
        results, errors = run_together(
            6, lambda i: book(hall, "2026-11-09", f"{9 + i % 3:02d}:{'00' if i < 3 else '30'}", n=7)
        )
        codes = {e.code for e in errors if isinstance(e, Conflict)}
        assert len(results) == 1 and codes == {"duplicate_booking"}
        assert len(errors) == 5
        assert sum(Slot.objects.values_list("booked", flat=True)) == 1
        booking = results[0]
        results, errors = run_together(
            4, lambda i: services.booking_cancel(booking=booking, person=hall.person)
        )
    assert len(results) == 1 and len(errors) == 3
    assert Slot.objects.get(pk=booking.slot_id).booked == 0
    assert ids(7) == Booking.objects.get().id_number
