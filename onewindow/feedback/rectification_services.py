"""The rectification (整改) workflow of a 差评, one service per action, each one transaction.

    callback_due ─callback─▶ (call-back recorded) ─classify─▶ rectifying ─rectify─▶ rectified
         │                                           │  reasonable: due today
         │                                           │  complex: due ≤ RECTIFICATION_DAYS
         │                                           ├─ no_legal_basis: explained ─▶ rectified
         │                                           └─ mistaken ─▶ void_requested
    rectified ─inform─▶ informed ─approve─▶ closed
                                 └send_back─▶ rectifying
    rectifying | rectified ─request_void─▶ void_requested ─approve_void─▶ voided
                                                            └reject_void─▶ rectifying

* Handlers (feedback.handle_rectification) act on the rectifications of the departments in their
  data scope; reviews and void decisions need feedback.review_rectification. A rectification
  outside the actor's scope is NotFound (404), a missing permission PermissionDenied (403).
* Each action carries the `version` the page showed: a stale one is a Conflict (409); the row is
  locked (select_for_update). Each action appends a `RectificationEvent` (actor, time, client
  address, note); the events are append-only (database triggers).
* A real-name 差评 is never classified (nor, therefore, closed) without a call-back record.
* Voiding keeps the evaluation's row, marked voided with who approved it and why (audited).
* Every transition into a supervised status computes the new deadline's `warn_at` and puts the
  supervision `level` back to green (the sweep raises it again when due).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.calendar.selectors import due_datetime
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.feedback.models import Evaluation, Rectification, RectificationEvent
from onewindow.feedback.rectifications import rectify_due, today_due, warn_moment
from onewindow.org.selectors import in_data_scope

HANDLE = "feedback.handle_rectification"
REVIEW = "feedback.review_rectification"
NOTE_MAX = 2000

S = Rectification.Status
C = Rectification.Classification

INFORM_METHODS: dict[str, Any] = {
    "phone": gettext_lazy("by phone"),
    "sms": gettext_lazy("by text message"),
    "in_person": gettext_lazy("in person"),
    "letter": gettext_lazy("by letter"),
}

# what each event of the history means, for people
ACTION_LABELS: dict[str, Any] = {
    "opened": gettext_lazy("bad rating received"),
    "callback": gettext_lazy("call-back recorded"),
    "classify": gettext_lazy("classified"),
    "rectify": gettext_lazy("rectified"),
    "inform": gettext_lazy("evaluator informed"),
    "request_void": gettext_lazy("void requested"),
    "approve": gettext_lazy("approved and closed"),
    "send_back": gettext_lazy("sent back"),
    "approve_void": gettext_lazy("void approved"),
    "reject_void": gettext_lazy("void rejected"),
}

# action → (permission, statuses it applies to)
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "callback": (HANDLE, (S.CALLBACK_DUE,)),
    "classify": (HANDLE, (S.CALLBACK_DUE,)),
    "rectify": (HANDLE, (S.RECTIFYING,)),
    "inform": (HANDLE, (S.RECTIFIED,)),
    "request_void": (HANDLE, (S.RECTIFYING, S.RECTIFIED)),
    "approve": (REVIEW, (S.INFORMED,)),
    "send_back": (REVIEW, (S.INFORMED,)),
    "approve_void": (REVIEW, (S.VOID_REQUESTED,)),
    "reject_void": (REVIEW, (S.VOID_REQUESTED,)),
}
CALLBACK_FIRST = ["callback"]
OPEN_STATUSES = (S.CALLBACK_DUE, S.RECTIFYING, S.RECTIFIED, S.INFORMED, S.VOID_REQUESTED)


def actions_for(rectification: Rectification, actor: Any) -> list[str]:
    """The actions `actor` may take on `rectification` now (for pages and the API)."""
    if not in_data_scope(actor, center_id=rectification.center_id, department_id=rectification.department_id):
        return []
    return [
        name
        for name, (perm, statuses) in ACTIONS.items()
        if rectification.status in statuses and actor.has_perm(perm)
    ]


def _text(value: Any, field: str, details: dict[str, list[str]], *, required: bool) -> str:
    text = (value if isinstance(value, str) else "").strip()
    if required and not text:
        details[field] = [_("Required.")]
    elif len(text) > NOTE_MAX:
        details[field] = [_("Enter at most %(max_length)s characters.") % {"max_length": NOTE_MAX}]
    return text


def _check(details: dict[str, list[str]], message: str) -> None:
    if details:
        raise ValidationFailed(message, details=details)


def _locked(rectification_id: int, actor: Any, action: str, version: int) -> Rectification:
    if action not in ACTIONS:
        raise ValidationFailed(
            _("Unknown action: choose one of %(actions)s.") % {"actions": ", ".join(ACTIONS)},
            code="unknown_action",
        )
    found = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("evaluation")
        .filter(pk=rectification_id)
        .first()
    )
    if found is None or not in_data_scope(
        actor, center_id=found.center_id, department_id=found.department_id
    ):
        raise NotFound(_("No rectification with this number in your scope."))
    perm, statuses = ACTIONS[action]
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": perm})
    if found.version != version:
        raise Conflict(
            _("Changed by someone else: reload the page and try again."),
            details={"version": found.version},
        )
    if found.status not in statuses:
        raise InvalidTransition(
            _("This rectification is %(status)s: this action is not possible now.")
            % {"status": found.get_status_display()},
            details={"status": found.status, "allowed": actions_for(found, actor)},
        )
    return found


def _event(r: Rectification, action: str, actor: Any, now: dt.datetime, note: str, ip: str | None) -> None:
    RectificationEvent.objects.create(
        rectification=r, at=now, action=action, actor=actor, note=note, client_ip=ip or None
    )


def _save(r: Rectification, fields: list[str]) -> None:
    r.version += 1
    r.save(update_fields=[*fields, "version"])


def _supervise(r: Rectification, now: dt.datetime, due: dt.datetime | None) -> list[str]:
    """A new deadline (or none): its yellow moment, and the level back to green."""
    r.warn_at = warn_moment(now, due) if due is not None else None
    r.level = 0
    return ["warn_at", "level"]


# --- the handler's actions ---------------------------------------------------------------------


def _record_callback(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    reached = params.get("reached")
    if reached not in (True, False):
        details["reached"] = [_("Say whether the evaluator was reached.")]
    note = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Check the call-back record: whether the evaluator was reached, and what was said."))
    r.callback_at = now
    r.callback_by = actor
    r.callback_reached = bool(reached)
    r.callback_note = note
    fields = ["callback_at", "callback_by", "callback_reached", "callback_note"]
    fields += _supervise(r, now, None)  # the call-back clock has stopped; classification is next
    _save(r, fields)
    return note


def _due_date(
    value: Any, latest: dt.datetime, now: dt.datetime, details: dict[str, list[str]]
) -> dt.datetime:
    """The handler's deadline for a complex 差评: a date no later than the setting allows."""
    if value in (None, ""):
        return latest
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            details["due_date"] = [_("Enter a date as YYYY-MM-DD.")]
            return latest
    if not isinstance(value, dt.date):
        details["due_date"] = [_("Enter a date as YYYY-MM-DD.")]
        return latest
    due = due_datetime(value, 0)
    if due > latest:
        details["due_date"] = [
            _("At most %(days)s working days: choose %(latest)s or earlier.")
            % {"days": settings.RECTIFICATION_DAYS, "latest": clock.local(latest).date().isoformat()}
        ]
    elif due < now:
        details["due_date"] = [_("The deadline cannot be in the past.")]
    return due


def _classify(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    classification = params.get("classification")
    if classification not in C.values:
        details["classification"] = [_("Choose how the bad rating is classified.")]
    explained = classification != C.REASONABLE
    explanation = _text(params.get("explanation"), "explanation", details, required=explained)
    latest = rectify_due(now)
    due = latest
    if classification == C.COMPLEX:
        due = _due_date(params.get("due_date"), latest, now, details)
    _check(details, _("Check the classification: what to fix is marked below."))
    if r.evaluation.real_name and r.callback_at is None:
        raise InvalidTransition(
            _("A real-name bad rating needs a call-back record first: call the evaluator back."),
            code="callback_required",
            details={"status": r.status, "allowed": CALLBACK_FIRST},
        )
    r.classification = str(classification)
    r.explanation = explanation
    fields = ["classification", "explanation", "status", "due_at"]
    if classification == C.MISTAKEN:
        r.status = S.VOID_REQUESTED
        r.void_request_reason = explanation
        fields.append("void_request_reason")
        fields += _supervise(r, now, None)
    elif classification == C.NO_LEGAL_BASIS:
        # nothing to rectify: the explanation is what the evaluator is told
        r.status = S.RECTIFIED
        r.rectified_at = now
        r.rectification_note = explanation
        fields += ["rectified_at", "rectification_note"]
        fields += _supervise(r, now, None)
    else:
        r.status = S.RECTIFYING
        r.due_at = today_due(now) if classification == C.REASONABLE else due
        fields += _supervise(r, now, r.due_at)
    _save(r, fields)
    return explanation


def _rectify(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    note = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Say what was done to rectify it."))
    r.status = S.RECTIFIED
    r.rectified_at = now
    r.rectification_note = note
    _save(r, ["status", "rectified_at", "rectification_note", *_supervise(r, now, None)])
    return note


def _inform(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    method = params.get("method")
    if method not in INFORM_METHODS:
        details["method"] = [_("Choose how the evaluator was told.")]
    note = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Check how the evaluator was told of the result."))
    r.status = S.INFORMED
    r.informed_at = now
    r.inform_method = str(method)
    _save(r, ["status", "informed_at", "inform_method"])
    return _("%(method)s: %(note)s") % {"method": INFORM_METHODS[str(method)], "note": note}


def _request_void(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    reason = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Give the reasons why the rating is mistaken or malicious."))
    r.status = S.VOID_REQUESTED
    r.void_request_reason = reason
    _save(r, ["status", "void_request_reason", *_supervise(r, now, None)])
    return reason


# --- the supervisor's actions ------------------------------------------------------------------


def _approve(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    note = _text(params.get("note"), "note", details, required=False)
    _check(details, _("Check the review."))
    if r.evaluation.real_name and r.callback_at is None:  # never reached: classify requires it
        raise InvalidTransition(
            _("A real-name bad rating needs a call-back record first: call the evaluator back."),
            code="callback_required",
        )
    r.status = S.CLOSED
    r.closed_at = now
    r.review_note = note
    _save(r, ["status", "closed_at", "review_note"])
    return note


def _back_to_rectifying(r: Rectification, now: dt.datetime) -> list[str]:
    if r.due_at is None:  # sent back from a void request or an explanation: a full deadline
        r.due_at = rectify_due(now)
    r.status = S.RECTIFYING
    r.rectified_at = None
    r.informed_at = None
    return ["status", "due_at", "rectified_at", "informed_at", *_supervise(r, now, r.due_at)]


def _send_back(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    note = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Say what is still to be done."))
    r.review_note = note
    _save(r, ["review_note", *_back_to_rectifying(r, now)])
    return note


def _approve_void(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    reason = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Say why the rating is voided."))
    evaluation = Evaluation.objects.select_for_update().get(pk=r.evaluation_id)
    evaluation.voided_at = now
    evaluation.voided_by = actor
    evaluation.void_reason = reason
    evaluation.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit.record(
        action="feedback.evaluation_void",
        obj=evaluation,
        before={"voided": False},
        after={"voided": True, "reason": reason, "rectification": r.pk, "requested": r.void_request_reason},
        actor=actor,
    )
    r.status = S.VOIDED
    r.closed_at = now
    r.review_note = reason
    _save(r, ["status", "closed_at", "review_note"])
    return reason


def _reject_void(r: Rectification, actor: Any, now: dt.datetime, params: dict[str, Any]) -> str:
    details: dict[str, list[str]] = {}
    note = _text(params.get("note"), "note", details, required=True)
    _check(details, _("Say why the rating stands."))
    r.review_note = note
    _save(r, ["review_note", *_back_to_rectifying(r, now)])
    return note


HANDLERS = {
    "callback": _record_callback,
    "classify": _classify,
    "rectify": _rectify,
    "inform": _inform,
    "request_void": _request_void,
    "approve": _approve,
    "send_back": _send_back,
    "approve_void": _approve_void,
    "reject_void": _reject_void,
}


@transaction.atomic
def rectification_act(
    *,
    rectification_id: int,
    action: str,
    actor: Any,
    version: int,
    client_ip: str | None = None,
    **params: Any,
) -> Rectification:
    """Take `action` (a key of ACTIONS) with its `params` (note, reached, classification,
    explanation, due_date, method). The call-back may carry a classification: both are
    recorded, one event each, in the same transaction."""
    r = _locked(rectification_id, actor, action, version)
    now = clock.now()
    note = HANDLERS[action](r, actor, now, params)
    _event(r, action, actor, now, note, client_ip)
    if action == "callback" and params.get("classification"):
        note = _classify(r, actor, now, params)
        _event(r, "classify", actor, now, note, client_ip)
    return r
