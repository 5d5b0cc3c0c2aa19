"""The four anomalies the sweep flags for the supervisor: each raised exactly once, for the case
that qualifies, and never for a case that does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import act, at, handler, intake, item, local, reach
from onewindow.supervision.models import Flag
from onewindow.supervision.sweep import sweep


def anomalies(kind: str) -> list[tuple[int, str]]:
    return list(Flag.objects.filter(level="anomaly", kind=kind).values_list("case_id", "key"))


def sweep_twice(when: str) -> int:
    """Two sweeps half a minute apart (the second re-reads the overlap); what the first raised."""
    first = sweep(now=local(when)).counts["anomaly"]
    assert sweep(now=local(when) + dt.timedelta(seconds=30)).counts["anomaly"] == 0
    return first


@pytest.mark.django_db
def test_acceptance_with_a_required_material_missing(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-01 10:00"):
        missing = intake(cx, version, materials=[], note="申请人承诺三日内补交")
        complete = intake(cx, version)
    assert sweep_twice("2026-09-01 10:05") == 1
    [(case_id, _key)] = anomalies("missing_required_material")
    assert case_id == missing.pk and case_id != complete.pk
    flag = Flag.objects.get(case=missing, kind="missing_required_material")
    assert flag.detail["number"] == missing.number and flag.detail["missing"]
    assert flag.department_id == missing.department_id and flag.resolved_at is None


@pytest.mark.django_db
def test_a_second_correction_request(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    material = version.materials.first()
    with at("2026-09-01 10:00"):
        twice = intake(cx, version)
        once = intake(cx, version)
    with at("2026-09-02 10:00"):
        for case in (twice, once):
            act(
                case,
                "request_processing_correction",
                handler(cx, case),
                items=[{"material": material.pk, "note": "模糊"}],
            )
            act(case, "receive_processing_correction", cx.user("clerk"), materials=[material.pk])
    assert sweep_twice("2026-09-02 10:05") == 0  # a first correction request is no anomaly
    with at("2026-09-03 10:00"):
        act(
            twice,
            "request_processing_correction",
            handler(cx, twice),
            items=[{"material": material.pk, "note": "仍模糊"}],
            reason="首次补正后仍不清晰",
        )
    assert sweep_twice("2026-09-03 10:05") == 1
    [(case_id, _key)] = anomalies("repeat_correction")
    assert case_id == twice.pk
    assert Flag.objects.get(kind="repeat_correction").detail["count"] == 2


@pytest.mark.django_db
def test_the_same_return_reason_twice(cx: Any) -> None:
    version = item(cx)
    cases = {}
    reasons = {"same": ("材料需补充核查", "材料需补充核查"), "different": ("材料需补充核查", "签字不全")}
    with at("2026-09-01 10:00"):
        for name in reasons:
            case = reach(cx, version, "in_progress")
            cases[name] = act(case, "pass_step", handler(cx, case), opinion="审查通过")  # now at 审核
        for name, (first, second) in reasons.items():
            case = act(cases[name], "return_step", handler(cx, cases[name]), to_position=2, reason=first)
            case = act(case, "pass_step", handler(cx, case), opinion="已核查")
            case.refresh_from_db()
            assert case.active_step_position > 2
            act(case, "return_step", handler(cx, case), to_position=2, reason=second)
    assert sweep_twice("2026-09-01 10:05") == 1
    [(case_id, _key)] = anomalies("repeat_return_reason")
    assert case_id == cases["same"].pk
    assert Flag.objects.get(kind="repeat_return_reason").detail["reason"] == "材料需补充核查"


@pytest.mark.django_db
def test_a_case_suspended_past_the_expected_end_of_its_special_procedure(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        late = intake(cx, version)
        longer = intake(cx, version)
        ended = intake(cx, version)
        correcting = intake(cx, version)
    sweep(now=local("2026-09-01 10:01"))  # the first sweep: the cursor starts here
    with at("2026-09-01 11:00"):
        for case, days in ((late, 1), (longer, 5), (ended, 1)):
            act(
                case,
                "start_special_procedure",
                handler(cx, case),
                kind="inspection",
                reason="现场核查",
                expected_working_days=days,
            )
        act(
            correcting,
            "request_processing_correction",
            handler(cx, correcting),
            items=[{"material": version.materials.first().pk, "note": "模糊"}],
        )
    with at("2026-09-02 15:00"):
        act(ended, "end_special_procedure", handler(cx, ended))
    # expected end 09-02: not a moment before the day after
    assert sweep_twice("2026-09-02 23:59") == 0
    assert sweep_twice("2026-09-03 00:00") == 1
    [(case_id, key)] = anomalies("pause_overrun")
    assert case_id == late.pk and key.endswith(":2026-09-02")
    # days later (the cursor far behind the expected end) nothing is raised again, and the
    # longer procedure is flagged once its own expected end (09-08) has passed
    assert sweep_twice("2026-09-08 12:00") == 0
    assert sweep_twice("2026-09-09 08:00") == 1
    assert sorted(case_id for case_id, _key in anomalies("pause_overrun")) == sorted([late.pk, longer.pk])
    assert not Flag.objects.filter(case__in=[ended, correcting], level="anomaly").exists()


@pytest.mark.django_db
def test_an_overrun_from_before_the_first_sweep_is_found(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
        act(
            case,
            "start_special_procedure",
            handler(cx, case),
            kind="hearing",
            reason="听证",
            expected_working_days=1,
        )
    # the very first sweep, long after: it reads every running pause once
    assert sweep(now=local("2026-10-20 08:00")).counts["anomaly"] == 1
    assert CaseStep.objects.filter(case=case, status="active").exists()
