"""Who may do what to a bundle case (the sub-cases keep the cases rules)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.approvals import transitions as T
from onewindow.approvals.models import BundleCase
from onewindow.cases.facts import OPEN_STATUSES
from onewindow.cases.permissions import Actor, has_perm, may_accept_for
from onewindow.org.selectors import in_data_scope


def actor_may(actor: Actor, bundle_case: BundleCase, action: str, permission: str) -> str | None:
    """Why `actor` may not perform `action` needing `permission` (None: allowed)."""
    if actor is None:
        return _("This action needs a staff member.")
    if actor.center_id != bundle_case.center_id:
        return _("This bundle case belongs to another center.")
    if not has_perm(actor, permission):
        return _("You need the permission %(perm)s.") % {"perm": permission}
    if permission in (T.ACCEPT_CASE, T.DELIVER_CASE) and not may_accept_for(
        actor, bundle_case.lead_department_id
    ):
        return _("A bundle is handled at a general window or a window of its lead department.")
    if permission == T.HANDLE_STEP and not handles_a_sub_case(actor, bundle_case):
        return _("Only a department with an open sub-case of this bundle can do this.")
    return None


def handles_a_sub_case(actor: Actor, bundle_case: BundleCase) -> bool:
    if actor is None or actor.department_id is None:
        return False
    return bundle_case.sub_cases.filter(
        department_id=actor.department_id, case__status__in=OPEN_STATUSES
    ).exists()


def sees_bundle_case(actor: Actor, bundle_case: BundleCase) -> bool:
    """Staff who see a bundle page: the center-wide scope, the lead department, and every
    department with a sub-case in the bundle (信息共享: each sees the others' progress and
    opinions on this bundle, nothing else of theirs)."""
    if actor is None:
        return False
    if in_data_scope(actor, center_id=bundle_case.center_id, department_id=bundle_case.lead_department_id):
        return True
    return any(
        in_data_scope(actor, center_id=bundle_case.center_id, department_id=d)
        for d in bundle_case.sub_cases.values_list("department_id", flat=True)
    )
