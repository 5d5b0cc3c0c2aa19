"""The supervision sweep (实时监察): runs every minute (tasks.py) or by hand (`supervision_sweep`).

1. Asks the database, through the partial (level, warn_at) / (level, due_at) indexes, for the
   running steps and cases that crossed a threshold, in batches of ids.
2. Flips each batch with a compare-and-set UPDATE … WHERE id IN (…) AND level = <old> RETURNING id
   and writes records only for the rows it actually flipped; the unique constraints on the
   crossing (`key`) are the second guard (bulk_create with ignore_conflicts). Two sweeps at once,
   or twice in a row, never duplicate anything.
3. Runs the deemed approval of overdue steps (超期默认, cases), the anomaly checks over the case
   events since the last sweep, resolves flags whose rows went back to green (or ended), and marks
   supervision orders whose reply is overdue.

Never loads the open cases into Python: only the ids of crossing rows, batch by batch.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.models import (
    CASE_CLOCK_RUNNING,
    CASE_PAUSED,
    Case,
    CaseEvent,
    CasePause,
    CaseStep,
    Status,
)
from onewindow.cases.services import case_deem_approve_overdue_steps
from onewindow.core import clock
from onewindow.supervision.models import (
    AccountabilityRecord,
    Flag,
    Reminder,
    SupervisionOrder,
    SweepCursor,
)

SYSTEM_ORDER_REPLY_DAYS = 3  # working days to answer a supervision order issued by the system
EVENT_OVERLAP = dt.timedelta(minutes=5)
OPEN_STATUSES = (
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.SUSPENDED,
    Status.CORRECTION_IN_PROGRESS,
    Status.DECIDED_GRANTED,
    Status.DECIDED_DENIED,
    Status.CERTIFICATE_ISSUED,
)


@dataclass
class SweepResult:
    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items())) or "nothing to do"


def crossing_key(moment: dt.datetime | None) -> str:
    """The deadline at the time of a crossing, as the key of its records."""
    if moment is None:
        return "-"
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")


def _flip(model: type[Any], column: str, ids: list[int], *, new: int, old_below: int) -> list[int]:
    """UPDATE <table> SET <column> = new WHERE id IN ids AND <column> < old_below RETURNING id."""
    if not ids:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    col = connection.ops.quote_name(column)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"UPDATE {table} SET {col} = %s WHERE id IN ({marks}) AND {col} < %s RETURNING id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [new, *ids, old_below])
        return [row[0] for row in cursor.fetchall()]


def _batches(queryset: Any, batch_size: int, handle: Callable[[list[int]], None]) -> None:
    """Feed the ids of `queryset` to `handle` in ascending batches (each in its own transaction)."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        last = ids[-1]
        with transaction.atomic():
            handle(ids)
        if len(ids) < batch_size:
            return


# --- steps -------------------------------------------------------------------------------------

_STEP_FIELDS = (
    "id",
    "case_id",
    "due_at",
    "warn_at",
    "post_id",
    "department_id",
    "assignee_id",
    "name",
    "case__number",
)


def _running_steps() -> Any:
    return CaseStep.objects.filter(status=CaseStep.Status.ACTIVE).exclude(case__status__in=CASE_PAUSED)


def _step_red(now: dt.datetime, batch_size: int, counts: Counter[str], table: Any) -> None:
    qs = _running_steps().filter(level__lt=2, due_at__lt=now)
    reply_due = case_clock.end_of_nth_working_day(table, case_clock.local_date(now), SYSTEM_ORDER_REPLY_DAYS)

    def handle(ids: list[int]) -> None:
        flipped = _flip(CaseStep, "level", ids, new=2, old_below=2)
        if not flipped:
            return
        rows = list(CaseStep.objects.filter(pk__in=flipped).values(*_STEP_FIELDS))
        flags, records, orders = [], [], []
        for r in rows:
            key = crossing_key(r["due_at"])
            detail = {"number": r["case__number"], "step": r["name"], "due_at": r["due_at"].isoformat()}
            flags.append(
                Flag(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    department_id=r["department_id"],
                    level=Flag.Level.RED,
                    kind=Flag.Kind.STEP_RED,
                    key=key,
                    due_at=r["due_at"],
                    raised_at=now,
                    detail=detail,
                )
            )
            records.append(
                AccountabilityRecord(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    post_id=r["post_id"],
                    person_id=r["assignee_id"],
                    department_id=r["department_id"],
                    key=key,
                    reason=_("Step %(step)s of case %(number)s passed its deadline %(due)s.")
                    % {
                        "step": r["name"],
                        "number": r["case__number"],
                        "due": timezone.localtime(r["due_at"]).strftime("%Y-%m-%d %H:%M"),
                    },
                    created_at=now,
                )
            )
            orders.append(
                SupervisionOrder(
                    case_id=r["case_id"],
                    department_id=r["department_id"],
                    issuer=None,
                    key=f"step{r['id']}:{key}",
                    demand=_("Step %(step)s is overdue: finish it and explain the delay.")
                    % {"step": r["name"]},
                    issued_at=now,
                    reply_due_at=reply_due,
                )
            )
        Flag.objects.bulk_create(flags, ignore_conflicts=True)
        AccountabilityRecord.objects.bulk_create(records, ignore_conflicts=True)
        SupervisionOrder.objects.bulk_create(orders, ignore_conflicts=True)
        counts["step_red"] += len(rows)

    _batches(qs, batch_size, handle)


def _step_yellow(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    qs = _running_steps().filter(level=0, warn_at__lte=now, due_at__gte=now)

    def handle(ids: list[int]) -> None:
        flipped = _flip(CaseStep, "level", ids, new=1, old_below=1)
        if not flipped:
            return
        rows = list(CaseStep.objects.filter(pk__in=flipped).values(*_STEP_FIELDS))
        flags, reminders = [], []
        for r in rows:
            key = crossing_key(r["due_at"])
            flags.append(
                Flag(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    department_id=r["department_id"],
                    level=Flag.Level.YELLOW,
                    kind=Flag.Kind.STEP_YELLOW,
                    key=key,
                    due_at=r["due_at"],
                    raised_at=now,
                    detail={
                        "number": r["case__number"],
                        "step": r["name"],
                        "warn_at": r["warn_at"].isoformat(),
                    },
                )
            )
            reminders.append(
                Reminder(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    post_id=r["post_id"],
                    department_id=r["department_id"],
                    handler_id=r["assignee_id"],
                    key=key,
                    created_at=now,
                )
            )
        Flag.objects.bulk_create(flags, ignore_conflicts=True)
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
        counts["step_yellow"] += len(rows)

    _batches(qs, batch_size, handle)


# --- cases -------------------------------------------------------------------------------------


def _case_flags(
    ids: list[int], *, kind: str, level: str, due_field: str, now: dt.datetime
) -> list[dict[str, Any]]:
    rows = list(Case.objects.filter(pk__in=ids).values("id", "department_id", "number", due_field))
    Flag.objects.bulk_create(
        [
            Flag(
                case_id=r["id"],
                department_id=r["department_id"],
                level=level,
                kind=kind,
                key=crossing_key(r[due_field]),
                due_at=r[due_field],
                raised_at=now,
                detail={"number": r["number"], "due_at": r[due_field].isoformat()},
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )
    return rows


def _running_cases() -> Any:
    return Case.objects.filter(status__in=CASE_CLOCK_RUNNING)


def _case_red(now: dt.datetime, batch_size: int, counts: Counter[str], table: Any) -> None:
    qs = _running_cases().filter(level__lt=2, due_at__lt=now)
    reply_due = case_clock.end_of_nth_working_day(table, case_clock.local_date(now), SYSTEM_ORDER_REPLY_DAYS)

    def handle(ids: list[int]) -> None:
        flipped = _flip(Case, "level", ids, new=2, old_below=2)
        if not flipped:
            return
        rows = _case_flags(
            flipped, kind=Flag.Kind.CASE_RED, level=Flag.Level.RED, due_field="due_at", now=now
        )
        with_order = set(
            SupervisionOrder.objects.filter(
                case_id__in=flipped,
                status__in=(SupervisionOrder.Status.OPEN, SupervisionOrder.Status.OVERDUE),
            ).values_list("case_id", flat=True)
        )
        SupervisionOrder.objects.bulk_create(
            [
                SupervisionOrder(
                    case_id=r["id"],
                    department_id=r["department_id"],
                    key=f"case:{crossing_key(r['due_at'])}",
                    demand=_("Case %(number)s passed its promised limit: complete it and explain the delay.")
                    % {"number": r["number"]},
                    issued_at=now,
                    reply_due_at=reply_due,
                )
                for r in rows
                if r["id"] not in with_order
            ],
            ignore_conflicts=True,
        )
        counts["case_red"] += len(rows)

    _batches(qs, batch_size, handle)


def _case_yellow(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    qs = _running_cases().filter(level=0, warn_at__lte=now, due_at__gte=now)

    def handle(ids: list[int]) -> None:
        flipped = _flip(Case, "level", ids, new=1, old_below=1)
        if flipped:
            rows = _case_flags(
                flipped, kind=Flag.Kind.CASE_YELLOW, level=Flag.Level.YELLOW, due_field="due_at", now=now
            )
            counts["case_yellow"] += len(rows)

    _batches(qs, batch_size, handle)


def _case_legal(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    qs = _running_cases().filter(legal_level=0, legal_due_at__lt=now)

    def handle(ids: list[int]) -> None:
        flipped = _flip(Case, "legal_level", ids, new=1, old_below=1)
        if flipped:
            rows = _case_flags(
                flipped,
                kind=Flag.Kind.LEGAL_OVERDUE,
                level=Flag.Level.LEGAL_RED,
                due_field="legal_due_at",
                now=now,
            )
            counts["legal_overdue"] += len(rows)

    _batches(qs, batch_size, handle)


# --- anomalies ---------------------------------------------------------------------------------

ANOMALY_CURSOR = "anomalies"


def _anomaly(event: Any, kind: str, detail: dict[str, Any], now: dt.datetime, department_id: int) -> Flag:
    return Flag(
        case_id=event.case_id,
        step_id=None,
        department_id=department_id,
        level=Flag.Level.ANOMALY,
        kind=kind,
        key=f"e{event.pk}",
        raised_at=now,
        detail={"event_id": event.pk, "at": event.at.isoformat(), **detail},
    )


@transaction.atomic
def _anomalies(now: dt.datetime, counts: Counter[str]) -> None:
    cursor, _created = SweepCursor.objects.select_for_update().get_or_create(
        name=ANOMALY_CURSOR, defaults={"at": now - dt.timedelta(days=1)}
    )
    since = cursor.at - EVENT_OVERLAP
    events = list(
        CaseEvent.objects.filter(at__gte=since, at__lte=now)
        .filter(
            Q(action__in=("accept",), data__has_key="missing_required")
            | Q(
                action__in=("request_correction", "request_processing_correction"),
                data__repeat_correction=True,
            )
            | Q(action="return_step")
        )
        .select_related("case")
        .order_by("id")
    )
    flags: list[Flag] = []
    for event in events:
        dept = event.case.department_id
        if event.action == "accept":
            flags.append(
                _anomaly(
                    event,
                    Flag.Kind.MISSING_REQUIRED_MATERIAL,
                    {"number": event.case.number, "missing": event.data.get("missing_required")},
                    now,
                    dept,
                )
            )
        elif event.action == "return_step":
            reason = (event.data.get("reason") or event.opinion or "").strip()
            if reason and (
                CaseEvent.objects.filter(case_id=event.case_id, action="return_step", seq__lt=event.seq)
                .filter(Q(data__reason=reason) | Q(opinion=reason))
                .exists()
            ):
                flags.append(
                    _anomaly(
                        event,
                        Flag.Kind.REPEAT_RETURN_REASON,
                        {"number": event.case.number, "reason": reason},
                        now,
                        dept,
                    )
                )
        else:
            flags.append(
                _anomaly(
                    event,
                    Flag.Kind.REPEAT_CORRECTION,
                    {
                        "number": event.case.number or event.case.receipt_number,
                        "count": event.data.get("correction_number"),
                    },
                    now,
                    dept,
                )
            )
    today = case_clock.local_date(now)
    for pause in (
        CasePause.objects.filter(ended_at__isnull=True, expected_end__lt=today)
        .exclude(kind=CasePause.Kind.CORRECTION)
        .select_related("case")
    ):
        flags.append(
            Flag(
                case_id=pause.case_id,
                department_id=pause.case.department_id,
                level=Flag.Level.ANOMALY,
                kind=Flag.Kind.PAUSE_OVERRUN,
                key=f"p{pause.pk}:{pause.expected_end}",
                raised_at=now,
                detail={
                    "number": pause.case.number,
                    "pause_id": pause.pk,
                    "kind": pause.kind,
                    "expected_end": pause.expected_end.isoformat() if pause.expected_end else None,
                },
            )
        )
    if flags:
        before = Flag.objects.filter(level=Flag.Level.ANOMALY).count()
        Flag.objects.bulk_create(flags, ignore_conflicts=True)
        counts["anomaly"] += Flag.objects.filter(level=Flag.Level.ANOMALY).count() - before
    if now > cursor.at:
        cursor.at = now
        cursor.save(update_fields=["at"])


# --- resolution and orders -----------------------------------------------------------------------


def _resolve(now: dt.datetime, counts: Counter[str]) -> None:
    """Open flags whose row no longer has their level (moved deadline, step finished, case
    closed) are resolved."""
    open_flags = Flag.objects.filter(resolved_at__isnull=True)
    step_gone = ~Q(step__status=CaseStep.Status.ACTIVE) | ~Q(case__status__in=OPEN_STATUSES)
    case_gone = ~Q(case__status__in=OPEN_STATUSES)
    resolved = 0
    resolved += (
        open_flags.filter(kind=Flag.Kind.STEP_YELLOW)
        .filter(step_gone | ~Q(step__level=1))
        .update(resolved_at=now)
    )
    resolved += (
        open_flags.filter(kind=Flag.Kind.STEP_RED)
        .filter(step_gone | ~Q(step__level=2))
        .update(resolved_at=now)
    )
    resolved += (
        open_flags.filter(kind=Flag.Kind.CASE_YELLOW)
        .filter(case_gone | ~Q(case__level=1))
        .update(resolved_at=now)
    )
    resolved += (
        open_flags.filter(kind=Flag.Kind.CASE_RED)
        .filter(case_gone | ~Q(case__level=2))
        .update(resolved_at=now)
    )
    resolved += (
        open_flags.filter(kind=Flag.Kind.LEGAL_OVERDUE)
        .filter(case_gone | Q(case__legal_level=0))
        .update(resolved_at=now)
    )
    if resolved:
        counts["resolved"] += resolved


def _orders_overdue(now: dt.datetime, counts: Counter[str]) -> None:
    n = SupervisionOrder.objects.filter(status=SupervisionOrder.Status.OPEN, reply_due_at__lt=now).update(
        status=SupervisionOrder.Status.OVERDUE
    )
    if n:
        counts["order_overdue"] += n


def sweep(*, now: dt.datetime | None = None, batch_size: int = 2000) -> SweepResult:
    """One pass of the electronic supervision (see the module docstring)."""
    now = now or clock.now()
    table = calendar_table()
    result = SweepResult()
    counts = result.counts
    _step_red(now, batch_size, counts, table)
    _step_yellow(now, batch_size, counts)
    _case_red(now, batch_size, counts, table)
    _case_yellow(now, batch_size, counts)
    _case_legal(now, batch_size, counts)
    deemed = case_deem_approve_overdue_steps(now=now)
    if deemed:
        counts["deemed_approved"] += deemed
    _anomalies(now, counts)
    with transaction.atomic():
        _resolve(now, counts)
        _orders_overdue(now, counts)
    return result
