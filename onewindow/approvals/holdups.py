"""Who holds a bundle case up (卡在哪个部门): the late sub-cases, with their department, active
step and handler, for the supervision board and the bundle page.

A sub-case holds its bundle up while it is open (not yet decided for the bundle) and late or
close to it: its case or its active step is at yellow or red (levels set by the ordinary
supervision sweep), or its due time is already past (even before the next sweep ran).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from onewindow.approvals.models import BundleCase, BundleSubCase
from onewindow.cases.facts import CLOCK_RUNNING, OPEN_STATUSES, Level
from onewindow.cases.models import CaseStep
from onewindow.core import clock
from onewindow.org.selectors import visible_department_ids

BOARD_LIMIT = 100
LEVEL_KEYS = {Level.GREEN: "green", Level.YELLOW: "yellow", Level.RED: "red"}
# Bundles the board watches: accepted and not yet decided (a paused bundle keeps its level).
WATCHED = (BundleCase.Status.IN_PROGRESS, BundleCase.Status.CORRECTION_IN_PROGRESS)


@dataclass(frozen=True)
class Holdup:
    """One sub-case holding a bundle up."""

    number: str
    item_name: str
    department_name: str
    step_name: str  # "" when no step is active (e.g. a pause)
    handler: str  # the assignee or handler of the active step, else its post; "" when none
    due_at: dt.datetime | None
    level: int

    @property
    def level_key(self) -> str:
        return LEVEL_KEYS[Level(self.level)]


@dataclass(frozen=True)
class BoardBundle:
    """A bundle on the supervision board and the sub-cases holding it up."""

    number: str
    name: str
    status: str
    lead_department_name: str
    due_at: dt.datetime | None
    level: int
    holdups: list[Holdup] = field(default_factory=list)

    @property
    def level_key(self) -> str:
        return LEVEL_KEYS[Level(self.level)]


def _active_step_rows() -> QuerySet[CaseStep]:
    return CaseStep.objects.filter(status=CaseStep.Status.ACTIVE).select_related(
        "assignee", "handler", "post"
    )


def _sub_cases() -> QuerySet[BundleSubCase]:
    return BundleSubCase.objects.select_related("case", "department").order_by("position")


def _handler(step: CaseStep | None) -> str:
    if step is None:
        return ""
    person = step.assignee or step.handler
    if person is not None:
        return str(person.display_name)
    return step.post.name


def _holdup(sub: BundleSubCase, now: dt.datetime) -> Holdup | None:
    case = sub.case
    if case is None or sub.decided_at is not None or case.status not in OPEN_STATUSES:
        return None
    steps: list[CaseStep] = getattr(case, "active_steps", [])
    step = steps[0] if steps else None
    level = max(case.level, step.level if step is not None else Level.GREEN)
    due = step.due_at if step is not None and step.due_at is not None else case.due_at
    running = case.status in CLOCK_RUNNING  # a paused clock's due time is not final
    if running and any(d is not None and d < now for d in (case.due_at, due)):
        level = Level.RED
    if level < Level.YELLOW:
        return None
    return Holdup(
        number=case.display_number,
        item_name=sub.item_name,
        department_name=sub.department.name,
        step_name=step.name if step is not None else "",
        handler=_handler(step),
        due_at=due,
        level=level,
    )


def _holdups_of(subs: Iterable[BundleSubCase], now: dt.datetime) -> list[Holdup]:
    found = [h for h in (_holdup(s, now) for s in subs) if h is not None]
    # the reddest first, then the earliest due
    return sorted(found, key=lambda h: (-h.level, h.due_at or now))


def holdups(bundle_case: BundleCase, *, now: dt.datetime | None = None) -> list[Holdup]:
    """The open sub-cases of `bundle_case` that are late or close to it (two queries)."""
    now = now or clock.now()
    subs = (
        _sub_cases()
        .filter(bundle_case=bundle_case)
        .prefetch_related(Prefetch("case__steps", queryset=_active_step_rows(), to_attr="active_steps"))
    )
    return _holdups_of(subs, now)


def _late_sub_case(now: dt.datetime) -> Exists:
    open_sub = BundleSubCase.objects.filter(
        bundle_case=OuterRef("pk"), decided_at__isnull=True, case__status__in=OPEN_STATUSES
    )
    past = Q(case__status__in=CLOCK_RUNNING, case__due_at__lt=now)
    red_step = CaseStep.objects.filter(case_id=OuterRef("case_id"), status=CaseStep.Status.ACTIVE).filter(
        Q(level=Level.RED) | Q(due_at__lt=now, case__status__in=CLOCK_RUNNING)
    )
    return Exists(open_sub.filter(Q(case__level=Level.RED) | past | Exists(red_step)))


def _bundle_level(bundle_case: BundleCase, now: dt.datetime) -> int:
    """The stored level, red as soon as a running joint clock is past (before the next sweep)."""
    running = bundle_case.status == BundleCase.Status.IN_PROGRESS
    if running and bundle_case.due_at is not None and bundle_case.due_at < now:
        return Level.RED
    return bundle_case.level


def bundles_on_board(center: Any, user: Any, *, now: dt.datetime | None = None) -> list[BoardBundle]:
    """The bundles of `center` in `user`'s data scope that are at yellow or red, or held up by a
    red sub-case, by joint due time, each with its holdups. A department account sees the
    bundles its departments lead or have a sub-case in. A fixed number of queries."""
    now = now or clock.now()
    if user is None or getattr(user, "center_id", None) != center.pk:
        return []
    ids = visible_department_ids(user)
    if ids is not None and not ids:
        return []
    qs = BundleCase.objects.filter(center=center, status__in=WATCHED).filter(
        Q(level__gte=Level.YELLOW)
        | Q(status=BundleCase.Status.IN_PROGRESS, due_at__lt=now)
        | _late_sub_case(now)
    )
    if ids is not None:
        mine = BundleSubCase.objects.filter(bundle_case=OuterRef("pk"), department_id__in=sorted(ids))
        qs = qs.filter(Q(lead_department_id__in=sorted(ids)) | Exists(mine))
    qs = (
        qs.select_related("lead_department")
        .prefetch_related(
            Prefetch("sub_cases", queryset=_sub_cases(), to_attr="board_subs"),
            Prefetch("board_subs__case__steps", queryset=_active_step_rows(), to_attr="active_steps"),
        )
        .order_by("due_at", "number")[:BOARD_LIMIT]
    )
    return [
        BoardBundle(
            number=bc.number,
            name=bc.bundle_name,
            status=bc.status,
            lead_department_name=bc.lead_department.name,
            due_at=bc.due_at,
            level=_bundle_level(bc, now),
            holdups=_holdups_of(bc.board_subs, now),  # type: ignore[attr-defined]
        )
        for bc in qs
    ]
