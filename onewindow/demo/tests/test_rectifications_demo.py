"""The rectification demo: two bad ratings of its own when the demo has none, advanced through
the workflow, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from onewindow.cases.tests.conftest import at, calendar_2026, cx, intake, item  # noqa: F401
from onewindow.demo import rectifications
from onewindow.demo.history import load_history
from onewindow.demo.loader import load_demo
from onewindow.feedback.models import Evaluation, Rectification
from onewindow.org.models import Center

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


def test_the_demo_center_gets_its_rectifications() -> None:
    """On the demo center with a short history: bad ratings on its open occasions, advanced."""
    until = dt.datetime(2026, 12, 7, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    load_demo(history=False)
    center = Center.objects.get(code="SFS")
    load_history(center=center, count=60, until=until)
    with time_machine.travel(until, tick=False):
        result = rectifications.load(center)
    assert result["bad_ratings"] == 2 and result["rectifications_advanced"] == 2
    statuses = set(Rectification.objects.filter(center=center).values_list("status", flat=True))
    assert statuses == {"closed", "rectifying"}
