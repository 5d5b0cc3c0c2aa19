"""Issue 13 §3: joint inspection and joint acceptance (联合踏勘 / 联合验收) of a bundle case — one
appointment for several sub-cases, each department's conclusion, the overall one, the history
of each sub-case, the pause of the items that count it as a special procedure."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.approvals import inspections
from onewindow.approvals.inspection_models import (
    JointInspection,
    JointInspectionCheck,
    JointInspectionParticipant,
    JointInspectionPhoto,
)
from onewindow.cases.models import Case, CaseEvent, CasePause
from onewindow.core import clock
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import build_world

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)
WEDNESDAY_10 = dt.datetime(2026, 3, 4, 10, 0, tzinfo=SH)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHECKLIST = [
    {"point": "消防通道畅通", "clause": "GB 50016 7.1.8", "result": "pass"},
    {"point": "防火门安装", "clause": "GB 50016 6.5.1", "result": "fail", "comment": "二层防火门未闭合"},
]


@pytest.fixture
def frozen():
    with clock.frozen_at(MONDAY) as handle:
        yield handle


@pytest.fixture
def big(org, frozen):
    """A bundle with room on its joint clock (20 working days), items of 2 days each."""
    return build_world(org, promised_limit=20)


def subs(bc) -> dict[str, Any]:
    return {s.item_code: s for s in bc.sub_cases.select_related("case")}


def schedule(world, bc, codes=("SCJG-B1", "GA-B1", "SW-B1"), **kw: Any) -> JointInspection:
    kwargs: dict[str, Any] = {
        "bundle_case": bc.number,
        "kind": "acceptance",
        "at": WEDNESDAY_10,
        "place": "示范市工业园区3号地块",
        "sub_cases": list(codes),
        "actor": world.org.user("scjg-chief"),
    }
    kwargs.update(kw)
    return inspections.joint_inspection_schedule(**kwargs)


def conclusions(bc, **by_code: tuple[bool, str, str]) -> list[dict[str, Any]]:
    rows = subs(bc)
    return [
        {"sub_case": rows[code].pk, "attended": a, "conclusion": c, "comment": comment}
        for code, (a, c, comment) in by_code.items()
    ]


def test_three_departments_each_sub_case_history_has_the_event(big, frozen) -> None:
    bc = big.intake()
    inspection = schedule(big, bc)
    assert inspection.status == "scheduled" and inspection.participants.count() == 3
    assert not CaseEvent.objects.filter(action="record_joint_inspection").exists()
    frozen.move_to(WEDNESDAY_10 + dt.timedelta(hours=6))
    departments = conclusions(
        bc,
        **{
            "SCJG-B1": (True, "pass", ""),
            "GA-B1": (True, "pass_with_conditions", "三十日内整改防火门"),
            "SW-B1": (True, "pass", ""),
        },
    )
    # one department passed only with conditions: the overall conclusion cannot be pass
    with pytest.raises(ValidationFailed) as exc:
        inspections.joint_inspection_record(
            inspection=inspection.pk,
            departments=departments,
            checklist=CHECKLIST,
            overall="pass",
            actor=big.reviewer("SW"),
            version=inspection.version,
        )
    assert "overall" in exc.value.details
    recorded = inspections.joint_inspection_record(
        inspection=inspection.pk,
        departments=departments,
        checklist=CHECKLIST,
        overall="pass_with_conditions",
        actor=big.reviewer("SW"),
        version=inspection.version,
    )
    assert recorded.status == "recorded" and recorded.version == 2
    assert recorded.overall == "pass_with_conditions"
    got = {p.sub_case.item_code: (p.attended, p.conclusion) for p in inspections.participants(recorded)}
    assert got == {
        "SCJG-B1": (True, "pass"),
        "GA-B1": (True, "pass_with_conditions"),
        "SW-B1": (True, "pass"),
    }
    assert [c.result for c in inspections.checks(recorded)] == ["pass", "fail"]
    rows = subs(bc)
    for code, conclusion in (("SCJG-B1", "pass"), ("GA-B1", "pass_with_conditions"), ("SW-B1", "pass")):
        case = Case.objects.get(pk=rows[code].case_id)
        event = case.events.get(action="record_joint_inspection")
        assert event.actor is None and event.from_status == event.to_status == case.status
        assert event.seq == case.version
        assert event.data["inspection_id"] == recorded.pk
        assert event.data["kind"] == "acceptance"
        assert event.data["date"] == "2026-03-04"
        assert event.data["place"] == "示范市工业园区3号地块"
        assert event.data["conclusion"] == conclusion
        assert event.data["overall"] == "pass_with_conditions"
        assert "paused_working_days" not in event.data  # these items do not pause
    assert not CaseEvent.objects.filter(
        case_id=rows["RS-B1"].case_id, action="record_joint_inspection"
    ).exists()


def test_overall_pass_only_when_every_department_attended_and_passed() -> None:
    allowed = inspections.overall_allowed
    assert allowed([(True, "pass"), (True, "pass")]) == ["pass", "pass_with_conditions", "fail"]
    assert allowed([(True, "pass"), (True, "pass_with_conditions")]) == ["pass_with_conditions", "fail"]
    assert allowed([(True, "pass"), (True, "fail")]) == ["fail"]
    assert allowed([(True, "pass"), (False, "")]) == ["fail"]


def test_an_absent_department_is_recorded_as_absent(big, frozen) -> None:
    bc = big.intake()
    inspection = schedule(big, bc, codes=("SCJG-B1", "GA-B1"), kind="inspection")
    frozen.move_to(WEDNESDAY_10 + dt.timedelta(hours=2))
    inspections.joint_inspection_record(
        inspection=inspection,
        departments=conclusions(
            bc, **{"SCJG-B1": (True, "fail", "选址不符合规划"), "GA-B1": (False, "", "")}
        ),
        checklist=CHECKLIST[:1],
        overall="fail",
        actor=big.org.user("scjg-chief"),
        version=1,
    )
    ga_case = subs(bc)["GA-B1"].case
    assert ga_case.events.get(action="record_joint_inspection").data["conclusion"] == "absent"


def test_a_pausing_item_due_moves_by_the_inspection_working_days(big, frozen) -> None:
    bc = big.intake()
    rows = subs(bc)
    before = {code: Case.objects.get(pk=s.case_id).due_at for code, s in rows.items()}
    inspection = schedule(big, bc, pausing_sub_cases=["GA-B1"])
    assert [p.pauses_clock for p in inspections.participants(inspection)] == [False, True, False]
    frozen.move_to(dt.datetime(2026, 3, 6, 16, 0, tzinfo=SH))  # Friday: two working days later
    inspections.joint_inspection_record(
        inspection=inspection,
        departments=conclusions(
            bc, **{"SCJG-B1": (True, "pass", ""), "GA-B1": (True, "pass", ""), "SW-B1": (True, "pass", "")}
        ),
        checklist=CHECKLIST[:1],
        overall="pass",
        actor=big.org.user("scjg-chief"),
        version=1,
    )
    ga = Case.objects.get(pk=rows["GA-B1"].case_id)
    assert ga.due_at == before["GA-B1"] + dt.timedelta(days=2)  # Wed → Fri, both working days
    assert ga.paused_working_days == 2
    pause = CasePause.objects.get(case=ga)
    assert (pause.kind, pause.started_at, pause.paused_working_days) == ("inspection", WEDNESDAY_10, 2)
    event = ga.events.get(action="record_joint_inspection")
    assert event.data["paused_working_days"] == 2
    assert JointInspectionParticipant.objects.get(sub_case=rows["GA-B1"]).paused_working_days == 2
    scjg = Case.objects.get(pk=rows["SCJG-B1"].case_id)
    assert scjg.due_at == before["SCJG-B1"] and scjg.paused_working_days == 0


def test_a_sub_case_of_another_bundle_is_refused(big) -> None:
    bc = big.intake()
    other = big.intake()
    foreign = subs(other)["GA-B1"].pk
    with pytest.raises(ValidationFailed) as exc:
        schedule(big, bc, codes=("SCJG-B1", str(foreign)))
    assert "sub_cases" in exc.value.details
    with pytest.raises(ValidationFailed) as exc:
        schedule(big, bc, codes=("SCJG-B1",))
    assert "sub_cases" in exc.value.details  # one department is not a joint inspection
    assert not JointInspection.objects.exists()


def test_bad_input_lists_every_field_and_writes_nothing(big, frozen) -> None:
    bc = big.intake()
    with pytest.raises(ValidationFailed) as exc:
        schedule(big, bc, kind="party", at="tomorrow", place=" ", sub_cases="GA-B1")
    assert set(exc.value.details) >= {"kind", "at", "place", "sub_cases"}
    assert not JointInspection.objects.exists()
    inspection = schedule(big, bc)
    # too early: the inspection has not taken place
    with pytest.raises(ValidationFailed) as exc:
        inspections.joint_inspection_record(
            inspection=inspection,
            departments=conclusions(
                bc,
                **{"SCJG-B1": (True, "pass", ""), "GA-B1": (True, "pass", ""), "SW-B1": (True, "pass", "")},
            ),
            checklist=CHECKLIST,
            overall="pass",
            actor=big.org.user("scjg-chief"),
            version=1,
        )
    assert set(exc.value.details) == {"at"}
    frozen.move_to(WEDNESDAY_10 + dt.timedelta(hours=3))
    with pytest.raises(ValidationFailed) as exc:
        inspections.joint_inspection_record(
            inspection=inspection,
            departments=conclusions(bc, **{"SCJG-B1": (True, "good", ""), "GA-B1": (False, "pass", "")}),
            checklist=[{"point": "", "result": "maybe"}],
            overall="excellent",
            actor=big.org.user("scjg-chief"),
            version=1,
        )
    assert set(exc.value.details) >= {
        "departments.1.conclusion",
        "departments.2.conclusion",
        "departments.3",
        "checklist.1.point",
        "checklist.1.result",
        "overall",
    }
    inspection.refresh_from_db()
    assert inspection.status == "scheduled" and inspection.version == 1
    assert not JointInspectionCheck.objects.exists()
    assert not CaseEvent.objects.filter(action="record_joint_inspection").exists()


def test_stale_version_conflicts_and_strangers_are_refused(big, frozen) -> None:
    bc = big.intake()
    inspection = schedule(big, bc, codes=("SCJG-B1", "GA-B1"), actor=big.reviewer("GA"))
    # RS takes no part and is not the lead department's chief
    with pytest.raises(PermissionDenied):
        inspections.joint_inspection_cancel(
            inspection=inspection, reason="改期", actor=big.reviewer("RS"), version=1
        )
    with pytest.raises(PermissionDenied):
        schedule(big, bc, codes=("SCJG-B1", "GA-B1"), actor=big.reviewer("RS"))
    cancelled = inspections.joint_inspection_cancel(
        inspection=inspection, reason="申请人要求改期", actor=big.reviewer("GA"), version=1
    )
    assert cancelled.status == "cancelled" and cancelled.version == 2
    with pytest.raises(Conflict):
        inspections.joint_inspection_cancel(
            inspection=inspection, reason="再次取消", actor=big.reviewer("GA"), version=1
        )
    frozen.move_to(WEDNESDAY_10 + dt.timedelta(hours=1))
    with pytest.raises(Conflict):
        inspections.joint_inspection_record(
            inspection=inspection,
            departments=[],
            checklist=CHECKLIST,
            overall="pass",
            actor=big.reviewer("GA"),
            version=1,
        )


# --- the staff pages -------------------------------------------------------------------------------


def test_staff_pages_schedule_record_and_read(big, frozen, client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    bc = big.intake()
    rows = subs(bc)
    client.force_login(big.org.user("scjg-chief"))
    url = f"/staff/bundles/{bc.number}/inspections/new/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<script>" not in text and " style=" not in text and "onclick" not in text
    # bad input: the form again with the errors, nothing written
    bad = client.post(
        url, {"kind": "acceptance", "at": "2026-03-04T10:00", "place": "", "sub_cases": [rows["GA-B1"].pk]}
    )
    assert bad.status_code == 422 and not JointInspection.objects.exists()
    done = client.post(
        url,
        {
            "kind": "acceptance",
            "at": "2026-03-04T10:00",
            "place": "3号地块",
            "sub_cases": [rows["SCJG-B1"].pk, rows["GA-B1"].pk],
            "pausing_sub_cases": [rows["GA-B1"].pk],
        },
    )
    inspection = JointInspection.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/inspections/{inspection.pk}/")
    assert inspection.at == WEDNESDAY_10
    read = client.get(done["Location"])
    assert read.status_code == 200 and "3号地块" in read.content.decode()
    frozen.move_to(WEDNESDAY_10 + dt.timedelta(hours=5))
    client.force_login(big.org.user("scjg-chief"))  # the session timed out meanwhile
    record_url = f"/staff/bundles/{bc.number}/inspections/{inspection.pk}/record/"
    assert client.get(record_url).status_code == 200
    posted = {
        "version": "1",
        "dept-1-attended": "yes",
        "dept-1-conclusion": "pass",
        "dept-2-attended": "yes",
        "dept-2-conclusion": "fail",
        "dept-2-comment": "消防设施未验收",
        "check-3-point": "消防设施",
        "check-3-result": "fail",
        "overall": "pass",
    }
    refused = client.post(record_url, posted)
    assert refused.status_code == 422
    # a photo that is no image: refused with the row's error, nothing written
    fake = SimpleUploadedFile("现场.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    refused = client.post(record_url, {**posted, "overall": "fail", "check-3-photos": fake})
    assert refused.status_code == 422 and 'data-testid="inspection-record-form"' in refused.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "scheduled" and not JointInspectionCheck.objects.exists()
    posted["overall"] = "fail"
    posted["check-3-photos"] = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    recorded = client.post(record_url, posted)
    assert recorded.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "recorded" and inspection.overall == "fail"
    assert [c.point for c in inspection.checks.all()] == ["消防设施"]
    read = client.get(recorded["Location"]).content.decode()
    assert "消防设施未验收" in read
    photo = JointInspectionPhoto.objects.get()
    assert photo.check_point.point == "消防设施" and photo.case_file.case_id == rows["SCJG-B1"].case_id
    assert photo.case_file.original_name in read
    # stale version: 409
    assert client.post(record_url, posted).status_code == 409


def test_staff_pages_hide_a_bundle_outside_the_scope(big, client) -> None:
    bc = big.intake()
    client.force_login(big.org.user("clerk"))
    assert client.get(f"/staff/bundles/{bc.number}/inspections/new/").status_code in (200, 404)
    client.force_login(big.org.user("sw-chief"))
    page = client.get(f"/staff/bundles/{bc.number}/inspections/new/")
    assert page.status_code == 200  # SW has a sub-case in the bundle: it sees it
    assert client.get("/staff/bundles/XX/inspections/new/").status_code == 404
