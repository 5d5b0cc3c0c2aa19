"""The effects of the extension actions (延期): asking for one and deciding it. Split from
`effects.py` (which maps every action to its effect in `EFFECTS`); the same contract: change the
unit of work in memory, one event, nothing written here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as T
from onewindow.cases.models import CaseExtension, Notice
from onewindow.cases.steps import recompute_due, recompute_step_due
from onewindow.cases.work import Work
from onewindow.core.errors import InvalidTransition, ValidationFailed

Params = dict[str, Any]


def request_extension(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    days = p["days"]
    allowance = case_clock.extension_allowance(case.legal_limit)
    left = allowance - case.extension_days
    if days < 1 or days > left:
        raise ValidationFailed(
            _(
                "An extension may add 1 to %(left)s working days "
                "(at most %(allowance)s in all for a legal limit of %(legal)s days)."
            )
            % {"left": max(left, 0), "allowance": allowance, "legal": case.legal_limit},
            code="extension_too_long",
            details={"days": [_("At most %(left)s working days.") % {"left": max(left, 0)}]},
        )
    if CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED).exists():
        raise ValidationFailed(
            _("An extension request is already waiting for approval."), code="extension_pending"
        )
    work.rows.append(
        CaseExtension(
            case=case, days=days, reason=p["reason"], requested_by=work.actor, requested_at=work.now
        )
    )
    work.event(
        T.REQUEST_EXTENSION, from_status, step=work.active_step(), data={"days": days, "reason": p["reason"]}
    )


def _decide_extension(work: Work, p: Params, *, approve: bool) -> None:
    case, from_status = work.case, work.case.status
    ext = (
        CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED)
        .order_by("requested_at", "id")
        .first()
    )  # the case's row lock covers its extensions: only case actions change them
    if ext is None:  # pragma: no cover - the guards check it first
        raise InvalidTransition(
            _("There is no extension request to decide."), details={"allowed_actions": []}
        )
    if approve and ext.days > case_clock.extension_allowance(case.legal_limit) - case.extension_days:
        raise ValidationFailed(_("The extension exceeds what the law allows."), code="extension_too_long")
    ext.status = CaseExtension.Status.APPROVED if approve else CaseExtension.Status.REJECTED
    ext.decided_by = work.actor
    ext.decided_at = work.now
    ext.decision_note = p.get("note", "")
    work.change(ext, "status", "decided_by", "decided_at", "decision_note")
    data = {"extension_id": ext.pk, "days": ext.days, "reason": ext.reason, "note": p.get("note", "")}
    if approve:
        case.extension_days += ext.days
        recompute_due(work)
        step = work.active_step()
        if step is not None:
            step.extension_days += ext.days
            recompute_step_due(work, step)
        data["due_at"] = case.due_at
        data["legal_due_at"] = case.legal_due_at
    action = T.APPROVE_EXTENSION if approve else T.REJECT_EXTENSION
    work.event(action, from_status, step=work.active_step(), data=data)
    if approve:
        due_date = case_clock.local_date(case.due_at) if case.due_at else None
        work.notice(Notice.Kind.EXTENSION, {"days": ext.days, "reason": ext.reason, "due_date": due_date})


def approve_extension(work: Work, p: Params) -> None:
    _decide_extension(work, p, approve=True)


def reject_extension(work: Work, p: Params) -> None:
    _decide_extension(work, p, approve=False)
