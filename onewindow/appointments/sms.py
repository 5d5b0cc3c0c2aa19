"""The applicant's SMS about a booking (notifications outbox; templates in
notifications/defaults.py): names and ID numbers masked, the date in Chinese form."""

from __future__ import annotations

import datetime as dt

from onewindow.appointments.models import Booking, BusinessType
from onewindow.core.masking import mask_id_number, mask_name
from onewindow.notifications.models import OutboxMessage
from onewindow.notifications.services import message_build, message_enqueue, messages_stored

BOOKED = "appointment_booked"
REMINDER = "appointment_reminder"
CANCELLED = "appointment_cancelled"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def context(booking: Booking) -> dict[str, str]:
    business = booking.business
    window = business.preferred_window
    return {
        "center_name": business.center.name,
        "name": mask_name(booking.name),
        "id_number": mask_id_number(booking.id_number),
        "business_name": business.name,
        "date": chinese_date(booking.date),
        "start": f"{booking.slot.start:%H:%M}",
        "end": f"{booking.slot.end:%H:%M}",
        "code": booking.code,
        "window": window.name if window is not None else "",
    }


def prepare(business: BusinessType) -> None:
    """Load what the message shows before the write transaction (its center and window)."""
    _ = business.center, business.preferred_window


def send(template_code: str, booking: Booking) -> None:
    """Enqueue `template_code` for the booking's phone, inside the caller's transaction."""
    message_enqueue(
        template_code=template_code,
        recipient=booking.phone,
        context=context(booking),
        related_type="appointments.booking",
        related_id=str(booking.pk),
    )


def build(template_code: str, booking: Booking) -> OutboxMessage | None:
    """The message for a booking not saved yet, rendered before the write transaction (so the
    rendering does not hold SQLite's write lock); `store` writes it."""
    return message_build(
        template_code=template_code,
        recipient=booking.phone,
        context=context(booking),
        related_type="appointments.booking",
    )


def store(message: OutboxMessage | None, booking: Booking) -> None:
    """Write the message of `build` for the booking just inserted (inside its transaction)."""
    if message is None:
        return
    message.related_id = str(booking.pk)
    message.save(force_insert=True)
    messages_stored()
