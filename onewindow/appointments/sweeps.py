"""The periodic jobs' work: no-shows (a booking not checked in by its slot's end +
APPOINTMENT_NO_SHOW_GRACE_MINUTES; at day end every unused booking of the day), the bans they
call for, and the reminder the day before (once per booking)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from onewindow.appointments import sms
from onewindow.appointments.bans import ban_evaluate
from onewindow.appointments.models import Booking
from onewindow.core import audit, clock

# Reminders go out from this local hour on the day before the appointment.
REMINDER_HOUR = getattr(settings, "APPOINTMENT_REMINDER_HOUR", 16)


def _mark_missed(candidates: QuerySet[Booking], now: dt.datetime) -> int:
    count = 0
    for booking in candidates.order_by("id")[:5000]:
        with transaction.atomic():
            changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
                status=Booking.Status.MISSED, missed_at=now
            )
            if not changed:
                continue  # checked in or cancelled meanwhile
            audit.record(
                action="appointment.missed",
                obj=booking,
                actor=None,
                before={"status": Booking.Status.BOOKED},
                after={"status": Booking.Status.MISSED},
            )
            ban_evaluate(id_number=booking.id_number, name=booking.name, now=now)
            count += 1
    return count


def bookings_mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """Bookings still booked APPOINTMENT_NO_SHOW_GRACE_MINUTES after their slot's end become
    no-shows (missed). Answers how many."""
    now = now or clock.now()
    grace = dt.timedelta(minutes=settings.APPOINTMENT_NO_SHOW_GRACE_MINUTES)
    return _mark_missed(Booking.objects.filter(status=Booking.Status.BOOKED, ends_at__lte=now - grace), now)


def bookings_day_end(*, now: dt.datetime | None = None) -> int:
    """Day end: every booking of an earlier day (local) still unused becomes a no-show."""
    now = now or clock.now()
    today = clock.local(now).date()
    return _mark_missed(Booking.objects.filter(status=Booking.Status.BOOKED, date__lt=today), now)


def bookings_remind(*, now: dt.datetime | None = None) -> int:
    """From REMINDER_HOUR (local) on the day before: one SMS per booking of tomorrow."""
    now = now or clock.now()
    local = clock.local(now)
    if local.hour < REMINDER_HOUR:
        return 0
    tomorrow = local.date() + dt.timedelta(days=1)
    count = 0
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED, date=tomorrow, reminded_at__isnull=True
    ).select_related("business__center", "business__preferred_window", "slot")
    for booking in due.order_by("id")[:5000]:
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            sms.send(sms.REMINDER, booking)
            count += 1
    return count
