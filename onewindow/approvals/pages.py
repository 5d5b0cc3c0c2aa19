"""Reads for the staff bundle pages (issue 13 §5): the bundles a window may take, the items a
set of situation answers selects, the bundle cases a user may list, one bundle case as a
timeline per department (信息共享: every department with a sub-case sees all sub-cases' progress
and opinions on this bundle), and the bundles whose results wait for the one pickup.

Pure reads; the writes are `approvals.services`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from onewindow.approvals.models import BundleCase, BundleSubCase
from onewindow.approvals.progress import denial_reason, outcome
from onewindow.cases.facts import CLOCK_RUNNING, Level, status_label
from onewindow.cases.models import Case, CaseEvent, CaseStep
from onewindow.cases.params import ACTION_LABELS
from onewindow.cases.versions import published_version
from onewindow.catalog.models import Bundle, BundleItem, BundleQuestion
from onewindow.catalog.situations import applicable_items
from onewindow.core import clock
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.org.models import Center
from onewindow.org.selectors import visible_department_ids

LIST_LIMIT = 200


def active_bundles(center: Center) -> QuerySet[Bundle]:
    return (
        Bundle.objects.select_related("lead_department").filter(center=center, active=True).order_by("code")
    )


def bundle_for_intake(center: Center, code: str) -> Bundle | None:
    """The active bundle `code` of `center` with its questions, fields and materials."""
    return (
        Bundle.objects.select_related("lead_department")
        .prefetch_related(
            Prefetch(
                "questions", queryset=BundleQuestion.objects.order_by("position").prefetch_related("options")
            ),
            "fields",
            "materials",
        )
        .filter(center=center, code=str(code or "").strip()[:40], active=True)
        .first()
    )


@dataclass(frozen=True)
class PreviewItem:
    code: str
    name: str
    department: str
    promised_limit: int | None
    phase: str


def preview_items(bundle: Bundle, answers: dict[str, str]) -> tuple[list[PreviewItem], bool]:
    """The items these answers select (情形引导), each with its department and promised limit
    from the published version; (items, complete): `complete` is False while a question is
    unanswered (the list is then empty)."""
    try:
        chosen: list[BundleItem] = applicable_items(bundle, answers)
    except ValidationFailed:
        return [], False
    items: list[PreviewItem] = []
    for bi in chosen:
        try:
            version = published_version(bundle.center_id, bi.item.code)
        except (NotFound, ValidationFailed):
            items.append(PreviewItem(bi.item.code, str(bi.item), "", None, bi.phase.name if bi.phase else ""))
            continue
        items.append(
            PreviewItem(
                bi.item.code,
                version.name,
                version.department.name,
                version.promised_limit,
                bi.phase.name if bi.phase else "",
            )
        )
    return items, True


def bundle_cases_for(user: Any, *, status: str = "", bundle_code: str = "") -> QuerySet[BundleCase]:
    """The bundle cases of the user's center that the user may see (center-wide scope: all; a
    department: those it leads or has a sub-case in), newest first."""
    if not getattr(user, "center_id", None):
        return BundleCase.objects.none()
    qs = BundleCase.objects.select_related("lead_department").filter(center_id=user.center_id)
    ids = visible_department_ids(user)
    if ids is not None:
        qs = qs.filter(Q(lead_department_id__in=ids) | Q(sub_cases__department_id__in=ids)).distinct()
    if status:
        qs = qs.filter(status=status)
    if bundle_code:
        qs = qs.filter(bundle_code=bundle_code)
    return qs.order_by("-created_at", "-id")


def decided_bundles(user: Any) -> list[BundleCase]:
    """The bundle cases of the user's scope whose results are all in (decided): one pickup."""
    return list(
        bundle_cases_for(user, status=BundleCase.Status.DECIDED)
        .select_related("window")
        .order_by("decided_at", "id")[:LIST_LIMIT]
    )


@dataclass
class SubCaseView:
    sub: BundleSubCase
    case: Case | None
    status_label: str
    current_step: str
    outcome: str
    denial_reason: str
    holding_up: bool
    events: list[tuple[CaseEvent, str]] = field(default_factory=list)  # (event, action label)


@dataclass
class DepartmentTimeline:
    department: str
    sub_cases: list[SubCaseView]


def timeline(bundle_case: BundleCase, *, now: dt.datetime | None = None) -> list[DepartmentTimeline]:
    """The sub-cases grouped by department (in the bundle's order), each with its current step,
    its events (opinions) and whether it holds up the bundle (late, or a yellow/red card)."""
    now = now or clock.now()
    subs = list(
        bundle_case.sub_cases.select_related("department", "phase", "case", "case__item_version").order_by(
            "position"
        )
    )
    case_ids = [s.case_id for s in subs if s.case_id]
    active_steps = {
        (step.case_id, step.position): step
        for step in CaseStep.objects.filter(
            case_id__in=case_ids, status=CaseStep.Status.ACTIVE
        ).select_related("handler", "assignee")
    }
    events: dict[int, list[tuple[CaseEvent, str]]] = {}
    for event in (
        CaseEvent.objects.filter(case_id__in=case_ids).select_related("step").order_by("case_id", "seq")
    ):
        label = str(ACTION_LABELS.get(event.action, event.action))
        events.setdefault(event.case_id, []).append((event, label))
    groups: dict[int, DepartmentTimeline] = {}
    for sub in subs:
        case = sub.case
        view = SubCaseView(
            sub=sub,
            case=case,
            status_label=status_label(case.status) if case else "",
            current_step=_current_step(case, active_steps),
            outcome=outcome(case) if case else "",
            denial_reason=denial_reason(case) if case else "",
            holding_up=holds_up(case, now),
            events=events.get(case.pk, []) if case else [],
        )
        group = groups.setdefault(sub.department_id, DepartmentTimeline(sub.department.name, []))
        group.sub_cases.append(view)
    return list(groups.values())


def _current_step(case: Case | None, active: dict[tuple[int, int], CaseStep]) -> str:
    """The step in hand and who holds it (the assignee, else the step's handler)."""
    if case is None or case.active_step_position is None:
        return ""
    step = active.get((case.pk, case.active_step_position))
    if step is None:
        return ""
    who = step.assignee or step.handler
    name = getattr(who, "display_name", "") if who is not None else ""
    return f"{step.name} · {name}" if name else str(step.name)


def holds_up(case: Case | None, now: dt.datetime) -> bool:
    if case is None or case.status not in CLOCK_RUNNING:
        return False
    late = case.due_at is not None and case.due_at < now
    return late or case.level >= Level.YELLOW


def notice_of(bundle_case: BundleCase, number: str) -> Any:
    return bundle_case.notices.filter(number=str(number or "")[:48]).first()
