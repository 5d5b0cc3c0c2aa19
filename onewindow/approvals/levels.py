"""The supervision level of a bundle case (一件事的黄牌/红牌).

A bundle has its own joint clock (`BundleCase.due_at`), so it has its own level, computed the
same way as a case's (docs/domain/approvals.md, "Supervision of bundles"):

* `warn_at` is the moment the remaining joint time becomes ≤ the yellow threshold of the center
  (`cases.clock.thresholds_for(center_id, None)`: by default 1 working day, or 20 % of the
  limit, whichever comes first), computed by `cases.clock.warn_at` exactly as for a case;
* the level is red once `due_at` is past, yellow from `warn_at`, green before.

Only bundles `in_progress` move: a bundle awaiting corrected materials is paused (its level
stays as it was until the clock runs again), decided and delivered bundles keep the level they
ended with. The sub-cases are ordinary cases: their own levels, supervision orders and
accountability records come from the ordinary supervision sweep, and `holdups.py` shows which
of them hold a bundle up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from onewindow.approvals.models import BundleCase
from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.facts import Level
from onewindow.core import clock

BATCH_SIZE = 500


def level_at(bundle_case: BundleCase, now: dt.datetime) -> int:
    """The level the joint clock justifies at `now`: red past `due_at`, yellow from `warn_at`."""
    if bundle_case.due_at is not None and bundle_case.due_at < now:
        return Level.RED
    if bundle_case.warn_at is not None and bundle_case.warn_at <= now:
        return Level.YELLOW
    return Level.GREEN


def set_bundle_warn_at(
    bundle_case: BundleCase,
    table: Any = None,
    *,
    now: dt.datetime | None = None,
    thresholds: case_clock.Thresholds | None = None,
) -> None:
    """Compute `warn_at` of the bundle from its (already computed) `due_at`, like a case's
    (`cases.steps.set_case_warn_at`). With `now`, also put the level back where the moved
    deadline puts it (after an extension or a resumed pause). Does not save: the caller saves
    `warn_at` (and `level`) with the fields it changed."""
    if bundle_case.accepted_on is None or bundle_case.due_at is None:
        bundle_case.warn_at = None
        return
    table = table or calendar_table()
    thresholds = thresholds or case_clock.thresholds_for(bundle_case.center_id, None)
    bundle_case.warn_at = case_clock.warn_at(
        table,
        started_at=bundle_case.accepted_at or bundle_case.due_at,
        start_on=bundle_case.accepted_on,
        total_days=bundle_case.promised_limit + bundle_case.paused_working_days + bundle_case.extension_days,
        limit_days=bundle_case.promised_limit + bundle_case.extension_days,
        thresholds=thresholds,
    )
    if now is not None:
        bundle_case.level = case_clock.level_after_move(
            bundle_case.level, now=now, warn=bundle_case.warn_at, due=bundle_case.due_at
        )


def _running() -> Any:
    return BundleCase.objects.filter(status=BundleCase.Status.IN_PROGRESS, due_at__isnull=False)


def bundle_levels_sweep(now: dt.datetime | None = None) -> int:
    """Bring the levels of the running bundles in line with their joint clock; answers how many
    bundles changed level. Fills a missing `warn_at` first. Reads only the bundles whose level is
    wrong (a crossing, or a deadline moved back out of yellow/red), and writes them with one
    UPDATE per batch (`bulk_update`)."""
    now = now or clock.now()
    fields = ("id", "center_id", "level", "warn_at", "due_at", "accepted_at", "accepted_on")
    missing = list(
        _running()
        .filter(warn_at__isnull=True)
        .only(*fields, "promised_limit", "paused_working_days", "extension_days")
    )
    if missing:
        table = calendar_table()
        thresholds: dict[int, case_clock.Thresholds] = {}
        for bundle_case in missing:
            key = bundle_case.center_id
            if key not in thresholds:
                thresholds[key] = case_clock.thresholds_for(key, None)
            set_bundle_warn_at(bundle_case, table, thresholds=thresholds[key])
        BundleCase.objects.bulk_update(missing, ["warn_at"], batch_size=BATCH_SIZE)
    wrong = (
        Q(level__lt=Level.RED, due_at__lt=now)
        | Q(level=Level.GREEN, warn_at__lte=now)
        | Q(level=Level.RED, due_at__gte=now)
        | Q(level=Level.YELLOW, warn_at__gt=now)
    )
    changed = []
    for bundle_case in _running().filter(wrong).only("id", "level", "warn_at", "due_at").order_by("id"):
        level = level_at(bundle_case, now)
        if level != bundle_case.level:
            bundle_case.level = level
            changed.append(bundle_case)
    if changed:
        BundleCase.objects.bulk_update(changed, ["level"], batch_size=BATCH_SIZE)
    return len(changed)
