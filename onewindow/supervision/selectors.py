"""Reads of the supervision app: the board, flags, the forecast, orders, accountability records,
reminders, deemed approvals, anomalies and step badges. Every list is limited to the user's
data scope (onewindow.org.selectors.scope_queryset)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from onewindow.cases.clock import DEFAULT_THRESHOLDS, Thresholds
from onewindow.cases.facts import OPEN_STATUSES
from onewindow.cases.models import CASE_CLOCK_RUNNING, CASE_PAUSED, Case, CaseEvent, CaseStep
from onewindow.core import clock
from onewindow.org.selectors import scope_queryset
from onewindow.supervision.models import (
    AccountabilityRecord,
    Flag,
    Reminder,
    SupervisionOrder,
    SupervisionRule,
)

FORECAST_LIMIT = 500

# --- the thresholds (the provider registered with cases.clock) ------------------------------------

_CACHE_SECONDS = 10.0
_cache: dict[tuple[int, int | None], tuple[float, Thresholds]] = {}


def forget_thresholds() -> None:
    """Drop the cached thresholds (after a rule change in this process)."""
    _cache.clear()


def thresholds(center_id: int, item_id: int | None) -> Thresholds:
    """The yellow thresholds of an item of a center: its own rule, else the center's, else the
    defaults. Cached per process for a few seconds."""
    key = (center_id, item_id)
    hit = _cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    rules = {
        r.item_id: r
        for r in SupervisionRule.objects.filter(center_id=center_id).filter(
            Q(item__isnull=True) | Q(item_id=item_id)
        )
    }
    rule = rules.get(item_id) if item_id is not None else None
    rule = rule or rules.get(None)
    value = Thresholds(rule.yellow_days, rule.yellow_percent) if rule else DEFAULT_THRESHOLDS
    _cache[key] = (time.monotonic(), value)
    return value


def rules(*, user: Any) -> QuerySet[SupervisionRule]:
    if not getattr(user, "center_id", None):
        return SupervisionRule.objects.none()
    return SupervisionRule.objects.filter(center_id=user.center_id).select_related("item")


# --- the board -----------------------------------------------------------------------------------


@dataclass
class LevelCounts:
    label: str = ""
    green: int = 0
    yellow: int = 0
    red: int = 0

    def add(self, level: int, n: int) -> None:
        if level >= 2:
            self.red += n
        elif level == 1:
            self.yellow += n
        else:
            self.green += n

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red


@dataclass
class Board:
    at: dt.datetime
    cases: LevelCounts = field(default_factory=LevelCounts)
    steps: LevelCounts = field(default_factory=LevelCounts)
    cases_by_department: dict[str, LevelCounts] = field(default_factory=dict)
    cases_by_window: dict[str, LevelCounts] = field(default_factory=dict)
    cases_by_item: dict[str, LevelCounts] = field(default_factory=dict)
    steps_by_department: dict[str, LevelCounts] = field(default_factory=dict)
    steps_by_item: dict[str, LevelCounts] = field(default_factory=dict)


def _scoped_cases(user: Any) -> QuerySet[Case]:
    return scope_queryset(Case.objects.filter(status__in=OPEN_STATUSES), user)


def _scoped_steps(user: Any) -> QuerySet[CaseStep]:
    return scope_queryset(
        CaseStep.objects.filter(status=CaseStep.Status.ACTIVE, case__status__in=OPEN_STATUSES),
        user,
        center_field="case__center",
    )


def _group(qs: QuerySet[Any], code: str, label: str, into: dict[str, LevelCounts]) -> None:
    for row in qs.values(code, label, "level").annotate(n=Count("id")).order_by():
        key = row[code] or "-"
        into.setdefault(key, LevelCounts(label=row[label] or "")).add(row["level"], row["n"])


def board(*, user: Any, now: dt.datetime | None = None) -> Board:
    """Green/yellow/red counts of the open cases and active steps in the user's scope, by
    department, window and item (the levels the sweep stored; GROUP BY queries)."""
    result = Board(at=now or clock.now())
    cases = _scoped_cases(user)
    steps = _scoped_steps(user)
    _group(cases, "department__code", "department__name", result.cases_by_department)
    _group(cases, "window__code", "window__name", result.cases_by_window)
    _group(cases, "item_version__item__code", "item_version__name", result.cases_by_item)
    _group(steps, "department__code", "department__name", result.steps_by_department)
    _group(steps, "case__item_version__item__code", "case__item_version__name", result.steps_by_item)
    for row in cases.values("level").annotate(n=Count("id")).order_by():
        result.cases.add(row["level"], row["n"])
    for row in steps.values("level").annotate(n=Count("id")).order_by():
        result.steps.add(row["level"], row["n"])
    return result


# --- flags, forecast -------------------------------------------------------------------------------


def _scoped_flags(user: Any) -> QuerySet[Flag]:
    return scope_queryset(Flag.objects.all(), user, center_field="case__center")


def flags(
    *,
    user: Any,
    level: str | None = None,
    department_code: str | None = None,
    item_code: str | None = None,
    handler: Any = None,
    open_only: bool = True,
) -> QuerySet[Flag]:
    qs = _scoped_flags(user).select_related("case", "step", "department")
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if level:
        qs = qs.filter(level=level)
    if department_code:
        qs = qs.filter(department__code=department_code)
    if item_code:
        qs = qs.filter(case__item_version__item__code=item_code)
    if handler is not None:
        qs = qs.filter(step__assignee=handler)
    return qs.order_by("-raised_at", "-id")


def anomalies(*, user: Any) -> QuerySet[Flag]:
    return flags(user=user, level=Flag.Level.ANOMALY)


@dataclass(frozen=True)
class ForecastRow:
    number: str
    step: str | None
    due_at: dt.datetime
    warn_at: dt.datetime | None


@dataclass
class Forecast:
    at: dt.datetime
    yellow: list[ForecastRow] = field(default_factory=list)
    red: list[ForecastRow] = field(default_factory=list)


def forecast(*, user: Any, at: dt.datetime) -> Forecast:
    """Read-only: the running cases and steps that would newly be yellow or red at `at` if nothing
    moved — rows already flagged at that level (or above) are not listed again: yellow lists rows
    at level 0 with warn_at ≤ at ≤ due_at; red lists rows below level 2 with due_at < at. Paused
    cases are left out (their clock stands still). At most FORECAST_LIMIT rows of each."""
    result = Forecast(at=at)
    steps = _scoped_steps(user).exclude(case__status__in=CASE_PAUSED)
    cases = _scoped_cases(user).filter(status__in=CASE_CLOCK_RUNNING)
    for qs, is_step in ((steps, True), (cases, False)):
        number = "case__number" if is_step else "number"
        fields = [number, "due_at", "warn_at"] + (["name"] if is_step else [])
        yellow = qs.filter(level=0, warn_at__lte=at, due_at__gte=at).order_by("warn_at")
        red = qs.filter(level__lt=2, due_at__lt=at).order_by("due_at")
        for source, into in ((yellow, result.yellow), (red, result.red)):
            for row in source.values(*fields)[:FORECAST_LIMIT]:
                into.append(
                    ForecastRow(
                        number=row[number] or "",
                        step=row.get("name") if is_step else None,
                        due_at=row["due_at"],
                        warn_at=row["warn_at"],
                    )
                )
    result.yellow.sort(key=lambda r: r.warn_at or r.due_at)
    result.red.sort(key=lambda r: r.due_at)
    return result


# --- orders, records, reminders -------------------------------------------------------------------


def orders(*, user: Any, status: str | None = None) -> QuerySet[SupervisionOrder]:
    # through the department (every order has one): an order about a subject has no case
    qs = scope_queryset(SupervisionOrder.objects.all(), user, center_field="department__center")
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("case", "department", "issuer").order_by("-issued_at", "-id")


def accountability_records(*, user: Any, status: str | None = None) -> QuerySet[AccountabilityRecord]:
    qs = scope_queryset(AccountabilityRecord.objects.all(), user, center_field="department__center")
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("case", "step", "post", "person", "department").order_by("-created_at", "-id")


APPEAL = "supervision.appeal_accountability"  # the department chief's permission


def _addressed_to(user: Any) -> Q:
    """Reminders and orders that go to `user` (supervision.routing): as their handler, as a
    holder of their post, or as the department chief when nobody else could act."""
    q = Q(handler=user) | Q(post__in=user.posts.all())
    if user.has_perm(APPEAL):
        q |= Q(to_chief=True)
    return q


def reminders_for(user: Any) -> QuerySet[Reminder]:
    """Reminders addressed to the user (`_addressed_to`), in the user's scope."""
    qs = scope_queryset(Reminder.objects.all(), user, center_field="case__center")
    return (
        qs.filter(_addressed_to(user))
        .select_related("case", "step", "post")
        .order_by("read_at", "-created_at", "-id")
    )


def orders_for(user: Any, *, open_only: bool = False) -> QuerySet[SupervisionOrder]:
    """Supervision orders addressed to the user (`_addressed_to`), in the user's scope."""
    if not getattr(user, "is_authenticated", False):
        return SupervisionOrder.objects.none()
    qs = scope_queryset(SupervisionOrder.objects.all(), user, center_field="department__center")
    qs = qs.filter(_addressed_to(user))
    if open_only:
        qs = qs.exclude(status=SupervisionOrder.Status.CLOSED)
    return qs.select_related("case", "department", "issuer", "step", "post", "handler").order_by(
        "-issued_at", "-id"
    )


def worklist_reminders(user: Any, *, limit: int = 20) -> list[Reminder]:
    """The unread reminders addressed to the user (their posts or them) whose step is still
    active, newest first, with the case and step: for the worklist."""
    return list(
        reminders_for(user)
        .filter(read_at__isnull=True, step__status=CaseStep.Status.ACTIVE)
        .select_related("case", "step", "post")
        .order_by("-created_at", "-id")[:limit]
    )


def recent_deemed_approvals(*, user: Any, limit: int = 20) -> QuerySet[CaseEvent]:
    qs = scope_queryset(
        CaseEvent.objects.filter(action="deem_approve_step"),
        user,
        department_field="case__department",
        center_field="case__center",
    )
    return qs.select_related("case", "step").order_by("-at", "-id")[:limit]


def step_levels(step_ids: Any) -> dict[int, int]:
    """The supervision level of each step (for badges)."""
    ids = list(step_ids)
    if not ids:
        return {}
    return dict(CaseStep.objects.filter(pk__in=ids).values_list("pk", "level"))
