"""Reading appointments: business types, a day's slots with their free places, bookings of an
applicant or of a day, bans and appeals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.appointments import schedule
from onewindow.appointments.bans import active_ban
from onewindow.appointments.models import BanAppeal, Booking, BookingBan, BusinessType, Slot
from onewindow.core import clock
from onewindow.core.errors import NotFound


@dataclass(frozen=True)
class SlotView:
    start: dt.time
    end: dt.time
    capacity: int
    free: int
    extra: bool


@dataclass(frozen=True)
class DayView:
    date: dt.date
    free: int
    slots: list[SlotView]


def businesses(center_id: int | None = None) -> QuerySet[BusinessType]:
    """Active business types that take appointments (of one center when given)."""
    qs = BusinessType.objects.filter(active=True, bookable=True).select_related("center", "preferred_window")
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    return qs.order_by("center__code", "letter")


def business(pk: int) -> BusinessType:
    """An active, bookable business type with its center and preferred window (`get`: no
    ORDER BY to build, a booking's cheapest way to its row)."""
    try:
        return BusinessType.objects.select_related("center", "preferred_window").get(
            pk=pk, active=True, bookable=True
        )
    except BusinessType.DoesNotExist:
        raise NotFound(_("There is no such business type.")) from None


def business_for_item(item_id: int) -> BusinessType | None:
    """The business type an item's bookings belong to."""
    return businesses().filter(items__id=item_id).first()


def day_slots(business: BusinessType, day: dt.date) -> list[SlotView]:
    """The day's planned slots with their free places (from the counter rows, where made)."""
    rows = {s.start: s for s in Slot.objects.filter(business=business, date=day)}
    out = []
    for p in schedule.planned_slots(business, day):
        row = rows.get(p.start)
        capacity = row.capacity if row is not None else p.capacity
        booked = row.booked if row is not None else 0
        out.append(SlotView(p.start, p.end, capacity, max(0, capacity - booked), p.extra))
    return out


def bookable_days(business: BusinessType) -> list[DayView]:
    """The days of the booking window, each with its slots and free places."""
    days = []
    for day in schedule.bookable_days(business):
        slots = day_slots(business, day)
        days.append(DayView(day, sum(s.free for s in slots), slots))
    return days


def bookings_of_person(person_id: int) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(person_id=person_id)
        .select_related("business", "slot", "business__center")
        .order_by("-starts_at")
    )


def bookings_of_day(center_id: int, day: dt.date, business_id: int | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(business__center_id=center_id, date=day).select_related("business", "slot")
    if business_id:
        qs = qs.filter(business_id=business_id)
    return qs.order_by("business__letter", "starts_at", "id")


def booking_find(center_id: int, query: str) -> list[Booking]:
    """Bookings of a center by appointment code or ID number (the latest first)."""
    query = (query or "").strip().upper()
    if not query:
        return []
    return list(
        Booking.objects.filter(business__center_id=center_id)
        .filter(Q(code=query) | Q(id_number=query))
        .select_related("business", "slot")
        .order_by("-starts_at")[:20]
    )


def booking_by_code(code: str) -> Booking:
    found = (
        Booking.objects.select_related("business", "slot", "business__center")
        .filter(code=(code or "").strip().upper()[:16])
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such appointment."))
    return found


def ban_of(id_number: str) -> BookingBan | None:
    return active_ban(id_number, clock.today()) if id_number else None


def bans_in_force() -> QuerySet[BookingBan]:
    today = clock.today()
    return BookingBan.objects.filter(lifted_at__isnull=True).filter(Q(permanent=True) | Q(until__gte=today))


def open_appeals() -> QuerySet[BanAppeal]:
    return BanAppeal.objects.filter(status=BanAppeal.Status.OPEN).select_related("ban")


def appeals_of_ban(ban: BookingBan) -> QuerySet[BanAppeal]:
    return BanAppeal.objects.filter(ban=ban).order_by("-submitted_at")
