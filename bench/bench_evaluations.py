"""Evaluating a service over HTTP (issue 15 §5): POST /api/v1/public/evaluations under 16
clients (wrk, gunicorn), next to the bare Ninja endpoint measured in the same run, then a check
that every evaluation is one a client submitted and no occasion was evaluated twice.

Window-visit occasions of the demo center are made for the run in bulk (OCCASIONS, default
40 000), each with its own token (the QR code's); every request evaluates a fresh one, one in ten
as a 差评 with an indicator (which opens its rectification). The submission writes the evaluation
row, which is its own record: it does not append to core.audit (whose hash chain serialises writers
on its head row).

Target: >= 300 evaluations/s, p95 <= 100 ms. BENCH_SECONDS (default 10) sets each measurement.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from setup_db import django_setup, timed

PORT = int(os.environ.get("BENCH_PORT", "8768"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
OCCASIONS = int(os.environ.get("BENCH_OCCASIONS", "40000"))


def _occasions(clerk: Any) -> list[int]:
    """OCCASIONS fresh window-visit occasions at the clerk's window, with this run's tickets (an
    earlier run's evaluations stay: their rectification events are append-only)."""
    from onewindow.core import clock
    from onewindow.feedback.models import ServiceOccasion
    from onewindow.feedback.occasions import closes_at

    prefix = f"BENCH{int(time.time()) % 1_000_000:06d}"
    now = clock.now()
    window = clerk.window
    rows = [
        ServiceOccasion(
            ticket=f"{prefix}{i:06d}",
            kind=ServiceOccasion.Kind.WINDOW_VISIT,
            at=now,
            template_kind="offline",
            center_id=clerk.center_id,
            department_id=window.department_id if window is not None else None,
            window=window,
            staff=clerk,
            closes_at=closes_at(now),
        )
        for i in range(OCCASIONS)
    ]
    with timed("occasions created (bulk_create)", OCCASIONS):
        ServiceOccasion.objects.bulk_create(rows, batch_size=2000)
    return list(
        ServiceOccasion.objects.filter(ticket__startswith=prefix).order_by("id").values_list("id", flat=True)
    )


def _verify(ids: list[int]) -> tuple[bool, int, int]:
    from django.db.models import Count

    from onewindow.feedback.models import Evaluation, ServiceOccasion

    evaluations = Evaluation.objects.filter(occasion_id__in=ids)
    total = evaluations.count()
    evaluated = ServiceOccasion.objects.filter(pk__in=ids, evaluated_at__isnull=False).count()
    doubled = (
        evaluations.values("occasion_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )  # the one-to-one column makes this 0; checked all the same
    bad = evaluations.filter(bad=True).count()
    return total == evaluated and not doubled, total, bad


def main() -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import connections
    from httpbench import Gunicorn, bare_baseline, wrk

    from onewindow.feedback.tokens import occasion_token

    call_command("load_demo", "--no-history", verbosity=0)
    from onewindow.org.models import User

    clerk = User.objects.select_related("window").get(username="clerk")
    ids = _occasions(clerk)
    tmp = Path(tempfile.mkdtemp(prefix="ow-bench-eval-"))
    with timed("tokens signed", len(ids)):
        (tmp / "tokens.txt").write_text("\n".join(occasion_token(i) for i in ids) + "\n")
    connections.close_all()
    server = Gunicorn(port=PORT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        bare = bare_baseline(base, tmp, seconds=SECONDS)
        run = wrk(
            f"{base}/api/v1/public/evaluations",
            "evaluate.lua",
            seconds=SECONDS,
            env={"TOKENS": str(tmp / "tokens.txt")},
        )
    finally:
        server.stop()
    ok, total, bad = _verify(ids)
    per_second = total / run.seconds if run.seconds else 0.0
    print(bare.line("bare Ninja endpoint inserting one row"))
    print(run.line("POST /api/v1/public/evaluations (16 clients)") + f"  ({run.rps / bare.rps:.0%} of bare)")
    print(
        f"  {total} evaluations stored = {per_second:.0f}/s, {bad} of them 差评 (each with its rectification)"
    )
    if total >= len(ids):
        print("  WARNING: every prepared occasion was used; raise BENCH_OCCASIONS")
    print(f"  every evaluation submitted by a client, none twice: {'YES' if ok else 'NO'}")
    met = ok and per_second >= 300 and run.p95_ms <= 100 and not run.errors_status and total < len(ids)
    print(f"  target >= 300 evaluations/s, p95 <= 100 ms, only 201 answers: {'MET' if met else 'NOT MET'}")
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
