"""Finding and flipping the crossing rows of the sweep (steps and cases past a threshold).

The database is asked, through the partial (level, warn_at) / (level, due_at) indexes, for the
running steps and cases that crossed a threshold, a batch of ids at a time (no ordering by id:
that would make SQLite walk the primary key of a million rows to find none). Each batch is
flipped with a compare-and-set (`rawwrite.flip`: UPDATE … WHERE id IN (…) AND level < <new>
RETURNING …), and only the rows actually flipped get records (records.py). A flipped row leaves
the crossing set, so the next batch is read the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from onewindow.cases.facts import CLOCK_RUNNING, PAUSED
from onewindow.cases.models import Case, CaseStep
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core import fastsql, rawwrite
from onewindow.supervision.routing import route_step_rows


def crossing_key(moment: dt.datetime | None) -> str:
    """The deadline at the time of a crossing, as the key of its records."""
    if moment is None:
        return "-"
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")


READ_CAP = 200_000  # crossing ids read at once (a bound, not a plan choice: see _read_ids)
MAX_ROUNDS = 100


def _literal_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # our own status constants, never user input


def step_ids_sql(level: int, column: str, op: str) -> str:
    """Active steps at `level` with `column` `op` %s: (id, case_id). Only the step table (no
    join, whose plan PostgreSQL gets wrong when it expects a LIMIT to stop early); one level per
    SELECT and the status as a literal keep both databases on the partial (level, <column>)
    index of the active steps, with or without table statistics."""
    q = connection.ops.quote_name
    return (
        f"SELECT id, case_id FROM {q(CaseStep._meta.db_table)} "  # noqa: S608
        f"WHERE status = '{CaseStep.Status.ACTIVE}' AND level = {int(level)} AND {q(column)} {op} %s"
    )


def case_ids_sql(level_column: str, level: int, column: str, op: str) -> str:
    """Cases whose clock runs at `level`, with `column` `op` %s (the partial level indexes)."""
    q = connection.ops.quote_name
    return (
        f"SELECT id, id FROM {q(Case._meta.db_table)} WHERE status IN ({_literal_list(CLOCK_RUNNING)}) "  # noqa: S608
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


def each_batch(
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


def flip_cases(column: str, ids: list[int], *, new: int) -> list[int]:
    """Compare-and-set: the cases `ids` whose `column` (level or legal_level) is below `new` get
    `new`; returns their ids."""
    return [row[0] for row in rawwrite.flip(Case, column, ids, new=new)]


STEP_COLUMNS = (
    "id",
    "case_id",
    "due_at",
    "warn_at",
    "post_id",
    "department_id",
    "assignee_id",
    "name",
    "kind",
)
_NOT_PAUSED = rawwrite.Unless(fk="case", field="status", values=tuple(str(s) for s in PAUSED))


def flip_steps(ids: list[int], *, new: int) -> list[dict[str, Any]]:
    """Compare-and-set: the active steps `ids` whose level is below `new` and whose case is not
    paused get level `new`; returns their rows (the step's columns, `case__number`,
    `case__center_id`, `case__created_by_id`, `case__item_version__item_id`,
    `case__item_version__name`, and who must act: `handler_id`, `handler__phone`, `to_chief`,
    see routing.py)."""
    fetched = rawwrite.flip(CaseStep, "level", ids, new=new, returning=STEP_COLUMNS, unless=_NOT_PAUSED)
    if not fetched:
        return []
    rows = [dict(zip(STEP_COLUMNS, r, strict=True)) for r in fetched]
    case_info = {
        pk: (number, center, version, created_by)
        for pk, number, center, version, created_by in Case.objects.filter(
            pk__in={r["case_id"] for r in rows}
        ).values_list("pk", "number", "center_id", "item_version_id", "created_by_id")
    }
    versions = {
        pk: (item, name)
        for pk, item, name in ServiceItemVersion.objects.filter(
            pk__in={info[2] for info in case_info.values()}
        ).values_list("pk", "item_id", "name")
    }
    for r in rows:
        r["due_at"], r["warn_at"] = fastsql.as_datetime(r["due_at"]), fastsql.as_datetime(r["warn_at"])
        number, center, version, created_by = case_info[r["case_id"]]
        item, item_name = versions[version]
        r["case__number"], r["case__center_id"], r["case__created_by_id"] = number, center, created_by
        r["case__item_version__item_id"], r["case__item_version__name"] = item, item_name
    route_step_rows(rows)
    return rows
