"""The steps of a case: built from the version's process template, activated, finished, skipped,
and their deadlines and the case's (due, warning moment, level after a move; the yellow
threshold and the level: docs/adr/0008-supervision-levels.md).
"""

from __future__ import annotations

import datetime as dt

from onewindow.calendar.workdays import WorkingDayTable
from onewindow.cases import clock as case_clock
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.versions import VersionSnapshot
from onewindow.cases.work import Work
from onewindow.catalog.models import ProcessStep
from onewindow.org.models import User

# Steps still to do: pending, or returned (done again once the earlier step is passed).
TO_DO = (CaseStep.Status.PENDING, CaseStep.Status.RETURNED)
OPEN_STEP = (CaseStep.Status.PENDING, CaseStep.Status.ACTIVE, CaseStep.Status.RETURNED)


def build_steps(case: Case, snap: VersionSnapshot) -> list[CaseStep]:
    return [
        CaseStep(
            case=case,
            position=s.position,
            name=s.name,
            kind=s.kind,
            post_id=s.post_id,
            department_id=case.department_id,
            limit_days=s.limit_days,
            on_site=s.on_site,
            status=CaseStep.Status.PENDING,
        )
        for s in snap.steps
    ]


def activate(work: Work, step: CaseStep, *, assignee: User | None = None) -> None:
    step.status = CaseStep.Status.ACTIVE
    step.started_at = work.now
    step.finished_at = None
    step.handler = None
    step.opinion = ""
    step.result = ""
    step.paused_working_days = 0
    step.extension_days = 0
    step.assignee = assignee
    step.due_at = case_clock.step_due_at(
        work.table,
        started_on=work.today,
        limit_days=step.limit_days,
        certificate=step.kind == ProcessStep.Kind.CERTIFY,
    )
    step.level = 0
    set_step_warn_at(work.table, work.case, step)
    work.case.active_step_position = step.position
    work.touch(step)


def finish(work: Work, step: CaseStep, *, result: str, opinion: str) -> None:
    step.status = CaseStep.Status.DONE
    step.finished_at = work.now
    step.handler = work.actor
    step.opinion = opinion
    step.result = result
    work.touch(step)


def finish_acceptance_step(work: Work, *, opinion: str) -> CaseStep | None:
    """Acceptance finishes the case's active acceptance step (受理) and activates the next step
    with its own deadline: handler = the accepting clerk (None when deemed), opinion = the
    acceptance note. An acceptance step that decides (the last step of its template) stays
    active: the clerk decides on it. Returns the finished step (None: nothing finished)."""
    step = work.active_step()
    if step is None or step.kind != ProcessStep.Kind.ACCEPT:
        return None
    nxt = next_step(work, step)
    if nxt is None:
        return None
    finish(work, step, result=CaseStep.Result.PASS, opinion=opinion)
    activate(work, nxt)
    return step


def next_step(work: Work, after: CaseStep) -> CaseStep | None:
    """The next step to do after `after`: the first later step still pending, or returned (the
    step that sent the case back is done again once the earlier step is passed)."""
    for step in work.steps:
        if step.position > after.position and step.status in TO_DO:
            return step
    return None


def decision_step_position(steps: list[CaseStep]) -> int | None:
    """The step on which the case is decided: the first of kind decide, else None."""
    for step in steps:
        if step.kind == ProcessStep.Kind.DECIDE:
            return step.position
    return None


def skip_rest(work: Work) -> None:
    for step in work.steps:
        if step.status in OPEN_STEP:
            step.status = CaseStep.Status.SKIPPED
            if step.finished_at is None:
                step.finished_at = work.now
            work.touch(step)
    work.case.active_step_position = None


def recompute_due(work: Work) -> None:
    case = work.case
    if case.accepted_on is None:
        return
    case.due_at = case_clock.capped(
        case_clock.case_due_at(
            work.table,
            accepted_on=case.accepted_on,
            limit=case.promised_limit,
            paused_working_days=case.paused_working_days,
            extension_days=case.extension_days,
        ),
        case.due_cap_at,
    )
    case.legal_due_at = case_clock.case_due_at(
        work.table,
        accepted_on=case.accepted_on,
        limit=case.legal_limit,
        paused_working_days=case.paused_working_days,
        extension_days=case.extension_days,
    )
    set_case_warn_at(work.table, case, now=work.now)


def recompute_step_due(work: Work, step: CaseStep) -> None:
    if step.started_at is None:
        return
    step.due_at = case_clock.step_due_at(
        work.table,
        started_on=case_clock.local_date(step.started_at),
        limit_days=step.limit_days,
        paused_working_days=step.paused_working_days,
        extension_days=step.extension_days,
        certificate=step.kind == ProcessStep.Kind.CERTIFY,
    )
    set_step_warn_at(work.table, work.case, step, now=work.now)
    work.touch(step)


def item_id(case: Case) -> int | None:
    version = case.item_version
    return version.item_id if version is not None else None


def set_case_warn_at(
    table: WorkingDayTable,
    case: Case,
    *,
    now: dt.datetime | None = None,
    thresholds: case_clock.Thresholds | None = None,
) -> None:
    """Compute `warn_at` of the case from its (already computed) `due_at`; with `now`, put the
    levels back to green when the moved deadlines no longer justify them."""
    if case.accepted_on is None or case.due_at is None:
        case.warn_at = None
        return
    thresholds = thresholds or case_clock.thresholds_for(case.center_id, item_id(case))
    case.warn_at = case_clock.warn_at(
        table,
        started_at=case.accepted_at or case.due_at,
        start_on=case.accepted_on,
        total_days=case.promised_limit + case.paused_working_days + case.extension_days,
        limit_days=case.promised_limit + case.extension_days,
        thresholds=thresholds,
    )
    if now is not None:
        case.level = case_clock.level_after_move(case.level, now=now, warn=case.warn_at, due=case.due_at)
        if case.legal_level and case.legal_due_at is not None and case.legal_due_at >= now:
            case.legal_level = 0


def set_step_warn_at(
    table: WorkingDayTable,
    case: Case,
    step: CaseStep,
    *,
    now: dt.datetime | None = None,
    thresholds: case_clock.Thresholds | None = None,
) -> None:
    """Compute `warn_at` of an active step from its `due_at` (see `set_case_warn_at`)."""
    if step.started_at is None or step.due_at is None:
        step.warn_at = None
        return
    thresholds = thresholds or case_clock.thresholds_for(case.center_id, item_id(case))
    limit = step.limit_days
    if step.kind == ProcessStep.Kind.CERTIFY:
        limit = min(limit, case_clock.CERTIFICATE_DAYS)
    step.warn_at = case_clock.warn_at(
        table,
        started_at=step.started_at,
        start_on=case_clock.local_date(step.started_at),
        total_days=limit + step.paused_working_days + step.extension_days,
        limit_days=limit + step.extension_days,
        thresholds=thresholds,
    )
    if now is not None:
        step.level = case_clock.level_after_move(step.level, now=now, warn=step.warn_at, due=step.due_at)
