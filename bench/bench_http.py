"""Intake and a step action through the HTTP API under gunicorn, 16 concurrent clients (wrk on
loopback, 10 s each), next to a bare Django Ninja endpoint that inserts one row, in the same run.

Targets (issue 3): intake and a step action >= 300 requests/s with p95 <= 100 ms.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from datagen import person
from httpbench import Gunicorn, bare_baseline, wrk
from setup_db import django_setup, rate

PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
STEP_CASES = int(os.environ.get("BENCH_STEP_CASES", "8000"))


def main() -> None:
    django_setup()
    from django.core.management import call_command

    call_command("load_demo", "--no-history", verbosity=0)

    from onewindow.cases.models import CaseStep
    from onewindow.cases.services import case_intake
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items
    from onewindow.org.models import User
    from onewindow.org.services import api_token_issue

    clerk = User.objects.get(username="clerk")
    center = clerk.center
    version = (
        published_items(center=center, department_code="SCJG")
        .filter(handling_type=ServiceItemVersion.HandlingType.PROMISED)
        .prefetch_related("materials")
        .first()
    )
    assert version is not None
    materials = [{"material": m.id, "received": True} for m in version.materials.all()]
    rng = random.Random(11)

    # cases waiting at their first active step, for the step-action run
    start = time.perf_counter()
    cases = [
        case_intake(
            actor=clerk,
            item_code=version.item.code,
            center=center,
            applicant=person(rng),
            channel="window",
            materials=materials,
            action="accept",
        )
        for _ in range(STEP_CASES)
    ]
    made = time.perf_counter() - start
    print(
        f"  set-up: {STEP_CASES} accepted cases of {version.item.code} {version.name} "
        f"({rate(STEP_CASES, made)} through the service)"
    )
    step = CaseStep.objects.select_related("post", "department").get(case=cases[0], status="active")
    from onewindow.cases.services import can_handle_step

    candidates = User.objects.filter(center=center, is_active=True).select_related("department")
    handler = next((u for u in candidates if can_handle_step(u, cases[0], step)), None)
    assert handler is not None, f"nobody may handle {step.post} in {step.department}"
    print(f"  step action: {step.name} by {handler.username}")

    _, clerk_token = api_token_issue(user=clerk)
    _, handler_token = api_token_issue(user=handler)
    tmp = Path(tempfile.mkdtemp(prefix="ow-bench-"))
    intake_body = {
        "item_code": version.item.code,
        "applicant": person(rng),
        "channel": "window",
        "materials": materials,
        "action": "accept",
    }
    (tmp / "intake.json").write_text(json.dumps(intake_body, ensure_ascii=False))
    (tmp / "cases.txt").write_text("".join(f"{c.number} {c.version}\n" for c in cases))

    from django.db import connections

    connections.close_all()
    server = Gunicorn(port=PORT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        bare = bare_baseline(base, tmp, seconds=SECONDS)
        intake = wrk(
            f"{base}/api/v1/cases",
            "post_json.lua",
            seconds=SECONDS,
            env={"BODY": str(tmp / "intake.json"), "TOKEN": clerk_token},
        )
        action = wrk(
            base,
            "step_action.lua",
            seconds=SECONDS,
            env={"CASES": str(tmp / "cases.txt"), "TOKEN": handler_token},
        )
    finally:
        server.stop()
    print(bare.line("bare Ninja endpoint inserting one row"))
    print(intake.line("POST /api/v1/cases (intake, accept)") + f"  ({intake.rps / bare.rps:.0%} of bare)")
    print(action.line("POST /api/v1/cases/{n}/actions (pass)") + f"  ({action.rps / bare.rps:.0%} of bare)")
    if action.requests > STEP_CASES:
        print(f"  note: {action.requests} step requests for {STEP_CASES} cases: the rest were repeats (409)")
    for label, r in (("intake", intake), ("step action", action)):
        ok = r.rps >= 300 and r.p95_ms <= 100 and not r.errors_status
        print(f"  target {label} >= 300 req/s, p95 <= 100 ms, no errors: {'MET' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
