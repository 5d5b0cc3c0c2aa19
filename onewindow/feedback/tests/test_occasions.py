"""Service occasions are recorded by the case engine's hook, in the case's transaction."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import act, at, intake, item, reach, submit_online
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.feedback.models import Evaluation, Rectification, ServiceOccasion
from onewindow.feedback.occasions import occasion_kind
from onewindow.feedback.services import evaluation_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("before", "now", "kind"),
    [
        ("", "accepted", "accepted"),
        ("", "received", "submitted"),
        ("", "submitted", "submitted"),
        ("", "refused", "submitted"),
        ("", "correction_requested", "submitted"),
        ("", "completed", "completed"),
        ("received", "accepted", "accepted"),
        ("correction_requested", "accepted", "accepted"),
        ("submitted", "received", None),
        ("accepted", "in_progress", None),
        ("decided_granted", "completed", "completed"),
        ("completed", "delivered", None),
        ("accepted", "accepted", None),
    ],
)
def test_occasion_kind_table(before: str, now: str, kind: str | None) -> None:
    assert occasion_kind(before, now) == kind


def test_a_case_records_one_occasion_per_service(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = reach(cx, version, "delivered")
    kinds = list(
        ServiceOccasion.objects.filter(case=case).order_by("at", "id").values_list("kind", flat=True)
    )
    assert kinds == ["accepted", "completed"]
    completed = ServiceOccasion.objects.get(case=case, kind="completed")
    assert completed.window_id == cx.user("clerk").window_id
    assert completed.staff == cx.user("clerk")
    assert completed.evaluated_at is None
    assert not Evaluation.objects.exists()  # not evaluated is a state, never a default rating


def test_online_submission_then_acceptance_are_two_occasions(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = submit_online(cx, version)
        case = act(case, "pre_review_pass", cx.user("clerk"))
        case = act(case, "accept", cx.user("clerk"))
    occasions = ServiceOccasion.objects.filter(case=case).order_by("at", "id")
    assert [(o.kind, o.template_kind) for o in occasions] == [("submitted", "online"), ("accepted", "online")]


def test_submit_once_and_bad_ratings_open_a_rectification(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
        occasion = ServiceOccasion.objects.get(case=case)
        with pytest.raises(ValidationFailed) as refused:
            evaluation_submit(occasion=occasion, level="dissatisfied", tags=[], text=" ", channel="qr_code")
        assert refused.value.code == "bad_rating_needs_reason"
        evaluation = evaluation_submit(
            occasion=occasion, level="dissatisfied", tags=["attitude"], text="", channel="qr_code"
        )
        with pytest.raises(Conflict) as twice:
            evaluation_submit(occasion=occasion.pk, level="satisfied", tags=[], text="", channel="qr_code")
        assert twice.value.code == "already_evaluated"
    assert evaluation.bad and evaluation.real_name
    rectification = Rectification.objects.get(evaluation=evaluation)
    assert rectification.status == "callback_due"
    # the call-back is due by the end of the next working day (Monday → Tuesday)
    assert rectification.callback_due_at.isoformat().startswith("2026-11-03T15:59:59")
    occasion.refresh_from_db()
    assert occasion.evaluated_at is not None


def test_tags_come_from_the_channel_kinds_template(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
        occasion = ServiceOccasion.objects.get(case=case)
        with pytest.raises(ValidationFailed):  # an online indicator on an offline channel
            evaluation_submit(
                occasion=occasion, level="satisfied", tags=["usability"], text="", channel="hall_tablet"
            )
        with pytest.raises(ValidationFailed):
            evaluation_submit(occasion=occasion, level="five_stars", tags=[], text="", channel="hall_tablet")
    assert not Evaluation.objects.exists()


def test_a_closed_occasion_takes_no_evaluation(cx: Any) -> None:
    version = item(cx)
    with at("2026-10-08 10:00"):
        case = intake(cx, version)
    with at("2026-11-08 10:00"), pytest.raises(Conflict) as closed:
        evaluation_submit(
            occasion=ServiceOccasion.objects.get(case=case),
            level="satisfied",
            tags=[],
            text="",
            channel="sms",
        )
    assert closed.value.code == "evaluation_closed"
