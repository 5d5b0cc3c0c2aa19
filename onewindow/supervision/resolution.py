"""Resolving flags and marking overdue supervision orders.

An open flag is resolved when its row no longer has the flag's level (moved deadline, step
finished, case closed). The sweep re-checks the open flags of the cases its events touched
(anomalies.py); deadlines moved without a case event (a calendar edit, a threshold change) ask
for one full re-check (`request_full_resolution`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q

from onewindow.cases.facts import OPEN_STATUSES
from onewindow.cases.models import CaseStep
from onewindow.core import clock
from onewindow.supervision.models import Flag, SupervisionOrder, SweepCursor

RESOLVE_ALL = "resolve_all"
RESOLVE_CHUNK = 500  # case ids per resolving UPDATE


def request_full_resolution() -> None:
    """Ask the next sweep to re-check every open flag once. For changes that move the stored
    deadlines without a case event (a calendar edit, a threshold change: both recompute the
    deadlines of many open cases at once); call it inside the transaction of the change."""
    SweepCursor.objects.update_or_create(name=RESOLVE_ALL, defaults={"at": clock.now()})


def calendar_changed(_year: Any) -> None:
    """The `calendar.register_year_changed` hook (see apps.py)."""
    request_full_resolution()


def count_resolved(counts: Counter[str], flags: Any, now: dt.datetime) -> None:
    n = flags.update(resolved_at=now)
    if n:
        counts["resolved"] += n


def resolve(now: dt.datetime, counts: Counter[str], case_ids: list[int] | None) -> None:
    """Open flags (of the cases `case_ids`, or all) whose row no longer has their level (moved
    deadline, step finished, case closed) are resolved."""
    open_flags = Flag.objects.filter(resolved_at__isnull=True)
    if case_ids is not None:
        open_flags = open_flags.filter(case_id__in=case_ids)
    step_gone = ~Q(step__status=CaseStep.Status.ACTIVE) | ~Q(case__status__in=OPEN_STATUSES)
    case_gone = ~Q(case__status__in=OPEN_STATUSES)
    for kind, gone in (
        (Flag.Kind.STEP_YELLOW, step_gone | ~Q(step__level=1)),
        (Flag.Kind.STEP_RED, step_gone | ~Q(step__level=2)),
        (Flag.Kind.CASE_YELLOW, case_gone | ~Q(case__level=1)),
        (Flag.Kind.CASE_RED, case_gone | ~Q(case__level=2)),
        (Flag.Kind.LEGAL_OVERDUE, case_gone | Q(case__legal_level=0)),
    ):
        count_resolved(counts, open_flags.filter(kind=kind).filter(gone), now)


def orders_overdue(now: dt.datetime, counts: Counter[str]) -> None:
    n = SupervisionOrder.objects.filter(status=SupervisionOrder.Status.OPEN, reply_due_at__lt=now).update(
        status=SupervisionOrder.Status.OVERDUE
    )
    if n:
        counts["order_overdue"] += n
