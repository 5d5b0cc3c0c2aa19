"""Supervision of subjects that are not cases (issue 15): the complaints and the rectifications
of 差评 are supervised like steps — the sweep turns them yellow (a reminder to the handler) and
red (a supervision order to the department), and a valid complaint can create an accountability
record. The higher apps (feedback, complaints) call these inside their own transaction; the
rows are the same `SupervisionOrder` and `AccountabilityRecord`, with `case` empty and
`subject_kind` / `subject_ref` / `subject_label` naming the subject, so the supervisor's board,
the orders' reply and close and the accountability appeal work for them unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.core import audit
from onewindow.supervision.models import AccountabilityRecord, SupervisionOrder

SYSTEM_REPLY_DAYS = 1


def order_issue_for_subject(
    *,
    subject_kind: str,
    subject_ref: str,
    subject_label: str,
    department_id: int,
    demand: str,
    now: dt.datetime,
    key: str,
    handler_id: int | None = None,
    issuer: Any = None,
    reply_days: int = SYSTEM_REPLY_DAYS,
) -> tuple[SupervisionOrder, bool]:
    """A supervision order on a subject (by the system when it went red: `issuer` empty). The
    (subject, key) constraint makes a second order for the same crossing impossible: returns
    (order, created)."""
    order, created = SupervisionOrder.objects.get_or_create(
        subject_kind=subject_kind,
        subject_ref=subject_ref,
        key=key,
        defaults={
            "subject_label": subject_label[:200],
            "department_id": department_id,
            "handler_id": handler_id,
            "to_chief": handler_id is None,
            "issuer": issuer,
            "demand": demand,
            "issued_at": now,
            "reply_due_at": case_clock.end_of_nth_working_day(
                calendar_table(), case_clock.local_date(now), reply_days
            ),
        },
    )
    if created:
        audit.record(
            action="supervision.order_issue",
            obj=order,
            after={"subject": f"{subject_kind}:{subject_ref}", "demand": demand, "key": key},
            actor=issuer,
        )
    return order, created


def accountability_record_for_subject(
    *,
    subject_kind: str,
    subject_ref: str,
    subject_label: str,
    department_id: int,
    person_id: int | None,
    reason: str,
    now: dt.datetime,
    actor: Any,
) -> AccountabilityRecord:
    """An accountability record (问责) for a subject, e.g. a complaint judged valid: one per
    subject (a constraint); the department can appeal it like any other record."""
    record, created = AccountabilityRecord.objects.get_or_create(
        subject_kind=subject_kind,
        subject_ref=subject_ref,
        defaults={
            "subject_label": subject_label[:200],
            "department_id": department_id,
            "person_id": person_id,
            "key": f"{subject_kind}:{subject_ref}"[:64],
            "reason": reason,
            "created_at": now,
        },
    )
    if created:
        audit.record(
            action="supervision.accountability_create",
            obj=record,
            after={"subject": f"{subject_kind}:{subject_ref}", "reason": reason, "person": person_id},
            actor=actor,
        )
    return record
