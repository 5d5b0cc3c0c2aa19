"""Queue API (排队叫号, issue 16). Paths are full (the router is mounted at "/").

POST /api/v1/queue/tickets                   {"business": letter, "priority", "priority_reason",
                                             "phone"} → 201 {"number", "business", "ahead",
                                             "windows", "issued_at", "wait_url"}: a ticket
                                             dispenser's device account or staff with
                                             hall.issue_ticket (bearer token or session)
POST /api/v1/queue/call-next                 the clerk's window calls next → 200 ticket, 204
                                             when nobody waits
POST /api/v1/queue/tickets/{number}/actions  {"action": recall|skip|transfer|start|finish|call|
                                             pin|unpin|void, "reason", "business", "window",
                                             "version"} on today's ticket `number`
GET  /api/v1/queue/businesses                the business types with their windows and clerks
GET  /api/v1/queue/window                    my window: state, current ticket, waiting counts
POST /api/v1/queue/window/status             {"status": open|paused|away|closed, "message",
                                             "expected_return"}

Errors are JSON {"code", "message", "details"}: 401, 403 (not_your_window, no_window), 404
ticket_not_found, 409 window_busy / window_not_open / earlier_ticket_waiting / already_called /
recall_limit / version_conflict / daily_cap_reached, 422 validation_failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Answer
from ninja.security import APIKeyCookie

from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import local_time
from onewindow.api.security import bearer
from onewindow.appointments.models import BusinessType
from onewindow.core import context
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.hall import calling, selectors
from onewindow.hall.models import Ticket, WindowState
from onewindow.hall.tickets import ahead_of, ticket_issue
from onewindow.hall.waitlink import wait_token
from onewindow.hall.window_status import window_set_status
from onewindow.org import actors
from onewindow.org.models import Window
from onewindow.org.passwords import password_change_due

SECOND_FACTOR_SESSION_KEY = "ow_second_factor_user"  # web.credentials: the session is settled


class StaffSession(APIKeyCookie):
    """A signed-in staff session (a dispenser's browser, the console's JS), CSRF-checked. The
    API's middleware reads no session: it is read here. Only a settled session counts (second
    factor done, no password change due)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        request.session = store(key)
        user: Any = get_user(request)
        if not user.is_authenticated or not user.is_active:
            return None
        if request.session.get(SECOND_FACTOR_SESSION_KEY) != user.pk or password_change_due(user):
            return None
        actors.prime(user)
        request.user = user
        ctx = context.current()
        context.set_current(
            context.RequestContext(user_id=user.pk, username=user.username, ip=ctx.ip, channel="api")
        )
        return user


router = Router(auth=[bearer, StaffSession()])

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ACTIONS = ("recall", "skip", "transfer", "start", "finish", "call", "pin", "unpin", "void")


class QueueIssueIn(Schema):
    business: str = Field(min_length=1, max_length=1, examples=["A"])
    priority: bool = False
    priority_reason: str = Field("", max_length=16, description="elderly | disabled | military | …")
    phone: str = Field("", max_length=20, description="For the “almost your turn” SMS.")


class QueueIssuedOut(Schema):
    number: str
    business: str
    ahead: int
    windows: list[str]
    issued_at: dt.datetime
    wait_url: str


class QueueTicketOut(Schema):
    number: str
    business: str
    business_name: str
    status: str
    status_label: str
    priority: bool
    pinned: bool
    transferred: bool
    window: str
    target_window: str
    issued_at: dt.datetime
    first_called_at: dt.datetime | None
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    recalls: int
    close_reason: str
    version: int


class QueueActionIn(Schema):
    action: str = Field(max_length=10, description=" | ".join(ACTIONS))
    reason: str = Field("", max_length=calling.REASON_MAX)
    business: str = Field("", max_length=1, description="transfer: the business type's letter")
    window: str = Field("", max_length=20, description="transfer: the window's code")
    version: int | None = Field(None, ge=1, le=2**31 - 1)


class QueueClerkWindowOut(Schema):
    code: str
    name: str
    clerks: list[str]


class QueueBusinessOut(Schema):
    code: str
    name: str
    windows: list[QueueClerkWindowOut]


class QueueWaitingCountOut(Schema):
    business: str
    name: str
    waiting: int


class QueueWindowOut(Schema):
    code: str
    name: str
    status: str
    status_label: str
    message: str
    expected_return: dt.datetime | None
    since: dt.datetime | None
    current: QueueTicketOut | None
    waiting: list[QueueWaitingCountOut]


class QueueWindowStatusIn(Schema):
    status: str = Field(max_length=8, description="open | paused | away | closed")
    message: str = Field("", max_length=100)
    expected_return: dt.datetime | None = None


def ticket_out(ticket: Ticket) -> dict[str, Any]:
    window_codes = dict(
        Window.objects.filter(pk__in=[ticket.window_id or 0, ticket.target_window_id or 0]).values_list(
            "pk", "code"
        )
    )
    return {
        "number": ticket.number,
        "business": ticket.business.letter,
        "business_name": ticket.business.name,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "priority": ticket.priority,
        "pinned": ticket.pinned,
        "transferred": ticket.transferred,
        "window": window_codes.get(ticket.window_id or 0, ""),
        "target_window": window_codes.get(ticket.target_window_id or 0, ""),
        "issued_at": local_time(ticket.issued_at),
        "first_called_at": local_time(ticket.first_called_at),
        "called_at": local_time(ticket.called_at),
        "started_at": local_time(ticket.started_at),
        "finished_at": local_time(ticket.finished_at),
        "recalls": ticket.recalls,
        "close_reason": ticket.close_reason,
        "version": ticket.version,
    }


def wait_url(ticket: Ticket) -> str:
    """The ticket's wait page (the portal's, when installed)."""
    try:
        return reverse("portal:hall_wait", args=[wait_token(ticket)])
    except NoReverseMatch:
        return ""


def _center_id(user: Any) -> int:
    if not user.center_id:
        raise PermissionDenied(_("Your account is not attached to a service center."))
    return int(user.center_id)


def _business(center_id: int, letter: str, field: str = "business") -> BusinessType:
    business = BusinessType.objects.filter(center_id=center_id, letter=(letter or "").strip().upper()).first()
    if business is None:
        raise ValidationFailed(
            _("Check the business type."), details={field: [_("No business type with this letter.")]}
        )
    return business


def _my_window(user: Any) -> Window:
    window = selectors.my_window(user)
    if window is None or not user.has_perm(calling.CALL):
        raise PermissionDenied(
            _("You are not signed in at a window: ask an administrator to seat you at one."), code="no_window"
        )
    return window


@router.post("/queue/tickets", response={201: QueueIssuedOut, **_ERRORS}, summary="Issue a queue ticket")
def issue(request: HttpRequest, payload: QueueIssueIn) -> Answer[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    business = _business(_center_id(user), payload.business)
    # a dispenser's device account issues and checks in, nothing else; a clerk issues at the desk
    source = Ticket.Source.DESK if user.has_perm(calling.CALL) else Ticket.Source.KIOSK
    ticket = ticket_issue(
        business=business,
        actor=user,
        source=source,
        priority=payload.priority,
        priority_reason=payload.priority_reason,
        phone=payload.phone,
    )
    return Answer(
        201,
        {
            "number": ticket.number,
            "business": business.letter,
            "ahead": ahead_of(ticket),
            "windows": selectors.windows_serving(business),
            "issued_at": local_time(ticket.issued_at),
            "wait_url": wait_url(ticket),
        },
    )


@router.post(
    "/queue/call-next",
    response={200: QueueTicketOut, 204: None, **_ERRORS},
    summary="Call the next ticket at my window",
)
def call_next(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    ticket = calling.ticket_call_next(window=_my_window(user), actor=user)
    if ticket is None:
        return HttpResponse(status=204)
    return ticket_out(ticket)


@router.post(
    "/queue/tickets/{number}/actions", response={200: QueueTicketOut, **_ERRORS}, summary="Act on a ticket"
)
def act(request: HttpRequest, number: str, payload: QueueActionIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    center_id = _center_id(user)
    if payload.action not in ACTIONS:
        raise ValidationFailed(_("Unknown action."), details={"action": [", ".join(ACTIONS)]})
    ticket = calling.ticket_today(center_id=center_id, number=number[:8])
    common: dict[str, Any] = {"ticket": ticket, "actor": user, "version": payload.version}
    action = payload.action
    if action == "call":
        ticket = calling.ticket_call(window=_my_window(user), **common)
    elif action == "recall":
        ticket = calling.ticket_recall(**common)
    elif action == "skip":
        ticket = calling.ticket_skip(reason=payload.reason, **common)
    elif action == "start":
        ticket = calling.ticket_start(**common)
    elif action == "finish":
        ticket = calling.ticket_finish(**common)
    elif action == "transfer":
        to_window = None
        if payload.window:
            to_window = Window.objects.filter(center_id=center_id, code=payload.window, active=True).first()
            if to_window is None:
                raise ValidationFailed(_("Check the window."), details={"window": [_("No such window.")]})
        to_business = _business(center_id, payload.business) if payload.business else None
        ticket = calling.ticket_transfer(
            to_business=to_business, to_window=to_window, note=payload.reason, **common
        )
    elif action == "pin":
        ticket = calling.ticket_pin(**common)
    elif action == "unpin":
        ticket = calling.ticket_unpin(**common)
    else:
        ticket = calling.ticket_void(reason=payload.reason, **common)
    return ticket_out(Ticket.objects.select_related("business").get(pk=ticket.pk))


@router.get("/queue/businesses", response={200: list[QueueBusinessOut], **_ERRORS}, summary="Business types")
def businesses(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    if not any(
        user.has_perm(p) for p in (calling.CALL, calling.MANAGE, "hall.view_queue", "hall.issue_ticket")
    ):
        raise PermissionDenied(_("You need a permission of the hall's queue."))
    return selectors.businesses_with_windows(_center_id(user))


def _window_out(window: Window) -> dict[str, Any]:
    view = selectors.console(window)
    state: WindowState = view.state
    return {
        "code": window.code,
        "name": window.name,
        "status": state.status,
        "status_label": calling.window_status_label(state.status),
        "message": state.message,
        "expected_return": local_time(state.expected_return),
        "since": local_time(state.since),
        "current": ticket_out(view.current) if view.current is not None else None,
        "waiting": [{"business": b.letter, "name": b.name, "waiting": n} for b, n in view.counts],
    }


@router.get("/queue/window", response={200: QueueWindowOut, **_ERRORS}, summary="My window")
def my_window(request: HttpRequest) -> dict[str, Any]:
    return _window_out(_my_window(request.auth))  # type: ignore[attr-defined]


@router.post(
    "/queue/window/status", response={200: QueueWindowOut, **_ERRORS}, summary="Set my window's status"
)
def window_status(request: HttpRequest, payload: QueueWindowStatusIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    window = _my_window(user)
    window_set_status(
        window=window,
        actor=user,
        status=payload.status,
        message=payload.message,
        expected_return=payload.expected_return,
    )
    return _window_out(window)
