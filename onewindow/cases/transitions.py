"""The case state machine: ONE table. For each (status, action): the next status and the
permission needed. Every write to a case's status goes through `services.case_act` (or
`case_intake`), which looks the action up here first.

Three rules the table cannot express alone, applied by `guards.case_allowed_actions` and the
services:

* `pass_step` on the **last** step of a template that has **no decision step** decides the
  case (instant items, 即办件): the target is then `decided_granted` instead of `in_progress`.
  That is why `Transition.targets` may list more than one status; the first is the usual one.
* Step actions (`pass_step`, `return_step`, `grant`, `deny`, `issue_certificate`) also need the
  actor to hold the active step's post in the step's department (`permissions.can_handle_step`);
  the step of kind `accept` (受理) is handled with `cases.accept_case` by a window clerk.
* `resubmit_online`: the applicant sends the corrected materials of an online application
  (channel online) through the online hall, which performs it for them (actor None): the case
  is submitted again and waits for a new pre-review.
* `deem_accept` (the 5-day rule) and `deem_approve_step` (超期默认: an overdue step of an item
  that allows deemed approval passes, or on the decision step the case is granted) are system
  actions (actor None): no user may perform them. So is `record_joint_inspection`: the
  approvals app records a joint inspection or acceptance (联合踏勘 / 联合验收) in the history of
  each sub-case (`Case.joint`) taking part.
* On a bundle's sub-case (`case.joint`), `request_processing_correction` and
  `receive_processing_correction` may also be performed by the system (actor None) on the
  bundle's behalf (`JOINT_SYSTEM_ACTIONS`): the bundle's merged correction pauses and resumes
  every running sub-case at once (onewindow.approvals.corrections). On any other case they
  still need a staff member. Staff do not perform them (nor ask for or approve an extension) on
  a sub-case directly (`BUNDLE_ONLY_ACTIONS`): that goes through the bundle.

Adding an action: a row here, its parameters in `params.ACTION_PARAMS`, one function in
`effects.EFFECTS`, and its labels (docs/architecture.md shows an example).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from onewindow.cases.facts import FINAL_STATUSES, Status, status_label
from onewindow.core.errors import InvalidTransition

# Actions
PRE_REVIEW_PASS = "pre_review_pass"
ACCEPT = "accept"
REQUEST_CORRECTION = "request_correction"
RECEIVE_CORRECTION = "receive_correction"
REFUSE = "refuse"
PASS_STEP = "pass_step"
RETURN_STEP = "return_step"
GRANT = "grant"
DENY = "deny"
START_SPECIAL_PROCEDURE = "start_special_procedure"
END_SPECIAL_PROCEDURE = "end_special_procedure"
REQUEST_PROCESSING_CORRECTION = "request_processing_correction"
RECEIVE_PROCESSING_CORRECTION = "receive_processing_correction"
REQUEST_EXTENSION = "request_extension"
APPROVE_EXTENSION = "approve_extension"
REJECT_EXTENSION = "reject_extension"
ISSUE_CERTIFICATE = "issue_certificate"
COMPLETE = "complete"
DELIVER = "deliver"
WITHDRAW = "withdraw"
TERMINATE = "terminate"
DEEM_ACCEPT = "deem_accept"
DEEM_APPROVE_STEP = "deem_approve_step"
RECORD_JOINT_INSPECTION = "record_joint_inspection"
RESUBMIT_ONLINE = "resubmit_online"

# Not actions on an existing case: the events that create one.
SUBMIT = "submit"
RECEIVE = "receive"

ACTIONS: tuple[str, ...] = (
    PRE_REVIEW_PASS,
    ACCEPT,
    REQUEST_CORRECTION,
    RECEIVE_CORRECTION,
    REFUSE,
    PASS_STEP,
    RETURN_STEP,
    GRANT,
    DENY,
    START_SPECIAL_PROCEDURE,
    END_SPECIAL_PROCEDURE,
    REQUEST_PROCESSING_CORRECTION,
    RECEIVE_PROCESSING_CORRECTION,
    REQUEST_EXTENSION,
    APPROVE_EXTENSION,
    REJECT_EXTENSION,
    ISSUE_CERTIFICATE,
    COMPLETE,
    DELIVER,
    WITHDRAW,
    TERMINATE,
    DEEM_ACCEPT,
    DEEM_APPROVE_STEP,
    RECORD_JOINT_INSPECTION,
    RESUBMIT_ONLINE,
)

SYSTEM = None  # permission of a system action: no user may perform it

# Actions the system may also perform (actor None) on a bundle's sub-case (case.joint).
JOINT_SYSTEM_ACTIONS = frozenset({REQUEST_PROCESSING_CORRECTION, RECEIVE_PROCESSING_CORRECTION})
# ... and that no staff member performs on a sub-case directly: the bundle asks for the one merged
# correction and for the joint extension (the sub-case's due never passes the bundle's).
BUNDLE_ONLY_ACTIONS = frozenset(
    {REQUEST_PROCESSING_CORRECTION, RECEIVE_PROCESSING_CORRECTION, REQUEST_EXTENSION, APPROVE_EXTENSION}
)

ACCEPT_CASE = "cases.accept_case"
HANDLE_STEP = "cases.handle_step"
DECIDE_CASE = "cases.decide_case"
DELIVER_CASE = "cases.deliver_case"
APPROVE_EXTENSION_PERM = "cases.approve_extension"

# Actions performed on the case's active step (post and department are checked too).
STEP_ACTIONS = frozenset({PASS_STEP, RETURN_STEP, GRANT, DENY, ISSUE_CERTIFICATE})


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    targets: tuple[str, ...]
    permission: str | None

    @property
    def target(self) -> str:
        return self.targets[0]


S = Status
_OPEN_PROCESSING = (S.ACCEPTED, S.IN_PROGRESS)
_RUNNING = (S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED, S.CORRECTION_IN_PROGRESS)

_ROWS: list[tuple[tuple[str, ...], str, tuple[str, ...], str | None]] = [
    # (sources, action, targets, permission)
    ((S.SUBMITTED,), PRE_REVIEW_PASS, (S.RECEIVED,), ACCEPT_CASE),
    ((S.RECEIVED,), ACCEPT, (S.ACCEPTED,), ACCEPT_CASE),
    ((S.SUBMITTED, S.RECEIVED), REQUEST_CORRECTION, (S.CORRECTION_REQUESTED,), ACCEPT_CASE),
    ((S.CORRECTION_REQUESTED,), RECEIVE_CORRECTION, (S.RECEIVED,), ACCEPT_CASE),
    ((S.SUBMITTED, S.RECEIVED, S.CORRECTION_REQUESTED), REFUSE, (S.REFUSED,), ACCEPT_CASE),
    ((S.SUBMITTED, S.RECEIVED), DEEM_ACCEPT, (S.ACCEPTED,), SYSTEM),
    (_OPEN_PROCESSING, DEEM_APPROVE_STEP, (S.IN_PROGRESS, S.DECIDED_GRANTED), SYSTEM),
    ((S.ACCEPTED, S.IN_PROGRESS), PASS_STEP, (S.IN_PROGRESS, S.DECIDED_GRANTED), HANDLE_STEP),
    ((S.DECIDED_GRANTED,), PASS_STEP, (S.DECIDED_GRANTED,), HANDLE_STEP),
    ((S.CERTIFICATE_ISSUED,), PASS_STEP, (S.CERTIFICATE_ISSUED,), HANDLE_STEP),
    ((S.IN_PROGRESS,), RETURN_STEP, (S.IN_PROGRESS,), HANDLE_STEP),
    (_OPEN_PROCESSING, GRANT, (S.DECIDED_GRANTED,), DECIDE_CASE),
    (_OPEN_PROCESSING, DENY, (S.DECIDED_DENIED,), DECIDE_CASE),
    (_OPEN_PROCESSING, START_SPECIAL_PROCEDURE, (S.SUSPENDED,), HANDLE_STEP),
    ((S.SUSPENDED,), END_SPECIAL_PROCEDURE, (S.IN_PROGRESS,), HANDLE_STEP),
    (_OPEN_PROCESSING, REQUEST_PROCESSING_CORRECTION, (S.CORRECTION_IN_PROGRESS,), HANDLE_STEP),
    ((S.CORRECTION_IN_PROGRESS,), RECEIVE_PROCESSING_CORRECTION, (S.IN_PROGRESS,), ACCEPT_CASE),
    (_OPEN_PROCESSING, REQUEST_EXTENSION, (), HANDLE_STEP),  # () = the status stays
    (_RUNNING, APPROVE_EXTENSION, (), APPROVE_EXTENSION_PERM),
    (_RUNNING, REJECT_EXTENSION, (), APPROVE_EXTENSION_PERM),
    ((S.DECIDED_GRANTED,), ISSUE_CERTIFICATE, (S.CERTIFICATE_ISSUED,), HANDLE_STEP),
    ((S.DECIDED_GRANTED, S.DECIDED_DENIED, S.CERTIFICATE_ISSUED), COMPLETE, (S.COMPLETED,), DELIVER_CASE),
    ((S.COMPLETED,), DELIVER, (S.DELIVERED,), DELIVER_CASE),
    (
        (S.SUBMITTED, S.RECEIVED, S.CORRECTION_REQUESTED, *_RUNNING),
        WITHDRAW,
        (S.WITHDRAWN,),
        ACCEPT_CASE,
    ),
    (_RUNNING, TERMINATE, (S.TERMINATED,), DECIDE_CASE),
    (_RUNNING, RECORD_JOINT_INSPECTION, (), SYSTEM),  # a bundle's sub-cases only (guards)
    # the applicant sends the corrected materials online (onewindow.online): a new pre-review
    ((S.CORRECTION_REQUESTED,), RESUBMIT_ONLINE, (S.SUBMITTED,), SYSTEM),  # online cases only (guards)
]


def _build() -> dict[tuple[str, str], Transition]:
    table: dict[tuple[str, str], Transition] = {}
    for sources, action, targets, permission in _ROWS:
        for source in sources:
            key = (str(source), action)
            assert key not in table, f"duplicate transition {key}"
            resolved = tuple(str(t) for t in targets) or (str(source),)
            table[key] = Transition(str(source), action, resolved, permission)
    return table


TABLE: dict[tuple[str, str], Transition] = _build()


def transition_for(status: str, action: str) -> Transition:
    """The transition of `action` from `status`; InvalidTransition (listing the allowed actions)."""
    found = TABLE.get((status, action))
    if found is None:
        allowed = actions_from(status)
        raise InvalidTransition(
            _("This action is not allowed while the case is %(status)s.") % {"status": status_label(status)},
            details={"status": status, "action": action, "allowed_actions": allowed},
        )
    return found


def actions_from(status: str) -> list[str]:
    """Every action the table allows from `status` (system actions included)."""
    return [action for action in ACTIONS if (status, action) in TABLE]


__all__ = ["FINAL_STATUSES", "TABLE", "Transition", "actions_from", "transition_for"]
