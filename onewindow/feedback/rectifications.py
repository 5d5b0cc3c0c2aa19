"""The rectification (整改) of a 差评: opened with the evaluation, in its transaction, and its
clocks.

* The call-back (回访) is due by the end of the RECTIFICATION_CALLBACK_DAYS-th working day after
  the evaluation (1: the next working day).
* A complex 差评 is rectified by the end of the RECTIFICATION_DAYS-th working day after its
  classification (15 by default; a province setting); a reasonable one today.
* `warn_at`: when the current deadline turns yellow — at most 1 working day or 20 % of the
  limit left, whichever comes first (cases.clock.warn_at, the steps' rule); a deadline of one
  working day or less turns yellow when 80 % of its wall-clock span has passed, so a new 差评 is
  not yellow from its first minute.

The workflow is in rectification_services.py, the reads in rectification_selectors.py and the
supervision in rectification_sweep.py (docs/domain/rectifications.md).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from onewindow.calendar.selectors import count_working_days, due_datetime
from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.core import clock
from onewindow.feedback.models import Evaluation, Rectification, RectificationEvent


def callback_due(at: dt.datetime) -> dt.datetime:
    """The call-back (回访) is due by the end of the next working day (1 working day)."""
    return due_datetime(clock.local(at).date(), settings.RECTIFICATION_CALLBACK_DAYS)


def rectify_due(at: dt.datetime) -> dt.datetime:
    """The latest deadline of a complex 差评 classified at `at` (RECTIFICATION_DAYS working days)."""
    return due_datetime(clock.local(at).date(), settings.RECTIFICATION_DAYS)


def today_due(at: dt.datetime) -> dt.datetime:
    """Rectify at once: by the end of the day."""
    return due_datetime(clock.local(at).date(), 0)


def warn_moment(start: dt.datetime, due: dt.datetime) -> dt.datetime:
    """When a deadline running from `start` to `due` turns yellow (see the module docstring)."""
    if due <= start:
        return start
    start_on = clock.local(start).date()
    days = count_working_days(start_on, clock.local(due).date())
    if days <= 1:
        return start + (due - start) * 4 / 5
    return case_clock.warn_at(
        calendar_table(),
        started_at=start,
        start_on=start_on,
        total_days=days,
        limit_days=days,
        thresholds=case_clock.DEFAULT_THRESHOLDS,
    )


def rectification_open(*, evaluation: Evaluation, now: dt.datetime) -> Rectification:
    occasion = evaluation.occasion
    department_id = occasion.department_id
    if department_id is None and occasion.window is not None:
        department_id = occasion.window.department_id
    due = callback_due(now)
    rectification = Rectification.objects.create(
        evaluation=evaluation,
        center_id=occasion.center_id,
        department_id=department_id,
        window_id=occasion.window_id,
        opened_at=now,
        callback_due_at=due,
        warn_at=warn_moment(now, due),
    )
    RectificationEvent.objects.create(
        rectification=rectification, at=now, action="opened", client_ip=evaluation.client_ip
    )
    return rectification
