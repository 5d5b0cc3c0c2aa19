"""Reading cases: lookups, worklists, lists, history and the public progress view.

Data scope comes only from `onewindow.org.selectors.scope_queryset`; ID numbers and phones are
masked in every display value (`Case.masked_id_number`, `Case.masked_phone`); full values only
through `services.case_reveal_applicant`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case as When_Case
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases import numbers
from onewindow.cases.clock import ClockSummary, clock_summary
from onewindow.cases.facts import status_label
from onewindow.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CasePause,
    CaseStep,
    CorrectionRequest,
    Notice,
    Status,
)
from onewindow.catalog.models import ProcessStep, ServiceItemVersion
from onewindow.core import clock, fastsql
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.org.models import Department
from onewindow.org.selectors import in_data_scope, scope_queryset


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


_CASE_BY_EITHER_NUMBER = (
    f'SELECT "id", "center_id", "department_id" FROM "{Case._meta.db_table}" '  # noqa: S608
    'WHERE "number" = %s OR "receipt_number" = %s'
)


def case_id_by_number(number: str, *, user: Any) -> int:
    """The id of the case with this case or receipt number within `user`'s data scope (the same
    rule as `_scoped`, applied to one plain row: every action starts here, then locks and loads
    the case itself). Outside the scope: NotFound, as if absent."""
    value = numbers.parse_case_number(number)
    allowed = user is not None and getattr(user, "is_active", False) and user.has_perm(VIEW_CASE)
    if allowed:
        # a plain SELECT (the ORM's query building cost more than the rest of this read)
        for case_id, center_id, department_id in fastsql.rows(_CASE_BY_EITHER_NUMBER, [value, value]):
            if in_data_scope(user, center_id=center_id, department_id=department_id):
                return int(case_id)
    raise NotFound(_("No case with the number %(number)s.") % {"number": value})


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
    if user is None or not user.has_perm(VIEW_CASE):
        return False
    return in_data_scope(user, center_id=case.center_id, department_id=case.department_id)


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
    joint: bool = False  # a sub-case of a bundle case (approvals.public.bundle_of_case names it)


def _local_date(value: Any, tz: dt.tzinfo) -> dt.date | None:
    moment = fastsql.as_datetime(value)
    return moment.astimezone(tz).date() if moment is not None else None


_PAUSE_KINDS = dict(CasePause.Kind.choices)  # value → lazy label


@functools.cache
def _public_progress_sql() -> tuple[str, str]:
    """The two statements of `public_progress`, built once from the models' table names.

    1. the case by case or receipt number (both unique indexes; an OR of two index lookups),
       joined to its item version and department for their names;
    2. everything shown below it in one UNION ALL, each branch driven by its case_id index:
       the steps, the pauses, the last correction request (only kept when still open) and the
       public events. Columns: kind, order, name, status, first time, second time, items.
       The correction branch comes first so that PostgreSQL types the items column as jsonb
       (it resolves a UNION's column types pair by pair, left to right).
    """
    q = connection.ops.quote_name
    case, version = q(Case._meta.db_table), q(ServiceItemVersion._meta.db_table)
    department = q(Department._meta.db_table)
    step, pause = q(CaseStep._meta.db_table), q(CasePause._meta.db_table)
    correction, event = q(CorrectionRequest._meta.db_table), q(CaseEvent._meta.db_table)
    case_sql = (
        f"SELECT c.id, c.number, c.receipt_number, c.applicant_phone, c.applicant_id_number, "  # noqa: S608
        f"c.status, c.received_at, c.accepted_on, c.due_at, c.completed_at, v.name, d.name, c.joint "
        f"FROM {case} c INNER JOIN {version} v ON v.id = c.item_version_id "
        f"INNER JOIN {department} d ON d.id = c.department_id "
        f"WHERE c.number = %s OR c.receipt_number = %s ORDER BY c.created_at DESC, c.id DESC LIMIT 1"
    )
    timeline_sql = (
        f"SELECT 2, id, '', '', issued_at, received_at, items FROM {correction} "  # noqa: S608
        f"WHERE id = (SELECT id FROM {correction} WHERE case_id = %s "
        f"ORDER BY issued_at DESC, id DESC LIMIT 1) "
        f"UNION ALL SELECT 0, position, name, status, started_at, finished_at, NULL "
        f"FROM {step} WHERE case_id = %s "
        f"UNION ALL SELECT 1, id, kind, '', started_at, ended_at, NULL FROM {pause} WHERE case_id = %s "
        f"UNION ALL SELECT 3, seq, action, to_status, at, NULL, NULL FROM {event} "
        f"WHERE case_id = %s AND {q('public')} = %s"
    )
    return case_sql, timeline_sql


def public_progress(number: str, code: str) -> PublicProgress | None:
    """What anyone may see of a case given its case (or receipt) number and the last four
    characters of the applicant's phone or ID number. Anything wrong → None (one answer for
    every failure, so numbers cannot be probed). No staff names, no internal opinions.

    Two indexed statements (see `_public_progress_sql`): the public lookup is the hottest read
    of the system (issue 3: >= 400/s over 1,000,000 cases), so it reads plain rows, not models.
    """
    try:
        value = numbers.parse_case_number(number)
    except ValidationFailed:
        return None
    code = str(code or "").strip().upper()
    if len(code) != 4:
        return None
    case_sql, timeline_sql = _public_progress_sql()
    with connection.cursor() as cursor:
        cursor.execute(case_sql, [value, value])
        row = cursor.fetchone()
        if row is None:
            return None
        case_id, case_number, receipt_number, phone, id_number, status = row[:6]
        received_at, accepted_on, due_at, completed_at, item_name, department_name, joint = row[6:]
        if code not in (phone[-4:].upper(), id_number[-4:].upper()):
            return None
        cursor.execute(timeline_sql, [case_id, case_id, case_id, case_id, True])
        rows = cursor.fetchall()
    steps: list[tuple[int, PublicStep]] = []
    pauses: list[tuple[dt.datetime, int, PublicPause]] = []
    corrections: tuple[PublicCorrectionItem, ...] = ()
    events: list[tuple[int, tuple[dt.datetime, str, str]]] = []
    kinds = _PAUSE_KINDS
    tz = timezone.get_current_timezone()  # once: each lookup of it costs more than the arithmetic
    for kind, order, name, state, first, second, items in rows:
        if kind == 0:
            step = PublicStep(
                name=name,
                status=state,
                started_on=_local_date(first, tz),
                finished_on=_local_date(second, tz),
            )
            steps.append((order, step))
        elif kind == 1:
            started = fastsql.as_datetime(first)
            assert started is not None
            pause = PublicPause(
                kind=name,
                kind_label=str(kinds.get(name, name)),
                started_on=started.astimezone(tz).date(),
                ended_on=_local_date(second, tz),
            )
            pauses.append((started, order, pause))
        elif kind == 2:
            if second is None:  # the last request is still open: show its list
                listed = json.loads(items) if isinstance(items, str | bytes) else items
                corrections = tuple(
                    PublicCorrectionItem(
                        name=mask_free_text(str(i.get("name", ""))),
                        note=mask_free_text(str(i.get("note", ""))),
                    )
                    for i in listed
                )
        else:
            at = fastsql.as_datetime(first)
            assert at is not None
            events.append((order, (at, name, state)))
    return PublicProgress(
        number=case_number or receipt_number,
        item_name=item_name,
        department=department_name,
        status=status,
        status_label=status_label(status),
        received_on=_local_date(received_at, tz),
        accepted_on=dt.date.fromisoformat(accepted_on) if isinstance(accepted_on, str) else accepted_on,
        due_date=_local_date(due_at, tz),
        completed_on=_local_date(completed_at, tz),
        steps=tuple(s for _, s in sorted(steps, key=lambda x: x[0])),
        pauses=tuple(p for _, _, p in sorted(pauses, key=lambda x: (x[0], x[1]))),
        corrections=corrections,
        events=tuple(e for _, e in sorted(events, key=lambda x: x[0])),
        joint=bool(joint),
    )


# --- one case in full (the API's case detail) ----------------------------------------------------


@dataclass(frozen=True)
class CaseDetail:
    """A case with everything its detail shows: steps (post, handler), materials (files),
    events (step), notices and the clock summary (None until accepted)."""

    case: Case
    steps: list[CaseStep]
    materials: list[CaseMaterial]
    events: list[CaseEvent]
    notices: list[Notice]
    clock: ClockSummary | None


def case_detail(*, number: str, user: Any) -> CaseDetail:
    """The case with this case or receipt number in `user`'s data scope (outside it: NotFound,
    as if absent), read in full."""
    case = case_by_number(number, user=user)
    return CaseDetail(
        case=case,
        steps=list(case_steps(case)),
        materials=list(
            CaseMaterial.objects.filter(case=case).prefetch_related("files").order_by("position", "id")
        ),
        events=list(case_history(case)),
        notices=list(Notice.objects.filter(case=case).order_by("issued_at", "id")),
        clock=clock_summary(case),
    )


@dataclass(frozen=True)
class ActiveStep:
    position: int
    name: str
    due_at: dt.datetime | None


_ACTIVE_STEP = (
    f'SELECT "position", "name", "due_at" FROM "{CaseStep._meta.db_table}" '  # noqa: S608
    'WHERE "case_id" = %s AND "position" = %s'
)


def case_active_step(case: Case) -> ActiveStep | None:
    """The active step of `case` as stored (position, name, due date), or None."""
    if case.active_step_position is None:
        return None
    found = fastsql.rows(_ACTIVE_STEP, [case.pk, case.active_step_position])
    if not found:
        return None
    position, name, due_at = found[0]
    return ActiveStep(position=position, name=name, due_at=fastsql.as_datetime(due_at))


_LATEST_NOTICE = (
    f'SELECT "number" FROM "{Notice._meta.db_table}" WHERE "case_id" = %s '  # noqa: S608
    'ORDER BY "issued_at" DESC, "id" DESC LIMIT 1'
)


def case_latest_notice_number(case: Case) -> str | None:
    """The number of the notice issued last for `case` (an intake's acceptance, correction or
    refusal notice), or None. A plain SELECT: the API answers it after every intake."""
    found = fastsql.rows(_LATEST_NOTICE, [case.pk])
    return str(found[0][0]) if found else None
