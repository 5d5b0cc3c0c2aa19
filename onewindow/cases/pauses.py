"""The pauses of a case's clock (a special procedure, a correction during processing): ending
one moves the deadlines of the case and of its active step by the working days it lasted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from onewindow.cases import clock as case_clock
from onewindow.cases.models import CasePause
from onewindow.cases.steps import recompute_due, recompute_step_due
from onewindow.cases.work import Work
from onewindow.core.errors import InvalidTransition


def end_pause(work: Work, *, correction: bool) -> dict[str, Any]:
    """Close the open pause: count its working days, add them to the case and its step, move the
    deadlines."""
    qs = CasePause.objects.filter(case=work.case, ended_at__isnull=True)
    qs = (
        qs.filter(kind=CasePause.Kind.CORRECTION)
        if correction
        else qs.exclude(kind=CasePause.Kind.CORRECTION)
    )
    pause = qs.order_by("-started_at", "-id").first()
    if pause is None:  # pragma: no cover - the status says there is one
        raise InvalidTransition(_("There is no open pause on this case."), details={"allowed_actions": []})
    days = case_clock.pause_working_days(
        work.table, started_on=case_clock.local_date(pause.started_at), ended_on=work.today
    )
    pause.ended_at = work.now
    pause.paused_working_days = days
    work.change(pause, "ended_at", "paused_working_days")
    case = work.case
    case.paused_working_days += days
    recompute_due(work)
    step = work.active_step()
    if step is not None:
        step.paused_working_days += days
        recompute_step_due(work, step)
    return {
        "pause_id": pause.pk,
        "kind": pause.kind,
        "started_on": case_clock.local_date(pause.started_at).isoformat(),
        "ended_on": work.today.isoformat(),
        "paused_working_days": days,
        "due_at": case.due_at,
    }


def add_past_pause(work: Work, *, kind: str, started_at: dt.datetime, reason: str) -> int:
    """A pause of the clock from `started_at` (in the past) to now, written closed: its working
    days move the deadlines of the case and of its active step (a joint inspection the item
    counts as a special procedure). Nothing when it would overlap another pause of the case (the
    clock stood still then already) or `started_at` is not in the past. The working days added."""
    if started_at >= work.now:
        return 0
    overlapping = CasePause.objects.filter(case=work.case, started_at__lt=work.now).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=started_at)
    )
    if overlapping.exists():
        return 0
    days = case_clock.pause_working_days(
        work.table, started_on=case_clock.local_date(started_at), ended_on=work.today
    )
    step = work.active_step()
    work.rows.append(
        CasePause(
            case=work.case,
            step=step,
            kind=kind,
            reason=reason,
            started_at=started_at,
            ended_at=work.now,
            paused_working_days=days,
        )
    )
    if days:
        work.case.paused_working_days += days
        recompute_due(work)
        if step is not None:
            step.paused_working_days += days
            recompute_step_due(work, step)
    return days


def close_open_pauses(work: Work) -> None:
    """End every open pause of the case (it is withdrawn or terminated): no deadline moves."""
    for pause in CasePause.objects.filter(case=work.case, ended_at__isnull=True):
        pause.ended_at = work.now
        pause.paused_working_days = case_clock.pause_working_days(
            work.table, started_on=case_clock.local_date(pause.started_at), ended_on=work.today
        )
        work.change(pause, "ended_at", "paused_working_days")
