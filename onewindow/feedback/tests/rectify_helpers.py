"""Helpers of the rectification tests: a 差评 given through evaluation_submit, and one action."""

from __future__ import annotations

from typing import Any

from onewindow.cases.tests.conftest import intake, item
from onewindow.feedback.models import Rectification, ServiceOccasion
from onewindow.feedback.rectification_services import rectification_act
from onewindow.feedback.services import evaluation_submit


def bad_rating(cx: Any, *, applicant: Any = None, anonymous: bool = False) -> Rectification:
    """A case accepted at the SCJG window and its 差评 (real name: the case's applicant)."""
    case = intake(cx, item(cx))
    occasion = ServiceOccasion.objects.get(case=case)
    if anonymous:  # a served ticket: nobody known
        ServiceOccasion.objects.filter(pk=occasion.pk).update(case=None, ticket="A001")
        occasion.refresh_from_db()
    evaluation = evaluation_submit(
        occasion=occasion, level="very_dissatisfied", tags=["attitude"], text="态度差", channel="qr_code"
    )
    return Rectification.objects.get(evaluation=evaluation)


def do(r: Rectification, action: str, user: Any, **params: Any) -> Rectification:
    r.refresh_from_db()
    return rectification_act(
        rectification_id=r.pk, action=action, actor=user, version=r.version, client_ip="10.0.0.9", **params
    )
