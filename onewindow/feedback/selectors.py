"""Reading evaluations: the occasions and their evaluations in the user's data scope (center and
departments, `feedback.view_evaluations`), with filters; one case's occasions; the rates.

The list is a list of service occasions (服务次数), each with its evaluation or none: "not
evaluated" is a state of the occasion, never a row of its own (wave2.md §3). The rates are
computed by the database in one aggregate and reported separately, never blended:

* 未评率 (unevaluated rate) = occasions without an evaluation ÷ occasions;
* 满意率 / 好评率 (satisfaction rate) = (非常满意 + 满意 + 基本满意) ÷ evaluations not voided;
* 差评 = the bad evaluations not voided (a count).

A voided evaluation (误评/恶意, approved by a supervisor) still counts as "evaluated" (someone
did evaluate the occasion) but not in the satisfaction rate or the 差评 count; it is reported
as its own count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.models import Case
from onewindow.core.errors import PermissionDenied
from onewindow.feedback.codes import SATISFIED_LEVELS, Level
from onewindow.feedback.models import ServiceOccasion
from onewindow.org.selectors import scope_queryset

VIEW = "feedback.view_evaluations"


class State:
    EVALUATED = "evaluated"
    UNEVALUATED = "unevaluated"
    ALL = "all"
    CHOICES = ("evaluated", "unevaluated", "all")


@dataclass(frozen=True)
class EvaluationFilters:
    """What a list or summary may be narrowed by (never widened: the scope comes first).

    The date range is on the occasion's time (local dates, both inclusive): the occasions of a
    period and the evaluations given for them. `level`, `bad` and `channel` are about the
    evaluation, so they imply `state=evaluated`."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    level: str = ""
    bad: bool = False
    channel: str = ""
    department_id: int | None = None
    window_id: int | None = None
    kind: str = ""
    state: str = State.EVALUATED


def may_view(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(VIEW))


def require_view(user: Any) -> None:
    if not may_view(user):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": VIEW})


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone())


def scoped_occasions(user: Any) -> QuerySet[ServiceOccasion]:
    """The occasions of `user`'s data scope (nothing without feedback.view_evaluations)."""
    if not may_view(user):
        return ServiceOccasion.objects.none()
    return scope_queryset(ServiceOccasion.objects.all(), user)


def _occasion_filters(qs: QuerySet[ServiceOccasion], f: EvaluationFilters) -> QuerySet[ServiceOccasion]:
    if f.date_from is not None:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to is not None:
        qs = qs.filter(at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.department_id is not None:
        qs = qs.filter(department_id=f.department_id)
    if f.window_id is not None:
        qs = qs.filter(window_id=f.window_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs


def occasions(user: Any, filters: EvaluationFilters | None = None) -> QuerySet[ServiceOccasion]:
    """The occasions of the scope with their evaluation (select_related), newest first."""
    f = filters or EvaluationFilters()
    qs = _occasion_filters(scoped_occasions(user), f)
    state = f.state
    if f.level or f.bad or f.channel:
        state = State.EVALUATED
    if state == State.EVALUATED:
        qs = qs.filter(evaluation__isnull=False)
    elif state == State.UNEVALUATED:
        qs = qs.filter(evaluation__isnull=True)
    if f.level:
        qs = qs.filter(evaluation__level=f.level)
    if f.bad:
        qs = qs.filter(evaluation__bad=True)
    if f.channel:
        qs = qs.filter(evaluation__channel=f.channel)
    return qs.select_related("evaluation", "department", "window", "item", "case").order_by("-at", "-id")


@dataclass(frozen=True)
class Summary:
    occasions: int
    evaluated: int
    unevaluated: int
    valid: int  # evaluations not voided
    satisfied: int
    bad: int
    voided: int
    by_level: dict[str, int]

    @property
    def unevaluated_rate(self) -> float | None:
        return self.unevaluated / self.occasions if self.occasions else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.valid if self.valid else None


def summarise(qs: QuerySet[ServiceOccasion]) -> Summary:
    """Counts and rates of a set of occasions, in one aggregate query."""
    valid = Q(evaluation__isnull=False, evaluation__voided_at__isnull=True)
    aggregates: dict[str, Any] = {
        "occasions": Count("id"),
        "evaluated": Count("id", filter=Q(evaluation__isnull=False)),
        "valid": Count("id", filter=valid),
        "satisfied": Count("id", filter=valid & Q(evaluation__level__in=sorted(SATISFIED_LEVELS))),
        "bad": Count("id", filter=valid & Q(evaluation__bad=True)),
        "voided": Count("id", filter=Q(evaluation__voided_at__isnull=False)),
    }
    for level in Level.values:
        aggregates[f"level_{level}"] = Count("id", filter=valid & Q(evaluation__level=level))
    row = qs.order_by().aggregate(**aggregates)
    return Summary(
        occasions=row["occasions"],
        evaluated=row["evaluated"],
        unevaluated=row["occasions"] - row["evaluated"],
        valid=row["valid"],
        satisfied=row["satisfied"],
        bad=row["bad"],
        voided=row["voided"],
        by_level={level: row[f"level_{level}"] for level in Level.values},
    )


def summary(user: Any, filters: EvaluationFilters | None = None) -> Summary:
    """The rates of the scope's occasions (date range, department, window, kind only)."""
    f = filters or EvaluationFilters()
    return summarise(_occasion_filters(scoped_occasions(user), f))


@dataclass(frozen=True)
class CaseOccasion:
    id: int
    kind: str
    at: dt.datetime
    closes_at: dt.datetime
    evaluated: bool
    level: str | None
    voided: bool


def occasions_of_case(case: Case | int) -> list[CaseOccasion]:
    """A case's occasions in time order with their evaluation state: one query (the caller has
    already checked that the case may be seen)."""
    case_id = case if isinstance(case, int) else case.pk
    rows = (
        ServiceOccasion.objects.filter(case_id=case_id)
        .order_by("at", "id")
        .values_list(
            "id", "kind", "at", "closes_at", "evaluated_at", "evaluation__level", "evaluation__voided_at"
        )
    )
    return [
        CaseOccasion(
            id=pk,
            kind=kind,
            at=at,
            closes_at=closes_at,
            evaluated=evaluated_at is not None or level is not None,
            level=level,
            voided=voided_at is not None,
        )
        for pk, kind, at, closes_at, evaluated_at, level, voided_at in rows
    ]


@dataclass(frozen=True)
class PublicOccasion:
    """What the public evaluation page may show: no personal data."""

    id: int
    kind: str
    kind_label: str
    at: dt.datetime
    closes_at: dt.datetime
    center_id: int
    item_name: str
    department_name: str
    window_name: str
    evaluated: bool
    closed: bool


def public_occasion(occasion_id: int, now: dt.datetime) -> PublicOccasion | None:
    occasion = (
        ServiceOccasion.objects.filter(pk=occasion_id)
        .select_related("department", "window", "item__published_version", "case__item_version")
        .first()
    )
    if occasion is None:
        return None
    item_name = ""
    if occasion.case is not None:
        item_name = occasion.case.item_version.name
    elif occasion.item is not None:
        version = occasion.item.published_version
        item_name = version.name if version is not None else ""
    return PublicOccasion(
        id=occasion.pk,
        kind=occasion.kind,
        kind_label=str(ServiceOccasion.Kind(occasion.kind).label),
        at=occasion.at,
        closes_at=occasion.closes_at,
        center_id=occasion.center_id,
        item_name=item_name,
        department_name=occasion.department.name if occasion.department is not None else "",
        window_name=occasion.window.name if occasion.window is not None else "",
        evaluated=occasion.evaluated_at is not None,
        closed=occasion.closes_at <= now,
    )
