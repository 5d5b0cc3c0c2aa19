"""Reading cases: lookups, worklists, lists, history and the public progress view.

Data scope comes only from `onewindow.org.selectors.scope_queryset`; ID numbers and phones are
masked in every display value (`Case.masked_id_number`, `Case.masked_phone`); full values only
through `services.case_reveal_applicant`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as When_Case
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from onewindow.cases import clock as case_clock
from onewindow.cases import numbers
from onewindow.cases.models import Case, CaseEvent, CasePause, CaseStep, CorrectionRequest, Status
from onewindow.catalog.models import ProcessStep
from onewindow.core import clock
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.org.selectors import scope_queryset, visible_department_ids


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("center", "department", "window", "item_version__item")


VIEW_CASE = "cases.view_case"


def _scoped(qs: QuerySet[Case], user: Any) -> QuerySet[Case]:
    """The cases `user` may see: cases.view_case, within the user's data scope."""
    if user is None or not getattr(user, "is_active", False) or not user.has_perm(VIEW_CASE):
        return qs.none()
    return scope_queryset(qs, user, department_field="department")


def case_by_number(number: str, *, user: Any = None) -> Case:
    """The case with this case number or receipt number (typing errors → ValidationFailed);
    with `user`, only within the user's data scope (outside it: NotFound, as if absent)."""
    value = numbers.parse_case_number(number)
    qs = _base()
    if user is not None:
        qs = _scoped(qs, user)
    found = qs.filter(number=value).first() or qs.filter(receipt_number=value).first()
    if found is None:
        raise NotFound(_("No case with the number %(number)s.") % {"number": value})
    return found


def worklist(
    *,
    user: Any,
    scope: str = "post",
    status: str | None = None,
    overdue: bool | None = None,
    limit: int | None = None,
) -> QuerySet[CaseStep]:
    """Active steps for `user`, most urgent first (green channel, then the step's due_at).

    scope "post": the steps the user can handle (their posts, their department; acceptance steps
    also at a general window or a window of the department); "mine": of those, the ones assigned
    to the user or of green-channel cases the user follows; "department": every active step in the
    user's data scope (for a chief or a supervisor).
    """
    if scope not in ("mine", "post", "department"):
        raise ValidationFailed(
            _("Choose mine, post or department."), details={"scope": [_("Unknown scope.")]}
        )
    qs = CaseStep.objects.filter(status=CaseStep.Status.ACTIVE).select_related(
        "case", "case__item_version__item", "case__department", "post", "department"
    )
    qs = qs.exclude(case__status__in=(Status.WITHDRAWN, Status.TERMINATED, Status.REFUSED))
    if not getattr(user, "is_active", False) or not user.has_perm(VIEW_CASE):
        return qs.none()
    qs = scope_queryset(qs, user, department_field="department", center_field="case__center")
    if scope in ("post", "mine"):
        post_ids = list(user.posts.values_list("id", flat=True)) if user.is_authenticated else []
        handles = Q(pk__in=[])
        if user.department_id and user.has_perm("cases.handle_step"):
            handles |= Q(department_id=user.department_id)
        if user.has_perm("cases.accept_case"):
            window = user.window if getattr(user, "window_id", None) else None
            if window is not None and window.active:
                handles |= Q(kind=ProcessStep.Kind.ACCEPT) & (
                    Q(department_id=window.department_id) if window.department_id else Q()
                )
            elif window is None and user.department_id:
                handles |= Q(kind=ProcessStep.Kind.ACCEPT, department_id=user.department_id)
        qs = qs.filter(post_id__in=post_ids).filter(handles)
        if scope == "mine":
            qs = qs.filter(Q(assignee=user) | Q(case__green_channel_handler=user))
    if status:
        qs = qs.filter(case__status=status)
    if overdue is not None:
        now = clock.now()
        qs = qs.filter(due_at__lt=now) if overdue else qs.filter(Q(due_at__gte=now) | Q(due_at__isnull=True))
    qs = qs.annotate(
        green=When_Case(
            When(case__green_channel=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("green", "due_at", "case_id")
    if limit:
        return qs[:limit]
    return qs


def cases_for(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """Cases in `user`'s data scope, filtered. Filters: status (one or a list), item_code,
    department (id), channel, number (case or receipt number, exact), applicant (name contains),
    green_channel (bool), overdue (bool: open and past due_at), accepted_from / accepted_to (dates),
    received_from / received_to (dates), open (bool: accepted and not completed/closed)."""
    filters = dict(filters or {})
    qs = _scoped(_base(), user)
    status = filters.get("status")
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if filters.get("item_code"):
        qs = qs.filter(item_version__item__code=filters["item_code"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("number"):
        value = numbers.normalise(filters["number"])
        qs = qs.filter(Q(number=value) | Q(receipt_number=value))
    if filters.get("applicant"):
        qs = qs.filter(applicant_name__icontains=str(filters["applicant"]).strip())
    if filters.get("green_channel") is not None:
        qs = qs.filter(green_channel=bool(filters["green_channel"]))
    open_statuses = (
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.DECIDED_GRANTED,
        Status.DECIDED_DENIED,
        Status.CERTIFICATE_ISSUED,
        Status.SUSPENDED,
        Status.CORRECTION_IN_PROGRESS,
    )
    if filters.get("open") is not None:
        qs = qs.filter(status__in=open_statuses) if filters["open"] else qs.exclude(status__in=open_statuses)
    if filters.get("overdue") is not None:
        now = clock.now()
        overdue_q = Q(status__in=(Status.ACCEPTED, Status.IN_PROGRESS), due_at__lt=now)
        qs = qs.filter(overdue_q) if filters["overdue"] else qs.exclude(overdue_q)
    for key, lookup in (
        ("accepted_from", "accepted_on__gte"),
        ("accepted_to", "accepted_on__lte"),
        ("received_from", "received_at__date__gte"),
        ("received_to", "received_at__date__lte"),
    ):
        if filters.get(key):
            qs = qs.filter(**{lookup: filters[key]})
    return qs.order_by("-green_channel", "due_at", "-id") if filters.get("by_urgency") else qs


def case_history(case: Case) -> QuerySet[CaseEvent]:
    """Every event of the case, in order."""
    return CaseEvent.objects.filter(case=case).select_related("step").order_by("seq")


def case_steps(case: Case) -> QuerySet[CaseStep]:
    return CaseStep.objects.filter(case=case).select_related("post", "handler").order_by("position")


def case_visible_to(case: Case, user: Any) -> bool:
    """Whether `user` may see `case` (its center and data scope)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.center_id != case.center_id:
        return False
    if not user.has_perm(VIEW_CASE):
        return False
    ids = visible_department_ids(user)
    return ids is None or case.department_id in ids


# --- the public progress page -------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStep:
    name: str
    status: str
    started_on: dt.date | None
    finished_on: dt.date | None


@dataclass(frozen=True)
class PublicPause:
    kind: str
    kind_label: str
    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class PublicCorrectionItem:
    name: str
    note: str


@dataclass(frozen=True)
class PublicProgress:
    number: str
    item_name: str
    department: str
    status: str
    status_label: str
    received_on: dt.date | None
    accepted_on: dt.date | None
    due_date: dt.date | None
    completed_on: dt.date | None
    steps: tuple[PublicStep, ...]
    pauses: tuple[PublicPause, ...]
    corrections: tuple[PublicCorrectionItem, ...]
    events: tuple[tuple[dt.datetime, str, str], ...]  # (at, action, to_status) of the public events


def public_progress(number: str, code: str) -> PublicProgress | None:
    """What anyone may see of a case given its case (or receipt) number and the last four
    characters of the applicant's phone or ID number. Anything wrong → None (one answer for
    every failure, so numbers cannot be probed). No staff names, no internal opinions."""
    try:
        value = numbers.parse_case_number(number)
    except ValidationFailed:
        return None
    code = str(code or "").strip().upper()
    if len(code) != 4:
        return None
    case = (
        Case.objects.select_related("item_version", "department")
        .filter(Q(number=value) | Q(receipt_number=value))
        .first()
    )
    if case is None:
        return None
    if code not in (case.applicant_phone[-4:].upper(), case.applicant_id_number[-4:].upper()):
        return None
    local = case_clock.local_date
    steps = tuple(
        PublicStep(
            name=s.name,
            status=s.status,
            started_on=local(s.started_at) if s.started_at else None,
            finished_on=local(s.finished_at) if s.finished_at else None,
        )
        for s in CaseStep.objects.filter(case=case).order_by("position")
    )
    pauses = tuple(
        PublicPause(
            kind=p.kind,
            kind_label=str(p.get_kind_display()),
            started_on=local(p.started_at),
            ended_on=local(p.ended_at) if p.ended_at else None,
        )
        for p in CasePause.objects.filter(case=case).order_by("started_at")
    )
    last_correction = CorrectionRequest.objects.filter(case=case).order_by("-issued_at", "-id").first()
    corrections: tuple[PublicCorrectionItem, ...] = ()
    if last_correction is not None and last_correction.received_at is None:
        corrections = tuple(
            PublicCorrectionItem(name=str(i.get("name", "")), note=str(i.get("note", "")))
            for i in last_correction.items
        )
    events = tuple(
        (e.at, e.action, e.to_status)
        for e in CaseEvent.objects.filter(case=case, public=True)
        .order_by("seq")
        .only("at", "action", "to_status")
    )
    return PublicProgress(
        number=case.number or case.receipt_number,
        item_name=case.item_version.name,
        department=case.department.name,
        status=case.status,
        status_label=str(Status(case.status).label),
        received_on=local(case.received_at) if case.received_at else None,
        accepted_on=case.accepted_on,
        due_date=local(case.due_at) if case.due_at else None,
        completed_on=local(case.completed_at) if case.completed_at else None,
        steps=steps,
        pauses=pauses,
        corrections=corrections,
        events=events,
    )
