"""Appointments API (预约办理, issue 14 §3).

Public (under /api/v1/public/appointments):

GET    /businesses                 the business types that take appointments (?center=CODE)
GET    /slots?business=&date=      the day's slots: start, end, capacity, free
POST   ""                          book {"business","date","start","id_number","name","phone",
                                   optional "item"} → 201 with the code; an applicant's token
                                   (owa_…) or a staff token (appointments.book_for_applicant,
                                   a booking taken by phone)
DELETE /{code}                     cancel one's own booking (staff: any of their center)
GET    /mine                       the applicant's bookings (an applicant's token)

Staff (token, under /api/v1/):

GET    /appointments?date=&business=    a day's bookings of the caller's center (masked)
POST   /appointments/{code}/check-in    check in (appointments.check_in_booking)

Errors are JSON {"code","message","details"}: 401 not_authenticated, 403 permission_denied,
404 not_found, 409 slot_full / duplicate_booking / booking_banned (details.until) /
too_late_to_cancel / not_active, 422 validation_failed (details by field; outside the booking
window: code outside_booking_window).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Answer
from pydantic import Field

from onewindow.api.applicant_auth import applicant_bearer
from onewindow.api.case_schemas import ErrorOut
from onewindow.api.security import bearer
from onewindow.appointments import selectors, services
from onewindow.appointments.models import Booking
from onewindow.catalog.models import ServiceItem
from onewindow.core import clock
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_name, mask_phone
from onewindow.identity.sessions import Applicant
from onewindow.org.models import Center

public_router = Router(auth=None)
router = Router(auth=bearer)

MAX_INT = 2**31 - 1
_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Code = Annotated[str, Field(min_length=1, max_length=16)]


class ItemRefOut(Schema):
    code: str
    name: str


class BusinessOut(Schema):
    id: int
    center: str = Field(description="the center's code")
    center_name: str
    letter: str = Field(description="the letter code (A–Z), also the hall's queue prefix")
    name: str
    items: list[ItemRefOut]
    windows: list[str]
    preferred_window: str | None


class SlotOut(Schema):
    start: str = Field(examples=["09:00"])
    end: str = Field(examples=["09:30"])
    capacity: int
    free: int
    extra: bool = Field(description="an extra slot (after hours, or on a non-working day)")


class SlotQuery(Schema):
    business: int = Field(ge=1, le=MAX_INT)
    date: dt.date


class BusinessQuery(Schema):
    center: str | None = Field(None, max_length=20)


class BookingIn(Schema):
    business: int = Field(ge=1, le=MAX_INT)
    date: dt.date
    start: str = Field(max_length=5, pattern=r"^\d{2}:\d{2}$", examples=["09:00"])
    id_number: str = Field(max_length=40)
    name: str = Field(max_length=100)
    phone: str = Field(max_length=20)
    item: str | None = Field(None, max_length=40, description="an item code of the business type")


class BookingOut(Schema):
    code: str
    business: int
    business_letter: str
    business_name: str
    date: dt.date
    start: str
    end: str
    status: str
    channel: str
    id_number: str = Field(description="masked")
    name: str = Field(description="masked")
    phone: str = Field(description="masked")
    item: str | None


class DayQuery(Schema):
    date: dt.date | None = None
    business: int | None = Field(None, ge=1, le=MAX_INT)


def _business_out(business: Any) -> dict[str, Any]:
    items = []
    for item in business.items.select_related("published_version"):
        version = item.published_version
        if version is not None and version.appointment_allowed:
            items.append({"code": item.code, "name": version.name})
    window = business.preferred_window
    return {
        "id": business.pk,
        "center": business.center.code,
        "center_name": business.center.name,
        "letter": business.letter,
        "name": business.name,
        "items": items,
        "windows": [w.code for w in business.windows.all()],
        "preferred_window": window.code if window is not None else None,
    }


def booking_out(booking: Booking) -> dict[str, Any]:
    return {
        "code": booking.code,
        "business": booking.business_id,
        "business_letter": booking.business.letter,
        "business_name": booking.business.name,
        "date": booking.date,
        "start": f"{booking.slot.start:%H:%M}",
        "end": f"{booking.slot.end:%H:%M}",
        "status": booking.status,
        "channel": booking.channel,
        "id_number": mask_id_number(booking.id_number),
        "name": mask_name(booking.name),
        "phone": mask_phone(booking.phone),
        "item": booking.item.code if booking.item_id and booking.item else None,
    }


def _who(request: HttpRequest) -> tuple[Any, Any]:
    """(person, staff user) of the caller."""
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, Applicant):
        return auth.person, None
    return None, auth


def _time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            _("Check the appointment."), details={"start": [_("A time such as 09:00.")]}
        ) from None


# --- public -----------------------------------------------------------------------------------


@public_router.get("/businesses", response={200: list[BusinessOut], 404: ErrorOut, 422: ErrorOut})
def businesses(request: HttpRequest, filters: Query[BusinessQuery]) -> list[dict[str, Any]]:
    """The business types that take appointments (of one center with `?center=CODE`)."""
    center_id = None
    if filters.center:
        center = Center.objects.filter(code=filters.center.strip().upper()).first()
        if center is None:
            raise NotFound(_("There is no such service center."))
        center_id = center.pk
    qs = selectors.businesses(center_id).select_related("preferred_window").prefetch_related("windows")
    return [_business_out(b) for b in qs]


@public_router.get("/slots", response={200: list[SlotOut], 404: ErrorOut, 422: ErrorOut})
def slots(request: HttpRequest, filters: Query[SlotQuery]) -> list[dict[str, Any]]:
    """The slots of a business type on a day, with their free places."""
    business = selectors.business(filters.business)
    return [
        {
            "start": f"{s.start:%H:%M}",
            "end": f"{s.end:%H:%M}",
            "capacity": s.capacity,
            "free": s.free,
            "extra": s.extra,
        }
        for s in selectors.day_slots(business, filters.date)
    ]


@public_router.post(
    "",
    auth=[applicant_bearer, bearer],
    response={201: BookingOut, 409: ErrorOut, **_ERRORS},
)
def book(request: HttpRequest, payload: BookingIn) -> Answer[dict[str, Any]]:
    """Book a slot: 201 with the appointment code; 409 slot_full, duplicate_booking (one active
    booking per ID number and business type), booking_banned (details.until); 422 for bad input
    or a day outside the booking window (1 to 5 working days ahead)."""
    person, user = _who(request)
    business = selectors.business(payload.business)
    item = None
    if payload.item:
        item = ServiceItem.objects.filter(center_id=business.center_id, code=payload.item.strip()).first()
        if item is None:
            raise ValidationFailed(
                _("This item cannot be booked with this business type."),
                details={"item": [_("Unknown item.")]},
            )
    booking = services.booking_create(
        business=business,
        day=payload.date,
        start=_time(payload.start),
        id_number=payload.id_number,
        name=payload.name,
        phone=payload.phone,
        item=item,
        person=person,
        actor=user,
    )
    return Answer(201, booking_out(booking))


@public_router.get("/mine", auth=applicant_bearer, response={200: list[BookingOut], 401: ErrorOut})
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    """The signed-in applicant's bookings, the latest first."""
    person, _user = _who(request)
    return [booking_out(b) for b in selectors.bookings_of_person(person.pk)[:100]]


@public_router.delete(
    "/{code}", auth=[applicant_bearer, bearer], response={200: BookingOut, 409: ErrorOut, **_ERRORS}
)
def cancel(request: HttpRequest, code: Code) -> dict[str, Any]:
    """Cancel a booking up to 2 hours before it starts (409 too_late_to_cancel); an applicant
    their own, staff (appointments.book_for_applicant) any of their center's."""
    person, user = _who(request)
    booking = selectors.booking_by_code(code)
    booking = services.booking_cancel(booking=booking, person=person, actor=user)
    return booking_out(booking)


# --- staff ------------------------------------------------------------------------------------


@router.get("/appointments", response={200: list[BookingOut], **_ERRORS})
def day_bookings(request: HttpRequest, filters: Query[DayQuery]) -> list[dict[str, Any]]:
    """A day's bookings of the caller's center (default today), masked."""
    user = request.auth  # type: ignore[attr-defined]
    if not user.has_perm(services.CHECK_IN) or user.center_id is None:
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": services.CHECK_IN})
    day = filters.date or clock.today()
    return [booking_out(b) for b in selectors.bookings_of_day(user.center_id, day, filters.business)[:2000]]


@router.post("/appointments/{code}/check-in", response={200: BookingOut, 409: ErrorOut, **_ERRORS})
def check_in(request: HttpRequest, code: Code) -> dict[str, Any]:
    """Check the applicant in at the center (appointments.check_in_booking), on the day."""
    user = request.auth  # type: ignore[attr-defined]
    if not user.has_perm(services.CHECK_IN):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": services.CHECK_IN})
    booking = selectors.booking_by_code(code)
    if user.center_id is not None and booking.business.center_id != user.center_id:
        raise NotFound(_("There is no such appointment."))
    return booking_out(services.booking_check_in(booking=booking, actor=user))
