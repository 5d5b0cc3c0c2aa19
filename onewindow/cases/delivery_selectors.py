"""Reads of pickup and delivery (取件 / 送达).

* `waiting_for_pickup` lists the completed, not yet delivered results of a window in the user's
  data scope, with the working days they have waited; longer than `pickup_warn_days()` (the
  setting `ONEWINDOW_PICKUP_WARN_DAYS`, default 10) is flagged.
* `delivered_documents` names what was handed over (the decision and the certificate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as T
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CaseEvent, Notice
from onewindow.cases.selectors import cases_for
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed

DEFAULT_PICKUP_WARN_DAYS = 10
WAITING_LIMIT = 500  # rows on one page of the pickup list


def pickup_warn_days() -> int:
    """After how many working days a result waiting for pickup is flagged."""
    return int(getattr(settings, "ONEWINDOW_PICKUP_WARN_DAYS", DEFAULT_PICKUP_WARN_DAYS))


# --- the pickup list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingResult:
    case: Case
    completed_on: dt.date | None
    working_days_waiting: int | None  # None: outside the calendar's range
    overdue: bool  # waited longer than pickup_warn_days()


def waiting_queryset(user: Any, *, window_id: int | None = None) -> QuerySet[Case]:
    """Completed, not yet delivered cases in `user`'s data scope (of one window if given), the
    longest waiting first."""
    qs = cases_for(user, {"status": Status.COMPLETED})
    if window_id is not None:
        qs = qs.filter(window_id=window_id)
    return qs.order_by("completed_at", "id")


def waiting_for_pickup(
    user: Any, *, window_id: int | None = None, today: dt.date | None = None, limit: int = WAITING_LIMIT
) -> list[WaitingResult]:
    """The results waiting (see `waiting_queryset`), each with its working days waited: the
    working days after the completion day up to and including today."""
    today = today or case_clock.local_date(clock.now())
    warn = pickup_warn_days()
    rows: list[WaitingResult] = []
    for case in waiting_queryset(user, window_id=window_id)[:limit]:
        completed_on = case_clock.local_date(case.completed_at) if case.completed_at else None
        waited: int | None = None
        if completed_on is not None:
            try:
                waited = calendar_selectors.count_working_days(completed_on, today)
            except ValidationFailed:
                waited = None
        rows.append(WaitingResult(case, completed_on, waited, bool(waited is not None and waited > warn)))
    return rows


def waiting_windows(user: Any) -> list[tuple[int, str, int]]:
    """(window id, window name, results waiting) of every window with results waiting in
    `user`'s data scope."""
    rows = (
        waiting_queryset(user)
        .filter(window__isnull=False)
        .order_by()
        .values_list("window_id", "window__name")
        .annotate(n=Count("id"))
    )
    return sorted(((wid, name, n) for wid, name, n in rows), key=lambda row: row[1])


# --- what was delivered ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveredDocuments:
    decision: Notice | None  # the decision notice
    certificate_numbers: tuple[str, ...]


def delivered_documents(case: Case) -> DeliveredDocuments:
    """The case's decision notice and the numbers of the certificates it issued."""
    decision = (
        Notice.objects.filter(case=case, kind=Notice.Kind.DECISION).order_by("-issued_at", "-id").first()
    )
    numbers = tuple(
        str(data.get("certificate_number"))
        for data in CaseEvent.objects.filter(case=case, action=T.ISSUE_CERTIFICATE)
        .order_by("seq")
        .values_list("data", flat=True)
        if isinstance(data, dict) and data.get("certificate_number")
    )
    return DeliveredDocuments(decision, numbers)


def delivery_of(case: Case) -> CaseDelivery | None:
    return CaseDelivery.objects.filter(case=case).select_related("delivered_by").first()
