"""Helpers of the evaluation API, page, task and export tests: a case with its occasions, at a
frozen time (the occasions are open for EVALUATION_OPEN_DAYS from then)."""

from __future__ import annotations

from typing import Any

from onewindow.cases.tests.conftest import at, item, reach
from onewindow.feedback.models import ServiceOccasion
from onewindow.feedback.tokens import occasion_token

WHEN = "2026-11-02 10:00"


def delivered_case(cx: Any, when: str = WHEN) -> Any:
    """A case accepted at the window and delivered: an accepted and a completed occasion."""
    version = item(cx)
    with at(when):
        return reach(cx, version, "delivered")


def occasion_of(case: Any, kind: str = "completed") -> ServiceOccasion:
    return ServiceOccasion.objects.get(case=case, kind=kind)


def token_of(case: Any, kind: str = "completed") -> str:
    return occasion_token(occasion_of(case, kind).pk)
