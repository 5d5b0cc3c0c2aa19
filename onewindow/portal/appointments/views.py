"""Booking a visit on the portal (预约办理), mobile first.

business types (or an item's "预约办理" button) → the next bookable days with their free places
and slots → confirm (ID number, name, phone prefilled from the account) → the confirmation page
with the code; "my bookings" with cancel; a banned applicant sees until when and can appeal.
Seeing the days needs no account; booking does (signed out → the sign-in page with ?next=).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.appointments import bans, selectors, services
from onewindow.appointments.models import Booking, BusinessType
from onewindow.catalog.models import ServiceItem
from onewindow.core.errors import DomainError, NotFound
from onewindow.identity.sessions import Applicant, current_applicant
from onewindow.org.models import Center
from onewindow.portal.views.base import guide_page, guide_render

NAV = {"nav_active": "appointments"}


def _signin_url(request: HttpRequest) -> str | None:
    try:
        base = reverse("portal:signin")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'next': request.get_full_path()})}"


def _needs_signin(request: HttpRequest, center: Center) -> HttpResponse:
    url = _signin_url(request)
    if url is not None:
        return HttpResponseRedirect(url)
    return guide_render(
        request,
        "portal/appointments/signin_needed.html",
        center,
        {**NAV, "message": _("Sign in to book an appointment.")},
        status=403,
    )


def _business(center: Center, pk: int) -> BusinessType:
    business = selectors.businesses(center.pk).filter(pk=pk).first()
    if business is None:
        raise NotFound(_("There is no such business type."))
    return business


def _item(business: BusinessType, code: str) -> ServiceItem | None:
    if not code:
        return None
    return business.items.select_related("published_version").filter(code=code[:40]).first()


def _ban_context(applicant: Applicant | None) -> dict[str, Any]:
    if applicant is None or not applicant.person.id_number:
        return {"ban": None}
    ban = selectors.ban_of(applicant.person.id_number)
    appeals = list(selectors.appeals_of_ban(ban)[:5]) if ban is not None else []
    return {"ban": ban, "appeals": appeals, "appeal_open": any(a.status == "open" for a in appeals)}


@guide_page
def index(request: HttpRequest, center: Center) -> HttpResponse:
    """The business types that take appointments, and the applicant's ban if any."""
    applicant = current_applicant(request)
    context = {
        **NAV,
        "businesses": list(selectors.businesses(center.pk)),
        "applicant": applicant,
        **_ban_context(applicant),
    }
    return guide_render(request, "portal/appointments/index.html", center, context)


@guide_page
def for_item(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    """From an item's page: the item's business type, with the item carried along."""
    item = (
        ServiceItem.objects.filter(center=center, code=code[:40]).select_related("published_version").first()
    )
    version = item.published_version if item is not None else None
    business = selectors.business_for_item(item.pk) if item is not None else None
    if (
        version is None
        or not version.appointment_allowed
        or business is None
        or business.center_id != center.pk
    ):
        raise NotFound(_("This item takes no appointments online."))
    url = reverse("portal:appointment_days", args=[business.pk])
    return HttpResponseRedirect(f"{url}?{urlencode({'item': code, **_center_param(request)})}")


def _center_param(request: HttpRequest) -> dict[str, str]:
    center = (request.GET.get("center") or "").strip()
    return {"center": center[:20]} if center else {}


@guide_page
def days(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """The next bookable days with their free places, each with its slots."""
    business = _business(center, pk)
    item = _item(business, (request.GET.get("item") or "").strip())
    context = {
        **NAV,
        "business": business,
        "item": item,
        "days": selectors.bookable_days(business),
        "extra_query": urlencode({"item": item.code} if item else {}),
    }
    return guide_render(request, "portal/appointments/days.html", center, context)


def _parse_slot(source: Any) -> tuple[dt.date | None, dt.time | None]:
    try:
        day = dt.date.fromisoformat((source.get("date") or "")[:10])
        start = dt.time.fromisoformat((source.get("start") or "")[:5])
    except ValueError:
        return None, None
    return day, start


@guide_page
def confirm(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """Confirm the chosen slot: the person's data (prefilled), then book."""
    applicant = current_applicant(request)
    if applicant is None:
        return _needs_signin(request, center)
    business = _business(center, pk)
    source = request.POST if request.method == "POST" else request.GET
    item = _item(business, (source.get("item") or "").strip())
    day, start = _parse_slot(source)
    if day is None or start is None:
        raise NotFound(_("Choose a slot first."))
    person = applicant.person
    form = {
        "id_number": (source.get("id_number") or person.id_number)[:40],
        "name": (source.get("name") or person.name)[:100],
        "phone": (source.get("phone") or person.phone)[:20],
    }
    context: dict[str, Any] = {
        **NAV,
        "business": business,
        "item": item,
        "day": day,
        "start": start,
        "form": form,
        "errors": {},
        "message": "",
    }
    if request.method == "POST":
        try:
            booking = services.booking_create(
                business=business,
                day=day,
                start=start,
                item=item,
                person=person,
                id_number=form["id_number"],
                name=form["name"],
                phone=form["phone"],
            )
        except DomainError as exc:
            context["message"] = exc.message
            context["errors"] = exc.details if isinstance(exc.details, dict) else {}
            context["until"] = (exc.details or {}).get("until") if exc.code == "booking_banned" else None
            return guide_render(
                request, "portal/appointments/confirm.html", center, context, status=exc.status
            )
        url = reverse("portal:appointment_done", args=[booking.code])
        return HttpResponseRedirect(url + _query(request))
    return guide_render(request, "portal/appointments/confirm.html", center, context)


def _query(request: HttpRequest) -> str:
    params = _center_param(request)
    return f"?{urlencode(params)}" if params else ""


def _own(applicant: Applicant, code: str) -> Booking:
    booking = selectors.booking_by_code(code)
    if booking.person_id != applicant.person.pk:
        raise NotFound(_("There is no such appointment."))
    return booking


@guide_page
def done(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    applicant = current_applicant(request)
    if applicant is None:
        return _needs_signin(request, center)
    booking = _own(applicant, code)
    return guide_render(request, "portal/appointments/done.html", center, {**NAV, "booking": booking})


@guide_page
def mine(request: HttpRequest, center: Center) -> HttpResponse:
    """The applicant's bookings, with cancel for the active ones; the ban and the appeal."""
    applicant = current_applicant(request)
    if applicant is None:
        return _needs_signin(request, center)
    context = {
        **NAV,
        "bookings": list(selectors.bookings_of_person(applicant.person.pk)[:50]),
        "message": request.GET.get("cancelled") and _("The appointment has been cancelled."),
        **_ban_context(applicant),
    }
    return guide_render(request, "portal/appointments/mine.html", center, context)


@require_POST
@guide_page
def cancel(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    applicant = current_applicant(request)
    if applicant is None:
        return _needs_signin(request, center)
    booking = _own(applicant, code)
    try:
        services.booking_cancel(booking=booking, person=applicant.person)
    except DomainError as exc:
        context = {
            **NAV,
            "bookings": list(selectors.bookings_of_person(applicant.person.pk)[:50]),
            "error": exc.message,
            **_ban_context(applicant),
        }
        return guide_render(request, "portal/appointments/mine.html", center, context, status=exc.status)
    params = {**_center_param(request), "cancelled": "1"}
    return HttpResponseRedirect(f"{reverse('portal:appointments_mine')}?{urlencode(params)}")


@require_POST
@guide_page
def appeal(request: HttpRequest, center: Center) -> HttpResponse:
    """The banned applicant's appeal (a text)."""
    applicant = current_applicant(request)
    if applicant is None:
        return _needs_signin(request, center)
    ban = selectors.ban_of(applicant.person.id_number)
    if ban is None:
        raise NotFound(_("You are not banned from booking."))
    try:
        bans.appeal_submit(ban=ban, person=applicant.person, text=request.POST.get("text", "")[:2000])
    except DomainError as exc:
        context = {
            **NAV,
            "bookings": list(selectors.bookings_of_person(applicant.person.pk)[:50]),
            "error": exc.message,
            **_ban_context(applicant),
        }
        return guide_render(request, "portal/appointments/mine.html", center, context, status=exc.status)
    return HttpResponseRedirect(reverse("portal:appointments_mine") + _query(request))
