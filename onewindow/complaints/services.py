"""Writing complaints: the workflow after registration (intake.py registers).

    registered ──assign──▶ assigned ──investigate──▶ investigating ──answer──▶ answered
        │  ▲                  │  │                        │                      │
        │  └─────return───────┘  └──────answer────────────┼──────────────────────┘
        │  (mis-routed, with reasons; back to the supervisor)                  callback
    not_accept (with a reason code; the reply is sent anyway)                   ▼
                                                                              closed
    extend (supervisor, once, with a reason) while open; judge (validity, once) when answered
    or closed — a valid complaint may create an accountability record (supervision).

`complaint_act(number=, action=, version=, actor=, **params)` runs one action: the complaint
row is locked, a stale `version` is a Conflict (409), the state table (codes.TRANSITIONS) and
the permission (permissions.may_act) are checked, then the change, one `ComplaintEvent`, and
the complainant's SMS where there is one. Every refusal is a `core.errors` error with a stable
code and a translated message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.complaints import deadlines, events
from onewindow.complaints.codes import TRANSITIONS, NotAcceptedReason, Satisfaction, Status
from onewindow.complaints.intake import (  # noqa: F401  (the entry points live here too)
    Registered,
    check_public_rate,
    complaint_from_evaluation,
    complaint_register,
    complaint_submit_public,
)
from onewindow.complaints.models import Complaint
from onewindow.complaints.permissions import may_act, may_view
from onewindow.complaints.routing import assign_locked, handler_in
from onewindow.core import clock
from onewindow.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.org.models import Department
from onewindow.supervision.subjects import accountability_record_for_subject

TEXT_MAX = 2000
REASON_MAX = 500


def _check() -> str:
    return _("Check the form: the marked fields need attention.")


def _required(params: dict[str, Any], field: str, limit: int) -> str:
    value = params.get(field)
    text = (value if isinstance(value, str) else "").strip()
    if not text:
        raise ValidationFailed(_check(), details={field: [_("Required.")]})
    if len(text) > limit:
        raise ValidationFailed(
            _check(),
            details={field: [_("Enter at most %(max_length)s characters.") % {"max_length": limit}]},
        )
    return text


def _optional(params: dict[str, Any], field: str, limit: int) -> str:
    value = params.get(field)
    text = (value if isinstance(value, str) else "").strip()
    if len(text) > limit:
        raise ValidationFailed(
            _check(),
            details={field: [_("Enter at most %(max_length)s characters.") % {"max_length": limit}]},
        )
    return text


def _assign(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    code = _required(params, "department", 20)
    department = Department.objects.filter(center_id=c.center_id, code=code, active=True).first()
    if department is None:
        raise ValidationFailed(_("Check the department."), details={"department": [_("No such department.")]})
    username = _optional(params, "handler", 150)
    handler = handler_in(department, username) if username else None
    assign_locked(c, department, handler, actor, client_ip=ip)


def _not_accept(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    reason = params.get("reason")
    if reason not in NotAcceptedReason.values:
        raise ValidationFailed(
            _("Choose the reason the complaint is not accepted."),
            details={"reason": [_("Choose one of the listed reasons.")]},
        )
    c.not_accepted_reply = _required(params, "reply", REASON_MAX)
    c.not_accepted_reason = str(reason)
    c.status = Status.NOT_ACCEPTED
    c.closed_at = clock.now()
    events.save(c, c.version, ["not_accepted_reason", "not_accepted_reply", "status", "closed_at"])
    label = str(NotAcceptedReason(reason).label)
    events.record(c, "not_accept", actor, note=f"{label}: {c.not_accepted_reply}", client_ip=ip)
    events.tell_complainant(c, "complaint_not_accepted", reason=label, reply=c.not_accepted_reply)


def _return(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    reason = _required(params, "reason", REASON_MAX)
    department = c.department.name if c.department else ""
    c.department, c.handler, c.status = None, None, Status.REGISTERED
    events.save(c, c.version, ["department", "handler", "status"])
    events.record(c, "return", actor, note=f"{department}: {reason}", client_ip=ip)


def _investigate(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    username = _optional(params, "handler", 150)
    assert c.department is not None  # assigned
    c.handler = handler_in(c.department, username) if username else (c.handler or actor)
    c.status = Status.INVESTIGATING
    events.save(c, c.version, ["handler", "status"])
    events.record(c, "investigate", actor, note=c.handler.full_name or c.handler.username, client_ip=ip)


def _answer(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    c.answer = _required(params, "answer", TEXT_MAX)
    now = clock.now()
    c.answered_at, c.answered_by = now, actor
    c.handler = c.handler or actor
    c.days_overdue = deadlines.days_overdue(c.due_at, now)
    c.status = Status.ANSWERED
    events.save(c, c.version, ["answer", "answered_at", "answered_by", "handler", "days_overdue", "status"])
    events.record(c, "answer", actor, note=c.answer, client_ip=ip)
    events.tell_complainant(c, "complaint_answered")


def _extend(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    if c.extension_days:
        raise InvalidTransition(
            _("The limit of a complaint can be extended only once."), code="already_extended"
        )
    try:
        days = int(params.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= deadlines.EXTENSION_MAX_DAYS:
        raise ValidationFailed(
            _("Check the extension."),
            details={
                "days": [
                    _("Enter a number of working days from 1 to %(max)d.")
                    % {"max": deadlines.EXTENSION_MAX_DAYS}
                ]
            },
        )
    c.extension_reason = _required(params, "reason", REASON_MAX)
    c.extension_days, c.extended_by = days, actor
    c.due_at, c.warn_at = deadlines.extended(c.due_at, days)
    c.level = 0
    events.save(
        c, c.version, ["extension_reason", "extension_days", "extended_by", "due_at", "warn_at", "level"]
    )
    events.record(c, "extend", actor, note=f"+{days}: {c.extension_reason}", client_ip=ip)


def _callback(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    satisfaction = params.get("satisfaction")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(
            _("Record the complainant's satisfaction."),
            details={"satisfaction": [_("Choose one of the listed answers.")]},
        )
    now = clock.now()
    c.satisfaction = str(satisfaction)
    c.callback_note = _optional(params, "note", TEXT_MAX)
    c.callback_at, c.callback_by, c.closed_at = now, actor, now
    c.status = Status.CLOSED
    events.save(
        c, c.version, ["satisfaction", "callback_note", "callback_at", "callback_by", "closed_at", "status"]
    )
    label = str(Satisfaction(satisfaction).label)
    events.record(c, "callback", actor, note=f"{label} {c.callback_note}".strip(), client_ip=ip)


def _respondent_department_id(c: Complaint) -> int | None:
    if c.respondent_department_id:
        return c.respondent_department_id
    if c.respondent_window is not None and c.respondent_window.department_id:
        return c.respondent_window.department_id
    if c.respondent_staff is not None and c.respondent_staff.department_id:
        return c.respondent_staff.department_id
    return None


def _judge(c: Complaint, actor: Any, params: dict[str, Any], ip: str | None) -> None:
    if c.valid is not None:
        raise InvalidTransition(
            _("The validity of this complaint is already decided."), code="already_judged"
        )
    valid = params.get("valid")
    if not isinstance(valid, bool):
        raise ValidationFailed(
            _("Decide whether the complaint is valid."), details={"valid": [_("Choose yes or no.")]}
        )
    reason = _required(params, "reason", TEXT_MAX)
    accountability = bool(params.get("accountability"))
    department_id = _respondent_department_id(c)
    if accountability and not valid:
        raise ValidationFailed(
            _("Only a valid complaint can create an accountability record."),
            details={"accountability": [_("Untick it, or judge the complaint valid.")]},
        )
    if accountability and department_id is None:
        raise ValidationFailed(
            _("The complaint names no respondent department or person to hold accountable."),
            details={"accountability": [_("Untick it: nobody is named as the respondent.")]},
        )
    now = clock.now()
    c.valid, c.validity_reason, c.judged_at, c.judged_by = valid, reason, now, actor
    events.save(c, c.version, ["valid", "validity_reason", "judged_at", "judged_by"])
    events.record(c, "judge", actor, note=("+ " if valid else "- ") + reason, client_ip=ip)
    if accountability and department_id is not None:
        accountability_record_for_subject(
            subject_kind="complaint",
            subject_ref=c.number,
            subject_label=f"{c.number} {c.title}",
            department_id=department_id,
            person_id=c.respondent_staff_id,
            reason=reason,
            now=now,
            actor=actor,
        )


EFFECTS: dict[str, Callable[[Complaint, Any, dict[str, Any], str | None], None]] = {
    "assign": _assign,
    "not_accept": _not_accept,
    "return": _return,
    "investigate": _investigate,
    "answer": _answer,
    "extend": _extend,
    "callback": _callback,
    "judge": _judge,
}


def lock(number: str, actor: Any) -> Complaint:
    """The complaint, locked, if `actor` may see it (NotFound otherwise: the same answer for a
    complaint out of scope as for no complaint)."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("center", "department", "handler", "respondent_window", "respondent_staff")
        .filter(number=number)
        .first()
    )
    if complaint is None or not may_view(actor, complaint):
        raise NotFound(_("No complaint with this number in your scope."))
    return complaint


@transaction.atomic
def complaint_act(
    *, number: str, action: str, version: int, actor: Any, client_ip: str | None = None, **params: Any
) -> Complaint:
    """Run `action` on the complaint `number` (see the module docstring)."""
    if action not in EFFECTS:
        raise ValidationFailed(_("Unknown action %(action)s.") % {"action": action}, code="unknown_action")
    complaint = lock(number, actor)
    if complaint.version != version:
        raise events.conflict(complaint.version)
    sources, _target, _perm = TRANSITIONS[action]
    if complaint.status not in sources:
        raise InvalidTransition(
            _("This action is not possible while the complaint is %(status)s.")
            % {"status": complaint.get_status_display()},
            details={"status": complaint.status},
        )
    if not may_act(actor, complaint, action):
        raise PermissionDenied(_("You may not do this on this complaint."))
    EFFECTS[action](complaint, actor, params, client_ip)
    return complaint


def allowed_actions(actor: Any, complaint: Complaint) -> list[str]:
    """The actions `actor` may take on `complaint` now (for the page's forms)."""
    found = []
    for action, (sources, _target, _perm) in TRANSITIONS.items():
        if complaint.status not in sources or not may_act(actor, complaint, action):
            continue
        if action == "extend" and complaint.extension_days:
            continue
        if action == "judge" and complaint.valid is not None:
            continue
        found.append(action)
    return found
