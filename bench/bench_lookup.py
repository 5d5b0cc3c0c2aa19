"""Public progress lookup (GET /api/v1/public/progress?number=…&code=…, no token) with a large
case table: BENCH_CASES (default 1,000,000) realistic cases with their steps, events, a few pauses
and correction requests, written straight into the tables (not through the services) of a scratch
database of its own: BENCH_VAR_DIR/lookup (or var/bench-lookup) on SQLite, `onewindow_bench_lookup`
on PostgreSQL; reused while it holds enough cases.

Loading: plain tuples (every column a row does not set takes its default, prepared once), one
transaction per 10,000 cases, `executemany` on SQLite (foreign keys, syncs and the journal off for
the load) and `COPY` on PostgreSQL (foreign-key triggers off); the plain secondary indexes are
dropped for the load and created again afterwards, then ANALYZE.

Measured with wrk under gunicorn (2 gthread workers x 4 threads unless BENCH_WORKERS /
BENCH_THREADS say otherwise): 16 concurrent clients, then a single client (-t1 -c1), each next to
the bare Ninja insert endpoint in the same run and the same server.
Targets (issue 3): >= 400 lookups/s at 16 clients with p99 <= 100 ms; single client p50 <= 5 ms.

    --generate-only   load the data and stop
    --profile         2,000 lookups in-process through the WSGI stack under cProfile
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
if "DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/onewindow_bench_lookup"
else:  # a scratch database of its own: under BENCH_VAR_DIR when given (bench/run.py passes it on)
    os.environ["ONEWINDOW_VAR_DIR"] = str(
        Path(os.environ["BENCH_VAR_DIR"]) / "lookup"
        if os.environ.get("BENCH_VAR_DIR")
        else ROOT / "var" / "bench-lookup"
    )
# the public lookup is rate limited per address; wrk is one address
os.environ["PROGRESS_LOOKUPS_PER_MINUTE"] = str(10**9)

from datagen import person  # noqa: E402
from httpbench import Gunicorn, wrk  # noqa: E402
from setup_db import django_setup, rate  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "1000000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8767"))
BATCH = 10_000
PER_DAY = 913  # 1,000,000 cases over three years
LOOKUP_PATHS = 20_000


class Table:
    """Rows of one model as plain tuples: the columns a row gives (`given`, in that order), then
    every other column at its default, prepared for the database once (not per row)."""

    def __init__(self, model: Any, given: tuple[str, ...]) -> None:
        from django.db import connection

        self.model = model
        self.table = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        missing = [c for c in given if c not in fields]
        if missing:
            raise SystemExit(f"{self.table}: no column {missing}")
        rest = []
        for column, f in fields.items():
            if column in given:
                continue
            if f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.get_internal_type() in ("CharField", "TextField"):
                value = ""
            else:
                raise SystemExit(f"{self.table}.{column} needs a value")
            if isinstance(value, dict | list):
                value = json.dumps(value)
            elif value is not None and not isinstance(value, bool | int | str):
                value = f.get_db_prep_save(value, connection)
            rest.append((column, value))
        self.columns = list(given) + [c for c, _ in rest]
        self.tail = tuple(v for _, v in rest)

    def insert(self, cursor: Any, rows: list[tuple[Any, ...]], pg: bool) -> None:
        from django.db import connection

        if not rows:
            return
        tail = self.tail
        q = connection.ops.quote_name
        cols = ", ".join(q(c) for c in self.columns)
        if pg:  # COPY: one stream per batch
            with cursor.cursor.copy(f"COPY {q(self.table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
        else:
            marks = ", ".join(["?"] * len(self.columns))
            cursor.cursor.executemany(
                f"INSERT INTO {q(self.table)} ({cols}) VALUES ({marks})", [row + tail for row in rows]
            )


def _secondary_indexes(cursor: Any, tables: list[str], pg: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the plain indexes of `tables` that no constraint owns: these
    are dropped for the load and created again afterwards (faster than maintaining them row by row)."""
    if pg:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname)",
            [tables],
        )
    else:
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%%'",
            tables,
        )
    return [(name, sql) for name, sql in cursor.fetchall()]


def generate(n: int) -> None:
    from django.db import connection, transaction

    from onewindow.cases import numbers
    from onewindow.cases.models import Case, CaseEvent, CasePause, CaseStep, CorrectionRequest, Status
    from onewindow.cases.services import PUBLIC_ACTIONS
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items
    from onewindow.org.models import User

    pg = connection.vendor == "postgresql"
    clerk = User.objects.get(username="clerk")
    center = clerk.center
    assert center is not None
    versions = list(
        published_items(center=center)
        .filter(handling_type=ServiceItemVersion.HandlingType.PROMISED)
        .prefetch_related("steps")
    )
    plans = []
    for v in versions:
        process = [
            (s.name, s.kind, s.post_id, v.department_id, s.limit_days, s.on_site) for s in v.steps.all()
        ]
        if not 4 <= len(process) <= 5:
            continue
        # the demo's processes have 4-5 steps; variants with one or two more review steps give 4-7
        review = process[1]
        for extra in ((), ("复核",), ("复核", "会签")):
            more = [(name, *review[1:]) for name in extra]
            plans.append(
                (v.pk, v.department_id, v.promised_limit, v.legal_limit, process[:-1] + more + process[-1:])
            )
    if not plans:
        raise SystemExit("the demo has no promised item with 4 or 5 steps")
    have = Case.objects.count()
    todo = n - have
    if todo <= 0:
        print(f"  reusing {have:,} cases", flush=True)
        return

    def top(model: Any) -> int:
        return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    case_id, step_id, event_id, pause_id, corr_id = (
        top(m) for m in (Case, CaseStep, CaseEvent, CasePause, CorrectionRequest)
    )
    print(
        f"  generating {todo:,} cases ({have:,} present) over {len(plans)} item versions "
        f"({min(len(p[4]) for p in plans)}-{max(len(p[4]) for p in plans)} steps)",
        flush=True,
    )
    cases_t = Table(
        Case,
        (
            "id", "center_id", "item_version_id", "department_id", "number", "receipt_number", "channel",
            "status", "version", "applicant_kind", "applicant_name", "applicant_id_type",
            "applicant_id_number", "applicant_phone", "applicant_address", "delivery_method",
            "received_at", "accepted_at", "accepted_on", "completed_at", "promised_limit", "legal_limit",
            "due_at", "legal_due_at", "warn_at", "active_step_position", "correction_count", "created_at",
            "created_by_id",
        ),
    )  # fmt: skip
    steps_t = Table(
        CaseStep,
        (
            "id", "case_id", "position", "name", "kind", "post_id", "department_id", "limit_days",
            "on_site", "status", "started_at", "finished_at", "due_at", "warn_at", "handler_id", "result",
        ),
    )  # fmt: skip
    events_t = Table(
        CaseEvent,
        (
            "id", "case_id", "seq", "at", "actor_id", "actor_name", "action", "from_status", "to_status",
            "public",
        ),
    )  # fmt: skip
    pauses_t = Table(
        CasePause, ("id", "case_id", "kind", "reason", "started_at", "ended_at", "paused_working_days")
    )
    corr_t = Table(
        CorrectionRequest, ("id", "case_id", "phase", "items", "issued_at", "issued_by_id", "received_at")
    )
    tables = [t.table for t in (cases_t, steps_t, events_t, pauses_t, corr_t)]
    with connection.cursor() as cursor:
        if pg:  # no foreign-key triggers during the load (the rows are consistent by construction)
            cursor.execute("SET session_replication_role = replica")
        else:  # no per-row foreign-key checks, no syncs, a large page cache for the index builds
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = OFF")  # WAL would write every page twice
            cursor.execute("PRAGMA cache_size = -500000")
            cursor.execute("PRAGMA temp_store = MEMORY")
        dropped = _secondary_indexes(cursor, tables, pg)
        for name, _sql in dropped:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    print(f"  dropped {len(dropped)} secondary indexes for the load", flush=True)

    rng = random.Random(2026 + have)
    actor_name = clerk.full_name or clerk.username
    clerk_id, center_id = clerk.pk, center.pk
    code = center.code
    gmtime, strftime = time.gmtime, time.strftime
    stamp_fmt = "%Y-%m-%d %H:%M:%S+00" if pg else "%Y-%m-%d %H:%M:%S"

    stamps: dict[int, str] = {}  # most moments repeat (whole minutes over a few years): format once

    def ts(seconds: int) -> str:
        text = stamps.get(seconds)
        if text is None:
            text = stamps[seconds] = strftime(stamp_fmt, gmtime(seconds))
        return text

    days = 3 * 365 + 1  # acceptance dates spread over three years up to the bench day
    first_day = dt.date(2026, 11, 20) - dt.timedelta(days=days - 1)
    day_start = []  # (day, its 09:00 local = 01:00 UTC in epoch seconds)
    for d in range(days):
        day = first_day + dt.timedelta(days=d)
        day_start.append((day, calendar.timegm(day.timetuple()) + 3600))
    hour = 3600
    pause_kinds = ("testing", "inspection", "hearing", "expert_review", "on_site_survey")
    corr_items = json.dumps([{"material": None, "name": "申请书", "note": "缺少签字"}], ensure_ascii=False)
    c_completed, c_progress, c_accepted, c_suspended = (
        str(Status.COMPLETED),
        str(Status.IN_PROGRESS),
        str(Status.ACCEPTED),
        str(Status.SUSPENDED),
    )
    started = time.perf_counter()
    done = 0
    inserting = 0.0
    while done < todo:
        size = min(BATCH, todo - done)
        cases: list[tuple[Any, ...]] = []
        steps: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        pauses: list[tuple[Any, ...]] = []
        corrections: list[tuple[Any, ...]] = []
        for _ in range(size):
            cid = case_id
            case_id += 1
            # ids follow the acceptance dates, PER_DAY cases a day, as in a real table (and the
            # number indexes grow at their end). (day, sequence) is unique per id; sequences from
            # 500,001 up stay clear of those the services hand out.
            k, r = divmod(cid, PER_DAY)
            day, t0 = day_start[k % days]
            seq_no = 500_001 + r + (k // days) * PER_DAY
            version_id, dept_id, promised, legal, plan = plans[cid % len(plans)]
            applicant = person(rng)
            received = t0 + rng.randint(0, 420) * 60
            accepted = received + rng.randint(5, 40) * 60
            nsteps = len(plan)
            completed = rng.random() < 0.75
            finished_steps = nsteps if completed else rng.randint(1, nsteps - 1)
            suspended = not completed and rng.random() < 0.08
            status = c_completed if completed else (c_suspended if suspended else c_progress)
            due = accepted + (promised * 7 // 5 + 1) * 86400
            legal_due = accepted + (legal * 7 // 5 + 1) * 86400
            corrected = rng.random() < 0.05  # a correction before acceptance, received
            evs = [("receive", "", "received", received)]
            if corrected:
                evs.append(("request_correction", "received", "correction_requested", received + 60))
                evs.append(("receive_correction", "correction_requested", "received", received + 120))
                corrections.append(
                    (corr_id, cid, "before_acceptance", corr_items, ts(received + 60), clerk_id,
                     ts(received + 120))
                )  # fmt: skip
                corr_id += 1
            evs.append(("accept", "received", c_accepted, accepted))
            t = accepted
            step_due = ts(due)
            for pos, (name, kind, post_id, step_dept, limit_days, on_site) in enumerate(plan):
                st_started = ts(t) if pos <= finished_steps else None
                if pos < finished_steps:
                    t += rng.randint(2, 60) * hour
                    steps.append(
                        (step_id, cid, pos, name, kind, post_id, step_dept, limit_days, on_site, "done",
                         st_started, ts(t), step_due, None, clerk_id, "pass")
                    )  # fmt: skip
                    evs.append(("pass_step", c_progress, c_progress, t))
                elif pos == finished_steps:
                    steps.append(
                        (step_id, cid, pos, name, kind, post_id, step_dept, limit_days, on_site, "active",
                         st_started, None, step_due, ts(due - 2 * 86400), None, "")
                    )  # fmt: skip
                else:
                    steps.append(
                        (step_id, cid, pos, name, kind, post_id, step_dept, limit_days, on_site, "pending",
                         None, None, None, None, None, "")
                    )  # fmt: skip
                step_id += 1
            if suspended:
                t += hour
                pauses.append((pause_id, cid, rng.choice(pause_kinds), "送检", ts(t), None, 0))
                pause_id += 1
                evs.append(("start_special_procedure", c_progress, c_suspended, t))
            elif not completed and rng.random() < 0.05:  # an ended pause on some open cases
                pauses.append((pause_id, cid, rng.choice(pause_kinds), "听证", ts(t - hour), ts(t), 1))
                pause_id += 1
            if completed:
                t += hour
                evs.append(("complete", c_progress, c_completed, t))
            for s, (action, frm, to, at) in enumerate(evs, start=1):
                events.append(
                    (
                        event_id,
                        cid,
                        s,
                        ts(at),
                        clerk_id,
                        actor_name,
                        action,
                        frm,
                        to,
                        action in PUBLIC_ACTIONS,
                    )
                )
                event_id += 1
            cases.append(
                (cid, center_id, version_id, dept_id, numbers.format_number(code, day, seq_no),
                 numbers.format_number(code, day, seq_no, receipt=True), "window", status, len(evs),
                 "person", applicant["name"], "resident_id", applicant["id_number"], applicant["phone"],
                 applicant["address"], "pickup", ts(received), ts(accepted), day.isoformat(),
                 ts(t) if completed else None, promised, legal, ts(due), ts(legal_due),
                 None if completed else ts(due - 3 * 86400), None if completed else finished_steps,
                 1 if corrected else 0, ts(received), clerk_id)
            )  # fmt: skip
        t_insert = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cases_t.insert(cursor, cases, pg)
            steps_t.insert(cursor, steps, pg)
            events_t.insert(cursor, events, pg)
            pauses_t.insert(cursor, pauses, pg)
            corr_t.insert(cursor, corrections, pg)
        done += size
        inserting += time.perf_counter() - t_insert
        if done % (BATCH * 10) == 0 or done == todo:
            el = time.perf_counter() - started
            print(
                f"    {have + done:>9,} cases  ({rate(done, el)}; {inserting:.0f} s of {el:.0f} s inserting)",
                flush=True,
            )
    t_idx = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, sql in dropped:
            cursor.execute(sql)
        if pg:
            for name in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT MAX(id) FROM {connection.ops.quote_name(name)}))"
                )
        cursor.execute("ANALYZE")
        if pg:
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA journal_mode = WAL")
    print(
        f"  loaded in {t_idx - started:.0f} s; {len(dropped)} indexes created again and ANALYZE in "
        f"{time.perf_counter() - t_idx:.0f} s",
        flush=True,
    )


def main() -> None:
    django_setup()
    from django.core.management import call_command

    call_command("load_demo", "--no-history", verbosity=0)
    from django.db import connections

    from onewindow.cases.models import Case, CaseEvent, CaseStep

    start = time.perf_counter()
    generate(CASES)
    print(
        f"  data: {Case.objects.count():,} cases, {CaseStep.objects.count():,} steps, "
        f"{CaseEvent.objects.count():,} events ({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    if "--generate-only" in sys.argv:
        return
    rng = random.Random(5)
    top = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = sorted(rng.sample(range(1, top + 1), min(LOOKUP_PATHS, top)))
    rows = Case.objects.filter(id__in=ids).values_list("number", "receipt_number", "applicant_phone")
    tmp = Path(tempfile.mkdtemp(prefix="ow-bench-"))
    lines = [
        f"/api/v1/public/progress?number={number or receipt}&code={phone[-4:]}\n"
        for number, receipt, phone in rows
    ]
    rng.shuffle(lines)
    if "--profile" in sys.argv:
        profile([line.strip() for line in lines])
        return
    (tmp / "paths.txt").write_text("".join(lines))
    (tmp / "bare.json").write_text(json.dumps({"note": "bench"}))
    connections.close_all()
    # 2 gthread workers x 4 threads gave the best lookup figures on the 2-core machine (sync
    # workers 2-4 reached about half); BENCH_WORKERS / BENCH_THREADS override, for both endpoints
    workers, threads = os.environ.get("BENCH_WORKERS", "2"), os.environ.get("BENCH_THREADS", "4")
    print(
        f"  gunicorn: {workers} {'sync' if threads == '1' else 'gthread'} workers"
        + (f" x {threads} threads" if threads != "1" else "")
        + f"; load average before: {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    server = Gunicorn(port=PORT, workers=int(workers), threads=int(threads))
    base = f"http://127.0.0.1:{PORT}"
    paths = {"PATHS": str(tmp / "paths.txt")}
    body = {"BODY": str(tmp / "bare.json")}
    try:
        wrk(f"{base}/", "get_paths.lua", seconds=2, env=paths)  # warm-up
        bare = wrk(f"{base}/bench/bare/insert", "post_json.lua", seconds=SECONDS, env=body)
        many = wrk(f"{base}/", "get_paths.lua", seconds=SECONDS, env=paths)
        bare_one = wrk(
            f"{base}/bench/bare/insert", "post_json.lua", seconds=SECONDS, connections=1, threads=1, env=body
        )
        one = wrk(f"{base}/", "get_paths.lua", seconds=SECONDS, connections=1, threads=1, env=paths)
    finally:
        server.stop()
    print(bare.line("bare Ninja endpoint inserting one row (16)"))
    print(many.line("GET /api/v1/public/progress (16 clients)") + f"  ({many.rps / bare.rps:.0%} of bare)")
    print(bare_one.line("bare Ninja endpoint inserting one row (1)"))
    print(one.line("GET /api/v1/public/progress (1 client)") + f"  ({one.rps / bare_one.rps:.0%} of bare)")
    print(f"  load average after: {os.getloadavg()[0]:.2f}")
    ok16 = many.rps >= 400 and many.p99_ms <= 100 and not many.errors_status
    ok1 = one.p50_ms <= 5 and not one.errors_status
    print(f"  target 16 clients >= 400 lookups/s, p99 <= 100 ms: {'MET' if ok16 else 'NOT MET'}")
    print(f"  target single client p50 <= 5 ms: {'MET' if ok1 else 'NOT MET'}")


def profile(paths: list[str]) -> None:
    """`--profile`: the lookups through the whole WSGI stack (middleware, Ninja, the selector,
    the JSON), in this process, under cProfile; the time per request and where it goes."""
    import cProfile
    import io
    import pstats

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    def call(path: str) -> int:
        url, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(PORT),
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": f"127.0.0.1:{PORT}",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        status: list[str] = []

        def start_response(code: str, headers: Any, *exc: Any) -> Any:
            status.append(code)

        body = b"".join(app(environ, start_response))
        if not status[0].startswith("200") or not body:
            raise SystemExit(f"{path}: {status[0]}")
        return len(body)

    for path in paths[:200]:  # warm-up: imports, translations, the connection
        call(path)
    sample = paths[200:2200]
    start = time.perf_counter()
    for path in sample:
        call(path)
    plain = (time.perf_counter() - start) / len(sample)
    profiler = cProfile.Profile()
    profiler.enable()
    for path in sample:
        call(path)
    profiler.disable()
    print(f"  {len(sample):,} lookups in-process: {plain * 1000:.2f} ms each (without the profiler)")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue())


if __name__ == "__main__":
    main()
