"""The intake page started from the window console (开始受理): `?ticket=<number>` is remembered
in the session while the clerk picks the item, and the accepted case is linked to the ticket."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from onewindow.core.errors import DomainError
from onewindow.hall.calling import AT_A_WINDOW, ticket_link_case, ticket_today

SESSION_KEY = "ow_intake_ticket"


def remember_intake_ticket(request: HttpRequest) -> str:
    """The queue ticket this intake serves ('' when none); `?ticket=` sets it, `?ticket=` empty
    forgets it."""
    if "ticket" in request.GET:
        number = (request.GET.get("ticket") or "").strip().upper()[:8]
        if number:
            request.session[SESSION_KEY] = number
        else:
            request.session.pop(SESSION_KEY, None)
    return str(request.session.get(SESSION_KEY, ""))


def link_intake_ticket(request: HttpRequest, case: Any) -> str:
    """Link `case` to the remembered ticket when it is still at the clerk's window; answers the
    ticket's number or ''. A ticket gone elsewhere is forgotten silently: the intake stands."""
    number = request.session.pop(SESSION_KEY, None)
    user: Any = request.user
    if not number or not user.center_id:
        return ""
    try:
        ticket = ticket_today(center_id=user.center_id, number=number)
        if ticket.window_id is None or ticket.window_id != user.window_id or ticket.status not in AT_A_WINDOW:
            return ""
        ticket_link_case(ticket=ticket, case=case, actor=user)
    except DomainError:
        return ""
    return str(ticket.number)
