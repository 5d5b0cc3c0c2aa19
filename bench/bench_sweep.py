"""The supervision sweep over 1,000,000 open cases, each with its active step.

Rows are generated in Python as plain tuples from one template case made through the services,
and written with executemany in big batches (SQLite) or COPY (PostgreSQL, psycopg 3
`cursor.copy`), not through the services, into a scratch database of this benchmark's own
(`$ONEWINDOW_VAR_DIR/sweep/` or the `onewindow_bench_sweep` PostgreSQL database), made anew on
every run.

Warning times of the steps are spread one minute apart over ~2 years (a permutation), so a sweep
at T0 finds nothing and a sweep at T0 + 10,000 minutes finds exactly 10,000 yellow steps. To
make the fixed cost of a sweep honest, the data also holds what a busy center has: 5 % of the
steps already yellow with their open flags and reminders, 1 % red (overdue on items without deemed
approval) with their open flags, 5 % of the cases on an item that allows deemed approval, 1,000
suspended cases past the expected end of their special procedure, and one event per case.

Baseline in the same run: the indexed SELECT count(*) of the crossing steps.
Targets (supervision issue): <= 1 s when nothing crossed, <= 5 s for 10,000 crossings,
peak memory of the sweep process < 300 MB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG = "DATABASE_URL" in os.environ
if PG:  # a database of its own, so that nobody else's benchmark collides with this one
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/onewindow_bench_sweep"
else:
    _var = Path(
        os.environ.get("ONEWINDOW_VAR_DIR") or Path(__file__).resolve().parent.parent / "var" / "bench"
    )
    os.environ["ONEWINDOW_VAR_DIR"] = str(_var if _var.name == "sweep" else _var / "sweep")

from setup_db import django_setup  # noqa: E402

N = int(os.environ.get("BENCH_N", "1000000"))
CROSSING = int(os.environ.get("BENCH_CROSSING", str(max(1, N // 100))))
BATCH = 50_000
T0 = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
T0_NAIVE = T0.replace(tzinfo=None)
YELLOW = N // 20  # already yellow, flag and reminder open
RED = N // 100  # already red (item without deemed approval), flag open
SUSPENDED = max(1, N // 1000)  # special procedure past its expected end
DEEMED_EVERY = 20  # every 20th case is on the item that allows deemed approval


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_database() -> None:
    """Drop the scratch database of the previous run."""
    if PG:
        import psycopg

        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    var = Path(os.environ["ONEWINDOW_VAR_DIR"])
    var.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (var / f"onewindow.sqlite3{suffix}").unlink(missing_ok=True)


class Writer:
    """Bulk insert of plain tuples: executemany in big batches (SQLite), COPY (PostgreSQL)."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.raw = connection.connection
        self.pg = connection.vendor == "postgresql"
        self.q = connection.ops.quote_name

    def dt(self, value: dt.datetime | None) -> Any:
        if value is None or self.pg:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    def at(self, minutes: int) -> Any:
        """T0 + `minutes`, as the database takes it (naive UTC text on SQLite)."""
        if self.pg:
            return T0 + dt.timedelta(minutes=minutes)
        return (T0_NAIVE + dt.timedelta(minutes=minutes)).isoformat(" ")

    def date(self, value: dt.date | None) -> Any:
        return value if value is None or self.pg else value.isoformat()

    def json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def template(self, model: Any, pk: int) -> dict[str, Any]:
        """The stored row `pk` of `model`, column by column, ready to be written back."""
        cols = [f.column for f in model._meta.concrete_fields]
        cur = self.raw.cursor()
        names = ", ".join(self.q(c) for c in cols)
        mark = "%s" if self.pg else "?"
        cur.execute(f"SELECT {names} FROM {self.q(model._meta.db_table)} WHERE id = {mark}", (pk,))
        row = dict(zip(cols, cur.fetchone(), strict=True))
        for key, value in row.items():
            if isinstance(value, dt.datetime):
                row[key] = self.dt(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
            elif isinstance(value, dt.date):
                row[key] = self.date(value)
            elif isinstance(value, dict | list):
                row[key] = self.json(value)
            elif isinstance(value, bool) and not self.pg:
                row[key] = int(value)
        return row

    def drop_indexes(self, models: Iterable[Any]) -> list[str]:
        """Drop the secondary indexes of `models` (kept: primary keys, unique constraints); returns
        the statements that build them again, which is much faster than keeping them up to date
        row by row during the load."""
        cur = self.raw.cursor()
        found: list[tuple[str, str]] = []
        for model in models:
            table = model._meta.db_table
            if self.pg:
                cur.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint)",
                    (table,),
                )
            else:
                cur.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
                    (table,),
                )
            found += cur.fetchall()
        for name, _sql in found:
            cur.execute(f"DROP INDEX {self.q(name)}")
        return [sql for _name, sql in found]

    def create_indexes(self, statements: Iterable[str]) -> None:
        cur = self.raw.cursor()
        for sql in statements:
            cur.execute(sql)

    def insert(self, model: Any, cols: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        table = self.q(model._meta.db_table)
        names = ", ".join(self.q(c) for c in cols)
        count = 0
        cur = self.raw.cursor()
        if self.pg:
            with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cur.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            count += len(batch)
        return count


def rows_from(
    template: dict[str, Any], cols: Sequence[str], over: Callable[[int], tuple[Any, ...]], ids: Iterable[int]
) -> tuple[list[str], Any]:
    """The column list and the rows of the template with `cols` replaced by what `over(i)`
    returns: the replaced columns come first, so each row is `over(i) + the template's rest`
    (one tuple concatenation, no per-column work)."""
    rest = [c for c in template if c not in cols]
    tail = tuple(template[c] for c in rest)
    return [*cols, *rest], (over(i) + tail for i in ids)


def generate() -> dict[str, Any]:
    import random

    from datagen import person
    from django.db import connection, transaction

    from onewindow.cases.models import Case, CaseEvent, CasePause, CaseStep
    from onewindow.cases.services import case_intake
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items
    from onewindow.org.models import User
    from onewindow.supervision.crossings import crossing_key
    from onewindow.supervision.models import Flag, Reminder

    clerk = User.objects.get(username="clerk")
    items = published_items(center=clerk.center).filter(
        handling_type=ServiceItemVersion.HandlingType.PROMISED
    )
    version = items.filter(deemed_approval_days__isnull=True).prefetch_related("materials").first()
    deemed_version = items.filter(deemed_approval_days__isnull=False).first()
    if version is None or deemed_version is None:
        raise SystemExit("the demo data needs a promised item with and one without deemed approval")
    case_intake(  # the template row, made through the services
        actor=clerk,
        item_code=version.item.code,
        center=clerk.center,
        applicant=person(random.Random(1)),
        channel="window",
        materials=[{"material": m.id, "received": True} for m in version.materials.all()],
        action="accept",
    )
    template = Case.objects.filter(status__in=("accepted", "in_progress")).order_by("-pk").first()
    step_tpl = CaseStep.objects.filter(case=template, status="active").first()
    event_tpl = CaseEvent.objects.filter(case=template, action="accept").first()
    if template is None or step_tpl is None or event_tpl is None:
        raise SystemExit("the template case has no active step or no acceptance event")

    # the demo's own open cases should neither cross nor be deemed approved: push them out of the way
    Case.objects.update(level=2, legal_level=1)
    CaseStep.objects.update(level=2)
    CaseStep.objects.filter(status="active", due_at__isnull=False).update(due_at=T0 + dt.timedelta(days=3000))

    w = Writer()
    base_case = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    base_step = (CaseStep.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    base_event = (CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    minute = dt.timedelta(minutes=1)
    day = dt.timedelta(days=1)

    def spread(i: int) -> int:
        return ((i * 7919) % N) + 1  # a permutation of 1..N (7919 is prime to N)

    yellow_from = N - YELLOW
    red_from = yellow_from - RED
    suspended_from = red_from - SUSPENDED

    def kind(s: int) -> str:
        if s > yellow_from:
            return "yellow"
        if s > red_from:
            return "red"
        if s > suspended_from:
            return "suspended"
        return "green"

    at = w.at
    deemed_item = (deemed_version.pk, deemed_version.department_id)
    usual_item = (template.item_version_id, template.department_id)
    case_cols = (
        "id", "number", "receipt_number", "status", "level", "legal_level", "warn_at", "due_at",
        "legal_due_at", "active_step_position", "item_version_id", "department_id",
    )  # fmt: skip

    def case_over(i: int) -> tuple[Any, ...]:
        s = spread(i)
        k = kind(s)
        item = deemed_item if i % DEEMED_EVERY == 0 and k == "green" else usual_item
        return (
            base_case + i, f"BENCH{i:07d}", f"BR{i:07d}", "suspended" if k == "suspended" else "in_progress",
            0, 0, at(s + 30 * 1440), at(s + 40 * 1440), at(s + 60 * 1440), step_tpl.position, *item,
        )  # fmt: skip

    step_cols = (
        "id", "case_id", "status", "level", "warn_at", "due_at", "started_at", "finished_at", "handler_id",
        "assignee_id",
    )  # fmt: skip
    started = at(-40 * 1440)

    def step_over(i: int) -> tuple[Any, ...]:
        s = spread(i)
        k = kind(s)
        if k == "yellow":
            warn, due, level = at(-1440 - s % 1440), at(s + 365 * 1440), 1
        elif k == "red":
            warn, due, level = at(-30 * 1440), at(-20 * 1440 + s % 1440), 2
        else:
            warn, due, level = at(s), at(s + 365 * 1440), 0
        return (base_step + i, base_case + i, "active", level, warn, due, started, None, None, None)

    event_cols = ("id", "case_id", "seq", "at")
    event_at = at(-60 * 1440)

    def event_over(i: int) -> tuple[Any, ...]:
        return (base_event + i, base_case + i, 1, event_at)

    start = time.perf_counter()
    if not w.pg:
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -1000000")  # 1 GB of page cache while building
            cur.execute("PRAGMA foreign_keys = OFF")  # the rows are consistent by construction
    ids = range(1, N + 1)
    with transaction.atomic():
        if w.pg:  # no per-row foreign key triggers during the load (the rows are consistent by construction)
            with connection.cursor() as cur:
                cur.execute("SET LOCAL session_replication_role = replica")
        indexes = w.drop_indexes((Case, CaseStep, CaseEvent, Flag, Reminder))
        case_row = w.template(Case, template.pk)
        n_cases = w.insert(Case, *rows_from(case_row, case_cols, case_over, ids))
        step_row = w.template(CaseStep, step_tpl.pk)
        w.insert(CaseStep, *rows_from(step_row, step_cols, step_over, ids))
        event_row = w.template(CaseEvent, event_tpl.pk)
        w.insert(CaseEvent, *rows_from(event_row, event_cols, event_over, ids))
        marked = [i for i in ids if kind(spread(i)) != "green"]
        pause_cols = [f.column for f in CasePause._meta.concrete_fields if f.column != "id"]
        pauses = (
            {
                "case_id": base_case + i,
                "step_id": base_step + i,
                "kind": "hearing",
                "reason": "bench",
                "started_at": w.dt(T0 - 30 * day),
                "expected_working_days": 10,
                "expected_end": w.date((T0 - 10 * day).date()),
                "ended_at": None,
                "paused_working_days": 0,
            }
            for i in marked
            if kind(spread(i)) == "suspended"
        )
        w.insert(CasePause, pause_cols, (tuple(p[c] for c in pause_cols) for p in pauses))
        flag_cols = [f.column for f in Flag._meta.concrete_fields if f.column != "id"]

        def flag(i: int) -> tuple[Any, ...]:
            s = spread(i)
            k = kind(s)
            due = T0 + s * minute + 365 * day if k == "yellow" else T0 - 20 * day + (s % 1440) * minute
            values = {
                "case_id": base_case + i,
                "step_id": base_step + i,
                "department_id": template.department_id,
                "level": k,
                "kind": f"step_{k}",
                "key": crossing_key(due),
                "due_at": w.dt(due),
                "raised_at": w.dt(T0 - day),
                "resolved_at": None,
                "detail": w.json({"number": f"BENCH{i:07d}", "step": step_tpl.name}),
            }
            return tuple(values[c] for c in flag_cols)

        n_flags = w.insert(Flag, flag_cols, (flag(i) for i in marked if kind(spread(i)) in ("yellow", "red")))
        reminder_cols = [f.column for f in Reminder._meta.concrete_fields if f.column != "id"]

        def reminder(i: int) -> tuple[Any, ...]:
            s = spread(i)
            values = {
                "case_id": base_case + i,
                "step_id": base_step + i,
                "post_id": step_tpl.post_id,
                "department_id": step_tpl.department_id,
                "handler_id": None,
                "to_chief": False,
                "key": crossing_key(T0 + s * minute + 365 * day),
                "created_at": w.dt(T0 - day),
                "read_at": None,
            }
            return tuple(values[c] for c in reminder_cols)

        w.insert(Reminder, reminder_cols, (reminder(i) for i in marked if kind(spread(i)) == "yellow"))
        loaded = time.perf_counter()
        w.create_indexes(indexes)
        print(
            f"  rows written in {loaded - start:.1f} s, "
            f"{len(indexes)} indexes built in {time.perf_counter() - loaded:.1f} s"
        )
        if w.pg:
            with connection.cursor() as cur:
                for model in (Case, CaseStep, CaseEvent):
                    table = model._meta.db_table
                    top = f"(SELECT MAX(id) FROM {w.q(table)})"
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {top})")
    took = time.perf_counter() - start
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(
        f"  generated {n_cases:,} open cases + {N:,} active steps + {N:,} events + {n_flags:,} open flags "
        f"in {took:.1f} s (ANALYZE {time.perf_counter() - start - took:.1f} s)",
        flush=True,
    )
    return {"deemed_version": deemed_version.pk}


def main() -> None:
    if os.environ.get("BENCH_SWEEP_GENERATE_ONLY") == "1":
        django_setup()
        from django.core.management import call_command

        call_command("load_demo", "--no-history", verbosity=0)
        generate()
        return
    if os.environ.get("BENCH_SWEEP_REUSE") != "1":
        # generated in a process of its own, so that the peak memory below is the sweep's
        fresh_database()
        env = {**os.environ, "BENCH_SWEEP_GENERATE_ONLY": "1"}
        subprocess.run([sys.executable, __file__], env=env, check=True)
    django_setup()
    from django.db import connection

    from onewindow.cases.models import CaseStep
    from onewindow.supervision.models import Flag, Reminder
    from onewindow.supervision.sweep import sweep

    print(f"  database: {connection.vendor} {connection.settings_dict['NAME']}")
    before_sweep = rss_mb()

    def count_crossing(now: dt.datetime) -> tuple[int, float]:
        start = time.perf_counter()
        n = CaseStep.objects.filter(status="active", level=0, warn_at__lte=now).count()
        return n, time.perf_counter() - start

    def timed(now: dt.datetime) -> tuple[float, Any]:
        start = time.perf_counter()
        result = sweep(now=now)
        return time.perf_counter() - start, result

    quiet = T0 - dt.timedelta(minutes=1)
    took, result = timed(quiet - dt.timedelta(minutes=1))
    print(f"  first sweep (sets the cursors; flags the overrun pauses) {took * 1000:8.1f} ms  ({result})")
    n, bare = count_crossing(quiet)
    nothing, result = timed(quiet)
    print(f"  baseline: indexed count(*) of crossing steps ({n}) {bare * 1000:8.1f} ms")
    print(f"  sweep, nothing crossed                           {nothing * 1000:8.1f} ms  ({result})")
    nothing2, result = timed(quiet + dt.timedelta(seconds=30))
    print(f"  sweep, nothing crossed (again)                   {nothing2 * 1000:8.1f} ms  ({result})")

    busy = T0 + dt.timedelta(minutes=CROSSING)
    n, bare = count_crossing(busy)
    open_flags = Flag.objects.filter(resolved_at__isnull=True).count()
    crossed, result = timed(busy)
    print(f"  baseline: indexed count(*) of crossing steps ({n:,}) {bare * 1000:8.1f} ms")
    print(f"  sweep, {n:,} steps crossed ({open_flags:,} flags open) {crossed * 1000:8.1f} ms  ({result})")
    assert Flag.objects.filter(kind="step_yellow", raised_at=busy).count() == CROSSING
    assert Reminder.objects.filter(created_at=busy).count() == CROSSING
    took, again = timed(busy + dt.timedelta(seconds=30))
    print(f"  sweep again (idempotent)                         {took * 1000:8.1f} ms  ({again})")
    assert not again.counts, again
    peak = rss_mb()
    print(f"  peak memory (ru_maxrss): {peak:.0f} MB (before the sweeps {before_sweep:.0f} MB)")
    ok = max(nothing, nothing2) <= 1.0 and crossed <= 5.0 and peak < 300
    print(f"  targets (<= 1 s, <= 5 s, < 300 MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
