"""Recomputing the stored deadlines of open cases and their active steps (after a calendar edit
or a change of the yellow thresholds): `services.case_recompute_deadlines` is the entry point.
"""

from __future__ import annotations

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.facts import OPEN_STATUSES
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.steps import item_id, set_case_warn_at, set_step_warn_at
from onewindow.catalog.models import ProcessStep
from onewindow.core import clock

RECOMPUTE_BATCH = 500


def recompute(wanted: list[int] | None, *, center_id: int | None, batch_size: int = RECOMPUTE_BATCH) -> int:
    """Recompute the open cases `wanted` (None: all, or all of `center_id`) in batches of ids,
    each row locked, in the caller's transaction; the number of cases whose case or step row
    changed."""
    now = clock.now()
    table = calendar_table()
    base = Case.objects.filter(status__in=OPEN_STATUSES, accepted_on__isnull=False)
    if center_id is not None:
        base = base.filter(center_id=center_id)
    thresholds: dict[tuple[int, int | None], case_clock.Thresholds] = {}
    changed = 0
    last = 0
    case_fields = ("due_at", "legal_due_at", "warn_at", "level", "legal_level")
    step_fields = ("due_at", "warn_at", "level")
    while True:
        qs = base.filter(pk__gt=last).order_by("pk")
        if wanted is not None:
            chunk = [i for i in wanted if i > last][:batch_size]
            if not chunk:
                break
            qs = qs.filter(pk__in=chunk)
            last = chunk[-1]
        ids = list(qs.values_list("pk", flat=True)[:batch_size])
        if not ids:
            if wanted is None:
                break
            continue
        if wanted is None:
            last = ids[-1]
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .select_related("item_version")
            .filter(pk__in=ids, status__in=OPEN_STATUSES)
        )
        steps = {
            s.case_id: s
            for s in CaseStep.objects.select_for_update().filter(
                case_id__in=ids, status=CaseStep.Status.ACTIVE
            )
        }
        dirty_cases: list[Case] = []
        dirty_steps: list[CaseStep] = []
        for case in cases:
            key = (case.center_id, item_id(case))
            if key not in thresholds:
                thresholds[key] = case_clock.thresholds_for(*key)
            before = tuple(getattr(case, f) for f in case_fields)
            case.due_at = case_clock.capped(
                case_clock.case_due_at(
                    table,
                    accepted_on=case.accepted_on,  # type: ignore[arg-type]
                    limit=case.promised_limit,
                    paused_working_days=case.paused_working_days,
                    extension_days=case.extension_days,
                ),
                case.due_cap_at,
            )
            case.legal_due_at = case_clock.case_due_at(
                table,
                accepted_on=case.accepted_on,  # type: ignore[arg-type]
                limit=case.legal_limit,
                paused_working_days=case.paused_working_days,
                extension_days=case.extension_days,
            )
            set_case_warn_at(table, case, now=now, thresholds=thresholds[key])
            row_changed = tuple(getattr(case, f) for f in case_fields) != before
            if row_changed:
                dirty_cases.append(case)
            step = steps.get(case.pk)
            if step is not None and step.started_at is not None:
                step_before = tuple(getattr(step, f) for f in step_fields)
                step.due_at = case_clock.step_due_at(
                    table,
                    started_on=case_clock.local_date(step.started_at),
                    limit_days=step.limit_days,
                    paused_working_days=step.paused_working_days,
                    extension_days=step.extension_days,
                    certificate=step.kind == ProcessStep.Kind.CERTIFY,
                )
                set_step_warn_at(table, case, step, now=now, thresholds=thresholds[key])
                if tuple(getattr(step, f) for f in step_fields) != step_before:
                    dirty_steps.append(step)
                    row_changed = True
            changed += row_changed
        if dirty_cases:
            Case.objects.bulk_update(dirty_cases, case_fields)
        if dirty_steps:
            CaseStep.objects.bulk_update(dirty_steps, step_fields)
    return changed
