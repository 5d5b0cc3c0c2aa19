"""Which cases the clock's system actions must visit (the sweep calls these every minute).

Kept apart from the services so that the queries can be tuned against the deadline indexes
without touching the transitions: the services re-check every candidate under its row lock.
"""

from __future__ import annotations

import datetime as dt

from onewindow.cases.models import Case, CaseStep
from onewindow.cases.transitions import Status


def deem_accept_candidates(*, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Ids of received applications whose 5-working-day answer deadline has passed."""
    return list(
        Case.objects.filter(status=Status.RECEIVED, answer_due_at__lt=now)
        .order_by("answer_due_at")
        .values_list("pk", flat=True)[:limit]
    )


def deem_approve_candidates(*, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Ids of cases whose active step is overdue on an item that allows deemed approval (the
    service then checks the item's number of overdue working days under the case's lock)."""
    candidates = (
        CaseStep.objects.filter(
            status=CaseStep.Status.ACTIVE,
            due_at__lt=now,
            case__status__in=(Status.ACCEPTED, Status.IN_PROGRESS),
            case__item_version__deemed_approval_days__isnull=False,
        )
        .order_by("due_at")
        .values_list("case_id", flat=True)[:limit]
    )
    return list(dict.fromkeys(candidates))
