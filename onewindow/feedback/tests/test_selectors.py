"""Reading evaluations: the scope, a case's occasions in one query, the rates with voided ones."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import at
from onewindow.feedback import selectors
from onewindow.feedback.models import Evaluation
from onewindow.feedback.services import evaluation_submit
from onewindow.feedback.tests.occasion_helpers import delivered_case, occasion_of

pytestmark = pytest.mark.django_db


def _rate(case: Any, kind: str, level: str) -> Evaluation:
    with at("2026-11-03 09:00"):
        return evaluation_submit(
            occasion=occasion_of(case, kind), level=level, tags=["overall"], text="", channel="sms"
        )


def test_a_cases_occasions_in_one_query(cx: Any, django_assert_num_queries: Any) -> None:
    case = delivered_case(cx)
    _rate(case, "completed", "very_dissatisfied")
    with django_assert_num_queries(1):
        found = selectors.occasions_of_case(case)
    assert [(o.kind, o.evaluated, o.level) for o in found] == [
        ("accepted", False, None),
        ("completed", True, "very_dissatisfied"),
    ]


def test_rates_leave_voided_evaluations_out_of_the_satisfaction_rate(
    cx: Any, django_assert_num_queries: Any
) -> None:
    first, second, third = (delivered_case(cx) for _ in range(3))
    _rate(first, "accepted", "very_satisfied")
    _rate(first, "completed", "basically_satisfied")
    _rate(second, "accepted", "dissatisfied")
    voided = _rate(second, "completed", "very_dissatisfied")
    Evaluation.objects.filter(pk=voided.pk).update(voided_at=voided.submitted_at, void_reason="误评")
    supervisor = cx.user("supervisor")
    scoped = selectors.scoped_occasions(supervisor)
    with django_assert_num_queries(1):
        rates = selectors.summarise(scoped)
    assert (rates.occasions, rates.evaluated, rates.unevaluated) == (6, 4, 2)
    assert (rates.valid, rates.satisfied, rates.bad, rates.voided) == (3, 2, 1, 1)
    assert rates.unevaluated_rate == pytest.approx(2 / 6)
    assert rates.satisfaction_rate == pytest.approx(2 / 3)
    assert rates.by_level["very_dissatisfied"] == 0 and rates.by_level["dissatisfied"] == 1
    # nobody outside the scope or without the permission sees anything
    assert selectors.summary(cx.user("sw-chief")).occasions == 0
    assert selectors.summary(cx.user("clerk")).occasions == 0
    assert selectors.summary(cx.user("scjg-chief")).occasions == 6
    empty = selectors.summarise(selectors.scoped_occasions(cx.user("clerk")))
    assert empty.unevaluated_rate is None and empty.satisfaction_rate is None
    assert third  # its two occasions are the unevaluated ones
    assert selectors.occasions(supervisor, selectors.EvaluationFilters(state="unevaluated")).count() == 2
