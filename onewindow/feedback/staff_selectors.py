"""Reads of the window evaluator and the staff evaluation pages: the window's current occasion,
the evaluation list with its filters, the rates above it (未评率, 满意率, 差评 count), the 差评
queue, the occasions open for a phone call-back, and the evaluators of the windows in scope.

Every staff read is limited to the account's data scope through the occasion's center and
department (`org.selectors.scope_queryset`): a department's chief representative sees his
department's evaluations only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases import selectors as case_selectors
from onewindow.cases.models import Case
from onewindow.core import clock
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.feedback.codes import BAD_LEVELS, SATISFIED_LEVELS
from onewindow.feedback.models import Evaluation, EvaluatorDevice, ServiceOccasion
from onewindow.org.models import Window
from onewindow.org.selectors import scope_queryset

VIEW = "feedback.view_evaluations"
# the evaluator shows an occasion served at its window within this time
CURRENT_WITHIN = dt.timedelta(minutes=30)


def current_occasion(window_id: int) -> ServiceOccasion | None:
    """The window's current occasion: the latest one served there within the last 30 minutes,
    if it is neither evaluated nor closed (once the latest is evaluated the tablet is idle: an
    older one belongs to an applicant who has left)."""
    now = clock.now()
    latest = (
        ServiceOccasion.objects.select_related(
            "case__item_version", "item__published_version", "staff", "window"
        )
        .filter(window_id=window_id, at__gte=now - CURRENT_WITHIN, at__lte=now)
        .order_by("-at", "-id")
        .first()
    )
    if latest is None or latest.evaluated_at is not None or latest.closes_at <= now:
        return None
    return latest


def item_name(occasion: ServiceOccasion) -> str:
    """The service item's name: the case's version, else the item's published version."""
    if occasion.case is not None:
        return str(occasion.case.item_version.name)
    if occasion.item is not None and occasion.item.published_version is not None:
        return str(occasion.item.published_version.name)
    return ""


@dataclass(frozen=True)
class EvaluationFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    level: str = ""
    bad_only: bool = False
    channel: str = ""
    department_id: int | None = None
    window_id: int | None = None
    voided: str = ""  # "" every evaluation, "yes" voided only, "no" not voided


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _local_bounds(f: EvaluationFilters) -> tuple[dt.datetime | None, dt.datetime | None]:
    start = _day_start(f.date_from) if f.date_from else None
    end = _day_start(f.date_to + dt.timedelta(days=1)) if f.date_to else None
    return start, end


def scoped_occasions(user: Any) -> QuerySet[ServiceOccasion]:
    return scope_queryset(ServiceOccasion.objects.all(), user)


def scoped_evaluations(user: Any) -> QuerySet[Evaluation]:
    return scope_queryset(
        Evaluation.objects.all(),
        user,
        department_field="occasion__department",
        center_field="occasion__center",
    )


def evaluation_list(user: Any, f: EvaluationFilters) -> QuerySet[Evaluation]:
    """The evaluations in scope matching the filters (dates: the day it was submitted), newest first."""
    qs = scoped_evaluations(user).select_related(
        "occasion",
        "occasion__case__item_version",
        "occasion__item__published_version",
        "occasion__window",
        "occasion__department",
        "rectification",
    )
    start, end = _local_bounds(f)
    if start:
        qs = qs.filter(submitted_at__gte=start)
    if end:
        qs = qs.filter(submitted_at__lt=end)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.bad_only:
        qs = qs.filter(bad=True)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.department_id:
        qs = qs.filter(occasion__department_id=f.department_id)
    if f.window_id:
        qs = qs.filter(occasion__window_id=f.window_id)
    if f.voided == "yes":
        qs = qs.filter(voided_at__isnull=False)
    elif f.voided == "no":
        qs = qs.filter(voided_at__isnull=True)
    return qs.order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class Rates:
    occasions: int
    unevaluated: int
    evaluations: int  # not voided
    satisfied: int
    bad: int

    @property
    def unevaluated_rate(self) -> float | None:
        return self.unevaluated / self.occasions if self.occasions else None

    @property
    def satisfied_rate(self) -> float | None:
        return self.satisfied / self.evaluations if self.evaluations else None


def rates(user: Any, f: EvaluationFilters) -> Rates:
    """未评率 over the occasions in scope (served in the date range, at the department or window
    filtered on); 满意率 and the 差评 count over their evaluations that are not voided. Voided
    evaluations count as evaluated occasions but in no rate."""
    occasions = scoped_occasions(user)
    start, end = _local_bounds(f)
    if start:
        occasions = occasions.filter(at__gte=start)
    if end:
        occasions = occasions.filter(at__lt=end)
    if f.department_id:
        occasions = occasions.filter(department_id=f.department_id)
    if f.window_id:
        occasions = occasions.filter(window_id=f.window_id)
    counts = occasions.aggregate(
        total=Count("id"),
        unevaluated=Count("id", filter=Q(evaluated_at__isnull=True)),
        evaluations=Count("evaluation", filter=Q(evaluation__voided_at__isnull=True)),
        satisfied=Count(
            "evaluation",
            filter=Q(evaluation__voided_at__isnull=True, evaluation__level__in=list(SATISFIED_LEVELS)),
        ),
        bad=Count(
            "evaluation", filter=Q(evaluation__voided_at__isnull=True, evaluation__level__in=list(BAD_LEVELS))
        ),
    )
    return Rates(
        occasions=counts["total"],
        unevaluated=counts["unevaluated"],
        evaluations=counts["evaluations"],
        satisfied=counts["satisfied"],
        bad=counts["bad"],
    )


def evaluation_for_staff(user: Any, pk: int) -> Evaluation:
    found = (
        scoped_evaluations(user)
        .select_related(
            "occasion",
            "occasion__case__item_version",
            "occasion__item__published_version",
            "occasion__window",
            "occasion__department",
            "occasion__staff",
            "device",
            "recorded_by",
            "voided_by",
            "rectification",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No such evaluation in your scope."), code="evaluation_not_found")
    return found


def bad_queue(user: Any) -> QuerySet[Evaluation]:
    """The 差评 in scope that are not voided, oldest first, with their rectification."""
    return (
        scoped_evaluations(user)
        .filter(bad=True, voided_at__isnull=True)
        .select_related(
            "occasion",
            "occasion__case__item_version",
            "occasion__item__published_version",
            "occasion__window",
            "rectification",
        )
        .order_by("submitted_at", "id")
    )


def callback_case(user: Any, number: str) -> Case | None:
    """The case of a case or receipt number in the caller's scope, or None."""
    try:
        return case_selectors.case_by_number(number, user=user)
    except (NotFound, ValidationFailed):
        return None


def callback_occasions(user: Any, case: Case) -> list[ServiceOccasion]:
    """The case's occasions in scope still open for evaluation and not evaluated."""
    return list(
        scoped_occasions(user)
        .filter(case_id=case.pk, evaluated_at__isnull=True, closes_at__gt=clock.now())
        .select_related("window", "item")
        .order_by("at", "id")
    )


def windows_for(user: Any) -> QuerySet[Window]:
    """The active windows of the account's data scope (a general window only center-wide)."""
    return scope_queryset(Window.objects.filter(active=True), user).order_by("code")


def devices_for(user: Any) -> QuerySet[EvaluatorDevice]:
    return (
        EvaluatorDevice.objects.filter(window__in=windows_for(user))
        .select_related("window", "created_by")
        .order_by("window__code", "revoked_at", "name")
    )
