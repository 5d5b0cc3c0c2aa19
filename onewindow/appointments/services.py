"""Writing bookings: book, cancel, check in. Each call is one transaction, audited.

Capacity is never exceeded: the slot's counter row is incremented by a conditional UPDATE
(`booked < capacity`) inside the booking's transaction; no row updated → 409 slot_full. One
active booking per ID number and business type is a partial unique constraint (409
duplicate_booking). Lock order everywhere: the slot row, then the booking row, then the audit
chain's head.

The ban rule, the bans and the appeals are in `bans`; the no-show sweeps and reminders in
`sweeps`; the calendar's administration in `setup`.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.appointments import hooks, plans, schedule, sms
from onewindow.appointments.bans import active_ban
from onewindow.appointments.models import Booking, BusinessType, Slot
from onewindow.cases.applicants import is_valid_mobile, is_valid_resident_id, normalise_phone
from onewindow.catalog.models import ServiceItem
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_name, mask_phone
from onewindow.identity.models import Person
from onewindow.notifications.models import OutboxMessage
from onewindow.org.models import User

CHECK_IN = "appointments.check_in_booking"
BOOK_FOR_APPLICANT = "appointments.book_for_applicant"

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_code(business: BusinessType) -> str:
    """The appointment code: the business letter and 7 random characters (no 0/O, 1/I)."""
    return business.letter + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(7))


def _has(actor: User, perm: str) -> bool:
    has_perm = getattr(actor, "has_perm", None)
    return bool(has_perm and has_perm(perm))


def _require(actor: User, perm: str, center_id: int) -> None:
    if not _has(actor, perm):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": perm})
    actor_center = getattr(actor, "center_id", None)
    if actor_center is not None and actor_center != center_id:
        raise PermissionDenied(_("This appointment belongs to another service center."))


def clean_person(id_number: str, name: str, phone: str) -> dict[str, str]:
    """The booking's person, normalised; ValidationFailed with details by field."""
    id_number = (id_number or "").strip().upper()
    name = (name or "").strip()
    phone = normalise_phone((phone or "").strip())
    errors: dict[str, list[str]] = {}
    if not is_valid_resident_id(id_number):
        errors["id_number"] = [_("Enter a valid 18-character resident ID number.")]
    if not name or len(name) > 100:
        errors["name"] = [_("Enter the name (at most 100 characters).")]
    if not is_valid_mobile(phone):
        errors["phone"] = [_("Enter a valid mobile phone number.")]
    if errors:
        raise ValidationFailed(_("Check the appointment."), details=errors)
    return {"id_number": id_number, "name": name, "phone": phone}


def _check_item(business: BusinessType, item: ServiceItem | None, today: dt.date) -> None:
    if item is None:
        return
    version = item.published_version
    if (
        version is None
        or not version.appointment_allowed
        or item.pk not in plans.booking_data(business, today).item_ids
    ):
        raise ValidationFailed(
            _("This item cannot be booked with this business type."),
            details={"item": [_("Choose an item of the business type that takes appointments.")]},
        )


def _ensure_day(business: BusinessType, day: dt.date, planned: list[schedule.PlannedSlot]) -> None:
    """The day's counter rows (an existing row is left as it is)."""
    Slot.objects.bulk_create(
        [
            Slot(business=business, date=day, start=p.start, end=p.end, capacity=p.capacity, extra=p.extra)
            for p in planned
        ],
        ignore_conflicts=True,
    )


def _active_conflicts(business: BusinessType, id_number: str, today: dt.date) -> None:
    ban = active_ban(id_number, today)
    if ban is not None:
        if ban.permanent:
            message = _("Booking is not available to this ID number.")
        else:
            assert ban.until is not None
            message = _("Booking is not available to this ID number until %(until)s.") % {
                "until": ban.until.isoformat()
            }
        raise Conflict(
            message,
            code="booking_banned",
            details={"until": ban.until.isoformat() if ban.until else None, "permanent": ban.permanent},
        )


def _refuse_duplicate(business: BusinessType, id_number: str) -> None:
    """409 duplicate_booking when the ID number has an active booking of the business type.
    Asked only after a refused write: the partial unique constraint is the rule."""
    if Booking.objects.filter(business=business, id_number=id_number, status=Booking.Status.BOOKED).exists():
        raise Conflict(
            _("This ID number already has an appointment for this business type."),
            code="duplicate_booking",
        )


def booking_create(
    *,
    business: BusinessType,
    day: dt.date,
    start: dt.time,
    id_number: str,
    name: str,
    phone: str,
    item: ServiceItem | None = None,
    person: Person | None = None,
    actor: User | None = None,
) -> Booking:
    """Book the slot of `business` starting at `start` on `day` for the person `id_number`.

    `person` (identity.Person) books online for themselves or another; `actor` (org.User with
    appointments.book_for_applicant) takes a booking by phone at the center. 422 for bad input
    or a day outside the booking window, 409 slot_full / duplicate_booking / booking_banned.
    """
    if actor is not None:
        _require(actor, BOOK_FOR_APPLICANT, business.center_id)
    elif person is None:
        raise PermissionDenied(_("Sign in first."), code="not_signed_in")
    data = clean_person(id_number, name, phone)
    if not business.active or not business.bookable:
        raise ValidationFailed(
            _("This business type takes no appointments."),
            details={"business": [_("Choose a business type that takes appointments.")]},
        )
    today = clock.today()
    _check_item(business, item, today)
    planned = schedule.booking_plan(business, day, today)
    if planned is None:
        raise ValidationFailed(
            _("Appointments can be made from %(first)d to %(last)d working days ahead.")
            % {"first": settings.APPOINTMENT_BOOK_MIN_DAYS, "last": settings.APPOINTMENT_BOOK_MAX_DAYS},
            code="outside_booking_window",
            details={"date": [_("Choose a day in the booking window.")]},
        )
    chosen = next((p for p in planned if p.start == start), None)
    if chosen is None:
        raise ValidationFailed(
            _("There is no slot at this time."), details={"start": [_("Choose one of the day's slots.")]}
        )
    # Reads before the write transaction (it holds SQLite's write lock and, on PostgreSQL, the
    # slot's row): the ban and the counter row (made once per day in its own short transaction,
    # its id then kept per process: plans.py). The duplicate is not asked here: the partial
    # unique constraint refuses it in the write, which is then rolled back and answered below.
    _active_conflicts(business, data["id_number"], today)
    sms.prepare(business)
    for _attempt in range(3):
        slot = _slot_row(business, day, start, planned)
        booking = _new_booking(business, slot, item, data, person, actor)
        message = sms.build(sms.BOOKED, booking)
        try:
            return _book(booking, message, person, actor)
        except _NotTaken:
            if Slot.objects.filter(pk=slot.pk).exists():
                _refuse_duplicate(business, data["id_number"])  # a duplicate's answer comes first
                raise Conflict(
                    _("This slot is fully booked. Choose another one."), code="slot_full"
                ) from None
            plans.forget_slot(business, day, start)  # deleted meanwhile: read it again
        except IntegrityError:
            # the partial unique constraint (a concurrent booking of the same ID number), or
            # the rare collision of two random codes: tell which, and retry the latter
            _refuse_duplicate(business, data["id_number"])
    raise Conflict(_("Please try again."))  # pragma: no cover - three code collisions in a row


class _NotTaken(Exception):
    """The conditional UPDATE of the counter row changed no row (the write is rolled back)."""


def _slot_row(
    business: BusinessType, day: dt.date, start: dt.time, planned: list[schedule.PlannedSlot]
) -> Slot:
    slot = plans.cached_slot(business, day, start)
    if slot is not None:
        return slot
    slot = Slot.objects.filter(business=business, date=day, start=start).first()
    if slot is None:
        with transaction.atomic():
            _ensure_day(business, day, planned)
        slot = Slot.objects.get(business=business, date=day, start=start)
    plans.keep_slot(business, slot)
    return slot


def _new_booking(
    business: BusinessType,
    slot: Slot,
    item: ServiceItem | None,
    data: dict[str, str],
    person: Person | None,
    actor: User | None,
) -> Booking:
    return Booking(
        code=new_code(business),
        business=business,
        slot=slot,
        item=item,
        date=slot.date,
        starts_at=schedule.moment(slot.date, slot.start),
        ends_at=schedule.moment(slot.date, slot.end),
        person=person,
        booked_by=actor,
        channel=Booking.Channel.PHONE if actor is not None else Booking.Channel.ONLINE,
        booked_at=clock.now(),
        **data,
    )


@transaction.atomic
def _book(
    booking: Booking, message: OutboxMessage | None, person: Person | None, actor: User | None
) -> Booking:
    """The write of a booking built beforehand: take a place (conditional UPDATE), insert the
    booking and its SMS, audit (last: the audit chain's head is locked from there to the
    COMMIT). Only statements run here (it holds SQLite's write lock)."""
    taken = Slot.objects.filter(pk=booking.slot_id, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise _NotTaken  # full, or the kept row is gone: told apart after the rollback
    booking.save(force_insert=True)
    sms.store(message, booking)
    audit.record(
        action="appointment.book",
        obj=booking,
        actor=actor,
        after={
            "business": booking.business.letter,
            "date": booking.date,
            "start": booking.slot.start,
            "id_number": mask_id_number(booking.id_number),
            "name": mask_name(booking.name),
            "phone": mask_phone(booking.phone),
            "channel": booking.channel,
            "person": getattr(person, "pk", None),
        },
    )
    return booking


def may_manage(booking: Booking, person: Person | None, actor: User | None) -> bool:
    """The applicant who booked it, or staff of its center who book for applicants."""
    if actor is not None:
        actor_center = getattr(actor, "center_id", None)
        return _has(actor, BOOK_FOR_APPLICANT) and actor_center in (None, booking.business.center_id)
    return person is not None and booking.person_id == getattr(person, "pk", None)


def booking_cancel(*, booking: Booking, person: Person | None = None, actor: User | None = None) -> Booking:
    """Cancel a booking up to APPOINTMENT_CANCEL_HOURS before its start (409 too_late_to_cancel);
    the slot's place is freed."""
    if not may_manage(booking, person, actor):
        raise NotFound(_("There is no such appointment."))
    now = clock.now()
    if booking.status != Booking.Status.BOOKED:
        raise Conflict(_("This appointment is no longer active."), code="not_active")
    if now > booking.starts_at - dt.timedelta(hours=settings.APPOINTMENT_CANCEL_HOURS):
        raise Conflict(
            _("Appointments can be cancelled up to %(hours)d hours before they start.")
            % {"hours": settings.APPOINTMENT_CANCEL_HOURS},
            code="too_late_to_cancel",
        )
    with transaction.atomic():
        # The slot row first (the lock order of booking), then the booking's.
        Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED, cancelled_at=now
        )
        if not changed:
            raise Conflict(_("This appointment is no longer active."), code="not_active")
        booking.refresh_from_db()
        audit.record(
            action="appointment.cancel",
            obj=booking,
            actor=actor,
            before={"status": Booking.Status.BOOKED},
            after={"status": booking.status, "person": getattr(person, "pk", None)},
        )
        sms.send(sms.CANCELLED, booking)
    return booking


def booking_check_in(*, booking: Booking, actor: User) -> Booking:
    """A clerk checks the applicant in on the day of the booking (before the no-show sweep has
    marked it missed). The hooks (`hooks.register_checked_in`) run in the same transaction."""
    _require(actor, CHECK_IN, booking.business.center_id)
    if booking.status != Booking.Status.BOOKED:
        raise Conflict(
            _("This appointment is %(status)s and cannot be checked in.")
            % {"status": booking.get_status_display()},
            code="not_active",
        )
    if booking.date != clock.today():
        raise ValidationFailed(
            _("This appointment is for %(date)s, not today.") % {"date": booking.date.isoformat()},
            code="not_today",
            details={"date": [_("Check in on the day of the appointment.")]},
        )
    now = clock.now()
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CHECKED_IN, checked_in_at=now, checked_in_by=actor
        )
        if not changed:
            raise Conflict(_("This appointment is no longer active."), code="not_active")
        booking.refresh_from_db()
        audit.record(
            action="appointment.check_in",
            obj=booking,
            actor=actor,
            before={"status": Booking.Status.BOOKED},
            after={"status": booking.status},
        )
        hooks.checked_in(booking, actor)  # type: ignore[arg-type]
    return booking
