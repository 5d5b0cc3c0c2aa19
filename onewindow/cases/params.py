"""What the interfaces know of each case action: its label on the staff pages (`ACTION_LABELS`),
its description in the API (`ACTION_HELP`), its parameters (`ACTION_PARAMS`) and their
cleaning, and which actions the public progress page may show. The staff pages build their
forms, and the API its schemas, from these tables; a test checks every action of the state
table is in each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.cases import transitions as T
from onewindow.cases.models import CasePause
from onewindow.core.errors import ValidationFailed

RIGHTS_STATEMENT = (
    "如不服本决定，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。"
)

# The label of each action (and of the two events that create a case) on the staff pages.
ACTION_LABELS: dict[str, Promise] = {
    T.PRE_REVIEW_PASS: gettext_lazy("Pass pre-review"),
    T.ACCEPT: gettext_lazy("Accept"),
    T.REQUEST_CORRECTION: gettext_lazy("Ask for correction"),
    T.RECEIVE_CORRECTION: gettext_lazy("Corrected materials received"),
    T.REFUSE: gettext_lazy("Refuse"),
    T.PASS_STEP: gettext_lazy("Pass"),
    T.RETURN_STEP: gettext_lazy("Return to an earlier step"),
    T.GRANT: gettext_lazy("Grant"),
    T.DENY: gettext_lazy("Deny"),
    T.START_SPECIAL_PROCEDURE: gettext_lazy("Start a special procedure"),
    T.END_SPECIAL_PROCEDURE: gettext_lazy("End the special procedure"),
    T.REQUEST_PROCESSING_CORRECTION: gettext_lazy("Ask for corrected materials (pauses the clock)"),
    T.RECEIVE_PROCESSING_CORRECTION: gettext_lazy("Corrected materials received (clock runs again)"),
    T.REQUEST_EXTENSION: gettext_lazy("Request an extension"),
    T.APPROVE_EXTENSION: gettext_lazy("Approve the extension"),
    T.REJECT_EXTENSION: gettext_lazy("Reject the extension"),
    T.ISSUE_CERTIFICATE: gettext_lazy("Issue the certificate"),
    T.COMPLETE: gettext_lazy("Complete"),
    T.DELIVER: gettext_lazy("Deliver the result"),
    T.WITHDRAW: gettext_lazy("Withdraw"),
    T.TERMINATE: gettext_lazy("Terminate"),
    T.DEEM_ACCEPT: gettext_lazy("Deemed acceptance"),
    T.DEEM_APPROVE_STEP: gettext_lazy("Deemed approval (overdue step)"),
    T.RECORD_JOINT_INSPECTION: gettext_lazy("Joint inspection recorded"),
    T.RESUBMIT_ONLINE: gettext_lazy("Corrected materials resubmitted online"),
    T.SUBMIT: gettext_lazy("Submitted online"),
    T.RECEIVE: gettext_lazy("Received at the window"),
}

# What each action does, for the API's schema (OpenAPI).
ACTION_HELP: dict[str, str] = {
    T.PRE_REVIEW_PASS: "网上预审通过: an online application becomes received.",
    T.ACCEPT: "受理: accept a received application (case number, clock starts).",
    T.REQUEST_CORRECTION: "补正: the one-time notice listing everything to correct.",
    T.RECEIVE_CORRECTION: "补正材料已收: the corrected materials came in.",
    T.REFUSE: "不予受理: refuse, with the reason.",
    T.PASS_STEP: "通过: pass the active step with an opinion.",
    T.RETURN_STEP: "退回: return to an earlier, completed step.",
    T.GRANT: "准予: grant, on the decision step.",
    T.DENY: "不予: deny with reasons and the applicant's rights (第38条).",
    T.START_SPECIAL_PROCEDURE: "特别程序: hearing, testing, expert review… pauses the clock (第45条).",
    T.END_SPECIAL_PROCEDURE: "End the special procedure: the clock runs again.",
    T.REQUEST_PROCESSING_CORRECTION: "Correction during processing: pauses the clock.",
    T.RECEIVE_PROCESSING_CORRECTION: "The corrected materials came in: the clock runs again.",
    T.REQUEST_EXTENSION: "延期: ask for more working days (第42条).",
    T.APPROVE_EXTENSION: "Approve the pending extension request.",
    T.REJECT_EXTENSION: "Reject the pending extension request.",
    T.ISSUE_CERTIFICATE: "制证: issue the certificate.",
    T.COMPLETE: "办结: the result is ready.",
    T.DELIVER: "取件 / 送达: picked up at the window or mailed.",
    T.WITHDRAW: "撤回: the applicant withdraws.",
    T.TERMINATE: "终止: terminate (e.g. the applicant died, the enterprise dissolved).",
    T.DEEM_ACCEPT: "System action (第32条, deemed acceptance): always refused for staff.",
    T.DEEM_APPROVE_STEP: "System action (超期默认, overdue step deemed approved): refused for staff.",
    T.RECORD_JOINT_INSPECTION: (
        "System action (联合踏勘 / 联合验收 of a bundle, recorded in each sub-case): refused for staff."
    ),
    T.RESUBMIT_ONLINE: (
        "System action (网上补正): the applicant resubmitted the corrected materials online "
        "(the online hall performs it); refused for staff."
    ),
}

# Actions whose events the public progress page may show.
PUBLIC_ACTIONS = frozenset(
    {
        T.SUBMIT,
        T.RECEIVE,
        T.PRE_REVIEW_PASS,
        T.ACCEPT,
        T.DEEM_ACCEPT,
        T.DEEM_APPROVE_STEP,
        T.REQUEST_CORRECTION,
        T.RECEIVE_CORRECTION,
        T.REFUSE,
        T.PASS_STEP,
        T.GRANT,
        T.DENY,
        T.START_SPECIAL_PROCEDURE,
        T.END_SPECIAL_PROCEDURE,
        T.REQUEST_PROCESSING_CORRECTION,
        T.RECEIVE_PROCESSING_CORRECTION,
        T.APPROVE_EXTENSION,
        T.ISSUE_CERTIFICATE,
        T.COMPLETE,
        T.DELIVER,
        T.WITHDRAW,
        T.TERMINATE,
        T.RESUBMIT_ONLINE,
    }
)


TEXT_MAX = 2000  # free text kept in a TextField or the event's data (opinions, reasons, notes)
INT_MAX = 2**31 - 1  # days, positions: what an integer column stores


@dataclass(frozen=True)
class Param:
    """One parameter of a `case_act` action. `kind`: str | int | items (a list of
    {"material": id or name, "note": str}) | materials (a list of material ids or names).
    `max_length`: of a str, the column it is kept in (the API and the pages refuse longer)."""

    name: str
    kind: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    max_length: int = TEXT_MAX


_OPINION = Param("opinion", help="The handler's opinion (意见).")
_NOTE = Param("note", help="A note recorded with the action.")
_ITEMS = Param(
    "items",
    "items",
    required=True,
    help='Everything to correct, in one go: [{"material": <material id or name>, "note": "what is wrong"}].',
)
_CORRECTION_REASON = Param(
    "reason", help="Required from the second correction request of a case on: why it was not named at first."
)
_PAUSE_KINDS = tuple(k for k in CasePause.Kind.values if k != CasePause.Kind.CORRECTION)

ACTION_PARAMS: dict[str, tuple[Param, ...]] = {
    T.PRE_REVIEW_PASS: (_OPINION,),
    T.ACCEPT: (
        _OPINION,
        Param("note", help="Required when a required material is missing: why it is accepted anyway."),
    ),
    T.REQUEST_CORRECTION: (_ITEMS, _CORRECTION_REASON),
    T.RECEIVE_CORRECTION: (
        Param(
            "materials", "materials", help="The materials handed in (ids or names of the item's materials)."
        ),
        _NOTE,
    ),
    T.REFUSE: (Param("reason", required=True, help="Why the application is refused (不予受理)."),),
    T.PASS_STEP: (_OPINION,),
    T.RETURN_STEP: (
        Param("to_position", "int", required=True, help="The position of the earlier step to return to."),
        Param("reason", required=True, help="Why the case is returned."),
    ),
    T.GRANT: (_OPINION,),
    T.DENY: (
        Param("reasons", required=True, help="The reasons for the denial (第38条)."),
        Param("rights_statement", help="The applicant's rights; a standard text when empty."),
        _OPINION,
    ),
    T.START_SPECIAL_PROCEDURE: (
        Param("kind", required=True, choices=_PAUSE_KINDS, help="The special procedure (第45条)."),
        Param("reason", required=True, help="Why it is needed; told to the applicant in writing."),
        Param("expected_working_days", "int", help="How long it is expected to take."),
    ),
    T.END_SPECIAL_PROCEDURE: (_NOTE,),
    T.REQUEST_PROCESSING_CORRECTION: (_ITEMS, _CORRECTION_REASON),
    T.RECEIVE_PROCESSING_CORRECTION: (
        Param("materials", "materials", help="The materials handed in (ids or names)."),
        _NOTE,
    ),
    T.REQUEST_EXTENSION: (
        Param("days", "int", required=True, help="Working days to add (at most half the legal limit, ≤ 15)."),
        Param("reason", required=True, help="Why the case needs more time."),
    ),
    T.APPROVE_EXTENSION: (_NOTE,),
    T.REJECT_EXTENSION: (Param("note", required=True, help="Why the extension is rejected."),),
    T.ISSUE_CERTIFICATE: (
        Param("certificate_number", help="The number of the certificate issued.", max_length=100),
        _OPINION,
    ),
    T.COMPLETE: (_NOTE,),
    T.DELIVER: (
        Param("method", required=True, choices=("pickup", "mail"), help="Picked up at the window or mailed."),
        Param(
            "recipient_relation",
            choices=("self", "legal_representative", "authorised_agent", "other"),
            help="Pickup: who collects, in relation to the applicant (default self).",
        ),
        # the lengths of CaseDelivery's columns (tests/security/test_bad_input.py checks them)
        Param(
            "recipient_name",
            help="Pickup: the name of who collects (default: the applicant's, for self).",
            max_length=100,
        ),
        Param(
            "recipient_id_number",
            help="Pickup: their ID number, shown masked (default: the applicant's, for self).",
            max_length=40,
        ),
        Param("carrier", help="Mail: the carrier (e.g. EMS).", max_length=50),
        Param("tracking_number", help="Mail: the tracking number (required when mailed).", max_length=50),
        _NOTE,
    ),
    T.WITHDRAW: (Param("reason", required=True, help="Why the applicant withdraws."),),
    T.TERMINATE: (Param("reason", required=True, help="Why the case is terminated (终止)."),),
    T.DEEM_ACCEPT: (),
    T.DEEM_APPROVE_STEP: (),
    T.RESUBMIT_ONLINE: (
        Param("materials", "materials", help="The corrected materials sent (ids or names)."),
        _NOTE,
    ),
    T.RECORD_JOINT_INSPECTION: (
        Param("inspection_id", "int", required=True, help="The joint inspection (approvals app)."),
        Param("kind", required=True, choices=("inspection", "acceptance"), help="联合踏勘 or 联合验收."),
        Param("date", required=True, help="The day of the inspection (ISO date).", max_length=10),
        Param("place", required=True, help="Where it took place.", max_length=200),
        Param(
            "conclusion",
            required=True,
            choices=("pass", "pass_with_conditions", "fail", "absent"),
            help="The conclusion of the sub-case's department (absent: it did not attend).",
        ),
        Param("comment", help="The department's comment."),
        Param(
            "overall",
            required=True,
            choices=("pass", "pass_with_conditions", "fail"),
            help="The overall one.",
        ),
        Param(
            "pause_from",
            help="When given (ISO date-time of the inspection), the clock pauses from it to now "
            "(the item counts the inspection as a special procedure, 第45条).",
            max_length=40,
        ),
    ),
}

DEEMED_OPINION = "超期默认"


def clean_params(action: str, params: dict[str, Any]) -> dict[str, Any]:
    """`params` of `action` checked against `ACTION_PARAMS[action]` (ValidationFailed listing
    every problem), with the defaults of the parameters not given."""
    specs = {p.name: p for p in ACTION_PARAMS.get(action, ())}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in params:
        if name not in specs:
            errors[name] = [_("Unknown parameter for this action.")]
    for name, spec in specs.items():
        value = params.get(name)
        if spec.kind == "str":
            value = "" if value is None else str(value).strip()
            if spec.required and not value:
                errors[name] = [_("This field is required.")]
            elif spec.choices and value and value not in spec.choices:
                errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(spec.choices)}]
        elif spec.kind == "int":
            if value in (None, ""):
                if spec.required:
                    errors[name] = [_("This field is required.")]
                value = None
            else:
                try:
                    value = int(str(value))
                except (TypeError, ValueError):
                    errors[name] = [_("Enter a whole number.")]
        elif spec.kind in ("items", "materials"):
            if value is None:
                value = []
            if not isinstance(value, list | tuple):
                errors[name] = [_("Expected a list.")]
            elif spec.required and not value:
                errors[name] = [_("Name at least one material.")]
        cleaned[name] = value
    if errors:
        raise ValidationFailed(_("Check the fields of this action."), details=errors)
    return cleaned
