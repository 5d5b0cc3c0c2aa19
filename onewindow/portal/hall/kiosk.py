"""The ticket dispenser (取号机), a touch screen signed in as a device account with
hall.issue_ticket (the role ticket_dispenser):

* `/hall/kiosk/`: the business buttons (letter, icon, name, windows, people waiting), an optional
  priority reason and a phone for the “almost your turn” SMS; beside them the appointment box
  (an appointment code or an ID number → today's booking checked in → its Y ticket).
* `/hall/kiosk/ticket/<id>/`: the ticket to print (80 mm, kiosk.js calls window.print()), with
  “print again” and “it did not print: void it”.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from onewindow.appointments import selectors as booking_selectors
from onewindow.appointments.models import Booking, BusinessType
from onewindow.appointments.services import booking_check_in
from onewindow.core import clock
from onewindow.core.errors import DomainError
from onewindow.hall import printing, screens
from onewindow.hall.models import Ticket
from onewindow.hall.tickets import ahead_of, ticket_issue
from onewindow.hall.waitlink import wait_token
from onewindow.org.models import Center
from onewindow.portal.hall.qr import qr_svg

if TYPE_CHECKING:
    from onewindow.org.models import User

ISSUE = "hall.issue_ticket"
QUERY_MAX = 40
View = Callable[..., HttpResponse]


def kiosk_page(view: View) -> View:
    """Signed in (else the staff login with next=), with hall.issue_ticket and a center."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = _user(request)
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not user.has_perm(ISSUE) or getattr(user, "center_id", None) is None:
            return render(request, "portal/hall/kiosk_refused.html", status=403)
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _center_id(request: HttpRequest) -> int:
    return cast(int, _user(request).center_id)


def _home(request: HttpRequest, *, error: str = "", status: int = 200, **extra: Any) -> HttpResponse:
    center = Center.objects.get(pk=_center_id(request))
    context = {
        "center": center,
        "businesses": screens.kiosk_businesses(center.pk),
        "reasons": [
            (v, label) for v, label in screens.PRIORITY_LABELS.items() if v != Ticket.PriorityReason.OTHER
        ],
        "error": error,
        "voided": (request.GET.get("voided") or "")[:8],
        "chosen_reason": "",
        "phone": "",
        "query": "",
        **extra,
    }
    return render(request, "portal/hall/kiosk.html", context, status=status)


def _ticket_url(ticket: Ticket, *, print_now: bool = True) -> str:
    url = reverse("portal:hall_kiosk_ticket", args=[ticket.pk])
    return f"{url}?print=1" if print_now else url


@kiosk_page
def kiosk(request: HttpRequest) -> HttpResponse:
    return _home(request)


@kiosk_page
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reason = (request.POST.get("priority_reason") or "")[:16]
    phone = (request.POST.get("phone") or "")[:20]
    raw = (request.POST.get("business") or "")[:12]
    business = BusinessType.objects.filter(
        pk=int(raw) if raw.isdigit() else 0,
        center_id=_center_id(request),
    ).first()
    if business is None:
        return _home(request, error=_("Choose a business."), status=422, chosen_reason=reason, phone=phone)
    try:
        ticket = ticket_issue(
            business=business,
            actor=user,
            source=Ticket.Source.KIOSK,
            priority=bool(reason),
            priority_reason=reason,
            phone=phone,
        )
    except DomainError as exc:
        return _home(request, error=exc.message, status=exc.status, chosen_reason=reason, phone=phone)
    return HttpResponseRedirect(_ticket_url(ticket))


def _booking_error(found: list[Booking]) -> str:
    today = clock.today()
    if any(b.date == today and b.status == Booking.Status.CHECKED_IN for b in found):
        return _(
            "This appointment is already checked in and has its ticket. If the ticket is lost, "
            "ask a clerk at the front desk."
        )
    later = [b for b in found if b.status == Booking.Status.BOOKED and b.date > today]
    if later:
        return _(
            "Your appointment is on %(date)s, not today. Come back that day, or take a ticket below."
        ) % {"date": later[-1].date.isoformat()}
    if found:
        return _("This appointment is no longer active (missed or cancelled). Take a ticket below.")
    return _("No appointment found. Check the code on your SMS (or the ID number) and try again.")


@kiosk_page
@require_POST
def appointment(request: HttpRequest) -> HttpResponse:
    """An appointment code (scanned or typed) or an ID number → today's booking → its Y ticket."""
    user = _user(request)
    query = (request.POST.get("query") or "").strip()[:QUERY_MAX]
    chosen = (request.POST.get("code") or "").strip()[:16]
    found = booking_selectors.booking_find(_center_id(request), chosen or query)
    today = clock.today()
    due = [b for b in found if b.date == today and b.status == Booking.Status.BOOKED]
    if not query and not chosen:
        return _home(request, error=_("Scan or type your appointment code, or your ID number."), status=422)
    if not due:
        return _home(request, error=_booking_error(found), status=422, query=query)
    if len(due) > 1:
        return _home(request, choices=due, query=query)
    try:
        booking = booking_check_in(booking=due[0], actor=user)
    except DomainError as exc:
        return _home(request, error=exc.message, status=exc.status, query=query)
    ticket = Ticket.objects.get(booking=booking)
    return HttpResponseRedirect(_ticket_url(ticket))


def _own_ticket(request: HttpRequest, pk: int) -> Ticket:
    ticket = (
        Ticket.objects.filter(pk=pk, center_id=_center_id(request))
        .select_related("business", "center", "window", "target_window")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


@kiosk_page
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticket to print: the first view counts as its print (printing.ticket_printed)."""
    ticket = _own_ticket(request, pk)
    user = _user(request)
    if ticket.prints == 0:
        ticket = printing.ticket_printed(ticket=ticket, actor=user)
    wait_url = request.build_absolute_uri(reverse("portal:hall_wait", args=[wait_token(ticket)]))
    context = {
        "ticket": ticket,
        "center": ticket.center,
        "ahead": ahead_of(ticket),
        "priority": screens.PRIORITY_LABELS.get(Ticket.PriorityReason(ticket.priority_reason or "other"))
        if ticket.priority
        else "",
        "windows": screens.business_windows(ticket),
        "issued": clock.local(ticket.issued_at),
        "qr": qr_svg(wait_url),
        "wait_url": wait_url,
        "print_now": request.GET.get("print") == "1",
        "may_void": printing.may_void(ticket, user),
        "may_reprint": ticket.status == Ticket.Status.WAITING and ticket.prints < printing.MAX_PRINTS,
        "error": (request.GET.get("error") or "")[:200],
    }
    return render(request, "portal/hall/kiosk_ticket.html", context)


@kiosk_page
@require_POST
def reprint(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _own_ticket(request, pk)
    try:
        printing.ticket_reprint(ticket=ticket, actor=_user(request))
    except DomainError as exc:
        return _home(request, error=exc.message, status=exc.status)
    return HttpResponseRedirect(_ticket_url(ticket))


@kiosk_page
@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _own_ticket(request, pk)
    try:
        printing.ticket_void_unprinted(ticket=ticket, actor=_user(request))
    except DomainError as exc:
        return _home(request, error=exc.message, status=exc.status)
    return HttpResponseRedirect(f"{reverse('portal:hall_kiosk')}?voided={ticket.number}")
