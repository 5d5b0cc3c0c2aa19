"""What each case action does to the unit of work: one small function per action, in `EFFECTS`
(keyed by the actions of the state table; a test keeps the two equal). An effect changes the
case and its steps in memory, records exactly one event, and queues notices, new rows and
messages on the `Work`; it may read related rows, and never writes (`persistence.write` does).

`apply` runs an action's effect and checks that the case ended in one of the statuses the
table allows for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as T
from onewindow.cases.delivery import clean_delivery
from onewindow.cases.delivery import event_data as delivery_event_data
from onewindow.cases.extension_effects import approve_extension, reject_extension, request_extension
from onewindow.cases.facts import Status
from onewindow.cases.materials import check_missing_required, correction_items, mark_received
from onewindow.cases.models import (
    Case,
    CaseDelivery,
    CaseMaterial,
    CasePause,
    CaseStep,
    CorrectionRequest,
    Notice,
)
from onewindow.cases.params import DEEMED_OPINION, RIGHTS_STATEMENT
from onewindow.cases.pauses import add_past_pause, close_open_pauses, end_pause
from onewindow.cases.steps import (
    activate,
    build_steps,
    decision_step_position,
    finish,
    finish_acceptance_step,
    next_step,
    recompute_due,
    skip_rest,
)
from onewindow.cases.versions import snapshot
from onewindow.cases.work import NumberKind, Work
from onewindow.core.errors import InvalidTransition, ValidationFailed

Params = dict[str, Any]
Effect = Callable[[Work, Params], None]


class EffectMismatch(RuntimeError):
    """An effect left the case in a status the state table does not allow (a programming error)."""


# --- receiving and accepting -------------------------------------------------------------------


def pre_review_pass(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    case.status = Status.RECEIVED
    case.received_at = work.now
    if case.answer_due_at is None:  # an online case's 5 days run from its submission
        case.answer_due_at = case_clock.answer_due_at(work.table, received_on=work.today)
    work.event(
        T.PRE_REVIEW_PASS,
        from_status,
        opinion=p.get("opinion", ""),
        data={"answer_due_at": case.answer_due_at},
    )


def _accept(work: Work, p: Params, *, deemed: bool) -> None:
    case, from_status = work.case, work.case.status
    snap = snapshot(case.item_version)
    data: dict[str, Any] = {}
    materials = work.materials if work.new_case else list(CaseMaterial.objects.filter(case=case))
    if not deemed:
        note = p.get("note", "")
        missing = check_missing_required(snap, materials, note)
        if missing:
            data["missing_required"] = missing
            data["note"] = note
    # deemed: from the day it was received (an online case: the day it was last submitted)
    origin = case.submitted_at if case.channel == Case.Channel.ONLINE else case.received_at
    origin = origin or case.received_at
    accepted_on = case_clock.local_date(origin) if deemed and origin else work.today
    work.want_number(NumberKind.CASE, accepted_on)
    case.status = Status.ACCEPTED
    case.accepted_at = work.now
    case.accepted_on = accepted_on
    case.deemed_accepted = deemed
    case.answer_due_at = None
    recompute_due(work)
    if not work.steps:
        work.steps = build_steps(case, snap)
        work.new_steps = True
    if work.steps:
        activate(work, work.steps[0])
        done = finish_acceptance_step(work, opinion=p.get("opinion", "") or p.get("note", ""))
        if done is not None:
            data["acceptance_step"] = done.name
            nxt = work.active_step()
            if nxt is not None:
                data["next_step"] = nxt.name
    data.update({"number": case.number, "accepted_on": accepted_on.isoformat(), "due_at": case.due_at})
    if deemed:
        data["deemed"] = True
        data["received_on"] = accepted_on.isoformat()
    work.event(T.DEEM_ACCEPT if deemed else T.ACCEPT, from_status, opinion=p.get("opinion", ""), data=data)
    work.notice(
        Notice.Kind.ACCEPTANCE,
        {
            "accepted_on": accepted_on,
            "deemed": deemed,
            "promised_limit": case.promised_limit,
            "legal_limit": case.legal_limit,
            "due_date": case_clock.local_date(case.due_at) if case.due_at else None,
            "materials": [{"name": m.name, "received": m.received, "copies": m.copies} for m in materials],
        },
    )
    work.message("case_accepted")


def accept(work: Work, p: Params) -> None:
    _accept(work, p, deemed=False)


def deem_accept(work: Work, p: Params) -> None:
    _accept(work, {}, deemed=True)


def _request_correction(work: Work, p: Params, *, phase: str) -> None:
    case, from_status = work.case, work.case.status
    field_name = "correction_items" if work.new_case else "items"
    items = correction_items(snapshot(case.item_version), p.get("items") or (), field_name=field_name)
    repeat = case.correction_count >= 1
    reason = p.get("reason", "")
    if repeat and not reason:
        raise ValidationFailed(
            _("This case has already had a correction notice: give the reason for asking again."),
            code="reason_required",
            details={"reason": [_("Required for a second correction request.")]},
        )
    case.correction_count += 1
    data: dict[str, Any] = {"items": items, "phase": phase, "correction_number": case.correction_count}
    if reason:
        data["reason"] = reason
    if repeat:
        data["repeat_correction"] = True
    step = None
    before_acceptance = phase == CorrectionRequest.Phase.BEFORE_ACCEPTANCE
    if before_acceptance:
        case.status = Status.CORRECTION_REQUESTED
        case.answer_due_at = None
    else:
        step = work.active_step()
        case.status = Status.CORRECTION_IN_PROGRESS
        work.rows.append(
            CasePause(
                case=case,
                step=step,
                kind=CasePause.Kind.CORRECTION,
                reason=reason or "；".join(f"{i['name']}: {i['note']}" for i in items),
                started_at=work.now,
            )
        )
    work.rows.append(
        CorrectionRequest(
            case=case, phase=phase, items=items, reason=reason, issued_at=work.now, issued_by=work.actor
        )
    )
    action = T.REQUEST_CORRECTION if before_acceptance else T.REQUEST_PROCESSING_CORRECTION
    work.event(action, from_status, step=step, data=data)
    work.notice(Notice.Kind.CORRECTION, {"phase": phase, "items": items, "reason": reason})
    work.message("case_correction_requested", materials="；".join(i["name"] for i in items))


def request_correction(work: Work, p: Params) -> None:
    _request_correction(work, p, phase=CorrectionRequest.Phase.BEFORE_ACCEPTANCE)


def request_processing_correction(work: Work, p: Params) -> None:
    _request_correction(work, p, phase=CorrectionRequest.Phase.DURING_PROCESSING)


def _corrections_received(work: Work) -> None:
    for request in CorrectionRequest.objects.filter(case=work.case, received_at__isnull=True):
        request.received_at = work.now
        work.change(request, "received_at")


def receive_correction(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    names = mark_received(work, p.get("materials") or ())
    _corrections_received(work)
    case.status = Status.RECEIVED
    case.received_at = work.now
    case.answer_due_at = case_clock.answer_due_at(work.table, received_on=work.today)
    work.event(T.RECEIVE_CORRECTION, from_status, data={"materials": names, "note": p.get("note", "")})


def receive_processing_correction(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    names = mark_received(work, p.get("materials") or ())
    _corrections_received(work)
    case.status = Status.IN_PROGRESS
    data = end_pause(work, correction=True)
    data.update({"materials": names, "note": p.get("note", "")})
    work.event(T.RECEIVE_PROCESSING_CORRECTION, from_status, step=work.active_step(), data=data)


def resubmit_online(work: Work, p: Params) -> None:
    """The applicant sent the corrected materials online: submitted again, a new pre-review; the
    5 working days to answer run again from now (the application is complete only now)."""
    case, from_status = work.case, work.case.status
    names = mark_received(work, p.get("materials") or ())
    _corrections_received(work)
    case.status = Status.SUBMITTED
    case.submitted_at = work.now
    case.answer_due_at = case_clock.answer_due_at(work.table, received_on=work.today)
    work.event(
        T.RESUBMIT_ONLINE,
        from_status,
        data={"materials": names, "note": p.get("note", ""), "answer_due_at": case.answer_due_at},
    )


def refuse(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    case.status = Status.REFUSED
    case.closed_at = work.now
    case.answer_due_at = None
    work.event(T.REFUSE, from_status, data={"reason": p["reason"]})
    work.notice(Notice.Kind.REFUSAL, {"reason": p["reason"], "rights_statement": RIGHTS_STATEMENT})
    work.message("case_refused", reason=p["reason"])


# --- the steps and the decision ----------------------------------------------------------------


def _active(work: Work) -> CaseStep:
    step = work.active_step()
    if step is None:  # pragma: no cover - the guards check it first
        raise InvalidTransition(_("There is no active step."), details={"allowed_actions": []})
    return step


def _decide(work: Work, decision: str) -> None:
    case = work.case
    case.status = Status.DECIDED_GRANTED if decision == Case.Decision.GRANTED else Status.DECIDED_DENIED
    case.decision = decision
    case.decided_at = work.now


def _go_on(work: Work, after: CaseStep) -> CaseStep | None:
    """Activate the step after `after` (None: it was the last one)."""
    nxt = next_step(work, after)
    if nxt is not None:
        activate(work, nxt)
    else:
        work.case.active_step_position = None
    return nxt


def pass_step(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    step = _active(work)
    finish(work, step, result=CaseStep.Result.PASS, opinion=p.get("opinion", ""))
    data: dict[str, Any] = {"step": step.name, "position": step.position}
    decided = case.status in (Status.DECIDED_GRANTED, Status.CERTIFICATE_ISSUED)
    nxt = _go_on(work, step)
    if nxt is not None:
        if not decided:
            case.status = Status.IN_PROGRESS
        data["next_step"] = nxt.name
    elif not decided:  # the last step of a template without a decision step decides
        _decide(work, Case.Decision.GRANTED)
        data["decided"] = True
    work.event(T.PASS_STEP, from_status, step=step, opinion=p.get("opinion", ""), data=data)


def deem_approve_step(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    step = _active(work)
    decision_pos = decision_step_position(work.steps)
    deciding = step.position == decision_pos or (
        decision_pos is None and step.position == work.steps[-1].position
    )
    finish(work, step, result=CaseStep.Result.DEEMED, opinion=DEEMED_OPINION)
    data: dict[str, Any] = {
        "step": step.name,
        "position": step.position,
        "due_at": step.due_at,
        "deemed": True,
    }
    _go_on(work, step)
    if deciding:
        _decide(work, Case.Decision.GRANTED)
        data["decision"] = "granted"
    else:
        case.status = Status.IN_PROGRESS
    work.event(T.DEEM_APPROVE_STEP, from_status, step=step, opinion=DEEMED_OPINION, data=data)
    if deciding:
        work.notice(Notice.Kind.DECISION, {"decision": "granted", "deemed": True, "decided_on": work.today})
        work.message("case_deemed_approved")


def return_step(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    step = _active(work)
    target = next((s for s in work.steps if s.position == p["to_position"]), None)
    if target is None or target.position >= step.position or target.status != CaseStep.Status.DONE:
        raise ValidationFailed(
            _("A case can only be returned to an earlier step that was done."),
            details={"to_position": [_("Choose an earlier, completed step.")]},
        )
    previous_handler = target.handler
    step.status = CaseStep.Status.RETURNED
    step.finished_at = work.now
    step.handler = work.actor
    step.opinion = p["reason"]
    step.result = CaseStep.Result.RETURN
    work.touch(step)
    for s in work.steps:
        if target.position < s.position < step.position:
            s.status = CaseStep.Status.PENDING
            s.started_at = s.finished_at = s.due_at = None
            s.handler = None
            s.opinion = s.result = ""
            work.touch(s)
    activate(work, target, assignee=previous_handler)
    case.status = Status.IN_PROGRESS
    data = {
        "from_position": step.position,
        "to_position": target.position,
        "to_step": target.name,
        "reason": p["reason"],
    }
    work.event(T.RETURN_STEP, from_status, step=step, opinion=p["reason"], data=data)


def grant(work: Work, p: Params) -> None:
    from_status = work.case.status
    step = _active(work)
    finish(work, step, result=CaseStep.Result.GRANT, opinion=p.get("opinion", ""))
    _decide(work, Case.Decision.GRANTED)
    _go_on(work, step)
    work.event(T.GRANT, from_status, step=step, opinion=p.get("opinion", ""), data={"decision": "granted"})
    work.notice(Notice.Kind.DECISION, {"decision": "granted", "decided_on": work.today})


def deny(work: Work, p: Params) -> None:
    from_status = work.case.status
    step = _active(work)
    rights = p.get("rights_statement") or RIGHTS_STATEMENT
    opinion = p.get("opinion") or p["reasons"]
    finish(work, step, result=CaseStep.Result.DENY, opinion=opinion)
    skip_rest(work)
    _decide(work, Case.Decision.DENIED)
    data = {"decision": "denied", "reasons": p["reasons"], "rights_statement": rights}
    work.event(T.DENY, from_status, step=step, opinion=opinion, data=data)
    work.notice(Notice.Kind.DECISION, {**data, "decided_on": work.today})


def issue_certificate(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    step = _active(work)
    finish(work, step, result=CaseStep.Result.PASS, opinion=p.get("opinion", ""))
    _go_on(work, step)
    case.status = Status.CERTIFICATE_ISSUED
    data = {"certificate_number": p.get("certificate_number", "")}
    work.event(T.ISSUE_CERTIFICATE, from_status, step=step, opinion=p.get("opinion", ""), data=data)


# --- pauses (the special procedure, a correction during processing) and extensions -----------


def start_special_procedure(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    step = work.active_step()
    expected = p.get("expected_working_days")
    if expected is not None and not 1 <= expected <= 365:
        raise ValidationFailed(
            _("Expected duration: 1 to 365 working days."),
            details={"expected_working_days": [_("Enter 1 to 365.")]},
        )
    expected_end = work.table.add_working_days(work.today, expected) if expected else None
    work.rows.append(
        CasePause(
            case=case,
            step=step,
            kind=p["kind"],
            reason=p["reason"],
            started_at=work.now,
            expected_working_days=expected,
            expected_end=expected_end,
        )
    )
    case.status = Status.SUSPENDED
    data = {
        "kind": p["kind"],
        "reason": p["reason"],
        "expected_working_days": expected,
        "expected_end": expected_end,
    }
    work.event(T.START_SPECIAL_PROCEDURE, from_status, step=step, data=data)
    work.notice(Notice.Kind.SPECIAL_PROCEDURE, data)


def end_special_procedure(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    case.status = Status.IN_PROGRESS
    data = end_pause(work, correction=False)
    data["note"] = p.get("note", "")
    work.event(T.END_SPECIAL_PROCEDURE, from_status, step=work.active_step(), data=data)


def record_joint_inspection(work: Work, p: Params) -> None:
    """A bundle's joint inspection or acceptance, in the history of a sub-case taking part (the
    status stays); with `pause_from`, the clock pauses from the inspection to now."""
    case = work.case
    data = {k: p.get(k, "") for k in ("inspection_id", "kind", "date", "place", "conclusion", "comment")}
    data["overall"] = p["overall"]
    if p.get("pause_from"):
        try:
            started_at = dt.datetime.fromisoformat(p["pause_from"])
        except ValueError:
            raise ValidationFailed(
                _("Check the fields of this action."), details={"pause_from": [_("Enter a date and time.")]}
            ) from None
        reason = _("Joint inspection on %(date)s at %(place)s") % {"date": p["date"], "place": p["place"]}
        data["paused_working_days"] = add_past_pause(
            work, kind=CasePause.Kind.INSPECTION, started_at=started_at, reason=reason
        )
        data["due_at"] = case.due_at
    work.event(T.RECORD_JOINT_INSPECTION, case.status, step=work.active_step(), data=data)


# --- the end of a case ------------------------------------------------------------------------


def complete(work: Work, p: Params) -> None:
    case, from_status = work.case, work.case.status
    case.status = Status.COMPLETED
    case.completed_at = work.now
    early = bool(case.due_at and work.today < case_clock.local_date(case.due_at))
    work.event(T.COMPLETE, from_status, data={"early": early, "note": p.get("note", "")})
    work.message("case_completed_early" if early else "case_completed")
    if case.delivery_method == Case.DeliveryMethod.PICKUP:
        work.message("case_ready_for_pickup")


def deliver(work: Work, p: Params) -> None:
    """Picked up at the window or mailed: the `CaseDelivery` row (who collected it, or the
    carrier and tracking number) is written with the event; see `delivery.clean_delivery`."""
    case, from_status = work.case, work.case.status
    fields = clean_delivery(case, p)
    case.status = Status.DELIVERED
    case.delivered_at = work.now
    case.delivery_method = fields["method"]
    case.tracking_number = fields.get("tracking_number", "")
    work.rows.append(
        CaseDelivery(
            case=case, delivered_at=work.now, delivered_by=work.actor, note=p.get("note", ""), **fields
        )
    )
    work.event(T.DELIVER, from_status, data=delivery_event_data(fields, p.get("note", "")))


def _close(work: Work, action: str, status: str, p: Params) -> None:
    """Withdraw or terminate: close the open pauses, skip the steps left."""
    case, from_status = work.case, work.case.status
    close_open_pauses(work)
    if case.accepted_on is not None:
        skip_rest(work)
    case.status = status
    case.closed_at = work.now
    case.answer_due_at = None
    work.event(action, from_status, data={"reason": p["reason"]})


def withdraw(work: Work, p: Params) -> None:
    _close(work, T.WITHDRAW, Status.WITHDRAWN, p)


def terminate(work: Work, p: Params) -> None:
    _close(work, T.TERMINATE, Status.TERMINATED, p)
    work.notice(Notice.Kind.TERMINATION, {"reason": p["reason"]})


EFFECTS: dict[str, Effect] = {
    T.PRE_REVIEW_PASS: pre_review_pass,
    T.ACCEPT: accept,
    T.DEEM_ACCEPT: deem_accept,
    T.REQUEST_CORRECTION: request_correction,
    T.RECEIVE_CORRECTION: receive_correction,
    T.REFUSE: refuse,
    T.PASS_STEP: pass_step,
    T.DEEM_APPROVE_STEP: deem_approve_step,
    T.RETURN_STEP: return_step,
    T.GRANT: grant,
    T.DENY: deny,
    T.START_SPECIAL_PROCEDURE: start_special_procedure,
    T.END_SPECIAL_PROCEDURE: end_special_procedure,
    T.REQUEST_PROCESSING_CORRECTION: request_processing_correction,
    T.RECEIVE_PROCESSING_CORRECTION: receive_processing_correction,
    T.REQUEST_EXTENSION: request_extension,
    T.APPROVE_EXTENSION: approve_extension,
    T.REJECT_EXTENSION: reject_extension,
    T.ISSUE_CERTIFICATE: issue_certificate,
    T.COMPLETE: complete,
    T.DELIVER: deliver,
    T.WITHDRAW: withdraw,
    T.TERMINATE: terminate,
    T.RECORD_JOINT_INSPECTION: record_joint_inspection,
    T.RESUBMIT_ONLINE: resubmit_online,
}


def apply(work: Work, action: str, params: Params) -> None:
    """Run `action`'s effect on the work; EffectMismatch if the case's new status is not one of
    the table's targets for the action (the table and the effects must agree)."""
    transition = T.transition_for(work.case.status, action)
    EFFECTS[action](work, params)
    if work.case.status not in transition.targets:
        raise EffectMismatch(
            f"{action} from {transition.source} left the case {work.case.status}, "
            f"not one of {', '.join(transition.targets)}"
        )
