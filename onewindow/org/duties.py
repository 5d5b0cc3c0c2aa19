"""The separation of duties (三员分立) on staff accounts, checked by the account services
(`org.accounts`) so the admin, the staff pages and the API all obey it. See
docs/adr/0023-separation-of-duties-two-person-rule.md.

- nobody changes their own roles, active flag, data scope or place of work;
- an administrator account (system, security or audit administrator), or the grant of an
  administrator role, is changed by an actor only with an `AdminChangeRequest` that a second
  administrator approved (`org.admin_changes`); actor None is the operator (`create_admins`, the
  demo loader).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.core import audit
from onewindow.core.errors import PermissionDenied
from onewindow.org.models import AdminChangeRequest, User
from onewindow.org.roles import admin_roles_in

# The error codes of a refused attempt to get around the separation of duties: interfaces record
# such refusals in the audit trail (`refusal_record`).
DUTY_REFUSALS = frozenset({"own_account", "two_person_rule"})

# What nobody may change on their own account.
OWN_ACCOUNT_LOCKED = frozenset(
    {
        "roles",
        "is_active",
        "data_scope",
        "scope_department_ids",
        "center_id",
        "department_id",
        "window_id",
        "post_ids",
    }
)


def approved(approval: AdminChangeRequest | None, user: User) -> bool:
    """Whether `approval` is a request for `user` that a second administrator approved."""
    if approval is None or approval.pk is None:
        return False
    return (
        AdminChangeRequest.objects.filter(
            pk=approval.pk,
            target_id=user.pk,
            status=AdminChangeRequest.Status.APPROVED,
            decided_by__isnull=False,
        )
        .exclude(decided_by=F("requested_by"))
        .exclude(decided_by=F("target"))
        .exists()
    )


def _refuse_own_account(fields: Iterable[str]) -> None:
    message = _(
        "You cannot change your own roles, active flag, data scope or place of work (三员分立): "
        "ask another security administrator."
    )
    raise PermissionDenied(message, code="own_account", details={f: [message] for f in sorted(fields)})


def _refuse_admin_account() -> None:
    raise PermissionDenied(
        _(
            "Administrator accounts (system, security and audit administrators) are changed only with "
            "a second administrator's approval (三员分立): ask for the change under "
            "“Administrator account changes”."
        ),
        code="two_person_rule",
    )


def check_duties(
    *,
    actor: User | None,
    user: User,
    roles_before: Iterable[str],
    changes: dict[str, Any],
    approval: AdminChangeRequest | None = None,
) -> None:
    """Refuse a change of `user` by `actor` that breaks the separation of duties. `changes` maps
    the changed fields (see OWN_ACCOUNT_LOCKED, plus full_name, phone, password) to new values.
    actor None is the operator (`create_admins`, the demo loader): no check."""
    if actor is None or not changes:
        return
    if actor.pk == user.pk and set(changes) & OWN_ACCOUNT_LOCKED:
        _refuse_own_account(set(changes) & OWN_ACCOUNT_LOCKED)
    touches_admin = admin_roles_in(roles_before) or admin_roles_in(changes.get("roles", ()))
    own_password = actor.pk == user.pk and set(changes) <= {"password"}
    if touches_admin and not own_password and not approved(approval, user):
        _refuse_admin_account()


def refusal_record(*, actor: User | None, user: User | None, error: Any, attempted: str) -> None:
    """Record a refused attempt to get around the separation of duties (an interface calls it
    after the service refused, outside the rolled-back change). Other errors are not recorded."""
    code = getattr(error, "code", "")
    if code not in DUTY_REFUSALS:
        return
    audit.record(
        action="duties.refused",
        obj=user,
        object_type="" if user is not None else "org.user",
        after={"attempted": attempted, "code": code, "message": str(getattr(error, "message", error))},
        actor=actor,
    )
