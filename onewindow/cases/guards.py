"""Guards: the conditions beyond the state table under which an action can be performed now
(`guard`), and the actions a user can perform on a case now (`case_allowed_actions`).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as T
from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CaseExtension, CaseStep
from onewindow.cases.permissions import Actor, actor_may
from onewindow.cases.steps import OPEN_STEP, decision_step_position
from onewindow.catalog.models import ProcessStep
from onewindow.core import clock


def deemed_approval_at(due_at: dt.datetime, days: int) -> dt.datetime:
    """The end of the `days`-th working day after a step's due date: past it, the step is deemed
    approved (超期默认)."""
    return case_clock.end_of_nth_working_day(calendar_table(), case_clock.local_date(due_at), days)


def guard(case: Case, action: str, steps: list[CaseStep], now: dt.datetime) -> str | None:
    """Why `action` cannot be performed now (None: it can). Only reads."""
    active = next((s for s in steps if s.position == case.active_step_position), None)
    decision_pos = decision_step_position(steps)
    if action in (T.PASS_STEP, T.RETURN_STEP, T.GRANT, T.DENY, T.ISSUE_CERTIFICATE) and active is None:
        return _("There is no active step.")
    if action == T.PASS_STEP:
        assert active is not None
        if active.kind == ProcessStep.Kind.DECIDE:
            return _("The decision step is decided with grant or deny.")
        if active.kind == ProcessStep.Kind.CERTIFY and case.status == Status.DECIDED_GRANTED:
            return _("The certificate step is finished with issue_certificate.")
    if action in (T.GRANT, T.DENY):
        assert active is not None
        if decision_pos is not None and active.position != decision_pos:
            return _("The case is decided on its decision step.")
        if decision_pos is None and active.position != steps[-1].position:
            return _("The case is decided on its last step.")
    if action == T.ISSUE_CERTIFICATE:
        assert active is not None
        if active.kind != ProcessStep.Kind.CERTIFY:
            return _("The active step is not a certificate step.")
    if action == T.RETURN_STEP:
        assert active is not None
        if not any(s.position < active.position and s.status == CaseStep.Status.DONE for s in steps):
            return _("There is no earlier step to return to.")
    if action == T.COMPLETE and any(s.status in OPEN_STEP for s in steps):
        return _("Steps are still open.")
    if (
        action in (T.APPROVE_EXTENSION, T.REJECT_EXTENSION)
        and not CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED).exists()
    ):
        return _("There is no extension request to decide.")
    if action == T.REQUEST_EXTENSION:
        if CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED).exists():
            return _("An extension request is already waiting for approval.")
        if case_clock.extension_allowance(case.legal_limit) - case.extension_days < 1:
            return _("The case has used every extension day the law allows.")
    if action == T.RECORD_JOINT_INSPECTION and not case.joint:
        return _("Only a sub-case of a bundle takes part in a joint inspection.")
    if action == T.RESUBMIT_ONLINE and case.channel != Case.Channel.ONLINE:
        return _("Only an online application is resubmitted online.")
    if action == T.DEEM_ACCEPT and (case.answer_due_at is None or case.answer_due_at >= now):
        return _("The five working days to answer have not passed.")
    if action == T.DEEM_APPROVE_STEP:
        days = case.item_version.deemed_approval_days
        if days is None:
            return _("This item has no deemed approval.")
        if active is None or active.due_at is None:
            return _("There is no active step.")
        if now <= deemed_approval_at(active.due_at, days):
            return _("The step is not overdue long enough for deemed approval.")
    return None


def case_allowed_actions(case: Case, user: Actor = None, *, now: dt.datetime | None = None) -> list[str]:
    """The actions that can be performed on `case` now: those of the table for its status that
    pass the guards (an active step of the right kind, a pending extension, …), and, when `user`
    is given, that the user may perform (permission, post and department)."""
    now = now or clock.now()
    steps = list(CaseStep.objects.filter(case=case).order_by("position")) if case.accepted_on else []
    result = []
    for action in T.actions_from(case.status):
        transition = T.TABLE[(case.status, action)]
        if guard(case, action, steps, now) is not None:
            continue
        if user is not None and actor_may(user, case, action, transition, steps) is not None:
            continue
        result.append(action)
    return result
