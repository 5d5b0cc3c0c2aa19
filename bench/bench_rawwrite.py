"""The sweep's record inserts, ORM against onewindow.core.rawwrite, 10,000 rows per model.

For each model the sweep writes (flags, reminders, supervision orders, accountability records),
alternately (ORM, raw, ORM, raw, …; BENCH_PAIRS pairs, default 3) in the same run: the rows are
deleted, then 10,000 rows (one crossing each) are written in one transaction, timed, as
`Model.objects.bulk_create([Model(**row) …], ignore_conflicts=True)` or as
`rawwrite.insert(Model, rows)`. Prints the median of each and the ORM/raw ratio; the decision
rule (issue 10): where the ORM costs less than 20 % more, the sweep uses the ORM.

Its own scratch database: `$ONEWINDOW_VAR_DIR/rawwrite/` or `onewindow_bench_rawwrite`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if "DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/onewindow_bench_rawwrite"
else:
    _var = Path(
        os.environ.get("ONEWINDOW_VAR_DIR") or Path(__file__).resolve().parent.parent / "var" / "bench"
    )
    os.environ["ONEWINDOW_VAR_DIR"] = str(_var / "rawwrite")

from setup_db import django_setup

N = int(os.environ.get("BENCH_N", "10000"))
PAIRS = int(os.environ.get("BENCH_PAIRS", "3"))
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def parents() -> dict[str, Any]:
    """One center, department, post, item, case and active step (the FK targets of every row)."""
    from onewindow.cases.models import Case, CaseStep
    from tests.factories import build_org, make_item

    org = build_org("RW")
    version = make_item(org, code="RW1")
    clerk = org.user("clerk") if "clerk" in org.users else next(iter(org.users.values()))
    case = Case.objects.create(
        center=org.center,
        window=org.general_window,
        item_version=version,
        department=org.dept_a,
        receipt_number="RWBENCH0001",
        number="RWBENCH0001",
        channel="window",
        status="in_progress",
        applicant_kind="person",
        applicant_name="bench",
        applicant_id_type="resident_id",
        applicant_id_number="110101199003071234",
        applicant_phone="13812345678",
        promised_limit=10,
        legal_limit=20,
        created_at=NOW,
        created_by=clerk,
    )
    post = next(iter(org.posts.values()))
    step = CaseStep.objects.create(
        case=case,
        position=1,
        name="review",
        kind="review",
        post=post,
        department=org.dept_a,
        limit_days=3,
        status="active",
        due_at=NOW,
    )
    return {"case": case, "step": step, "post": post, "dept": org.dept_a, "clerk": clerk}


def rows_for(model: Any, p: dict[str, Any]) -> list[dict[str, Any]]:
    from onewindow.supervision.models import Flag, Reminder, SupervisionOrder

    c, s, d = p["case"].pk, p["step"].pk, p["dept"].pk
    due = NOW - dt.timedelta(hours=1)
    if model is Flag:
        return [
            {
                "case_id": c,
                "step_id": s,
                "department_id": d,
                "level": "red",
                "kind": "step_red",
                "key": f"k{i}",
                "due_at": due,
                "raised_at": NOW,
                "detail": {"number": "RWBENCH0001", "step": "review", "due_at": due.isoformat()},
            }
            for i in range(N)
        ]
    if model is Reminder:
        return [
            {
                "case_id": c,
                "step_id": s,
                "post_id": p["post"].pk,
                "department_id": d,
                "handler_id": p["clerk"].pk,
                "key": f"k{i}",
                "created_at": NOW,
            }
            for i in range(N)
        ]
    if model is SupervisionOrder:
        return [
            {
                "case_id": c,
                "department_id": d,
                "key": f"step{s}:k{i}",
                "demand": "Step review is overdue: finish it and explain the delay.",
                "issued_at": NOW,
                "reply_due_at": NOW + dt.timedelta(days=3),
            }
            for i in range(N)
        ]
    return [
        {
            "case_id": c,
            "step_id": s,
            "post_id": p["post"].pk,
            "person_id": p["clerk"].pk,
            "department_id": d,
            "key": f"k{i}",
            "reason": "Step review of case RWBENCH0001 passed its deadline 2026-03-02 16:00.",
            "created_at": NOW,
        }
        for i in range(N)
    ]


def fresh_database() -> None:
    """Made anew on every run."""
    if "DATABASE_URL" in os.environ:
        import psycopg

        url = os.environ["DATABASE_URL"]
        name = url.rsplit("/", 1)[1]
        base = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}"')
    else:
        import shutil

        shutil.rmtree(os.environ["ONEWINDOW_VAR_DIR"], ignore_errors=True)
        Path(os.environ["ONEWINDOW_VAR_DIR"]).mkdir(parents=True)


def main() -> None:
    fresh_database()
    django_setup()
    from django.db import connection, transaction

    from onewindow.core import rawwrite
    from onewindow.supervision.models import AccountabilityRecord, Flag, Reminder, SupervisionOrder

    models = (Flag, Reminder, SupervisionOrder, AccountabilityRecord)
    with transaction.atomic():
        for model in models:
            model.objects.all().delete()
    p = parents()

    def empty(model: Any) -> None:  # (TRUNCATE: no dead index entries left for the next run)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}"
            )

    def orm(model: Any, rows: list[dict[str, Any]]) -> None:
        model.objects.bulk_create([model(**row) for row in rows], ignore_conflicts=True)

    def raw(model: Any, rows: list[dict[str, Any]]) -> None:
        rawwrite.insert(model, rows)

    print(f"database: {connection.vendor}; {N:,} rows per write, {PAIRS} alternating pairs")
    for model in models:
        times: dict[str, list[float]] = {"orm": [], "raw": []}
        for pair in range(PAIRS):  # (which goes first alternates too)
            order = (("orm", orm), ("raw", raw)) if pair % 2 == 0 else (("raw", raw), ("orm", orm))
            for name, write in order:
                empty(model)
                rows = rows_for(model, p)
                start = time.perf_counter()
                with transaction.atomic():
                    write(model, rows)
                times[name].append(time.perf_counter() - start)
                if model.objects.count() != N:
                    raise SystemExit(f"{model.__name__}: {name} wrote {model.objects.count()} rows")
        o, r = statistics.median(times["orm"]), statistics.median(times["raw"])
        runs = " ".join(
            f"{a * 1000:.0f}/{b * 1000:.0f}" for a, b in zip(times["orm"], times["raw"], strict=True)
        )
        print(
            f"{model.__name__:22s} ORM {o * 1000:7.0f} ms  raw {r * 1000:7.0f} ms  "
            f"ORM/raw {o / r:4.2f}  (pairs ORM/raw ms: {runs})"
        )
        model.objects.all().delete()


if __name__ == "__main__":
    main()
