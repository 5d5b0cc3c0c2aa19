"""Lookups, worklists, scoped lists, history and the public progress view."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases import selectors
from onewindow.cases.facts import status_label
from onewindow.cases.tests.conftest import act, at, handler, intake, item, items_of, reach
from onewindow.core import checksum
from onewindow.core.errors import NotFound, ValidationFailed
from tests.factories import make_item


@pytest.mark.django_db
def test_case_by_number(cx: Any) -> None:
    case = intake(cx, item(cx))
    assert selectors.case_by_number(case.number.lower()) == case
    assert selectors.case_by_number(case.receipt_number) == case
    assert selectors.case_by_number(case.number, user=cx.user("scjg-reviewer")) == case
    with pytest.raises(NotFound):
        selectors.case_by_number(case.number, user=cx.user("sw-reviewer"))
    typo = case.number[:-2] + case.number[-1] + case.number[-2]
    with pytest.raises(ValidationFailed):
        selectors.case_by_number(typo)


@pytest.mark.django_db
def test_worklist_by_post_department_and_urgency(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-01 10:00"):
        early = reach(cx, version, "accepted")  # the acceptance hands 审查 to the reviewers at once
    with at("2026-09-02 10:00"):
        late = reach(cx, version, "accepted")
        green = intake(cx, version, green_channel=True, green_channel_handler=cx.user("scjg-reviewer"))
    with at("2026-09-03 10:00"):
        reviewer = [s.case_id for s in selectors.worklist(user=cx.user("scjg-reviewer"))]
        assert reviewer == [green.pk, early.pk, late.pk]
        assert selectors.worklist(user=cx.user("scjg-approver")).count() == 0
        assert selectors.worklist(user=cx.user("sw-reviewer")).count() == 0
        mine = [s.case_id for s in selectors.worklist(user=cx.user("scjg-reviewer"), scope="mine")]
        assert mine == [green.pk]
        department = selectors.worklist(user=cx.user("scjg-chief"), scope="department")
        assert department.count() == 3
        assert selectors.worklist(user=cx.user("scjg-reviewer"), overdue=True).count() == 0
    with at("2026-09-30 10:00"):
        assert selectors.worklist(user=cx.user("scjg-reviewer"), overdue=True).count() == 3
    fresh = intake(cx, version)
    assert selectors.worklist(user=cx.user("clerk")).count() == 0  # nothing left at the window
    assert fresh.pk in [s.case_id for s in selectors.worklist(user=cx.user("scjg-reviewer"))]
    with pytest.raises(ValidationFailed):
        selectors.worklist(user=cx.user("clerk"), scope="everything")


@pytest.mark.django_db
def test_cases_for_is_scoped_and_filtered(cx: Any) -> None:
    scjg = intake(cx, item(cx, code="SCJG-1"))
    sw_item = make_item(cx, department=cx.dept_b, code="SW-1")
    sw = intake(cx, sw_item)
    assert set(selectors.cases_for(cx.user("clerk"))) == {scjg, sw}
    assert list(selectors.cases_for(cx.user("scjg-reviewer"))) == [scjg]
    assert list(selectors.cases_for(cx.user("sw-reviewer"))) == [sw]
    assert list(selectors.cases_for(cx.user("clerk"), {"item_code": "SW-1"})) == [sw]
    assert list(selectors.cases_for(cx.user("clerk"), {"number": scjg.number.lower()})) == [scjg]
    assert list(selectors.cases_for(cx.user("clerk"), {"status": ["refused"]})) == []
    assert selectors.cases_for(cx.user("clerk"), {"applicant": "张"}).count() == 2
    assert selectors.cases_for(None).count() == 0
    assert selectors.cases_for(cx.user("centeradmin")).count() == 0  # whole center, but no cases.view_case
    assert selectors.case_visible_to(scjg, cx.user("scjg-reviewer"))
    assert not selectors.case_visible_to(scjg, cx.user("sw-reviewer"))
    assert not selectors.case_visible_to(scjg, cx.user("auditor"))


@pytest.mark.django_db
def test_history_in_order(cx: Any) -> None:
    case = reach(cx, item(cx), "in_progress")
    assert [e.seq for e in selectors.case_history(case)] == [1, 2, 3]


@pytest.mark.django_db
def test_public_progress(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-01 10:00"):
        case = reach(cx, version, "in_progress")
        case = act(case, "pass_step", handler(cx, case), opinion="内部意见:可以")
        case = act(case, "start_special_procedure", handler(cx, case), kind="testing", reason="送检")
    progress = selectors.public_progress(case.number, "5678")
    assert progress is not None
    assert progress.item_name == version.name and progress.status == "suspended"
    assert [s.name for s in progress.steps][:2] == ["受理", "审查"]
    assert progress.steps[0].finished_on is not None
    assert progress.due_date is not None and progress.pauses[0].kind == "testing"
    text = repr(progress)
    assert "内部意见" not in text and "scjg-reviewer" not in text and "clerk" not in text
    assert "return_step" not in text
    by_id = selectors.public_progress(case.number, case.applicant_id_number[-4:])
    assert by_id == progress
    assert selectors.public_progress(case.number, "0000") is None
    assert selectors.public_progress(case.number[:-1] + "0", "5678") in (None,)
    assert selectors.public_progress("DEMO20260901999999X", "5678") is None
    assert selectors.public_progress("garbage", "5678") is None


@pytest.mark.django_db
def test_public_progress_shows_the_correction_list(cx: Any) -> None:
    version = item(cx)
    case = intake(cx, version, action="correct", correction_items=items_of(version, 2))
    progress = selectors.public_progress(case.receipt_number, "5678")
    assert progress is not None and [c.name for c in progress.corrections] == ["申请书", "营业执照"]


def _reference_progress(number: str, code: str) -> selectors.PublicProgress | None:
    """The five-query ORM version public_progress replaced: the two-query one must match it."""
    from django.db.models import Q

    from onewindow.cases import clock as case_clock
    from onewindow.cases import numbers
    from onewindow.cases.models import Case, CaseEvent, CasePause, CaseStep, CorrectionRequest

    try:
        value = numbers.parse_case_number(number)
    except ValidationFailed:
        return None
    code = code.strip().upper()
    case = Case.objects.filter(Q(number=value) | Q(receipt_number=value)).first()
    if case is None or code not in (case.applicant_phone[-4:], case.applicant_id_number[-4:].upper()):
        return None
    local = case_clock.local_date
    last = CorrectionRequest.objects.filter(case=case).order_by("-issued_at", "-id").first()
    return selectors.PublicProgress(
        number=case.number or case.receipt_number,
        item_name=case.item_version.name,
        department=case.department.name,
        status=case.status,
        status_label=status_label(case.status),
        received_on=local(case.received_at) if case.received_at else None,
        accepted_on=case.accepted_on,
        due_date=local(case.due_at) if case.due_at else None,
        completed_on=local(case.completed_at) if case.completed_at else None,
        steps=tuple(
            selectors.PublicStep(
                name=s.name,
                status=s.status,
                started_on=local(s.started_at) if s.started_at else None,
                finished_on=local(s.finished_at) if s.finished_at else None,
            )
            for s in CaseStep.objects.filter(case=case).order_by("position")
        ),
        pauses=tuple(
            selectors.PublicPause(
                kind=p.kind,
                kind_label=str(p.get_kind_display()),
                started_on=local(p.started_at),
                ended_on=local(p.ended_at) if p.ended_at else None,
            )
            for p in CasePause.objects.filter(case=case).order_by("started_at", "id")
        ),
        corrections=tuple(
            selectors.PublicCorrectionItem(name=str(i.get("name", "")), note=str(i.get("note", "")))
            for i in (last.items if last is not None and last.received_at is None else [])
        ),
        events=tuple(
            (e.at, e.action, e.to_status)
            for e in CaseEvent.objects.filter(case=case, public=True).order_by("seq")
        ),
    )


@pytest.mark.django_db
def test_public_progress_takes_two_queries_and_matches_the_model_view(
    cx: Any, django_assert_num_queries: Any
) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        case = intake(cx, version, action="correct", correction_items=items_of(version, 2))
        receipt_only = selectors.public_progress(case.receipt_number, "5678")
        assert receipt_only is not None and len(receipt_only.corrections) == 2
        busy = reach(cx, version, "in_progress")
        busy = act(busy, "start_special_procedure", handler(cx, busy), kind="hearing", reason="听证")
    with at("2026-09-03 10:00"):
        busy = act(busy, "end_special_procedure", handler(cx, busy))
    with at("2026-09-04 10:00"):
        busy = act(busy, "pass_step", handler(cx, busy), opinion="内部意见")
        busy = act(
            busy,
            "request_processing_correction",
            handler(cx, busy),
            items=[{"material": version.materials.first().pk, "note": "模糊"}],
        )
    progress = selectors.public_progress(busy.number, "5678")
    assert progress is not None
    assert progress == _reference_progress(busy.number, "5678")
    assert [p.kind for p in progress.pauses] == ["hearing", "correction"]
    assert progress.pauses[0].ended_on is not None and progress.pauses[1].ended_on is None
    assert [c.note for c in progress.corrections] == ["模糊"]
    assert [s.name for s in progress.steps] == [s.name for s in busy.steps.order_by("position")]
    assert [a for _, a, _ in progress.events][-1] == "request_processing_correction"
    assert [e[0] for e in progress.events] == sorted(e[0] for e in progress.events)
    assert selectors.public_progress(case.receipt_number, "5678") == _reference_progress(
        case.receipt_number, "5678"
    )
    with django_assert_num_queries(2):  # the case, then everything below it
        assert (
            selectors.public_progress(busy.number.lower(), busy.applicant_id_number[-4:].lower()) == progress
        )
    with django_assert_num_queries(1):  # a wrong code stops after the case
        assert selectors.public_progress(busy.number, "0000") is None
    with django_assert_num_queries(1):
        unknown = busy.number[:-7] + "999999"  # a well-formed number no case has
        assert selectors.public_progress(unknown + checksum.check_character(unknown), "5678") is None
    with django_assert_num_queries(0):  # malformed numbers and codes never reach the database
        assert selectors.public_progress(busy.number[:-1] + "0", "5678") is None
        assert selectors.public_progress(busy.number, "56") is None
