"""The per-process copy of a business type's booking data (plans.py) and of its counter rows:
every change of the rules, extra slots or items moves the business type's revision, so the next
booking reads the new plan, even through a business type row read before the change elsewhere;
a counter row deleted meanwhile is read again."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.appointments import plans, schedule, selectors, services
from onewindow.appointments.models import Booking, BusinessType, ExtraSlot, Slot, SlotRule
from onewindow.appointments.tests.conftest import Hall, at, book
from onewindow.core.errors import Conflict, ValidationFailed

D = dt.date.fromisoformat


def fresh(hall: Hall) -> BusinessType:
    """The business type as the API reads it for each booking."""
    return selectors.business(hall.business.pk)


def revision(hall: Hall) -> int:
    return BusinessType.objects.get(pk=hall.business.pk).revision


def test_an_extra_slot_added_is_bookable_at_once(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-10", "09:00", business=fresh(hall))  # the copy is made
        before = revision(hall)
        ExtraSlot.objects.create(
            business=BusinessType.objects.get(pk=hall.business.pk),  # another instance
            date=D("2026-11-10"),
            start=dt.time(17, 30),
            end=dt.time(18),
            capacity=2,
        )
        assert revision(hall) == before + 1
        booking = book(hall, "2026-11-10", "17:30", n=2, business=fresh(hall))
    assert Slot.objects.get(pk=booking.slot_id).capacity == 2


def test_a_rule_deleted_or_changed_is_followed_at_once(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-10", "09:00", business=fresh(hall))
        SlotRule.objects.get(business=hall.business, start=dt.time(13, 30)).delete()
        with pytest.raises(ValidationFailed) as err:
            book(hall, "2026-11-10", "13:30", n=2, business=fresh(hall))
        assert "start" in err.value.details
        rule = SlotRule.objects.get(business=hall.business, start=dt.time(9))
        rule.weekdays = "2345"  # no longer on Mondays
        rule.save()
        with pytest.raises(ValidationFailed):
            book(hall, "2026-11-09", "09:00", n=3, business=fresh(hall))


def test_the_instance_at_hand_follows_its_own_changes(hall: Hall) -> None:
    """Code that keeps a business type and changes its rules through it books by the new plan."""
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-10", "09:00")
        ExtraSlot.objects.create(
            business=hall.business, date=D("2026-11-10"), start=dt.time(17, 30), end=dt.time(18), capacity=1
        )
        assert hall.business.revision == revision(hall)
        assert book(hall, "2026-11-10", "17:30", n=2).status == Booking.Status.BOOKED


def test_an_item_removed_can_no_longer_be_booked(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-10", "09:00", item=hall.item, business=fresh(hall))
        before = revision(hall)
        BusinessType.objects.get(pk=hall.business.pk).items.remove(hall.item)
        assert revision(hall) == before + 1
        with pytest.raises(ValidationFailed) as err:
            book(hall, "2026-11-10", "09:30", n=2, item=hall.item, business=fresh(hall))
    assert "item" in err.value.details


def test_a_counter_row_deleted_meanwhile_is_made_again(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        business = fresh(hall)
        planned = schedule.booking_plan(business, D("2026-11-10"), D("2026-11-06"))
        assert planned is not None
        kept = services._slot_row(business, D("2026-11-10"), dt.time(9), planned)
        assert plans.cached_slot(business, D("2026-11-10"), dt.time(9)) is not None
        Slot.objects.filter(business=hall.business).delete()  # no bookings yet: a hand deletion
        booking = book(hall, "2026-11-10", "09:00", business=business)
    slot = Slot.objects.get(business=hall.business, date=D("2026-11-10"), start=dt.time(9))
    assert slot.pk != kept.pk and booking.slot_id == slot.pk and slot.booked == 1


def test_a_duplicate_into_a_full_slot_is_told_as_a_duplicate(hall: Hall) -> None:
    """The duplicate is no longer asked before the write; its answer still comes first."""
    with at("2026-11-06 10:00"):
        for n in range(1, 6):
            book(hall, "2026-11-09", "09:00", n=n)
        with pytest.raises(Conflict) as err:
            book(hall, "2026-11-09", "09:00", n=1)
        assert err.value.code == "duplicate_booking"
        with pytest.raises(Conflict) as err:
            book(hall, "2026-11-10", "09:00", n=1)  # a free slot: refused by the constraint
        assert err.value.code == "duplicate_booking"
    assert Slot.objects.get(date=D("2026-11-10"), start=dt.time(9)).booked == 0
    assert Booking.objects.count() == 5


def test_forget_empties_the_copies(hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-10", "09:00", n=1, business=fresh(hall))
    assert plans.cached_slot(fresh(hall), D("2026-11-10"), dt.time(9)) is not None
    plans.forget()
    assert plans.cached_slot(fresh(hall), D("2026-11-10"), dt.time(9)) is None
