"""The center's appointments page (web:appointments): a day's bookings per business type with
masked data, finding a booking by code or ID number and checking it in, bookings taken by phone,
the bans in force with lifting, and the applicants' appeals."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.appointments import bans, selectors, services
from onewindow.appointments.models import BanAppeal, BookingBan
from onewindow.core import clock
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.masking import mask_id_number, mask_name, mask_phone
from onewindow.web.access import forbidden, staff_page

CHECK_IN = "appointments.check_in_booking"


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return clock.today()


def _row(booking: Any) -> dict[str, Any]:
    return {
        "b": booking,
        "name": mask_name(booking.name),
        "id_number": mask_id_number(booking.id_number),
        "phone": mask_phone(booking.phone),
    }


def _back(request: HttpRequest) -> HttpResponseRedirect:
    params = {k: request.POST.get(k, "")[:20] for k in ("date", "business") if request.POST.get(k)}
    query = f"?{urlencode(params)}" if params else ""
    return HttpResponseRedirect(reverse("web:appointments") + query)


@staff_page()
def appointments(request: HttpRequest) -> HttpResponse:
    """Clerks (check-in) and supervisors (bans, appeals) open it."""
    user: Any = request.user
    if not (user.has_perm(CHECK_IN) or user.has_perm(bans.LIFT_BAN)):
        return forbidden(request)
    center_id = user.center_id
    day = _day(request.GET.get("date"))
    business_id = request.GET.get("business") or ""
    business_pk = int(business_id) if business_id.isdigit() and len(business_id) < 10 else None
    businesses = list(selectors.businesses(center_id)) if center_id else []
    bookings = list(selectors.bookings_of_day(center_id, day, business_pk)) if center_id else []
    groups = [
        {"business": business, "rows": [_row(b) for b in rows]}
        for business, rows in groupby(bookings, key=lambda b: b.business)
    ]
    query = (request.GET.get("q") or "").strip()[:40]
    found = [_row(b) for b in selectors.booking_find(center_id, query)] if query and center_id else []
    may_lift = user.has_perm(bans.LIFT_BAN)
    context = {
        "day": day,
        "today": clock.today(),
        "business_id": business_pk,
        "businesses": businesses,
        "groups": groups,
        "query": query,
        "found": found,
        "searched": bool(query),
        "may_book": user.has_perm(services.BOOK_FOR_APPLICANT),
        "may_lift": may_lift,
        "bans": [
            {"ban": b, "id_number": mask_id_number(b.id_number), "name": mask_name(b.name)}
            for b in selectors.bans_in_force()[:200]
        ]
        if may_lift
        else [],
        "appeals": list(selectors.open_appeals()[:100]) if may_lift else [],
    }
    return render(request, "web/appointments/page.html", context)


@require_POST
@staff_page(CHECK_IN)
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = selectors.booking_by_code(code)
        services.booking_check_in(booking=booking, actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Checked in: %(code)s.") % {"code": booking.code})
    return _back(request)


@require_POST
@staff_page(CHECK_IN)
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = selectors.booking_by_code(code)
        services.booking_cancel(booking=booking, actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cancelled: %(code)s.") % {"code": booking.code})
    return _back(request)


@require_POST
@staff_page(services.BOOK_FOR_APPLICANT)
def book(request: HttpRequest) -> HttpResponse:
    """A booking taken by phone at the center."""
    user: Any = request.user
    data = request.POST
    try:
        pk = data.get("business", "")
        business = selectors.businesses(user.center_id).filter(pk=int(pk) if pk.isdigit() else 0).first()
        if business is None:
            raise NotFound(_("There is no such business type."))
        try:
            day = dt.date.fromisoformat(data.get("date", "")[:10])
            start = dt.time.fromisoformat(data.get("start", "")[:5])
        except ValueError:
            raise DomainError(_("Choose the day and the time of the slot.")) from None
        booking = services.booking_create(
            business=business,
            day=day,
            start=start,
            id_number=data.get("id_number", "")[:40],
            name=data.get("name", "")[:100],
            phone=data.get("phone", "")[:20],
            actor=user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Booked: appointment code %(code)s.") % {"code": booking.code})
    return _back(request)


@require_POST
@staff_page(bans.LIFT_BAN)
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    ban = BookingBan.objects.filter(pk=pk).first()
    try:
        if ban is None:
            raise NotFound(_("There is no such ban."))
        bans.ban_lift(ban=ban, actor=request.user, reason=request.POST.get("reason", "")[:200])  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The ban has been lifted."))
    return _back(request)


@require_POST
@staff_page(bans.LIFT_BAN)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = BanAppeal.objects.filter(pk=pk).select_related("ban").first()
    try:
        if appeal is None:
            raise NotFound(_("There is no such appeal."))
        bans.appeal_decide(
            appeal=appeal,
            actor=request.user,  # type: ignore[arg-type]
            grant=request.POST.get("grant") == "1",
            answer=request.POST.get("answer", "")[:500],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The appeal has been decided."))
    return _back(request)
