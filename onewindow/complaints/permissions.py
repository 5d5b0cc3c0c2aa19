"""Who may see and do what on a complaint (by permission and data scope, never by role name).

* Handlers: complaints.handle_complaint with the handling department in their data scope.
* Supervisors: complaints.judge_complaint in the complaint's center (their scope).
* Registrars: complaints.register_complaint: the complaints of their center still to be
  assigned, and those they registered themselves.
* The complainant's identity: handlers and supervisors only, and never the respondent window's
  staff or the respondent person, whatever their permissions.
"""

from __future__ import annotations

from typing import Any

from onewindow.complaints.codes import HANDLE, JUDGE, REGISTER, Status
from onewindow.complaints.models import Complaint
from onewindow.org.models import User
from onewindow.org.selectors import in_data_scope


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def may_judge(user: Any, complaint: Complaint) -> bool:
    return bool(
        _staff(user)
        and user.has_perm(JUDGE)
        and in_data_scope(user, center_id=complaint.center_id, department_id=complaint.department_id)
    )


def may_handle(user: Any, complaint: Complaint) -> bool:
    return bool(
        _staff(user)
        and user.has_perm(HANDLE)
        and complaint.department_id is not None
        and in_data_scope(user, center_id=complaint.center_id, department_id=complaint.department_id)
    )


def may_register(user: Any, center_id: int) -> bool:
    return bool(_staff(user) and user.has_perm(REGISTER) and user.center_id == center_id)


def may_route(user: Any, complaint: Complaint) -> bool:
    """Assign or refuse a complaint: the registrars of its center and the supervisors."""
    return may_register(user, complaint.center_id) or may_judge(user, complaint)


def may_view(user: Any, complaint: Complaint) -> bool:
    if may_judge(user, complaint) or may_handle(user, complaint):
        return True
    if not may_register(user, complaint.center_id):
        return False
    return complaint.registered_by_id == user.pk or complaint.status == Status.REGISTERED


def is_respondent(user: Any, complaint: Complaint) -> bool:
    return bool(
        complaint.respondent_staff_id == user.pk
        or (complaint.respondent_window_id is not None and user.window_id == complaint.respondent_window_id)
    )


def may_see_identity(user: Any, complaint: Complaint) -> bool:
    """Whether `user` may see who complained (name, phone, ID number)."""
    if not _staff(user) or is_respondent(user, complaint):
        return False
    return may_judge(user, complaint) or may_handle(user, complaint)


def may_act(user: Any, complaint: Complaint, action: str) -> bool:
    """Whether `user` may take `action` on `complaint` (its status aside)."""
    if is_respondent(user, complaint):
        return False  # nobody acts on a complaint about themselves or their window
    if action in ("assign", "not_accept"):
        return may_route(user, complaint)
    if action in ("return", "investigate", "answer", "callback"):
        return may_handle(user, complaint)
    if action in ("extend", "judge"):
        return may_judge(user, complaint)
    return False
