"""Property: over random case histories (window intake accepted, corrected or refused, online
submission, pre-review, steps, completion, delivery) and random evaluations through the service
(some attempted twice, some 差评 without a reason), every occasion is either evaluated or not —
evaluations + unevaluated occasions = occasions — and every evaluation is one the test submitted:
the system never creates one by itself (no default rating, wave2.md §3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onewindow.cases.tests.conftest import at, item, reach
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.feedback.models import Evaluation, ServiceOccasion
from onewindow.feedback.selectors import summarise
from onewindow.feedback.services import evaluation_submit

pytestmark = pytest.mark.django_db

STATUSES = [
    "submitted",
    "received",
    "correction_requested",
    "refused",
    "accepted",
    "in_progress",
    "completed",
    "delivered",
]
LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"]
CHANNELS = ["qr_code", "sms", "hall_tablet", "phone"]

attempt = st.tuples(
    st.sampled_from(LEVELS),
    st.sampled_from(CHANNELS),
    st.booleans(),  # with a reason (a tag)
    st.booleans(),  # try a second time
)
history = st.tuples(st.sampled_from(STATUSES), st.lists(st.one_of(st.none(), attempt), max_size=3))


class _Rollback(Exception):
    pass


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(history, min_size=1, max_size=4))
def test_evaluations_plus_unevaluated_equal_occasions(cx: Any, histories: list[Any]) -> None:
    try:
        with transaction.atomic():
            _run(cx, histories)
            raise _Rollback
    except _Rollback:
        pass


def _run(cx: Any, histories: list[Any]) -> None:
    version = item(cx)
    submitted: dict[int, str] = {}  # occasion id → the level the test submitted
    with at("2026-11-02 10:00"):
        for status, attempts in histories:
            case = reach(cx, version, status)
            occasions = list(ServiceOccasion.objects.filter(case=case).order_by("id"))
            for occasion, choice in zip(occasions, attempts, strict=False):
                if choice is None:
                    continue  # the applicant does not evaluate: no row, ever
                level, channel, reason, twice = choice
                try:
                    evaluation_submit(
                        occasion=occasion,
                        level=level,
                        tags=["overall"] if reason else [],
                        text="",
                        channel=channel,
                    )
                except ValidationFailed as refused:
                    assert refused.code == "bad_rating_needs_reason" and level in LEVELS[3:] and not reason
                    continue
                submitted[occasion.pk] = level
                if twice:
                    with pytest.raises(Conflict):
                        evaluation_submit(
                            occasion=occasion.pk, level="satisfied", tags=[], text="", channel=channel
                        )
    occasions = ServiceOccasion.objects.filter(case__item_version=version)
    evaluations = Evaluation.objects.filter(occasion__in=occasions)
    unevaluated = occasions.filter(evaluation__isnull=True).count()
    assert evaluations.count() + unevaluated == occasions.count()
    assert occasions.filter(evaluated_at__isnull=True).count() == unevaluated
    assert dict(evaluations.values_list("occasion_id", "level")) == submitted
    rates = summarise(occasions)
    assert rates.evaluated == len(submitted) and rates.unevaluated == unevaluated
    assert rates.occasions == rates.evaluated + rates.unevaluated
    # a case records at most one occasion of each kind (一次一评)
    assert occasions.count() == occasions.values("case_id", "kind").distinct().count()
