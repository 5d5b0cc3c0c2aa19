"""Calling queue tickets at a window (排队叫号, wave2.md §5, issue 16).

Every service here is one transaction with its `TicketEvent` (actor, window, client address);
every change moves `Ticket.version` and is a conditional UPDATE on (pk, status[, version]), so
a lost race is a Conflict (409), never a silent overwrite. Two windows calling at the same
moment never get the same ticket: `ticket_call_next` claims the first candidate with
`filter(pk=…, status=waiting).update(…)` and tries the next one when another window won it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from onewindow.core import clock, context
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.hall import order
from onewindow.hall.almost import almost_notify
from onewindow.hall.board import announce, board_touch
from onewindow.hall.models import Announcement, Ticket, TicketEvent, WindowState
from onewindow.org.models import Window

if TYPE_CHECKING:
    from onewindow.appointments.models import BusinessType
    from onewindow.cases.models import Case
    from onewindow.org.models import User

CALL = "hall.call_ticket"
MANAGE = "hall.manage_queue"
AT_A_WINDOW = (Ticket.Status.CALLED, Ticket.Status.SERVING)
CANDIDATES_PER_TRY = 8
REASON_MAX = 200
# how the console and the messages name a window's status
WINDOW_STATUS_LABELS = {
    WindowState.Status.OPEN: pgettext_lazy("window status", "open"),
    WindowState.Status.PAUSED: pgettext_lazy("window status", "paused"),
    WindowState.Status.AWAY: pgettext_lazy("window status", "away"),
    WindowState.Status.CLOSED: pgettext_lazy("window status", "closed"),
}


def window_status_label(status: str) -> str:
    return str(WINDOW_STATUS_LABELS.get(status, status))  # type: ignore[call-overload]


# --- helpers ---------------------------------------------------------------------------------


def _ip() -> str | None:
    return context.current().ip or None


def _event(ticket: Ticket, kind: str, *, at: dt.datetime, actor: User | None, **fields: Any) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, at=at, actor=actor, client_ip=_ip(), **fields)


def may_call_at(actor: User, window: Window) -> bool:
    """The clerk seated at `window` with hall.call_ticket, or hall.manage_queue in its center."""
    if actor.center_id is not None and actor.center_id != window.center_id:
        return False
    if actor.has_perm(MANAGE):
        return True
    return actor.has_perm(CALL) and actor.window_id == window.pk


def _check_window(actor: User, window: Window) -> None:
    if not may_call_at(actor, window):
        raise PermissionDenied(
            _("Only the clerk seated at window %(window)s calls its tickets.") % {"window": window.code},
            code="not_your_window",
        )


def _check_ticket_window(actor: User, ticket: Ticket) -> Window:
    """The window a called or served ticket is at, checked against the actor."""
    if ticket.window_id is None or ticket.status not in AT_A_WINDOW:
        raise Conflict(
            _("Ticket %(number)s is not called at a window (it is %(status)s).")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="not_called",
        )
    window = Window.objects.get(pk=ticket.window_id)
    _check_window(actor, window)
    return window


def _may_manage(actor: User, ticket: Ticket) -> None:
    if actor.center_id is not None and actor.center_id != ticket.center_id:
        raise PermissionDenied(_("This ticket belongs to another service center."))
    if actor.has_perm(MANAGE) or (ticket.issued_by_id is not None and ticket.issued_by_id == actor.pk):
        return
    raise PermissionDenied(
        _("You need the permission %(perm)s, or to have issued the ticket.") % {"perm": MANAGE}
    )


def window_state(window: Window, *, lock: bool = False) -> WindowState:
    """The window's state row (created closed on first use); `lock`: select_for_update."""
    rows = WindowState.objects.select_for_update() if lock else WindowState.objects.all()
    state = rows.filter(pk=window.pk).first()
    if state is None:
        WindowState.objects.get_or_create(window=window)
        state = rows.get(pk=window.pk)
    return state


def _claim(ticket: Ticket, statuses: tuple[str, ...], version: int | None, **fields: Any) -> Ticket:
    """The conditional UPDATE of every change: (pk, status in statuses[, version]) or Conflict."""
    rows = Ticket.objects.filter(pk=ticket.pk, status__in=statuses)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1, **fields):
        current = Ticket.objects.filter(pk=ticket.pk).values_list("version", "status").first()
        if version is not None and current is not None and current[0] != version:
            raise Conflict(
                _("Ticket %(number)s was changed meanwhile: reload and try again.")
                % {"number": ticket.number},
                code="version_conflict",
                details={"version": current[0]},
            )
        raise Conflict(
            _("Ticket %(number)s was changed meanwhile (it is no longer %(status)s).")
            % {"number": ticket.number, "status": ", ".join(str(Ticket.Status(s).label) for s in statuses)},
            code="state_changed",
        )
    ticket.refresh_from_db()
    return ticket


def _release_window(ticket: Ticket) -> None:
    """The window stops showing `ticket` as its current one."""
    if ticket.window_id is not None:
        WindowState.objects.filter(pk=ticket.window_id, current_id=ticket.pk).update(
            current=None, version=F("version") + 1
        )


def _check_open(state: WindowState, window: Window) -> None:
    if state.status != WindowState.Status.OPEN:
        raise Conflict(
            _("Window %(window)s is %(status)s: open it before calling.")
            % {"window": window.code, "status": window_status_label(state.status)},
            code="window_not_open",
        )
    if state.current_id is not None:
        busy = Ticket.objects.filter(pk=state.current_id, status__in=AT_A_WINDOW).values_list(
            "number", flat=True
        )
        number = busy.first()
        if number is not None:
            raise Conflict(
                _("Ticket %(number)s is still at this window: finish or skip it before calling another.")
                % {"number": number},
                code="window_busy",
            )


def _seat(state: WindowState, window: Window, ticket: Ticket, actor: User) -> None:
    run = state.priority_run + 1 if ticket.priority else 0
    updated = WindowState.objects.filter(pk=window.pk, version=state.version).update(
        current=ticket, staff=actor, priority_run=run, version=F("version") + 1
    )
    if not updated:
        raise Conflict(
            _("Window %(window)s changed meanwhile: try again.") % {"window": window.code}, code="window_busy"
        )


def _called(ticket: Ticket, window: Window, actor: User, now: dt.datetime) -> Ticket:
    _event(ticket, TicketEvent.Kind.CALLED, at=now, actor=actor, window=window)
    announce(kind=Announcement.Kind.CALL, window=window, ticket=ticket, now=now)
    almost_notify(business_id=ticket.business_id, day=ticket.date, now=now)
    return ticket


def _call_fields(window: Window, actor: User, now: dt.datetime) -> dict[str, Any]:
    return {
        "status": Ticket.Status.CALLED,
        "window": window,
        "staff": actor,
        "called_at": now,
        "first_called_at": Coalesce(F("first_called_at"), Value(now)),
    }


# --- calling ---------------------------------------------------------------------------------


def ticket_call_next(*, window: Window, actor: User, now: dt.datetime | None = None) -> Ticket | None:
    """Call the first waiting ticket of the call order (hall.order) at `window`; None when
    nobody waits. Conflict `window_not_open`, `window_busy` (the current ticket is still called
    or served: finish or skip it first)."""
    now = now or clock.now()
    _check_window(actor, window)
    with transaction.atomic():
        state = window_state(window, lock=True)
        _check_open(state, window)
        tried: set[int] = set()
        while True:
            batch = order.next_candidates(
                window,
                now=now,
                priority_run=state.priority_run,
                exclude=sorted(tried),
                limit=CANDIDATES_PER_TRY,
            )
            if not batch:
                return None
            for ticket in batch:
                # the claim: only one window turns a waiting ticket into a called one (and only
                # as it was read, so the row in hand is the row stored)
                if Ticket.objects.filter(
                    pk=ticket.pk, status=Ticket.Status.WAITING, version=ticket.version
                ).update(version=F("version") + 1, **_call_fields(window, actor, now)):
                    ticket.status = Ticket.Status.CALLED
                    ticket.window = window
                    ticket.staff = actor
                    ticket.called_at = now
                    ticket.first_called_at = ticket.first_called_at or now
                    ticket.version += 1
                    _seat(state, window, ticket, actor)
                    return _called(ticket, window, actor, now)
                tried.add(ticket.pk)  # another window won it (or it changed): the next candidate


def ticket_call(
    *, ticket: Ticket, window: Window, actor: User, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    """Call one ticket (from the console's list). Refused: `already_called` (at another
    window), `earlier_ticket_waiting` (the FIFO guard: a normal ticket while an earlier normal
    one of its business waits), `other_window` (reserved for another window), `not_served_here`,
    `not_waiting`, and the window's own `window_not_open` / `window_busy`."""
    now = now or clock.now()
    _check_window(actor, window)
    if ticket.status in AT_A_WINDOW and ticket.window_id != window.pk:
        raise Conflict(
            _("Ticket %(number)s is already called at another window.") % {"number": ticket.number},
            code="already_called",
        )
    if ticket.status != Ticket.Status.WAITING:
        raise Conflict(
            _("Ticket %(number)s is not waiting (it is %(status)s).")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="not_waiting",
        )
    if ticket.target_window_id is not None and ticket.target_window_id != window.pk:
        raise Conflict(
            _("Ticket %(number)s waits for another window.") % {"number": ticket.number}, code="other_window"
        )
    if ticket.target_window_id is None and ticket.business_id not in order.served_business_ids(window):
        raise Conflict(
            _("Window %(window)s does not serve the business of ticket %(number)s.")
            % {"window": window.code, "number": ticket.number},
            code="not_served_here",
        )
    if order.is_normal(ticket, now=now):
        earlier = order.earlier_normal(ticket, now=now).order_by("queued_at", "sequence").first()
        if earlier is not None:
            raise Conflict(
                _("Ticket %(earlier)s of the same business waits longer: call it first.")
                % {"earlier": earlier.number},
                code="earlier_ticket_waiting",
                details={"earlier": earlier.number},
            )
    with transaction.atomic():
        state = window_state(window, lock=True)
        _check_open(state, window)
        try:
            ticket = _claim(ticket, (Ticket.Status.WAITING,), version, **_call_fields(window, actor, now))
        except Conflict as exc:
            if exc.code == "state_changed":
                raise Conflict(
                    _("Ticket %(number)s is already called at another window.") % {"number": ticket.number},
                    code="already_called",
                ) from exc
            raise
        _seat(state, window, ticket, actor)
        return _called(ticket, window, actor, now)


def ticket_recall(
    *, ticket: Ticket, actor: User, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    """Call the window's current ticket again; at most QUEUE_MAX_RECALLS times (then Conflict
    `recall_limit`: skip it)."""
    now = now or clock.now()
    window = _check_ticket_window(actor, ticket)
    if ticket.status != Ticket.Status.CALLED:
        raise Conflict(_("Only a called ticket is recalled."), code="not_called")
    if ticket.recalls >= settings.QUEUE_MAX_RECALLS:
        raise Conflict(
            _("Ticket %(number)s has been recalled %(count)s times: skip it.")
            % {"number": ticket.number, "count": ticket.recalls},
            code="recall_limit",
        )
    with transaction.atomic():
        rows = Ticket.objects.filter(
            pk=ticket.pk, status=Ticket.Status.CALLED, recalls__lt=settings.QUEUE_MAX_RECALLS
        )
        ticket = _claim_rows(ticket, rows, version, recalls=F("recalls") + 1, called_at=now)
        _event(ticket, TicketEvent.Kind.RECALLED, at=now, actor=actor, window=window)
        announce(kind=Announcement.Kind.RECALL, window=window, ticket=ticket, now=now)
    return ticket


def _claim_rows(ticket: Ticket, rows: Any, version: int | None, **fields: Any) -> Ticket:
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1, **fields):
        raise Conflict(
            _("Ticket %(number)s was changed meanwhile: reload and try again.") % {"number": ticket.number},
            code="version_conflict",
        )
    ticket.refresh_from_db()
    return ticket


def ticket_skip(
    *, ticket: Ticket, actor: User, reason: str, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    """过号: the called person did not come. A reason is required."""
    now = now or clock.now()
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise ValidationFailed(
            _("Say why the ticket is skipped."),
            code="reason_required",
            details={"reason": [_("Give a reason, e.g. did not come after three calls.")]},
        )
    window = _check_ticket_window(actor, ticket)
    with transaction.atomic():
        ticket = _claim(
            ticket,
            (Ticket.Status.CALLED,),
            version,
            status=Ticket.Status.SKIPPED,
            closed_at=now,
            close_reason=reason,
        )
        _release_window(ticket)
        _event(ticket, TicketEvent.Kind.SKIPPED, at=now, actor=actor, window=window, note=reason)
        board_touch(ticket.center_id, now=now)
    return ticket


def ticket_start(
    *, ticket: Ticket, actor: User, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    """The person came: service starts (开始办理)."""
    now = now or clock.now()
    window = _check_ticket_window(actor, ticket)
    with transaction.atomic():
        ticket = _claim(
            ticket, (Ticket.Status.CALLED,), version, status=Ticket.Status.SERVING, started_at=now
        )
        _event(ticket, TicketEvent.Kind.STARTED, at=now, actor=actor, window=window)
        board_touch(ticket.center_id, now=now)
    return ticket


def ticket_finish(
    *, ticket: Ticket, actor: User, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    """办结: the visit ends. Without a linked case, the visit is an evaluation occasion of its
    own (a case's occasions cover a visit that made one)."""
    from onewindow.feedback.occasions import occasion_record

    now = now or clock.now()
    window = _check_ticket_window(actor, ticket)
    with transaction.atomic():
        ticket = _claim(
            ticket,
            AT_A_WINDOW,
            version,
            status=Ticket.Status.SERVED,
            finished_at=now,
            started_at=Coalesce(F("started_at"), Value(now)),
        )
        _release_window(ticket)
        _event(ticket, TicketEvent.Kind.FINISHED, at=now, actor=actor, window=window)
        if not ticket.cases.exists():
            occasion_record(
                center_id=ticket.center_id,
                at=now,
                window_id=window.pk,
                department_id=window.department_id,
                staff=actor,
                ticket=ticket.number,
            )
        board_touch(ticket.center_id, now=now)
    return ticket


def ticket_transfer(
    *,
    ticket: Ticket,
    actor: User,
    to_business: BusinessType | None = None,
    to_window: Window | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    version: int | None = None,
) -> Ticket:
    """转移: back to waiting for another business type and/or one window, keeping its place
    (`queued_at`). The window's clerk transfers the ticket at the window; hall.manage_queue any
    waiting or called ticket of the center."""
    now = now or clock.now()
    note = (note or "").strip()[:REASON_MAX]
    if to_business is None and to_window is None:
        raise ValidationFailed(
            _("Choose the business type or the window to transfer to."),
            code="transfer_target_required",
            details={
                "business": [_("Choose one, or a window.")],
                "window": [_("Choose one, or a business.")],
            },
        )
    if ticket.status in AT_A_WINDOW:
        from_window = _check_ticket_window(actor, ticket)
    else:
        from_window = None
        if not actor.has_perm(MANAGE):
            raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": MANAGE})
    if actor.center_id is not None and actor.center_id != ticket.center_id:
        raise PermissionDenied(_("This ticket belongs to another service center."))
    for target in (to_business, to_window):
        if target is not None and target.center_id != ticket.center_id:
            raise ValidationFailed(_("Transfer within the service center."), code="other_center")
    if to_window is not None and to_window.pk == ticket.window_id and to_business is None:
        raise ValidationFailed(_("The ticket is already at this window."), code="same_window")
    from_business_id = ticket.business_id
    with transaction.atomic():
        ticket = _claim(
            ticket,
            (Ticket.Status.WAITING, *AT_A_WINDOW),
            version,
            status=Ticket.Status.WAITING,
            business_id=to_business.pk if to_business is not None else ticket.business_id,
            target_window=to_window,
            transferred=True,
            lane=Ticket.Lane.FLAGGED,
            window=None,
            staff=None,
        )
        if from_window is not None:
            WindowState.objects.filter(pk=from_window.pk, current_id=ticket.pk).update(
                current=None, version=F("version") + 1
            )
        _event(
            ticket,
            TicketEvent.Kind.TRANSFERRED,
            at=now,
            actor=actor,
            window=from_window,
            from_business_id=from_business_id,
            to_business=to_business,
            from_window=from_window,
            to_window=to_window,
            note=note,
        )
        if to_window is not None:
            announce(kind=Announcement.Kind.TRANSFER, window=to_window, ticket=ticket, now=now)
        else:
            board_touch(ticket.center_id, now=now)
    return ticket


def _pin(ticket: Ticket, actor: User, pinned: bool, now: dt.datetime | None, version: int | None) -> Ticket:
    now = now or clock.now()
    _may_manage(actor, ticket)
    with transaction.atomic():
        flagged = (
            pinned or ticket.priority or ticket.transferred or bool(ticket.target_window_id or ticket.due_at)
        )
        lane = Ticket.Lane.FLAGGED if flagged else Ticket.Lane.PLAIN
        ticket = _claim(ticket, (Ticket.Status.WAITING,), version, pinned=pinned, lane=lane)
        kind = TicketEvent.Kind.PINNED if pinned else TicketEvent.Kind.UNPINNED
        _event(ticket, kind, at=now, actor=actor)
        board_touch(ticket.center_id, now=now)
    return ticket


def ticket_pin(
    *, ticket: Ticket, actor: User, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    """Move a waiting ticket up (the `pinned` key)."""
    return _pin(ticket, actor, True, now, version)


def ticket_unpin(
    *, ticket: Ticket, actor: User, now: dt.datetime | None = None, version: int | None = None
) -> Ticket:
    return _pin(ticket, actor, False, now, version)


def ticket_void(
    *,
    ticket: Ticket,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
    version: int | None = None,
) -> Ticket:
    """Void a waiting ticket (e.g. it failed to print): never called, never listed."""
    now = now or clock.now()
    reason = (reason or "").strip()[:REASON_MAX]
    _may_manage(actor, ticket)
    with transaction.atomic():
        ticket = _claim(
            ticket,
            (Ticket.Status.WAITING,),
            version,
            status=Ticket.Status.VOID,
            closed_at=now,
            close_reason=reason,
        )
        _event(ticket, TicketEvent.Kind.VOIDED, at=now, actor=actor, note=reason)
        board_touch(ticket.center_id, now=now)
    return ticket


def ticket_link_case(*, ticket: Ticket, case: Case, actor: User, now: dt.datetime | None = None) -> Ticket:
    """The case accepted for this visit (the intake page after 开始受理)."""
    now = now or clock.now()
    if not actor.has_perm(CALL):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": CALL})
    if case.center_id != ticket.center_id or (
        actor.center_id is not None and actor.center_id != ticket.center_id
    ):
        raise PermissionDenied(_("This ticket belongs to another service center."))
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk).update(version=F("version") + 1):
            raise NotFound(_("No such ticket."))
        ticket.cases.add(case)
        _event(
            ticket, TicketEvent.Kind.CASE_LINKED, at=now, actor=actor, note=case.number or case.receipt_number
        )
    ticket.refresh_from_db()
    return ticket


def ticket_today(*, center_id: int, number: str, now: dt.datetime | None = None) -> Ticket:
    """Today's ticket `number` of the center (NotFound)."""
    day = clock.local(now or clock.now()).date()
    ticket = (
        Ticket.objects.select_related("business")
        .filter(center_id=center_id, date=day, number=(number or "").strip().upper()[:8])
        .first()
    )
    if ticket is None:
        raise NotFound(
            _("No ticket %(number)s today.") % {"number": (number or "")[:8]}, code="ticket_not_found"
        )
    return ticket
