"""Public progress lookup (GET /api/v1/public/progress?number=…&code=…, no token) with a large
case table: BENCH_CASES (default 1,000,000) realistic cases with their steps and events, bulk
inserted with executemany (not through the services) into a scratch database of its own
(var/bench-lookup, reused while it holds enough cases).

Measured with wrk under gunicorn: 16 concurrent clients, then a single client (-t1 -c1), next to
the bare Ninja insert endpoint in the same run.
Targets (issue 3): >= 400 lookups/s at 16 clients with p99 <= 100 ms; single client p50 <= 5 ms.
"""

from __future__ import annotations

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
else:
    os.environ["ONEWINDOW_VAR_DIR"] = str(ROOT / "var" / "bench-lookup")
# the public lookup is rate limited per address; wrk is one address
os.environ["PROGRESS_LOOKUPS_PER_MINUTE"] = str(10**9)

from datagen import person  # noqa: E402
from httpbench import Gunicorn, wrk  # noqa: E402
from setup_db import django_setup, rate  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "1000000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8767"))
BATCH = 20_000
LOOKUP_PATHS = 20_000


def _columns(model: Any) -> list[Any]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _insert(cursor: Any, model: Any, rows: list[dict[str, Any]], defaults: dict[str, Any]) -> None:
    """executemany INSERT with explicit ids; fields a row does not give take their default."""
    fields = _columns(model)
    names = ["id"] + [f.column for f in fields]
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    from django.db import connection

    params = []
    for row in rows:
        values = [row["id"]]
        for f in fields:
            v = row[f.attname] if f.attname in row else defaults[f.attname]
            values.append(f.get_db_prep_save(v, connection))
        params.append(values)
    cursor.executemany(sql, params)


def _defaults(model: Any) -> dict[str, Any]:
    return {f.attname: (None if f.null and not f.has_default() else f.get_default()) for f in _columns(model)}


def generate(n: int) -> None:
    from django.db import connection, transaction

    from onewindow.cases import numbers
    from onewindow.cases.models import Case, CaseEvent, CaseStep, Status
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items
    from onewindow.org.models import User

    clerk = User.objects.get(username="clerk")
    center = clerk.center
    versions = list(
        published_items(center=center)
        .filter(handling_type=ServiceItemVersion.HandlingType.PROMISED)
        .prefetch_related("steps")
    )
    plans = []
    for v in versions:
        steps = [(s.name, s.kind, s.post_id, v.department_id, s.limit_days, s.on_site) for s in v.steps.all()]
        if steps:
            plans.append((v, steps))
    have = Case.objects.count()
    start_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    step_id = (CaseStep.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    event_id = (CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    todo = n - have
    print(f"  generating {todo:,} cases ({have:,} present), {len(plans)} item versions", flush=True)
    rng = random.Random(2026)
    case_defaults, step_defaults, event_defaults = _defaults(Case), _defaults(CaseStep), _defaults(CaseEvent)
    tz = dt.timezone(dt.timedelta(hours=8))
    first_day = dt.date(2022, 1, 3)
    started = time.perf_counter()
    done = 0
    while done < todo:
        size = min(BATCH, todo - done)
        cases, steps, events = [], [], []
        for k in range(size):
            cid = start_id + done + k
            day = first_day + dt.timedelta(days=(cid * 7919) % 1400)
            # (day, sequence) is unique per id (7919 is prime to 1400); sequences from 500001 up
            # stay clear of those the services hand out
            seq_no = 500_000 + ((cid - 1) // 1400) % 499_999 + 1
            version, plan = plans[cid % len(plans)]
            applicant = person(rng)
            received = dt.datetime.combine(day, dt.time(9, 0), tz) + dt.timedelta(minutes=rng.randint(0, 420))
            accepted = received + dt.timedelta(minutes=rng.randint(5, 40))
            roll = rng.random()
            finished_steps = len(plan) if roll < 0.75 else rng.randint(0, len(plan) - 1)
            completed = finished_steps == len(plan)
            status = (
                Status.COMPLETED if completed else (Status.IN_PROGRESS if finished_steps else Status.ACCEPTED)
            )
            due = accepted + dt.timedelta(days=version.promised_limit * 7 // 5 + 1)
            t = accepted
            case_events = [
                ("receive", "", Status.RECEIVED, received),
                ("accept", Status.RECEIVED, Status.ACCEPTED, accepted),
            ]
            for pos, (name, kind, post_id, dept_id, limit_days, on_site) in enumerate(plan):
                st_started = t if pos <= finished_steps else None
                st_finished = None
                if pos < finished_steps:
                    t = t + dt.timedelta(hours=rng.randint(2, 60))
                    st_finished = t
                    case_events.append(("pass_step", status, status, t))
                steps.append(
                    {
                        "id": step_id,
                        "case_id": cid,
                        "position": pos,
                        "name": name,
                        "kind": kind,
                        "post_id": post_id,
                        "department_id": dept_id,
                        "limit_days": limit_days,
                        "on_site": on_site,
                        "status": "done"
                        if pos < finished_steps
                        else ("active" if pos == finished_steps else "pending"),
                        "started_at": st_started,
                        "finished_at": st_finished,
                        "due_at": due if st_started else None,
                        "result": "pass" if st_finished else "",
                    }
                )
                step_id += 1
            if completed:
                case_events.append(
                    ("complete", Status.IN_PROGRESS, Status.COMPLETED, t + dt.timedelta(hours=1))
                )
            for s, (action, frm, to, at) in enumerate(case_events, start=1):
                events.append(
                    {
                        "id": event_id,
                        "case_id": cid,
                        "seq": s,
                        "at": at,
                        "actor_id": clerk.pk,
                        "actor_name": clerk.full_name or clerk.username,
                        "action": action,
                        "from_status": frm,
                        "to_status": to,
                        "data": {},
                        "public": action in ("receive", "accept", "complete"),
                    }
                )
                event_id += 1
            cases.append(
                {
                    "id": cid,
                    "center_id": center.pk,
                    "window_id": None,
                    "item_version_id": version.pk,
                    "department_id": version.department_id,
                    "number": numbers.format_number(center.code, day, seq_no),
                    "receipt_number": numbers.format_number(center.code, day, seq_no, receipt=True),
                    "channel": "window",
                    "status": status,
                    "version": len(case_events),
                    "applicant_kind": "person",
                    "applicant_name": applicant["name"],
                    "applicant_id_type": "resident_id",
                    "applicant_id_number": applicant["id_number"],
                    "applicant_phone": applicant["phone"],
                    "applicant_address": applicant["address"],
                    "delivery_method": "pickup",
                    "received_at": received,
                    "accepted_at": accepted,
                    "accepted_on": day,
                    "completed_at": t + dt.timedelta(hours=1) if completed else None,
                    "closed_at": None,
                    "promised_limit": version.promised_limit,
                    "legal_limit": version.legal_limit,
                    "due_at": due,
                    "active_step_position": None if completed else finished_steps,
                    "created_at": received,
                    "created_by_id": clerk.pk,
                }
            )
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(cursor, Case, cases, case_defaults)
            _insert(cursor, CaseStep, steps, step_defaults)
            _insert(cursor, CaseEvent, events, event_defaults)
        done += size
        el = time.perf_counter() - started
        print(f"    {have + done:>9,} cases  ({rate(done, el)})", flush=True)


def main() -> None:
    django_setup()
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from django.db import connections

    from onewindow.cases.models import Case, CaseEvent, CaseStep

    start = time.perf_counter()
    generate(CASES)
    print(
        f"  data: {Case.objects.count():,} cases, {CaseStep.objects.count():,} steps, "
        f"{CaseEvent.objects.count():,} events ({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
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
    (tmp / "paths.txt").write_text("".join(lines))
    (tmp / "bare.json").write_text(json.dumps({"note": "bench"}))
    connections.close_all()
    server = Gunicorn(port=PORT)
    base = f"http://127.0.0.1:{PORT}"
    paths = {"PATHS": str(tmp / "paths.txt")}
    try:
        wrk(f"{base}/", "get_paths.lua", seconds=2, env=paths)  # warm-up
        bare = wrk(
            f"{base}/bench/bare/insert",
            "post_json.lua",
            seconds=SECONDS,
            env={"BODY": str(tmp / "bare.json")},
        )
        many = wrk(f"{base}/", "get_paths.lua", seconds=SECONDS, env=paths)
        one = wrk(f"{base}/", "get_paths.lua", seconds=SECONDS, connections=1, threads=1, env=paths)
    finally:
        server.stop()
    print(bare.line("bare Ninja endpoint inserting one row"))
    print(many.line("GET /api/v1/public/progress (16 clients)") + f"  ({many.rps / bare.rps:.0%} of bare)")
    print(one.line("GET /api/v1/public/progress (1 client)"))
    ok16 = many.rps >= 400 and many.p99_ms <= 100 and not many.errors_status
    ok1 = one.p50_ms <= 5 and not one.errors_status
    print(f"  target 16 clients >= 400 lookups/s, p99 <= 100 ms: {'MET' if ok16 else 'NOT MET'}")
    print(f"  target single client p50 <= 5 ms: {'MET' if ok1 else 'NOT MET'}")


if __name__ == "__main__":
    main()
