"""The rectification demo: two bad ratings of its own when the demo has none, advanced through
the workflow, and a second run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import at, calendar_2026, cx, intake, item  # noqa: F401
from onewindow.demo import rectifications
from onewindow.feedback.models import Evaluation, Rectification

pytestmark = pytest.mark.django_db


def test_two_bad_ratings_are_made_and_advanced_once(cx: Any) -> None:  # noqa: F811
    with at("2026-11-02 10:00"):
        version = item(cx)
        intake(cx, version)
        intake(cx, version)
        first = rectifications.load(cx.center)
        second = rectifications.load(cx.center)
    assert first == {"bad_ratings": 2, "rectifications_advanced": 2}
    assert second == {"bad_ratings": 0, "rectifications_advanced": 0}
    assert Evaluation.objects.filter(bad=True).count() == 2
    assert sorted(Rectification.objects.values_list("status", flat=True)) == ["closed", "rectifying"]
