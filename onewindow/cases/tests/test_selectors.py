"""Lookups, worklists, scoped lists, history and the public progress view."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases import selectors
from onewindow.cases.tests.conftest import act, at, handler, intake, item, items_of, reach
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
        early = reach(cx, version, "in_progress")
    with at("2026-09-02 10:00"):
        late = reach(cx, version, "in_progress")
        green = intake(cx, version, green_channel=True, green_channel_handler=cx.user("scjg-reviewer"))
        green = act(green, "pass_step", cx.user("clerk"))
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
    clerk = [s.case_id for s in selectors.worklist(user=cx.user("clerk"))]
    assert clerk == [fresh.pk]
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
