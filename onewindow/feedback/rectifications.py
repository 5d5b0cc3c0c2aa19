"""The rectification (整改) of a 差评: opened with the evaluation, in its transaction.

The workflow (call back, classify, rectify, inform, review, close; void with approval) and its
supervision are in this module's services (see docs/domain/evaluations.md).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from onewindow.calendar.selectors import due_datetime
from onewindow.core import clock
from onewindow.feedback.models import Evaluation, Rectification, RectificationEvent


def callback_due(at: dt.datetime) -> dt.datetime:
    """The call-back (回访) is due by the end of the next working day (1 working day)."""
    return due_datetime(clock.local(at).date(), settings.RECTIFICATION_CALLBACK_DAYS)


def rectification_open(*, evaluation: Evaluation, now: dt.datetime) -> Rectification:
    occasion = evaluation.occasion
    department_id = occasion.department_id
    if department_id is None and occasion.window_id is not None:
        department_id = occasion.window.department_id
    rectification = Rectification.objects.create(
        evaluation=evaluation,
        center_id=occasion.center_id,
        department_id=department_id,
        window_id=occasion.window_id,
        opened_at=now,
        callback_due_at=callback_due(now),
    )
    RectificationEvent.objects.create(
        rectification=rectification, at=now, action="opened", client_ip=evaluation.client_ip
    )
    return rectification
