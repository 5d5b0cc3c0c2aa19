"""The supervision sweep (实时监察): runs every minute (tasks.py) or by hand (`supervision_sweep`).

1. Asks the database, through the partial (level, warn_at) / (level, due_at) indexes, for the
   running steps and cases that crossed a threshold, a batch of ids at a time (no ordering by id:
   that would make SQLite walk the primary key of a million rows to find none).
2. Flips each batch with a compare-and-set UPDATE … WHERE id IN (…) AND level < <new> RETURNING id
   and writes records only for the rows it actually flipped; the unique constraints on the
   crossing (`key`) are the second guard (INSERT … ON CONFLICT DO NOTHING). A flipped row leaves
   the crossing set, so the next batch is read the same way. Two sweeps at once, or twice in a
   row, never duplicate anything (docs/adr/0011-incremental-sweep.md).
3. Runs the deemed approval of overdue steps (超期默认, cases; the candidates come from the
   active-step deadline index, `cases.overdue`), then reads the case events since the last sweep
   (the `SweepCursor`, indexed by event time) once: anomalies, and the open flags of the cases
   those events touched are re-checked against their rows (resolved when the row no longer has
   the flag's level: moved deadline, step finished, case closed). Deadlines moved without a
   case event (a calendar edit, a threshold change) ask for one full re-check
   (`request_full_resolution`). Supervision orders whose reply is overdue are marked.

Every per-sweep query is driven by an index, so a sweep with nothing to do costs the same with
a thousand or a million open cases and however many open flags. Never loads the open cases into
Python: only the ids of crossing rows, batch by batch.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
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
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core import clock, fastsql
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.notifications.services import message_enqueue
from onewindow.supervision.models import (
    AccountabilityRecord,
    Flag,
    Reminder,
    SupervisionOrder,
    SupervisionRule,
    SweepCursor,
)

logger = logging.getLogger(__name__)

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


# --- lean inserts of the records (10,000 crossings must take seconds, not Django's field-by-field
# preparation of 40,000 model instances) ---------------------------------------------------------


class _Insert:
    """`INSERT … ON CONFLICT DO NOTHING` (the unique constraints on the crossing are the second
    guard, as ignore_conflicts was) of plain rows: a dict of attribute names per row, the other
    columns take the field's default; only datetimes, dates and JSON are converted."""

    def __init__(self, model: type[Any]) -> None:
        q = connection.ops.quote_name
        sqlite = connection.vendor == "sqlite"
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
        for f in fields:
            convert: Callable[[Any], Any] | None = None
            if f.get_internal_type() == "DateTimeField" and sqlite:
                convert = fastsql.sqlite_datetime
            elif f.get_internal_type() == "DateField" and sqlite:
                convert = _iso_or_none
            elif f.get_internal_type() == "JSONField":
                convert = partial(_json_prep, f)
            self.columns.append((f.attname, f.get_default(), convert))
        names = ", ".join(q(f.column) for f in fields)
        self.head = f"INSERT INTO {q(model._meta.db_table)} ({names}) VALUES "  # noqa: S608
        self.row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        self.per = max(1, 5000 // len(fields))  # rows per statement (SQLite takes 32,766 values)

    def __call__(self, rows: list[dict[str, Any]], *, returning: str | None = None) -> list[Any]:
        """Insert; with `returning` (a column), return that column of the rows actually inserted
        (a row that met a unique constraint is not)."""
        if not rows:
            return []
        params = [
            tuple(
                (convert(row[name]) if convert else row[name]) if name in row else default
                for name, default, convert in self.columns
            )
            for row in rows
        ]
        # one multi-row statement per chunk: executemany would send (and PostgreSQL parse) one
        # statement per row
        tail = " ON CONFLICT DO NOTHING"
        if returning:
            tail += f" RETURNING {connection.ops.quote_name(returning)}"
        inserted: list[Any] = []
        with connection.cursor() as cursor:
            for start in range(0, len(params), self.per):
                chunk = params[start : start + self.per]
                sql = self.head + ", ".join([self.row] * len(chunk)) + tail
                cursor.execute(sql, [value for row in chunk for value in row])
                if returning:
                    inserted += [row[0] for row in cursor.fetchall()]
        return inserted


def _iso_or_none(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _json_prep(field: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


_inserts: dict[tuple[type[Any], str], _Insert] = {}


def _insert(model: type[Any], rows: list[dict[str, Any]], *, returning: str | None = None) -> list[Any]:
    key = (model, connection.vendor)
    if key not in _inserts:
        _inserts[key] = _Insert(model)
    return _inserts[key](rows, returning=returning)


READ_CAP = 200_000  # crossing ids read at once (a bound, not a plan choice: see _read_ids)
MAX_ROUNDS = 100


def _literal_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # our own status constants, never user input


def _step_ids_sql(level: int, column: str, op: str) -> str:
    """Active steps at `level` with `column` `op` %s: (id, case_id). Only the step table (no
    join, whose plan PostgreSQL gets wrong when it expects a LIMIT to stop early); one level per
    SELECT and the status as a literal keep both databases on the partial (level, <column>)
    index of the active steps, with or without table statistics."""
    q = connection.ops.quote_name
    return (
        f"SELECT id, case_id FROM {q(CaseStep._meta.db_table)} "  # noqa: S608
        f"WHERE status = '{CaseStep.Status.ACTIVE}' AND level = {int(level)} AND {q(column)} {op} %s"
    )


def _case_ids_sql(level_column: str, level: int, column: str, op: str) -> str:
    """Cases whose clock runs at `level`, with `column` `op` %s (the partial level indexes)."""
    q = connection.ops.quote_name
    return (
        f"SELECT id, id FROM {q(Case._meta.db_table)} WHERE status IN ({_literal_list(CASE_CLOCK_RUNNING)}) "  # noqa: S608
        f"AND {q(level_column)} = {int(level)} AND {q(column)} {op} %s"
    )


# PostgreSQL misjudges how many rows the (level, time) ranges hold (it takes the level and the
# time as independent), and would then read them with a bitmap scan, which never marks the index
# entries of rows an earlier sweep flipped as dead: every sweep would revisit their heap pages
# until the next vacuum. A plain index scan marks them once (and never a sequential scan, JIT
# or parallel workers for what is normally a handful of rows).
_PG_READ_SETTINGS = (
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; "
    "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0"
)


def _read_ids(sql: str, params: list[Any]) -> list[tuple[int, int]]:
    if connection.vendor != "postgresql":  # (on SQLite a transaction here would take the write lock)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_PG_READ_SETTINGS)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _crossing(
    selects: list[str],
    now: dt.datetime,
    batch_size: int,
    handle: Callable[[list[int]], int],
) -> None:
    """Feed the ids that the UNION ALL of `selects` (each with one %s for `now`, each giving
    (id, case id)) finds to `handle`, a batch at a time, each batch in its own transaction.
    `handle` flips the rows (or finds them flipped by another sweep; the steps of paused cases
    it leaves as they are), so they leave the set; it returns how many it flipped. The ids are read in
    index order, never ORDER BY id (which would make SQLite walk the primary key of every row)."""
    sql = " UNION ALL ".join(selects) + " LIMIT %s"
    params = [connection.ops.adapt_datetimefield_value(now)] * len(selects) + [READ_CAP]
    for _round in range(MAX_ROUNDS):
        rows = _read_ids(sql, params)
        ids = [pk for pk, _case_id in rows]
        flipped = 0
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                flipped += handle(ids[start : start + batch_size])
        if len(rows) < READ_CAP or not flipped:
            return


# --- steps -------------------------------------------------------------------------------------

_STEP_COLUMNS = ("id", "case_id", "due_at", "warn_at", "post_id", "department_id", "assignee_id", "name")


def _flip_steps(ids: list[int], *, new: int) -> list[dict[str, Any]]:
    """Compare-and-set: the active steps `ids` whose level is below `new` and whose case is not
    paused get level `new`; returns their rows (the step's columns, `case__number`,
    `case__center_id`, `case__item_version__item_id`, `case__item_version__name`,
    `assignee__phone`)."""
    if not ids:
        return []
    q = connection.ops.quote_name
    steps, cases = q(CaseStep._meta.db_table), q(Case._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    paused = _literal_list(CASE_PAUSED)
    step_columns = ", ".join(f"{steps}.{q(c)}" for c in _STEP_COLUMNS)
    case_columns = ("number", "center_id", "item_version_id")
    if connection.vendor == "postgresql":  # the case's columns come back with the step's
        sql = (
            f"UPDATE {steps} SET level = %s FROM {cases} c WHERE {steps}.id IN ({marks}) "  # noqa: S608
            f"AND {steps}.level < %s AND c.id = {steps}.case_id AND c.status NOT IN ({paused}) "
            f"RETURNING {step_columns}, {', '.join('c.' + q(c) for c in case_columns)}"
        )
    else:  # (SQLite's RETURNING sees only the updated table)
        sql = (
            f"UPDATE {steps} SET level = %s WHERE id IN ({marks}) AND level < %s "  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM {cases} c "
            f"WHERE c.id = {steps}.case_id AND c.status IN ({paused})) "
            f"RETURNING {step_columns}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [new, *ids, new])
        fetched = cursor.fetchall()
    if not fetched:
        return []
    n = len(_STEP_COLUMNS)
    rows = [dict(zip(_STEP_COLUMNS, r[:n], strict=True)) for r in fetched]
    if connection.vendor == "postgresql":
        case_info = {row[1]: row[n:] for row in fetched}
    else:
        case_info = {
            pk: (number, center, version)
            for pk, number, center, version in Case.objects.filter(
                pk__in={r["case_id"] for r in rows}
            ).values_list("pk", *case_columns)
        }
    versions = {
        pk: (item, name)
        for pk, item, name in ServiceItemVersion.objects.filter(
            pk__in={info[2] for info in case_info.values()}
        ).values_list("pk", "item_id", "name")
    }
    assignees = {r["assignee_id"] for r in rows if r["assignee_id"]}
    phones = (
        dict(get_user_model().objects.filter(pk__in=assignees).values_list("pk", "phone"))
        if assignees
        else {}
    )
    for r in rows:
        r["due_at"], r["warn_at"] = fastsql.as_datetime(r["due_at"]), fastsql.as_datetime(r["warn_at"])
        number, center, version = case_info[r["case_id"]]
        item, item_name = versions[version]
        r["case__number"], r["case__center_id"] = number, center
        r["case__item_version__item_id"], r["case__item_version__name"] = item, item_name
        r["assignee__phone"] = phones.get(r["assignee_id"], "")
    return rows


def _step_red(now: dt.datetime, batch_size: int, counts: Counter[str], table: Any) -> None:
    selects = [_step_ids_sql(level, "due_at", "<") for level in (0, 1)]
    reply_due = case_clock.end_of_nth_working_day(table, case_clock.local_date(now), SYSTEM_ORDER_REPLY_DAYS)

    def handle(ids: list[int]) -> int:
        rows = _flip_steps(ids, new=2)
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
                dict(
                    case_id=r["case_id"],
                    department_id=r["department_id"],
                    key=f"step{r['id']}:{key}",
                    demand=_("Step %(step)s is overdue: finish it and explain the delay.")
                    % {"step": r["name"]},
                    issued_at=now,
                    reply_due_at=reply_due,
                )
            )
        _insert(Flag, flags)
        _insert(AccountabilityRecord, records)
        _insert(SupervisionOrder, orders)
        counts["step_red"] += len(rows)
        # the red flag supersedes the yellow one of the same step
        _count_resolved(
            counts,
            Flag.objects.filter(
                step_id__in=flipped, kind=Flag.Kind.STEP_YELLOW.value, resolved_at__isnull=True
            ),
            now,
        )
        return len(flipped)

    _crossing(selects, now, batch_size, handle)


def _step_yellow(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    # (a step already past its deadline went red just before, in _step_red)
    selects = [_step_ids_sql(0, "warn_at", "<=")]

    def handle(ids: list[int]) -> int:
        rows = _flip_steps(ids, new=1)
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
                    handler_id=r["assignee_id"],
                    key=key,
                    created_at=now,
                )
            )
        _insert(Flag, flags)
        # only the reminders actually inserted (a deadline moved back to the same moment is the
        # same crossing: its reminder exists, and is not sent again)
        inserted = _insert(Reminder, reminders, returning="id")
        counts["step_yellow"] += len(rows)
        if inserted:
            new_ids = set(inserted)
            new = [(r, pk) for r, pk in _reminder_ids(rows, now) if pk in new_ids]
            _reminder_sms(new, counts)
        return len(flipped)

    _crossing(selects, now, batch_size, handle)


REMINDER_TEMPLATE = "reminder"  # notifications.defaults: 【催办】办件{case_number}…


def _sms_switched_on(pairs: set[tuple[int, int | None]]) -> set[tuple[int, int | None]]:
    """The (centre, item) pairs whose reminders go out by SMS: the item's rule, else the centre's."""
    rules: dict[tuple[int, int | None], bool] = {
        (center, item): on
        for center, item, on in SupervisionRule.objects.filter(
            center_id__in={c for c, _i in pairs}
        ).values_list("center_id", "item_id", "remind_by_sms")
    }
    on = set()
    for center, item in pairs:
        value = rules.get((center, item)) if item is not None else None
        if value if value is not None else rules.get((center, None), False):
            on.add((center, item))
    return on


def _reminder_ids(rows: list[dict[str, Any]], now: dt.datetime) -> list[tuple[dict[str, Any], int]]:
    """The rows whose handler has a phone, with the id of the reminder made for them now (only
    read when SMS reminders are on somewhere)."""
    with_phone = [r for r in rows if r["assignee__phone"]]
    if not with_phone:
        return []
    on = _sms_switched_on({(r["case__center_id"], r["case__item_version__item_id"]) for r in with_phone})
    wanted = [r for r in with_phone if (r["case__center_id"], r["case__item_version__item_id"]) in on]
    if not wanted:
        return []
    ids = dict(
        Reminder.objects.filter(step_id__in=[r["id"] for r in wanted], created_at=now).values_list(
            "step_id", "pk"
        )
    )
    return [(r, ids[r["id"]]) for r in wanted if r["id"] in ids]


def _reminder_sms(new: list[tuple[dict[str, Any], int]], counts: Counter[str]) -> None:
    """One outbox message per new reminder to its handler's phone, where the rule says so. Runs
    in the transaction that flipped the rows and inserted the reminders, so a crossing is texted
    once however many sweeps run (only the sweep whose compare-and-set flipped the row gets here,
    and only for a reminder it inserted)."""
    for r, reminder_id in new:
        phone = r["assignee__phone"]
        try:
            message = message_enqueue(
                template_code=REMINDER_TEMPLATE,
                recipient=phone,
                context={
                    "case_number": r["case__number"] or "",
                    "item_name": r["case__item_version__name"] or "",
                    "step_name": r["name"],
                    "due_at": timezone.localtime(r["due_at"]).strftime("%Y-%m-%d %H:%M"),
                },
                related_type="supervision.reminder",
                related_id=str(reminder_id),
            )
        except ValidationFailed as exc:  # a malformed phone, a broken template: the reminder stays
            logger.warning(
                "reminder SMS for case %s to %s not queued: %s", r["case__number"], mask_phone(phone), exc
            )
            continue
        if message is not None:
            counts["reminder_sms"] += 1


# --- cases -------------------------------------------------------------------------------------


def _case_flags(
    ids: list[int], *, kind: str, level: str, due_field: str, now: dt.datetime
) -> list[dict[str, Any]]:
    rows = list(Case.objects.filter(pk__in=ids).values("id", "department_id", "number", due_field))
    _insert(
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


def _case_red(now: dt.datetime, batch_size: int, counts: Counter[str], table: Any) -> None:
    selects = [_case_ids_sql("level", level, "due_at", "<") for level in (0, 1)]
    reply_due = case_clock.end_of_nth_working_day(table, case_clock.local_date(now), SYSTEM_ORDER_REPLY_DAYS)

    def handle(ids: list[int]) -> int:
        flipped = _flip(Case, "level", ids, new=2, old_below=2)
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
        _insert(
            SupervisionOrder,
            [
                dict(
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
        )
        counts["case_red"] += len(rows)
        _count_resolved(
            counts,
            Flag.objects.filter(case_id__in=flipped, kind=Flag.Kind.CASE_YELLOW, resolved_at__isnull=True),
            now,
        )
        return len(flipped)

    _crossing(selects, now, batch_size, handle)


def _case_yellow(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    # (a case already past its deadline went red just before, in _case_red)
    selects = [_case_ids_sql("level", 0, "warn_at", "<=")]

    def handle(ids: list[int]) -> int:
        flipped = _flip(Case, "level", ids, new=1, old_below=1)
        if flipped:
            rows = _case_flags(
                flipped, kind=Flag.Kind.CASE_YELLOW, level=Flag.Level.YELLOW, due_field="due_at", now=now
            )
            counts["case_yellow"] += len(rows)
        return len(flipped)

    _crossing(selects, now, batch_size, handle)


def _case_legal(now: dt.datetime, batch_size: int, counts: Counter[str]) -> None:
    selects = [_case_ids_sql("legal_level", 0, "legal_due_at", "<")]

    def handle(ids: list[int]) -> int:
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
        return len(flipped)

    _crossing(selects, now, batch_size, handle)


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


def _maybe_anomaly(action: str, data: Any) -> bool:
    """Whether an event can be an anomaly (the same tests as `_anomaly_flags`, on the event alone)."""
    data = data if isinstance(data, dict) else {}
    if action == "accept":
        return "missing_required" in data
    if action in ("request_correction", "request_processing_correction"):
        return data.get("repeat_correction") is True
    return action == "return_step"


def _anomaly_flags(events: list[CaseEvent], now: dt.datetime) -> list[Flag]:
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
    return flags


def _pause_overrun_flags(now: dt.datetime, since: dt.datetime | None) -> list[Flag]:
    """Special procedures still running past their expected end. Through the partial index on
    the expected end of running pauses; after the first sweep only the expected ends passed
    since the last one (a pause's expected end is set when it starts, never before that day)."""
    today = case_clock.local_date(now)
    pauses = CasePause.objects.filter(ended_at__isnull=True, expected_end__lt=today).exclude(
        kind=CasePause.Kind.CORRECTION
    )
    if since is not None:
        pauses = pauses.filter(expected_end__gte=case_clock.local_date(since) - dt.timedelta(days=1))
    return [
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
        for pause in pauses.select_related("case")
    ]


@transaction.atomic
def _events(now: dt.datetime, counts: Counter[str]) -> None:
    """Read the case events since the last sweep once (the cursor row is locked, so two sweeps
    take turns): raise the anomalies they show, and re-check the open flags of the cases they
    touched. The first sweep, and the first after `request_full_resolution`, re-check every open
    flag instead."""
    cursor = SweepCursor.objects.select_for_update().filter(name=ANOMALY_CURSOR).first()
    first = cursor is None
    if cursor is None:
        cursor, _created = SweepCursor.objects.select_for_update().get_or_create(
            name=ANOMALY_CURSOR, defaults={"at": now - dt.timedelta(days=1)}
        )
    since = cursor.at - EVENT_OVERLAP
    # one read of the window through the index on the event time (a filter on the action here
    # would make SQLite read every acceptance ever through the action index instead)
    touched: set[int] = set()
    candidates: list[int] = []
    for pk, case_id, action, data in (
        CaseEvent.objects.filter(at__gte=since, at__lte=now)
        .order_by()
        .values_list("pk", "case_id", "action", "data")
        .iterator(chunk_size=2000)
    ):
        touched.add(case_id)
        if _maybe_anomaly(action, data):
            candidates.append(pk)
    events = []
    for start in range(0, len(candidates), RESOLVE_CHUNK):
        chunk = candidates[start : start + RESOLVE_CHUNK]
        events += list(CaseEvent.objects.filter(pk__in=chunk).select_related("case").order_by("id"))
    flags = _anomaly_flags(events, now) + _pause_overrun_flags(now, None if first else since)
    if flags:
        raised = Flag.objects.filter(level=Flag.Level.ANOMALY, raised_at=now, resolved_at__isnull=True)
        before = raised.count()
        Flag.objects.bulk_create(flags, ignore_conflicts=True)
        if new := raised.count() - before:
            counts["anomaly"] += new

    full = SweepCursor.objects.select_for_update().filter(name=RESOLVE_ALL).first()
    if first or full is not None:
        _resolve(now, counts, None)
        if full is not None:  # a request made meanwhile (another `at`) stays for the next sweep
            SweepCursor.objects.filter(pk=full.pk, at=full.at).delete()
    else:
        ids = sorted(touched)
        for start in range(0, len(ids), RESOLVE_CHUNK):
            _resolve(now, counts, ids[start : start + RESOLVE_CHUNK])
    if now > cursor.at:
        cursor.at = now
        cursor.save(update_fields=["at"])


# --- resolution and orders -----------------------------------------------------------------------


def _count_resolved(counts: Counter[str], flags: Any, now: dt.datetime) -> None:
    n = flags.update(resolved_at=now)
    if n:
        counts["resolved"] += n


def _resolve(now: dt.datetime, counts: Counter[str], case_ids: list[int] | None) -> None:
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
        _count_resolved(counts, open_flags.filter(kind=kind).filter(gone), now)


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
    _events(now, counts)
    _orders_overdue(now, counts)
    return result
