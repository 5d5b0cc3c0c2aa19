"""A ticket's paper (wave2.md §5): printed, reprinted, or voided when it did not print.

An open project counted tickets that never came out of the printer and the hall called people
who were not there: a dispenser whose printer jammed voids the ticket (only its own, only while
it waits, only within VOID_MINUTES of issue); a voided ticket is never called (calling takes
waiting tickets only) and never listed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.core import clock, context
from onewindow.core.errors import Conflict, PermissionDenied
from onewindow.hall.board import board_touch
from onewindow.hall.models import Ticket, TicketEvent

if TYPE_CHECKING:
    from onewindow.org.models import User

ISSUE = "hall.issue_ticket"
VOID_MINUTES = 5
MAX_PRINTS = 5  # a jammed printer is voided, not reprinted forever


def _require(actor: User, ticket: Ticket) -> None:
    if not actor.has_perm(ISSUE):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": ISSUE})
    if actor.center_id is not None and actor.center_id != ticket.center_id:
        raise PermissionDenied(_("This ticket belongs to another service center."))


def _event(ticket: Ticket, kind: str, actor: User, now: dt.datetime, note: str = "") -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, at=now, actor=actor, note=note, client_ip=context.current().ip or None
    )


def ticket_printed(*, ticket: Ticket, actor: User) -> Ticket:
    """The ticket's first print was sent to the printer (once: later calls change nothing)."""
    _require(actor, ticket)
    now = clock.now()
    with transaction.atomic():
        if Ticket.objects.filter(pk=ticket.pk, prints=0).update(prints=1):
            _event(ticket, TicketEvent.Kind.PRINTED, actor, now)
    ticket.refresh_from_db()
    return ticket


def ticket_reprint(*, ticket: Ticket, actor: User) -> Ticket:
    """Print the ticket again (the paper jammed or was torn): prints + 1, event `reprinted`.
    Conflict when the ticket is no longer waiting or was printed MAX_PRINTS times."""
    _require(actor, ticket)
    now = clock.now()
    with transaction.atomic():
        changed = Ticket.objects.filter(
            pk=ticket.pk, status=Ticket.Status.WAITING, prints__lt=MAX_PRINTS
        ).update(prints=F("prints") + 1)
        if not changed:
            ticket.refresh_from_db()
            if ticket.status != Ticket.Status.WAITING:
                raise Conflict(
                    _("Ticket %(number)s is %(status)s: it cannot be printed again.")
                    % {"number": ticket.number, "status": ticket.get_status_display()},
                    code="not_waiting",
                )
            raise Conflict(
                _("Ticket %(number)s was printed %(count)s times: void it and take a new one.")
                % {"number": ticket.number, "count": ticket.prints},
                code="too_many_prints",
            )
        _event(ticket, TicketEvent.Kind.REPRINTED, actor, now)
    ticket.refresh_from_db()
    return ticket


def may_void(ticket: Ticket, actor: User, now: dt.datetime | None = None) -> bool:
    """Whether `actor` (the dispenser that issued it) may still void the unprinted ticket."""
    now = now or clock.now()
    return (
        ticket.status == Ticket.Status.WAITING
        and ticket.issued_by_id == actor.pk
        and now - ticket.issued_at <= dt.timedelta(minutes=VOID_MINUTES)
    )


def ticket_void_unprinted(*, ticket: Ticket, actor: User) -> Ticket:
    """The ticket did not come out of the printer: void it (status void, closed now, event
    `voided`). Only the dispenser that issued it, only while it waits, only within VOID_MINUTES."""
    _require(actor, ticket)
    now = clock.now()
    if ticket.issued_by_id != actor.pk:
        raise PermissionDenied(_("Only the dispenser that issued a ticket may void it as unprinted."))
    if now - ticket.issued_at > dt.timedelta(minutes=VOID_MINUTES):
        raise Conflict(
            _(
                "Ticket %(number)s was issued more than %(minutes)s minutes ago: "
                "ask a clerk at the front desk."
            )
            % {"number": ticket.number, "minutes": VOID_MINUTES},
            code="void_too_late",
        )
    with transaction.atomic():
        changed = Ticket.objects.filter(
            pk=ticket.pk, status=Ticket.Status.WAITING, version=ticket.version
        ).update(
            status=Ticket.Status.VOID,
            closed_at=now,
            close_reason=_("did not print"),
            version=F("version") + 1,
        )
        if not changed:
            ticket.refresh_from_db()
            raise Conflict(
                _("Ticket %(number)s is %(status)s: it can no longer be voided.")
                % {"number": ticket.number, "status": ticket.get_status_display()},
                code="not_waiting",
            )
        _event(ticket, TicketEvent.Kind.VOIDED, actor, now, note="unprinted")
        board_touch(ticket.center_id, now=now)
    ticket.refresh_from_db()
    return ticket
