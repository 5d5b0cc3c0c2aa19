"""Who may do what on which case and step: permissions (by permission, never by role name),
the step's post and department, the intake window, the window's delegation (窗口授权, one rule:
`delegated_at_window`), and the data scope (one check, `org.selectors.in_data_scope`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.cases import transitions as T
from onewindow.cases.models import Case, CaseStep
from onewindow.catalog.delegations import delegated_item_ids
from onewindow.catalog.models import ProcessStep
from onewindow.org.models import User, Window
from onewindow.org.selectors import in_data_scope

# Who performs a case action: a staff account, or None for the system (its own actions only).
Actor = User | None


def has_perm(user: Actor, perm: str) -> bool:
    """Whether `user` is an active account holding `perm`."""
    return bool(user is not None and user.is_active and user.has_perm(perm))


def post_ids(user: User) -> frozenset[int]:
    """The user's posts (kept on the instance for the rest of the request; `org.actors.prime`
    fills them from its per-process copy)."""
    if user.ow_post_ids is None:
        user.ow_post_ids = frozenset(user.posts.values_list("id", flat=True))
    return user.ow_post_ids


def window_of(user: User) -> Window | None:
    """The user's window, if any (kept on the instance for the rest of the request)."""
    if not user.window_id:
        return None
    if not user.ow_window_loaded or (user.ow_window is not None and user.ow_window.pk != user.window_id):
        user.ow_window = Window.objects.filter(pk=user.window_id).first()
        user.ow_window_loaded = True
    return user.ow_window


def delegated_items(user: User, window: Window) -> frozenset[int]:
    """The items delegated to `window` (kept on the instance for the rest of the request)."""
    cached = user.ow_delegated_items
    if cached is None or cached[0] != window.pk:
        cached = (window.pk, delegated_item_ids(window.pk))
        user.ow_delegated_items = cached
    return cached[1]


def delegated_at_window(user: Actor, case: Case) -> bool:
    """窗口授权, the one rule: a clerk (cases.accept_case) at an open window of the case's center
    to which the case's item is delegated (`catalog.delegations`) handles every step of the case
    and decides it (pass_step / return_step / grant / deny / issue_certificate), whatever the
    step's post and department."""
    if user is None or not has_perm(user, T.ACCEPT_CASE) or user.center_id != case.center_id:
        return False
    window = window_of(user)
    if window is None or not window.active or window.center_id != case.center_id:
        return False
    return case.item_version.item_id in delegated_items(user, window)


def sees_case(user: Actor, case: Case) -> bool:
    """Whether `case` is within `user`'s data scope (`org.selectors.in_data_scope`, the one rule)."""
    return in_data_scope(user, center_id=case.center_id, department_id=case.department_id)


def may_accept_for(user: User, department_id: int, window: Window | None = None) -> bool:
    """Intake rule: cases.accept_case, at a general window or a window of the item's department
    (or, without a window, staff of the item's department)."""
    if not has_perm(user, T.ACCEPT_CASE):
        return False
    window = window if window is not None else window_of(user)
    if window is not None:
        return window.active and (window.department_id is None or window.department_id == department_id)
    return user.department_id == department_id


def can_handle_step(user: Actor, case: Case, step: CaseStep, *, permission: str = T.HANDLE_STEP) -> bool:
    """Whether `user` may act on `step`: the permission, the step's post, and the step's department.
    An acceptance step (受理) is handled with cases.accept_case by a clerk allowed to accept the item;
    every step of a case whose item is delegated to the clerk's window (`delegated_at_window`)."""
    if user is None or user.center_id != case.center_id:
        return False
    if delegated_at_window(user, case):
        return True
    if step.post_id not in post_ids(user):
        return False
    if step.kind == ProcessStep.Kind.ACCEPT and permission == T.HANDLE_STEP:
        return may_accept_for(user, step.department_id) or (
            has_perm(user, T.HANDLE_STEP) and user.department_id == step.department_id
        )
    return has_perm(user, permission) and user.department_id == step.department_id


def actor_may(
    actor: User, case: Case, action: str, transition: T.Transition, steps: list[CaseStep]
) -> str | None:
    """Why `actor` may not perform `action` (None: allowed)."""
    if transition.permission is T.SYSTEM:
        return _("Only the system performs this action.")
    if case.joint and action in T.BUNDLE_ONLY_ACTIONS:
        return _(
            "This case is part of a bundle: ask for corrected materials or more time on the bundle's "
            "page (one merged notice, one joint clock)."
        )
    if not sees_case(actor, case):
        return _("This case is outside your data scope.")
    if action in T.STEP_ACTIONS:
        active = next((s for s in steps if s.position == case.active_step_position), None)
        if active is None:
            return _("There is no active step.")
        perm = T.DECIDE_CASE if action in (T.GRANT, T.DENY) else T.HANDLE_STEP
        if delegated_at_window(actor, case):
            return None
        if action in (T.GRANT, T.DENY) and active.kind == ProcessStep.Kind.ACCEPT:
            # an acceptance step that decides (instant templates): a clerk who may decide
            if not has_perm(actor, T.DECIDE_CASE):
                return _("You need the permission %(perm)s.") % {"perm": T.DECIDE_CASE}
            if not can_handle_step(actor, case, active):
                return _("This step is handled by the post %(post)s of its department.") % {
                    "post": active.post_id
                }
            return None
        if not can_handle_step(actor, case, active, permission=perm):
            if not has_perm(actor, perm) and active.kind != ProcessStep.Kind.ACCEPT:
                if has_perm(actor, T.ACCEPT_CASE):  # a window clerk: what would allow it
                    return _(
                        "This item is not delegated to your window (窗口授权): "
                        "its department handles and decides this step."
                    )
                return _("You need the permission %(perm)s.") % {"perm": perm}
            return _("This step is handled by another post or department.")
        return None
    if action in (
        T.START_SPECIAL_PROCEDURE,
        T.END_SPECIAL_PROCEDURE,
        T.REQUEST_PROCESSING_CORRECTION,
        T.REQUEST_EXTENSION,
    ):
        # the handler of the active step (an acceptance step: a clerk allowed to accept the item)
        active = next((s for s in steps if s.position == case.active_step_position), None)
        if active is not None:
            if can_handle_step(actor, case, active):
                return None
            if not has_perm(actor, T.HANDLE_STEP) and active.kind != ProcessStep.Kind.ACCEPT:
                return _("You need the permission %(perm)s.") % {"perm": T.HANDLE_STEP}
            return _("Only a handler of the active step can do this.")
        if not has_perm(actor, T.HANDLE_STEP):
            return _("You need the permission %(perm)s.") % {"perm": T.HANDLE_STEP}
        if actor.department_id != case.department_id:
            return _("Only the item's department can do this.")
        return None
    if transition.permission == T.ACCEPT_CASE:
        if not may_accept_for(actor, case.department_id):
            if not has_perm(actor, T.ACCEPT_CASE):
                return _("You need the permission %(perm)s.") % {"perm": T.ACCEPT_CASE}
            return _("Accept this item at a general window or a window of its department.")
        return None
    if transition.permission and not has_perm(actor, transition.permission):
        return _("You need the permission %(perm)s.") % {"perm": transition.permission}
    if transition.permission == T.DECIDE_CASE and actor.department_id != case.department_id:
        return _("Only the item's department can do this.")
    return None


def actor_name(actor: Actor) -> str:
    """The name recorded in a case event."""
    if actor is None:
        return "system"
    return (actor.full_name or actor.get_username())[:150]
