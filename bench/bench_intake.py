"""Intake through the service layer: accept with materials, steps, events, notice and outbox message.

Two figures, each next to its bare baseline measured in the same run on the same database (one
row inserted per transaction, the same way):
- one stream: one process calling `case_intake` in a loop (latency of one intake);
- one stream per core: `BENCH_PROCS` processes (default: the number of cores) at once, as the
  clerks of a hall do; SQLite serialises the writes, so this shows what the Python work between
  them leaves free.
Target (issue 3): >= 500 cases/s.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datagen import person
from setup_db import django_setup, rate

N = int(os.environ.get("BENCH_N", "3000"))
PROCS = int(os.environ.get("BENCH_PROCS", str(os.cpu_count() or 2)))
WARM_UP = 200  # the first intake of each item reads its version: not what is measured


def _payloads() -> tuple[Any, Any, list[tuple[str, list[dict[str, Any]]]]]:
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items
    from onewindow.org.models import User

    clerk = User.objects.get(username="clerk")
    center = clerk.center
    items = list(
        published_items(center=center)
        .filter(handling_type=ServiceItemVersion.HandlingType.PROMISED)
        .prefetch_related("materials")
    )
    payloads = [
        (v.item.code, [{"material": m.id, "received": True} for m in v.materials.all()]) for v in items
    ]
    return clerk, center, payloads


def _bare(n: int, tag: str) -> None:
    from django.db import transaction

    from onewindow.core import clock
    from onewindow.core.models import AuditEntry

    for i in range(n):
        with transaction.atomic():
            AuditEntry.objects.create(
                at=clock.now(), action="bench.bare", object_type="bench", object_id=f"{tag}-{i}"
            )


def _intakes(n: int, seed: int) -> None:
    from onewindow.cases.services import case_intake

    clerk, center, payloads = _payloads()
    rng = random.Random(seed)
    applicants = [person(rng) for _ in range(n)]
    for i in range(n):
        code, materials = payloads[i % len(payloads)]
        case_intake(
            actor=clerk,
            item_code=code,
            center=center,
            applicant=applicants[i],
            channel="window",
            materials=materials,
            action="accept",
        )


def _child(kind: str, n: int, seed: int, start: Any, done: Any) -> None:
    from django.db import connections

    connections.close_all()
    if kind == "intake":
        _intakes(min(WARM_UP, n), seed + 1000)  # warm this process's caches first
    start.wait()
    if kind == "intake":
        _intakes(n, seed)
    else:
        _bare(n, f"p{seed}")
    done.put(time.perf_counter())
    connections.close_all()


def _parallel(kind: str, n: int) -> float:
    """Seconds for `n` operations spread over PROCS processes started together."""
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(PROCS + 1)
    done = ctx.Queue()
    per = n // PROCS
    procs = [ctx.Process(target=_child, args=(kind, per, 17 + i, start, done)) for i in range(PROCS)]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    ends = [done.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"a benchmark process failed ({p.exitcode})")
    return max(ends) - began


def main() -> None:
    django_setup()
    from django.core.management import call_command

    call_command("load_demo", "--no-history", verbosity=0)
    _, center, payloads = _payloads()
    print(f"  catalog: {len(payloads)} promised items of {center.name}; {PROCS} processes in parallel")

    _intakes(WARM_UP, 1)  # read every item's version once
    start = time.perf_counter()
    _bare(N, "s")
    bare = time.perf_counter() - start
    start = time.perf_counter()
    _intakes(N, 7)
    intake = time.perf_counter() - start

    bare_par = _parallel("bare", N)
    intake_par = _parallel("intake", N)

    print(f"  one stream:   bare insert per transaction {rate(N, bare):>10}")
    print(
        f"  one stream:   case_intake (accept, materials, steps, events, notice, SMS) {rate(N, intake):>10}"
        f"  ({intake / bare:.1f}x bare time; {intake / N * 1000:.2f} ms/case)"
    )
    n_par = N // PROCS * PROCS
    print(f"  {PROCS} streams:    bare insert per transaction {rate(n_par, bare_par):>10}")
    print(
        f"  {PROCS} streams:    case_intake {rate(n_par, intake_par):>10}"
        f"  ({intake_par / bare_par:.1f}x bare time)"
    )
    best = max(N / intake, n_par / intake_par)
    print(f"  target >= 500 cases/s: {'MET' if best >= 500 else 'NOT MET'} (best {best:,.0f}/s)")


if __name__ == "__main__":
    main()
