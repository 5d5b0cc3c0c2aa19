"""Bundle intake (一件事) with 5 sub-cases next to a single case intake, in the same run and the
same process, through the service layer and over HTTP (gunicorn, wrk).

The bundle is made for the run from five promised demo items of five departments (one phase):
its intake validates the answers, the one form and the de-duplicated materials once, takes the
bundle's number, opens the five sub-cases (each an ordinary intake: number, steps, events,
notice) at one moment and writes the bundle's event, notice and SMS.

Target (issue 13 §6): a bundle of 5 costs at most 5x one intake (aim: at most 4x).
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from datagen import person
from setup_db import django_setup

N = int(os.environ.get("BENCH_N", "300"))  # bundles per round (and N single intakes)
# BENCH_HTTP=0 skips the HTTP part
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CODE = "BENCH5"


def _bundle(center: Any) -> tuple[Any, list[Any]]:
    """A one-phase bundle of five promised items of five departments (made once)."""
    from onewindow.catalog import services as catalog
    from onewindow.catalog.models import ServiceItemVersion
    from onewindow.catalog.selectors import published_items

    versions: list[Any] = []
    seen: set[int] = set()
    for v in (
        published_items(center=center)
        .filter(handling_type=ServiceItemVersion.HandlingType.PROMISED)
        .prefetch_related("materials")
        .order_by("item__code")
    ):
        if v.department_id not in seen:
            seen.add(v.department_id)
            versions.append(v)
        if len(versions) == 5:
            break
    materials: dict[str, set[str]] = {}
    for v in versions:
        for m in v.materials.all():
            if m.requirement == "required":
                materials.setdefault(m.name, set()).add(v.item.code)
    spec = {
        "code": CODE,
        "name": "基准测试一件事（五个部门）",
        "description": "",
        "lead_department_code": versions[0].department.code,
        "promised_limit": max(v.promised_limit for v in versions),
        "phases": [],
        "items": [{"item_code": v.item.code, "phase": None} for v in versions],
        "fields": [
            {
                "key": "company_name",
                "label": "企业名称",
                "field_type": "text",
                "required": True,
                "choices": "",
                "mappings": [{"item_code": v.item.code, "target": "name"} for v in versions],
            }
        ],
        "materials": [
            {
                "name": name,
                "requirement": "required",
                "form": "copy",
                "copies": 1,
                "item_codes": sorted(codes),
            }
            for name, codes in materials.items()
        ],
    }
    catalog.bundle_save(center=center, spec=spec)
    return versions, sorted(materials)


def _service_rounds(clerk: Any, center: Any, versions: list[Any], materials: list[str]) -> None:
    from onewindow.approvals.services import bundle_case_intake
    from onewindow.cases.services import case_intake

    single = versions[0]
    single_materials = [{"material": m.id, "received": True} for m in single.materials.all()]
    rng = random.Random(5)

    def singles(n: int) -> float:
        people = [person(rng) for _ in range(n)]
        start = time.perf_counter()
        for p in people:
            case_intake(
                actor=clerk,
                item_code=single.item.code,
                center=center,
                applicant=p,
                channel="window",
                materials=single_materials,
                action="accept",
            )
        return time.perf_counter() - start

    def bundles(n: int) -> float:
        people = [person(rng) for _ in range(n)]
        start = time.perf_counter()
        for p in people:
            bundle_case_intake(
                actor=clerk,
                center=center,
                bundle_code=CODE,
                answers={},
                applicant=p,
                form={"company_name": p["name"]},
                materials=materials,
                action="accept",
            )
        return time.perf_counter() - start

    singles(50)
    bundles(20)  # warm the caches (item versions, templates)
    for r in range(1, ROUNDS + 1):
        one = singles(N)
        five = bundles(N)
        print(
            f"  round {r}: single intake {one / N * 1000:6.2f} ms   bundle of 5 {five / N * 1000:6.2f} ms"
            f"   = {five / one:.2f}x one intake"
        )


def _http(clerk: Any, center: Any, versions: list[Any], materials: list[str]) -> None:
    from django.db import connections
    from httpbench import Gunicorn, wrk

    from onewindow.org.services import api_token_issue

    _, token = api_token_issue(user=clerk)
    rng = random.Random(9)
    single = versions[0]
    tmp = Path(tempfile.mkdtemp(prefix="ow-bench-bundle-"))
    applicant = person(rng)
    (tmp / "intake.json").write_text(
        json.dumps(
            {
                "item_code": single.item.code,
                "applicant": applicant,
                "channel": "window",
                "materials": [{"material": m.id, "received": True} for m in single.materials.all()],
                "action": "accept",
            },
            ensure_ascii=False,
        )
    )
    (tmp / "bundle.json").write_text(
        json.dumps(
            {
                "bundle_code": CODE,
                "answers": {},
                "applicant": applicant,
                "form": {"company_name": applicant["name"]},
                "materials": materials,
                "action": "accept",
            },
            ensure_ascii=False,
        )
    )
    connections.close_all()
    server = Gunicorn(port=PORT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        wrk(
            f"{base}/api/v1/cases",
            "post_json.lua",
            seconds=2,
            env={"BODY": str(tmp / "intake.json"), "TOKEN": token},
        )
        one = wrk(
            f"{base}/api/v1/cases",
            "post_json.lua",
            seconds=SECONDS,
            env={"BODY": str(tmp / "intake.json"), "TOKEN": token},
        )
        five = wrk(
            f"{base}/api/v1/bundle-cases",
            "post_json.lua",
            seconds=SECONDS,
            env={"BODY": str(tmp / "bundle.json"), "TOKEN": token},
        )
    finally:
        server.stop()
    print(one.line("POST /api/v1/cases (one intake)"))
    print(five.line("POST /api/v1/bundle-cases (5 sub-cases)") + f"  = {one.rps / five.rps:.2f}x one intake")
    ok = not five.errors_status and one.rps / five.rps <= 5
    print(f"  target bundle of 5 <= 5x one intake over HTTP, no errors: {'MET' if ok else 'NOT MET'}")


def main() -> None:
    django_setup()
    from django.core.management import call_command

    call_command("load_demo", "--no-history", verbosity=0)
    from onewindow.org.models import User

    clerk = User.objects.get(username="clerk")
    center = clerk.center
    versions, materials = _bundle(center)
    print(
        f"  bundle {CODE}: "
        + ", ".join(f"{v.item.code} ({v.department.short_name or v.department.name})" for v in versions)
    )
    _service_rounds(clerk, center, versions, materials)
    if os.environ.get("BENCH_HTTP", "1") != "0":
        _http(clerk, center, versions, materials)


if __name__ == "__main__":
    main()
