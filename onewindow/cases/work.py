"""The unit of work of one service call: the case and its steps as the effects leave them, and
everything the call adds (events, notices, materials, pauses, extensions, correction requests,
messages) or changes (other rows, with the fields changed). Collected only: no SQL here;
`persistence.write` writes it in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from onewindow.calendar.workdays import WorkingDayTable
from onewindow.cases import clock as case_clock
from onewindow.cases.models import Case, CaseEvent, CaseMaterial, CaseNumberSequence, CaseStep, Notice
from onewindow.cases.params import PUBLIC_ACTIONS
from onewindow.cases.permissions import Actor, actor_name
from onewindow.core.masking import mask_id_number

NumberKind = CaseNumberSequence.Kind

# What a case shows in place of a number that its unit of work takes when it is written
# (private-use characters: never in real text).
PENDING_NUMBER: dict[str, str] = {
    NumberKind.CASE: "\ue000case-number\ue001",
    NumberKind.RECEIPT: "\ue000receipt-number\ue001",
}

NOTICE_CODES: dict[str, str] = {
    Notice.Kind.RECEIPT: "S",
    Notice.Kind.ACCEPTANCE: "A",
    Notice.Kind.CORRECTION: "B",
    Notice.Kind.REFUSAL: "R",
    Notice.Kind.SPECIAL_PROCEDURE: "T",
    Notice.Kind.EXTENSION: "Y",
    Notice.Kind.DECISION: "D",
    Notice.Kind.TERMINATION: "Z",
}


def jsonable(value: Any) -> Any:
    """`value` with dates and datetimes as ISO text (for JSON columns and message contexts)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


@dataclass
class Work:
    case: Case
    actor: Actor
    now: dt.datetime
    table: WorkingDayTable
    steps: list[CaseStep] = field(default_factory=list)  # the case's steps, by position
    new_case: bool = False
    new_steps: bool = False  # `steps` are new rows (built by the acceptance)
    dirty_steps: dict[int, CaseStep] = field(default_factory=dict)  # position -> changed step
    events: list[CaseEvent] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    materials: list[CaseMaterial] = field(default_factory=list)  # new case materials
    rows: list[models.Model] = field(default_factory=list)  # other new rows (pauses, extensions, …)
    changed: list[tuple[models.Model, tuple[str, ...]]] = field(default_factory=list)  # (row, fields)
    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (template, context)
    numbers_wanted: dict[str, dt.date] = field(default_factory=dict)  # kind -> day, see want_number

    @property
    def today(self) -> dt.date:
        return case_clock.local_date(self.now)

    def active_step(self) -> CaseStep | None:
        position = self.case.active_step_position
        if position is None:
            return None
        return next((step for step in self.steps if step.position == position), None)

    def touch(self, step: CaseStep) -> None:
        """Mark `step` as changed (its changed columns are written)."""
        if not self.new_steps:
            self.dirty_steps[step.position] = step

    def change(self, row: models.Model, *fields: str) -> None:
        """Write `fields` of `row` (an existing row other than the case and its steps)."""
        self.changed.append((row, fields))

    def event(
        self,
        action: str,
        from_status: str,
        *,
        step: CaseStep | None = None,
        opinion: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        """Record the transition just applied to `self.case` (status already changed): bumps
        the version and queues exactly one event."""
        if self.events or not self.new_case:
            self.case.version += 1
        self.events.append(
            CaseEvent(
                case=self.case,
                seq=self.case.version,
                at=self.now,
                actor=self.actor,
                actor_name=actor_name(self.actor),
                action=action,
                from_status=from_status,
                to_status=self.case.status,
                step=step,
                opinion=opinion,
                data=jsonable(data or {}),
                public=action in PUBLIC_ACTIONS,
            )
        )

    def want_number(self, kind: str, day: dt.date) -> None:
        """Give the case a number of `kind` (CaseNumberSequence.Kind) of `day`. Taking it locks
        the center's sequence row until the commit, so the write takes it last; until then the
        case holds a placeholder, which the write replaces wherever the work copied it (events,
        notices)."""
        self.numbers_wanted[kind] = day
        if kind == NumberKind.CASE:
            self.case.number = PENDING_NUMBER[kind]
        else:
            self.case.receipt_number = PENDING_NUMBER[kind]

    def notice(self, kind: str, data: dict[str, Any]) -> Notice:
        """Issue a notice. Its number is the case's number, the kind's code and, added by the
        write, its sequence among the case's notices."""
        case = self.case
        notice = Notice(
            case=case,
            kind=kind,
            number=f"{case.number or case.receipt_number}-{NOTICE_CODES[kind]}",
            issued_at=self.now,
            data={
                "case_number": case.number or "",
                "receipt_number": case.receipt_number,
                "item_code": case.item_version.item.code,
                "item_name": case.item_version.name,
                "department": case.department.name,
                "applicant_name": case.applicant_name,
                "applicant_id_number": mask_id_number(case.applicant_id_number),
                "issued_on": self.today.isoformat(),
                **jsonable(data),
            },
        )
        self.notices.append(notice)
        return notice

    def message(self, template_code: str, **extra: Any) -> None:
        """Send the applicant `template_code` once the work commits (with the case's context)."""
        self.messages.append((template_code, extra))
