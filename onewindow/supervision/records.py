"""The records of a crossing, written by the sweep for the rows it actually flipped.

Reminders and orders go to who must act (routing.py): the step's post and handler, the
department chief only when the step has neither.
A step past its warning time: a yellow flag and a reminder (催办, maybe texted: reminders.py).
A step past its deadline: a red flag, an accountability record (问责) and a supervision order
(督办); its yellow flag is resolved. A case past its promised deadline: a red flag and a
supervision order (unless one is open); past its warning time: a yellow flag; past its legal
limit: a legal flag. The unique constraints on the crossing (`key`) are the second guard
(`rawwrite.insert` is INSERT … ON CONFLICT DO NOTHING): two sweeps at once, or twice in a row,
never duplicate anything (docs/adr/0011-incremental-sweep.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases import clock as case_clock
from onewindow.cases.models import Case
from onewindow.core import rawwrite
from onewindow.supervision.crossings import (
    case_ids_sql,
    crossing_key,
    each_batch,
    flip_cases,
    flip_steps,
    step_ids_sql,
)
from onewindow.supervision.models import AccountabilityRecord, Flag, Reminder, SupervisionOrder
from onewindow.supervision.reminders import reminder_ids, reminder_sms
from onewindow.supervision.resolution import count_resolved
from onewindow.supervision.routing import routes_for_cases

SYSTEM_ORDER_REPLY_DAYS = 3  # working days to answer a supervision order issued by the system


# --- steps -------------------------------------------------------------------------------------


def step_red(now: dt.datetime, batch_size: int, counts: Counter[str], table: Any) -> None:
    selects = [step_ids_sql(level, "due_at", "<") for level in (0, 1)]
    reply_due = case_clock.end_of_nth_working_day(table, case_clock.local_date(now), SYSTEM_ORDER_REPLY_DAYS)

    def handle(ids: list[int]) -> int:
        rows = flip_steps(ids, new=2)
        if not rows:
            return 0
        flipped = [r["id"] for r in rows]
        flags: list[dict[str, Any]] = []
        records: list[dict[str, Any]] = []
        orders: list[dict[str, Any]] = []
        for r in rows:
            key = crossing_key(r["due_at"])
            detail = {"number": r["case__number"], "step": r["name"], "due_at": r["due_at"].isoformat()}
            flags.append(
                dict(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    department_id=r["department_id"],
                    level=Flag.Level.RED.value,
                    kind=Flag.Kind.STEP_RED.value,
                    key=key,
                    due_at=r["due_at"],
                    raised_at=now,
                    detail=detail,
                )
            )
            records.append(
                dict(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    post_id=r["post_id"],
                    person_id=r["handler_id"],
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
                dict(
                    case_id=r["case_id"],
                    department_id=r["department_id"],
                    step_id=r["id"],
                    post_id=r["post_id"],
                    handler_id=r["handler_id"],
                    to_chief=r["to_chief"],
                    key=f"step{r['id']}:{key}",
                    demand=_("Step %(step)s is overdue: finish it and explain the delay.")
                    % {"step": r["name"]},
                    issued_at=now,
                    reply_due_at=reply_due,
                )
            )
        rawwrite.insert(Flag, flags)
        rawwrite.insert(AccountabilityRecord, records)
        rawwrite.insert(SupervisionOrder, orders)
        counts["step_red"] += len(rows)
        # the red flag supersedes the yellow one of the same step
        count_resolved(
            counts,
            Flag.objects.filter(
                step_id__in=flipped, kind=Flag.Kind.STEP_YELLOW.value, resolved_at__isnull=True
            ),
            now,
        )
        return len(flipped)

    each_batch(selects, now, batch_size, handle)


def step_yellow(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    # (a step already past its deadline went red just before, in step_red)
    selects = [step_ids_sql(0, "warn_at", "<=")]

    def handle(ids: list[int]) -> int:
        rows = flip_steps(ids, new=1)
        if not rows:
            return 0
        flipped = [r["id"] for r in rows]
        flags: list[dict[str, Any]] = []
        reminders: list[dict[str, Any]] = []
        for r in rows:
            key = crossing_key(r["due_at"])
            flags.append(
                dict(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    department_id=r["department_id"],
                    level=Flag.Level.YELLOW.value,
                    kind=Flag.Kind.STEP_YELLOW.value,
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
                dict(
                    case_id=r["case_id"],
                    step_id=r["id"],
                    post_id=r["post_id"],
                    department_id=r["department_id"],
                    handler_id=r["handler_id"],
                    to_chief=r["to_chief"],
                    key=key,
                    created_at=now,
                )
            )
        rawwrite.insert(Flag, flags)
        # only the reminders actually inserted (a deadline moved back to the same moment is the
        # same crossing: its reminder exists, and is not sent again)
        inserted = rawwrite.insert(Reminder, reminders, returning="id")
        counts["step_yellow"] += len(rows)
        if inserted:
            new_ids = set(inserted)
            new = [(r, pk) for r, pk in reminder_ids(rows, now) if pk in new_ids]
            reminder_sms(new, counts)
        return len(flipped)

    each_batch(selects, now, batch_size, handle)


# --- cases -------------------------------------------------------------------------------------


def _case_flags(
    ids: list[int], *, kind: str, level: str, due_field: str, now: dt.datetime
) -> list[dict[str, Any]]:
    rows = list(Case.objects.filter(pk__in=ids).values("id", "department_id", "number", due_field))
    rawwrite.insert(
        Flag,
        [
            dict(
                case_id=r["id"],
                department_id=r["department_id"],
                level=str(level),
                kind=str(kind),
                key=crossing_key(r[due_field]),
                due_at=r[due_field],
                raised_at=now,
                detail={"number": r["number"], "due_at": r[due_field].isoformat()},
            )
            for r in rows
        ],
    )
    return rows


def case_red(now: dt.datetime, batch_size: int, counts: Counter[str], table: Any) -> None:
    selects = [case_ids_sql("level", level, "due_at", "<") for level in (0, 1)]
    reply_due = case_clock.end_of_nth_working_day(table, case_clock.local_date(now), SYSTEM_ORDER_REPLY_DAYS)

    def handle(ids: list[int]) -> int:
        flipped = flip_cases("level", ids, new=2)
        if not flipped:
            return 0
        rows = _case_flags(
            flipped, kind=Flag.Kind.CASE_RED, level=Flag.Level.RED, due_field="due_at", now=now
        )
        with_order = set(
            SupervisionOrder.objects.filter(
                case_id__in=flipped,
                status__in=(SupervisionOrder.Status.OPEN, SupervisionOrder.Status.OVERDUE),
            ).values_list("case_id", flat=True)
        )
        routes = routes_for_cases([r["id"] for r in rows if r["id"] not in with_order])
        rawwrite.insert(
            SupervisionOrder,
            [
                dict(
                    case_id=r["id"],
                    department_id=r["department_id"],
                    step_id=routes[r["id"]].step_id,
                    post_id=routes[r["id"]].post_id,
                    handler_id=routes[r["id"]].handler_id,
                    to_chief=routes[r["id"]].to_chief,
                    key=f"case:{crossing_key(r['due_at'])}",
                    demand=_("Case %(number)s passed its promised limit: complete it and explain the delay.")
                    % {"number": r["number"]},
                    issued_at=now,
                    reply_due_at=reply_due,
                )
                for r in rows
                if r["id"] not in with_order
            ],
        )
        counts["case_red"] += len(rows)
        count_resolved(
            counts,
            Flag.objects.filter(case_id__in=flipped, kind=Flag.Kind.CASE_YELLOW, resolved_at__isnull=True),
            now,
        )
        return len(flipped)

    each_batch(selects, now, batch_size, handle)


def case_yellow(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    # (a case already past its deadline went red just before, in case_red)
    selects = [case_ids_sql("level", 0, "warn_at", "<=")]

    def handle(ids: list[int]) -> int:
        flipped = flip_cases("level", ids, new=1)
        if flipped:
            rows = _case_flags(
                flipped, kind=Flag.Kind.CASE_YELLOW, level=Flag.Level.YELLOW, due_field="due_at", now=now
            )
            counts["case_yellow"] += len(rows)
        return len(flipped)

    each_batch(selects, now, batch_size, handle)


def case_legal(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    selects = [case_ids_sql("legal_level", 0, "legal_due_at", "<")]

    def handle(ids: list[int]) -> int:
        flipped = flip_cases("legal_level", ids, new=1)
        if flipped:
            rows = _case_flags(
                flipped,
                kind=Flag.Kind.LEGAL_OVERDUE,
                level=Flag.Level.LEGAL_RED,
                due_field="legal_due_at",
                now=now,
            )
            counts["legal_overdue"] += len(rows)
        return len(flipped)

    each_batch(selects, now, batch_size, handle)
