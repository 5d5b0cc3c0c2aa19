"""The bundle case's state table: for each (status, action), the next status and the permission
needed (the sub-cases keep the cases table). `services.bundle_case_act` looks actions up here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.approvals.models import BundleCase
from onewindow.core.errors import InvalidTransition

ACCEPT = "accept"
REFUSE = "refuse"
REQUEST_CORRECTION = "request_correction"
RECEIVE_CORRECTION = "receive_correction"
REQUEST_EXTENSION = "request_extension"
APPROVE_EXTENSION = "approve_extension"
REJECT_EXTENSION = "reject_extension"
DELIVER = "deliver"

ACCEPT_CASE = "cases.accept_case"
HANDLE_STEP = "cases.handle_step"
DELIVER_CASE = "cases.deliver_case"
APPROVE_JOINT_EXTENSION = "approvals.approve_joint_extension"

S = BundleCase.Status
_RUNNING = (S.IN_PROGRESS, S.CORRECTION_IN_PROGRESS)

# (status, action) -> (target status ("" = unchanged), permission)
TABLE: dict[tuple[str, str], tuple[str, str]] = {
    (S.CORRECTION_REQUESTED, ACCEPT): (S.IN_PROGRESS, ACCEPT_CASE),
    (S.CORRECTION_REQUESTED, REFUSE): (S.REFUSED, ACCEPT_CASE),
    (S.IN_PROGRESS, REQUEST_CORRECTION): (S.CORRECTION_IN_PROGRESS, HANDLE_STEP),
    (S.CORRECTION_IN_PROGRESS, REQUEST_CORRECTION): ("", HANDLE_STEP),  # adds to the one notice
    (S.CORRECTION_IN_PROGRESS, RECEIVE_CORRECTION): (S.IN_PROGRESS, ACCEPT_CASE),
    **{(s, REQUEST_EXTENSION): ("", ACCEPT_CASE) for s in _RUNNING},
    **{(s, APPROVE_EXTENSION): ("", APPROVE_JOINT_EXTENSION) for s in _RUNNING},
    **{(s, REJECT_EXTENSION): ("", APPROVE_JOINT_EXTENSION) for s in _RUNNING},
    (S.DECIDED, DELIVER): (S.DELIVERED, DELIVER_CASE),
}

ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(action for _status, action in TABLE))


def allowed_actions(status: str) -> list[str]:
    return [action for action in ACTIONS if (status, action) in TABLE]


def transition_for(status: str, action: str) -> tuple[str, str]:
    found = TABLE.get((status, action))
    if found is None:
        raise InvalidTransition(
            _("This action is not allowed while the bundle case is %(status)s.")
            % {"status": BundleCase.Status(status).label if status in BundleCase.Status.values else status},
            details={"status": status, "action": action, "allowed_actions": allowed_actions(status)},
        )
    return found
