"""Issuing queue tickets (wave2.md §5): the number, the daily cap, the opening hours, and the Y
ticket of a checked-in appointment.

The sequence is per business type per local day (Asia/Shanghai): the `DaySequence` row of the
day is bumped with one conditional UPDATE, so two dispensers never hand out the same number,
and a new local day starts at 1 with a new row. Numbers are `{prefix}{letter}{NNN}`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from onewindow.core import clock, context
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.hall.board import board_touch
from onewindow.hall.models import DaySequence, Ticket, TicketEvent

if TYPE_CHECKING:
    from onewindow.appointments.models import Booking, BusinessType
    from onewindow.org.models import User

ISSUE = "hall.issue_ticket"
PRIORITY_PREFIX = "V"
APPOINTMENT_PREFIX = "Y"
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def ticket_number(prefix: str, letter: str, sequence: int) -> str:
    """`{prefix}{letter}{NNN}`: VA001, YA002, A003 (four digits from the thousandth ticket)."""
    return f"{prefix}{letter}{sequence:03d}"


def clean_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not MOBILE.match(phone):
        raise ValidationFailed(
            _("Enter a mainland mobile number of 11 digits, or leave it empty."),
            code="invalid_phone",
            details={"phone": [_("11 digits starting with 1, e.g. 13800138000.")]},
        )
    return phone


def _next_sequence(business: BusinessType, day: dt.date) -> int:
    """Bump the day's counter of `business` (inside the caller's transaction) and return it."""
    bumped = DaySequence.objects.filter(business=business, date=day).update(last=F("last") + 1)
    if not bumped:
        try:
            with transaction.atomic():
                DaySequence.objects.create(business=business, date=day, last=1)
            return 1
        except IntegrityError:  # another dispenser created the day's row first
            DaySequence.objects.filter(business=business, date=day).update(last=F("last") + 1)
    return DaySequence.objects.filter(business=business, date=day).values_list("last", flat=True).get()


def _check_open(business: BusinessType, moment: dt.datetime) -> None:
    if not business.active:
        raise ValidationFailed(
            _("The business type %(name)s takes no tickets.") % {"name": business.name},
            code="business_inactive",
        )
    local = clock.local(moment).time()
    if (business.opens_at and local < business.opens_at) or (
        business.closes_at and local >= business.closes_at
    ):
        raise ValidationFailed(
            _("%(name)s takes tickets from %(opens)s to %(closes)s.")
            % {
                "name": business.name,
                "opens": business.opens_at.strftime("%H:%M") if business.opens_at else "00:00",
                "closes": business.closes_at.strftime("%H:%M") if business.closes_at else "24:00",
            },
            code="business_closed",
        )


def ticket_issue(
    *,
    business: BusinessType,
    actor: User | None,
    source: str = Ticket.Source.KIOSK,
    priority: bool = False,
    priority_reason: str = "",
    phone: str = "",
    booking: Booking | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Issue a ticket of `business` (the ticket dispenser, a clerk at the desk, the API, or a
    booking's check-in). A booking's ticket is a Y ticket, due at the booking's start, and is not
    counted against the daily cap (the appointment calendar caps it). ValidationFailed (422) for
    bad input or a closed business, Conflict (409) `daily_cap_reached`."""
    now = now or clock.now()
    if booking is None and actor is not None:
        if not actor.has_perm(ISSUE):
            raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": ISSUE})
        if actor.center_id is not None and actor.center_id != business.center_id:
            raise PermissionDenied(_("This business type belongs to another service center."))
    phone = clean_phone(phone)
    if priority_reason and priority_reason not in Ticket.PriorityReason.values:
        raise ValidationFailed(
            _("Unknown priority reason."),
            code="invalid_priority_reason",
            details={"priority_reason": [", ".join(Ticket.PriorityReason.values)]},
        )
    if booking is None:
        _check_open(business, now)
    day = clock.local(now).date()
    if booking is not None:
        prefix = APPOINTMENT_PREFIX
    elif priority:
        prefix = PRIORITY_PREFIX
        priority_reason = priority_reason or Ticket.PriorityReason.OTHER
    else:
        prefix = ""
        priority_reason = ""
    with transaction.atomic():
        sequence = _next_sequence(business, day)
        if booking is None and business.daily_ticket_cap:
            appointment_tickets = Ticket.objects.filter(
                business=business, date=day, source=Ticket.Source.APPOINTMENT
            ).count()
            if sequence - appointment_tickets > business.daily_ticket_cap:
                raise Conflict(
                    _("Today's %(cap)s tickets of %(name)s have all been issued.")
                    % {"cap": business.daily_ticket_cap, "name": business.name},
                    code="daily_cap_reached",
                )
        ticket = Ticket.objects.create(
            center_id=business.center_id,
            business=business,
            date=day,
            sequence=sequence,
            prefix=prefix,
            number=ticket_number(prefix, business.letter, sequence),
            source=Ticket.Source.APPOINTMENT if booking is not None else source,
            priority=priority and booking is None,
            lane=Ticket.Lane.FLAGGED if priority or booking is not None else Ticket.Lane.PLAIN,
            priority_reason=priority_reason,
            booking=booking,
            due_at=booking.starts_at if booking is not None else None,
            phone=phone,
            issued_at=now,
            issued_by=actor,
            queued_at=now,
        )
        TicketEvent.objects.create(
            ticket=ticket,
            kind=TicketEvent.Kind.ISSUED,
            at=now,
            actor=actor,
            client_ip=context.current().ip or None,
        )
        board_touch(business.center_id, now=now)
    return ticket


def ahead_of(ticket: Ticket) -> int:
    """How many waiting tickets of the same business the call order puts before `ticket`: those
    with priority (when it has none) or queued earlier. An estimate for the ticket and the wait
    page; the call order itself has more keys (pinned, transferred, appointments)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, sequence__lt=ticket.sequence)
    before = (Q(priority=True) & earlier) if ticket.priority else (Q(priority=True) | earlier)
    return (
        Ticket.objects.filter(business_id=ticket.business_id, date=ticket.date, status=Ticket.Status.WAITING)
        .filter(before)
        .exclude(pk=ticket.pk)
        .count()
    )


def booking_checked_in(booking: Booking, actor: User) -> None:
    """The appointments hook: a checked-in booking becomes a Y ticket (same transaction)."""
    ticket_issue(business=booking.business, actor=actor, booking=booking, now=booking.checked_in_at)
