"""Intake at the window and online: validation, the three answers, instant items, messages."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases import services
from onewindow.cases.applicants import is_valid_resident_id, is_valid_uscc, uscc_check
from onewindow.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNumberSequence,
    CaseStep,
    CorrectionRequest,
    Notice,
)
from onewindow.cases.tests.conftest import (
    act,
    all_materials,
    applicant,
    at,
    handler,
    intake,
    item,
    items_of,
    local,
    reach,
    submit_online,
)
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.notifications.models import OutboxMessage
from tests.factories import make_item


def messages(case: Case) -> list[str]:
    return list(
        OutboxMessage.objects.filter(related_type="cases.case", related_id=str(case.pk))
        .order_by("id")
        .values_list("template_code", flat=True)
    )


def nothing_written() -> None:
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert CaseNumberSequence.objects.filter(last__gt=0).count() == 0


@pytest.mark.django_db
def test_accept_registers_numbers_steps_materials_notice_and_message(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        case = intake(cx, version, window=cx.general_window)
    assert case.status == "accepted" and case.version == 2
    assert case.number.startswith("DEMO20260930000001") and case.receipt_number.startswith(
        "RDEMO20260930000001"
    )
    assert case.window == cx.general_window and case.department == cx.dept_a
    assert (case.promised_limit, case.legal_limit) == (version.promised_limit, version.legal_limit)
    events = list(case.events.order_by("seq").values_list("seq", "action", "from_status", "to_status"))
    assert events == [(1, "receive", "", "received"), (2, "accept", "received", "accepted")]
    steps = list(CaseStep.objects.filter(case=case).values_list("position", "status"))
    assert steps == [(1, "done"), (2, "active"), (3, "pending"), (4, "pending"), (5, "pending")]
    assert case.active_step_position == 2  # the acceptance finished the 受理 step
    accepted, review = CaseStep.objects.filter(case=case, position__in=(1, 2)).order_by("position")
    assert (accepted.handler, accepted.result) == (cx.user("clerk"), "pass")
    assert accepted.finished_at is not None and review.started_at == accepted.finished_at
    assert review.due_at == local("2026-10-12 23:59:59")  # its own 4 working days (10-10 adjusted)
    assert case.events.get(action="accept").data["next_step"] == "审查"
    assert CaseMaterial.objects.filter(case=case, received=True).count() == 3
    notice = Notice.objects.get(case=case)
    assert notice.kind == "acceptance" and notice.data["case_number"] == case.number
    assert notice.number == f"{case.number}-A01" and notice.data["receipt_number"] == case.receipt_number
    assert case.events.get(action="accept").data["number"] == case.number
    assert notice.data["due_date"] == "2026-10-20"
    assert messages(case) == ["case_accepted"]
    body = OutboxMessage.objects.get(related_id=str(case.pk)).body
    assert case.number in body and "2026年10月20日" in body


@pytest.mark.django_db
def test_numbers_are_taken_last_so_their_row_lock_covers_only_the_writes(cx: Any) -> None:
    """Every intake of a center locks the same sequence rows until its commit: after taking a
    number it only writes (no reads but the numbers' own, no other work waiting on the database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = item(cx)
    with at("2026-09-30 10:00"):
        intake(cx, version)  # warms the caches (templates, the item's snapshot)
        with CaptureQueriesContext(connection) as queries:
            case = intake(cx, version)
    sql = [q["sql"] for q in queries.captured_queries]
    first = next(i for i, q in enumerate(sql) if "casenumbersequence" in q)
    after = [q.split()[0].upper() for q in sql[first:] if "casenumbersequence" not in q]
    assert set(after) <= {"UPDATE", "INSERT", "RELEASE", "SAVEPOINT"}, sql[first:]
    # each number: one UPDATE ... RETURNING of its sequence row
    assert sum("casenumbersequence" in q for q in sql) == 2
    assert case.number.startswith("DEMO20260930000002")


@pytest.mark.django_db
def test_accept_with_a_required_material_missing_needs_a_note(cx: Any) -> None:
    version = item(cx)
    first, *others = list(version.materials.all())
    partial = [{"material": m.pk} for m in others]
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, materials=partial)
    assert exc.value.code == "missing_required_material"
    assert exc.value.details["materials"] == [first.name]
    nothing_written()
    case = intake(cx, version, materials=partial, note="原件已核验,复印件后补")
    accept = case.events.get(action="accept")
    assert accept.data["missing_required"] == [first.name]
    assert not CaseMaterial.objects.get(case=case, material=first).received


@pytest.mark.django_db
def test_correction_notice_lists_every_item_from_the_items_own_list(cx: Any) -> None:
    version = item(cx)
    other = item(cx)
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, action="correct", correction_items=[])
    assert "correction_items" in exc.value.details
    with pytest.raises(ValidationFailed) as exc:
        intake(
            cx,
            version,
            action="correct",
            correction_items=[{"material": other.materials.first().pk, "note": "x"}],
        )
    assert "correction_items.0.material" in exc.value.details
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, action="correct", correction_items=[{"material": version.materials.first().pk}])
    assert "correction_items.0.note" in exc.value.details
    nothing_written()

    case = intake(cx, version, action="correct", correction_items=items_of(version, 2))
    assert case.status == "correction_requested" and case.number is None and case.correction_count == 1
    request = CorrectionRequest.objects.get(case=case)
    assert request.phase == "before_acceptance" and [i["name"] for i in request.items] == [
        "申请书",
        "营业执照",
    ]
    assert Notice.objects.get(case=case).kind == "correction"
    assert messages(case) == ["case_correction_requested"]
    assert "申请书" in OutboxMessage.objects.get(related_id=str(case.pk)).body


@pytest.mark.django_db
def test_second_correction_needs_a_reason_and_is_flagged(cx: Any) -> None:
    version = item(cx)
    case = intake(cx, version, action="correct", correction_items=items_of(version))
    case = act(case, "receive_correction", cx.user("clerk"), materials=[version.materials.first().pk])
    with pytest.raises(ValidationFailed) as exc:
        act(case, "request_correction", cx.user("clerk"), items=items_of(version))
    assert exc.value.code == "reason_required"
    case = act(
        case,
        "request_correction",
        cx.user("clerk"),
        items=items_of(version),
        reason="复印件不清晰,首次未发现",
    )
    assert case.correction_count == 2
    event = case.events.order_by("-seq").first()
    assert event.data["repeat_correction"] is True and event.data["correction_number"] == 2
    first = case.events.get(action="request_correction", seq=2)
    assert "repeat_correction" not in first.data


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_states_the_rights(cx: Any) -> None:
    version = item(cx)
    with pytest.raises(ValidationFailed):
        intake(cx, version, action="refuse", note="  ")
    nothing_written()
    case = intake(cx, version, action="refuse", note="不属于本机关职权范围")
    assert case.status == "refused" and case.due_at is None and case.number is None
    notice = Notice.objects.get(case=case)
    assert notice.kind == "refusal" and "行政复议" in notice.data["rights_statement"]
    assert messages(case) == ["case_refused"]


@pytest.mark.django_db
def test_instant_item_is_accepted_and_completed_in_one_sitting(cx: Any) -> None:
    version = make_item(cx, handling_type="instant", legal_limit=0, promised_limit=0)
    with at("2026-09-30 10:00"):
        case = intake(cx, version)
    assert case.status == "completed" and case.is_instant and case.decision == "granted"
    assert list(case.events.order_by("seq").values_list("action", flat=True)) == [
        "receive",
        "accept",
        "pass_step",
        "complete",
    ]
    assert case.version == 4
    assert case.due_at.date().isoformat() == "2026-09-30"
    assert messages(case) == ["case_accepted", "case_completed", "case_ready_for_pickup"]


@pytest.mark.django_db
def test_applicant_validation(cx: Any) -> None:
    version = item(cx)
    bad = applicant(id_number="110101199003071230", phone="12345", kind="alien", address="x" * 201)
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, applicant=bad)
    assert set(exc.value.details) == {
        "applicant.kind",
        "applicant.id_number",
        "applicant.phone",
        "applicant.address",
    }
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, applicant=applicant(id_number="110101199003071230"))
    assert set(exc.value.details) == {"applicant.id_number"}
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, applicant=applicant(kind="enterprise"))
    assert "applicant.id_type" in exc.value.details
    nothing_written()
    body = "91350100M000100Y4"[:17]
    code = body + uscc_check(body)
    assert is_valid_uscc(code) and not is_valid_uscc(body + ("0" if code[-1] != "0" else "1"))
    case = intake(
        cx,
        version,
        applicant=applicant(
            kind="enterprise", id_type="uscc", id_number=code, name="某某公司", legal_rep_name="王五"
        ),
    )
    assert case.applicant_id_number == code and case.legal_rep_name == "王五"
    case = intake(cx, version, applicant=applicant(phone="+86 138-1234-5678"))
    assert case.applicant_phone == "13812345678"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("11010519491231002X", True),  # the GB 11643 example
        ("11010519491231002x", True),
        ("110105194912310021", False),
        ("110105194913310028", False),  # month 13
        ("11010519491231002", False),
    ],
)
def test_resident_id_checksum(value: str, valid: bool) -> None:
    assert is_valid_resident_id(value) is valid


@pytest.mark.django_db
def test_material_ids_must_belong_to_the_item_version(cx: Any) -> None:
    version = item(cx)
    other = item(cx)
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, materials=[{"material": other.materials.first().pk}])
    assert "materials.0.material" in exc.value.details
    with pytest.raises(ValidationFailed):
        intake(cx, version, materials=[{"name": ""}])
    nothing_written()
    case = intake(cx, version, materials=[*all_materials(version), {"name": "授权委托书", "copies": 2}])
    assert CaseMaterial.objects.filter(case=case, material__isnull=True, name="授权委托书").exists()


@pytest.mark.django_db
def test_unknown_item_channel_agent_and_green_channel(cx: Any) -> None:
    version = item(cx)
    with pytest.raises(NotFound):
        intake(cx, version, item_code="NOPE")
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, channel="fax")
    assert "channel" in exc.value.details
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, channel="agent")
    assert "agent" in exc.value.details
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, version, green_channel=True)
    assert "green_channel_handler" in exc.value.details
    nothing_written()
    agent = {"name": "李四", "id_number": "11010519491231002X", "phone": "13900001111"}
    case = intake(
        cx,
        version,
        channel="agent",
        agent=agent,
        green_channel=True,
        green_channel_handler=cx.user("scjg-chief"),
    )
    assert (
        case.agent_name == "李四"
        and case.green_channel
        and case.green_channel_handler == cx.user("scjg-chief")
    )
    plain = make_item(cx)
    with pytest.raises(ValidationFailed) as exc:
        intake(cx, plain, green_channel=True, green_channel_handler=cx.user("scjg-chief"))
    assert "green_channel" in exc.value.details


@pytest.mark.django_db
def test_online_submission_and_pre_review(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-29 20:00"):
        case = submit_online(cx, version)
    assert case.status == "submitted" and case.channel == "online" and case.received_at is None
    assert case.receipt_number.startswith("RDEMO20260929")
    # the 5 working days to answer run from the submission (9-30, 10-8, 10-9, 10-10, 10-12)
    assert case.answer_due_at == local("2026-10-12 23:59:59.999999")
    with at("2026-09-30 09:00"):
        case = act(case, "pre_review_pass", cx.user("clerk"))
    assert case.status == "received" and case.answer_due_at == local("2026-10-12 23:59:59.999999")
    case = act(case, "accept", cx.user("clerk"))
    assert case.status == "accepted" and case.number
    not_online = make_item(cx)
    with pytest.raises(ValidationFailed):
        submit_online(cx, not_online)


@pytest.mark.django_db
def test_online_submission_can_be_refused_or_corrected(cx: Any) -> None:
    version = item(cx)
    case = submit_online(cx, version)
    case = act(case, "request_correction", cx.user("clerk"), items=items_of(version))
    assert case.status == "correction_requested"
    case = submit_online(cx, version)
    case = act(case, "refuse", cx.user("clerk"), reason="重复申请")
    assert case.status == "refused"


@pytest.mark.django_db
def test_full_journey_messages_and_early_completion(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        case = reach(cx, version, "certificate_issued")
        case = act(case, "complete", cx.user("clerk"))
    assert case.completed_at is not None
    assert messages(case) == ["case_accepted", "case_completed_early", "case_ready_for_pickup"]
    on_time = item(cx, promised_limit=0)
    with at("2026-09-01 10:00"):
        case = reach(cx, on_time, "completed")
    assert messages(case)[1] == "case_completed"  # completed on the deadline's day: not early


@pytest.mark.django_db
def test_return_step_reactivates_the_earlier_step_for_its_handler(cx: Any) -> None:
    version = item(cx)
    case = reach(cx, version, "in_progress")  # the acceptance and 审查 done: now at 审核
    with pytest.raises(ValidationFailed):
        act(case, "return_step", handler(cx, case), to_position=3, reason="x")
    case = act(case, "return_step", handler(cx, case), to_position=2, reason="材料需补充核查")
    steps = {s.position: s for s in CaseStep.objects.filter(case=case)}
    assert steps[2].status == "active" and steps[2].assignee == cx.user("scjg-reviewer")
    assert steps[3].status == "returned" and steps[3].result == "return"
    assert case.active_step_position == 2
    event = case.events.order_by("-seq").first()
    assert event.action == "return_step" and event.data["reason"] == "材料需补充核查" and not event.public
    # passing the earlier step again brings the case back to the step that returned it
    case = act(case, "pass_step", handler(cx, case), opinion="已补充核查")
    steps = {s.position: s for s in CaseStep.objects.filter(case=case)}
    assert case.active_step_position == 3
    assert steps[3].status == "active" and steps[3].result == "" and steps[4].status == "pending"


@pytest.mark.django_db
def test_deny_skips_the_rest_and_records_reasons_and_rights(cx: Any) -> None:
    version = item(cx)
    case = reach(cx, version, "decided_denied")
    assert case.decision == "denied" and case.decided_at is not None
    assert CaseStep.objects.get(case=case, position=5).status == "skipped"
    notice = Notice.objects.filter(case=case, kind="decision").get()
    assert notice.data["reasons"] == "不符合条件" and "行政诉讼" in notice.data["rights_statement"]
    case = act(case, "complete", cx.user("clerk"))
    assert case.status == "completed"


@pytest.mark.django_db
def test_deliver_by_mail_needs_a_tracking_number(cx: Any) -> None:
    case = reach(cx, item(cx), "completed")
    with pytest.raises(ValidationFailed):
        act(case, "deliver", cx.user("clerk"), method="mail")
    case = act(case, "deliver", cx.user("clerk"), method="mail", tracking_number="SF100")
    assert case.status == "delivered" and case.tracking_number == "SF100" and case.delivered_at


@pytest.mark.django_db
def test_unknown_parameters_are_refused(cx: Any) -> None:
    case = reach(cx, item(cx), "accepted")
    with pytest.raises(ValidationFailed) as exc:
        act(case, "pass_step", handler(cx, case), opnion="typo")
    assert "opnion" in exc.value.details


@pytest.mark.django_db
def test_intake_permission_and_window_rules(cx: Any) -> None:
    from onewindow.org.models import Window
    from tests.factories import make_user

    version = item(cx)
    with pytest.raises(PermissionDenied):
        intake(cx, version, actor=cx.user("scjg-reviewer"))
    sw_window = Window.objects.create(center=cx.center, code="B01", name="税务窗口", department=cx.dept_b)
    sw_clerk = make_user("sw-clerk", center=cx.center, roles=("window_clerk",), window=sw_window)
    with pytest.raises(PermissionDenied):
        intake(cx, version, actor=sw_clerk)
    with pytest.raises(PermissionDenied):
        intake(cx, version, window=sw_window)
    nothing_written()
    case = intake(cx, version, window=cx.window_a)
    assert case.window == cx.window_a
    assert services.case_intake  # the public entry point


@pytest.mark.django_db
def test_intake_reports_the_applicant_and_the_materials_in_one_round(cx: Any) -> None:
    """A bad phone number and a missing required material without a note: both at once."""
    version = item(cx)
    bad = applicant()
    bad["phone"] = "12345"
    with pytest.raises(ValidationFailed) as caught:
        intake(cx, version, applicant=bad, materials=[])
    assert "applicant.phone" in caught.value.details
    assert set(caught.value.details) - {"applicant.phone"}, caught.value.details  # the materials too
    assert Case.objects.count() == 0
