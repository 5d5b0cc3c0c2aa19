"""Intake through the service layer: accept with materials, steps, event and outbox message.

Baseline in the same run: one bare row insert per transaction on the same database.
Target (issue 3): >= 500 cases/s on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datagen import person
from setup_db import django_setup, rate

N = int(os.environ.get("BENCH_N", "3000"))


def main() -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("load_demo", verbosity=0)

    from onewindow.cases.services import case_intake
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items
    from onewindow.core import clock
    from onewindow.core.models import AuditEntry
    from onewindow.org.models import User

    clerk = User.objects.get(username="clerk")
    center = clerk.center
    items = list(
        published_items(center=center)
        .filter(handling_type=ServiceItemVersion.HandlingType.PROMISED)
        .prefetch_related("materials")
    )
    payloads = []
    for version in items:
        materials = [{"material": m.id, "received": True} for m in version.materials.all()]
        payloads.append((version.item.code, materials))
    rng = random.Random(7)
    applicants = [person(rng) for _ in range(N)]
    print(f"  catalog: {len(items)} promised items of {center.name}")

    # bare baseline: one row per transaction
    start = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            AuditEntry.objects.create(
                at=clock.now(), action="bench.bare", object_type="bench", object_id=str(i)
            )
    bare = time.perf_counter() - start

    start = time.perf_counter()
    for i in range(N):
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
    intake = time.perf_counter() - start
    print(f"  bare baseline: one-row insert per transaction              {rate(N, bare):>12}")
    print(
        f"  case_intake (accept, materials, steps, event, message)     {rate(N, intake):>12}"
        f"  ({intake / bare:.1f}× baseline time; {intake / N * 1000:.2f} ms/case)"
    )
    ok = N / intake >= 500
    print(f"  target >= 500 cases/s: {'MET' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
