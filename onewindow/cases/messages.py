"""The applicant's messages about a case: the placeholders every case template may use, and the
outbox rows of a unit of work (written in its transaction, delivered after the commit).
"""

from __future__ import annotations

import logging
from typing import Any

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.models import Case
from onewindow.cases.work import jsonable
from onewindow.core.errors import DomainError
from onewindow.notifications.models import OutboxMessage
from onewindow.notifications.services import message_build

logger = logging.getLogger(__name__)


def message_context(case: Case) -> dict[str, Any]:
    """The placeholders every case template may use (extra keys are ignored by the renderer)."""
    center = case.center
    window = case.window
    due = case_clock.local_date(case.due_at) if case.due_at else None
    return {
        "center_name": center.name,
        "case_number": case.number or case.receipt_number,
        "receipt_number": case.receipt_number,
        "item_name": case.item_version.name,
        "applicant_name": case.applicant_name,
        "department": case.department.name,
        "due_date": f"{due.year}年{due.month}月{due.day}日" if due else "",
        # False: the due date lies in a year without a confirmed holiday schedule, and the
        # message says the date may change (notifications.services.message_build).
        "due_date_confirmed": calendar_table().is_confirmed(due.year) if due else True,
        "pickup_place": f"{center.name}{window.name}" if window is not None else center.name,
    }


def build_messages(case: Case, messages: list[tuple[str, dict[str, Any]]]) -> list[OutboxMessage]:
    """The applicant's messages, rendered for the outbox (not written). A broken template never
    undoes a case action: it is logged and the action stands."""
    if not case.applicant_phone or not messages:
        return []
    base = message_context(case)
    built = []
    for template_code, extra in messages:
        try:
            message = message_build(
                template_code=template_code,
                recipient=case.applicant_phone,
                context={**base, **jsonable(extra)},
                related_type="cases.case",
                related_id=str(case.pk or ""),
            )
        except DomainError as exc:
            logger.error("case %s: message %s not stored: %s", case.pk, template_code, exc.message)
            continue
        if message is not None:
            built.append(message)
    return built
