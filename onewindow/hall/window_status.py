"""A window's status (窗口状态 and 去向留言, wave2.md §5): open, paused, away (with a message and
the expected return), closed. Each change closes the window's open `WindowStatusPeriod` row and
opens the next one (the ledger: the time paused is recorded) and touches the hall's board; a
pause is also announced ("Z01号窗口暂停服务").

Who: the clerk seated at the window (`user.window`) or hall.manage_queue in its center.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.core import clock
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.hall.board import announce, board_touch
from onewindow.hall.calling import AT_A_WINDOW, MANAGE, window_state, window_status_label
from onewindow.hall.models import Announcement, Ticket, WindowState, WindowStatusPeriod
from onewindow.org.models import Window

if TYPE_CHECKING:
    from onewindow.org.models import User

MESSAGE_MAX = 100
Status = WindowState.Status


def may_set_status(actor: User, window: Window) -> bool:
    if actor.center_id is not None and actor.center_id != window.center_id:
        return False
    return actor.has_perm(MANAGE) or (actor.window_id == window.pk and actor.has_perm("hall.call_ticket"))


def _change(
    *,
    window: Window,
    actor: User,
    status: str,
    now: dt.datetime | None,
    message: str = "",
    expected_return: dt.datetime | None = None,
    allowed_from: tuple[str, ...] | None = None,
) -> WindowState:
    now = now or clock.now()
    if not may_set_status(actor, window):
        raise PermissionDenied(
            _("Only the clerk seated at window %(window)s changes its status.") % {"window": window.code},
            code="not_your_window",
        )
    message = (message or "").strip()[:MESSAGE_MAX]
    with transaction.atomic():
        state = window_state(window, lock=True)
        if allowed_from is not None and state.status not in allowed_from:
            raise Conflict(
                _("Window %(window)s is %(status)s.")
                % {"window": window.code, "status": window_status_label(state.status)},
                code="window_status",
            )
        busy = Ticket.objects.filter(pk=state.current_id or 0, status__in=AT_A_WINDOW)
        if status == Status.CLOSED and state.current_id is not None and busy.exists():
            raise Conflict(
                _("Finish or skip the current ticket before closing the window."), code="window_busy"
            )
        updated = WindowState.objects.filter(pk=window.pk, version=state.version).update(
            status=status,
            message=message,
            expected_return=expected_return,
            since=now,
            staff=actor,
            priority_run=0 if status == Status.CLOSED else state.priority_run,
            version=F("version") + 1,
        )
        if not updated:
            raise Conflict(_("The window changed meanwhile: try again."), code="version_conflict")
        WindowStatusPeriod.objects.filter(window=window, ended_at__isnull=True).update(ended_at=now)
        WindowStatusPeriod.objects.create(
            window=window, status=status, message=message, staff=actor, started_at=now
        )
        if status == Status.PAUSED:
            announce(kind=Announcement.Kind.PAUSE, window=window, now=now)
        else:
            board_touch(window.center_id, now=now)
        state.refresh_from_db()
    return state


def window_open(*, window: Window, actor: User, now: dt.datetime | None = None) -> WindowState:
    """Open the window for calling (from any status)."""
    return _change(window=window, actor=actor, status=Status.OPEN, now=now)


def window_pause(
    *, window: Window, actor: User, message: str = "", now: dt.datetime | None = None
) -> WindowState:
    """暂停服务 (announced on the screens)."""
    return _change(
        window=window,
        actor=actor,
        status=Status.PAUSED,
        now=now,
        message=message,
        allowed_from=(Status.OPEN,),
    )


def window_resume(*, window: Window, actor: User, now: dt.datetime | None = None) -> WindowState:
    """恢复服务: back from a pause or from away."""
    return _change(
        window=window, actor=actor, status=Status.OPEN, now=now, allowed_from=(Status.PAUSED, Status.AWAY)
    )


def window_away(
    *,
    window: Window,
    actor: User,
    message: str,
    expected_return: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> WindowState:
    """离开 with a message (去向留言) and, when known, the expected return."""
    now = now or clock.now()
    if not (message or "").strip():
        raise ValidationFailed(
            _("Leave a message saying where you are."),
            code="message_required",
            details={"message": [_("E.g. at a site inspection, back at 15:00.")]},
        )
    if expected_return is not None and expected_return <= now:
        raise ValidationFailed(
            _("The expected return lies in the past."),
            code="invalid_expected_return",
            details={"expected_return": [_("A later time today, or leave it empty.")]},
        )
    return _change(
        window=window,
        actor=actor,
        status=Status.AWAY,
        now=now,
        message=message,
        expected_return=expected_return,
    )


def window_close(*, window: Window, actor: User, now: dt.datetime | None = None) -> WindowState:
    """Close the window (the clerk leaves for the day). Conflict `window_busy` while a ticket is
    at the window."""
    return _change(window=window, actor=actor, status=Status.CLOSED, now=now)


def window_set_status(
    *,
    window: Window,
    actor: User,
    status: str,
    message: str = "",
    expected_return: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> WindowState:
    """One entry for the API and the console: open (or resume), paused, away, closed."""
    if status == Status.OPEN:
        return window_open(window=window, actor=actor, now=now)
    if status == Status.PAUSED:
        return window_pause(window=window, actor=actor, message=message, now=now)
    if status == Status.AWAY:
        return window_away(
            window=window, actor=actor, message=message, expected_return=expected_return, now=now
        )
    if status == Status.CLOSED:
        return window_close(window=window, actor=actor, now=now)
    raise ValidationFailed(
        _("Unknown window status."), code="invalid_status", details={"status": [", ".join(Status.values)]}
    )
