"""Writing staff accounts: roles (groups generated from `org/roles.py`, 三员分立), creation,
changes, deactivation and passwords. Accounts are never deleted and never superusers.

Separation of duties (docs/adr/0023-separation-of-duties-two-person-rule.md), enforced here so
the admin, the staff pages and the API all obey it:
- an administrator role (system, security, audit) never goes with another role;
- nobody changes their own roles, active flag, data scope or placement;
- an administrator account is created by `create_admins` (actor None) and changed only through an
  approved `AdminChangeRequest` (`org.admin_changes`): the services refuse a direct change by an
  actor unless `approval` is a request a second administrator approved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.org.duties import approved, check_duties
from onewindow.org.models import (
    AdminChangeRequest,
    Center,
    Department,
    Post,
    User,
    Window,
    username_is,
)
from onewindow.org.passwords import password_record_set
from onewindow.org.roles import (
    ADMIN_ROLES,
    EXCLUSIVE_ADMIN_ROLES,
    ROLE_BY_CODE,
    ROLES,
    admin_roles_in,
    needs_admin_site,
)
from onewindow.org.signin import account_access_end
from onewindow.org.validation import (
    check_phone,
    check_required,
    raise_if_errors,
    require,
    require_center_access,
)


class _Unset:
    """Marks an argument of `user_update` that was not given (keep the current value)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def org_sync_roles() -> dict[str, Group]:
    """Create or update one group per role with exactly its permissions (idempotent)."""
    groups: dict[str, Group] = {}
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.code)
        wanted = [all_perms[name] for name in role.permissions if name in all_perms]
        group.permissions.set(wanted)
        groups[role.code] = group
    return groups


def validate_role_set(role_codes: Iterable[str]) -> None:
    """Refuse unknown roles and any two of the system, security and audit administrator roles."""
    codes = set(role_codes)
    unknown = sorted(codes - set(ROLE_BY_CODE))
    if unknown:
        message = _("Unknown roles: %(roles)s") % {"roles": ", ".join(unknown)}
        raise ValidationFailed(message, details={"roles": [message]})
    admins = sorted(codes & EXCLUSIVE_ADMIN_ROLES)
    if len(admins) > 1:
        names = ", ".join(str(ROLE_BY_CODE[code].name) for code in admins)
        message = _(
            "The system, security and audit administrator roles are mutually exclusive (三员分立): "
            "one account cannot hold %(roles)s. Give each role to a different person."
        ) % {"roles": names}
        raise ValidationFailed(message, code="separation_of_duties", details={"roles": [message]})
    business = sorted(codes - ADMIN_ROLES)
    if admins and business:
        message = _(
            "An administrator role (%(admin)s) cannot be combined with a business role (%(business)s) "
            "on one account (三员分立). Give the business roles to another account."
        ) % {
            "admin": ", ".join(str(ROLE_BY_CODE[code].name) for code in admins),
            "business": ", ".join(str(ROLE_BY_CODE[code].name) for code in business),
        }
        raise ValidationFailed(message, code="separation_of_duties", details={"roles": [message]})


def _require_manager(
    actor: User | None, user: User, approval: AdminChangeRequest | None, message: str
) -> None:
    """The security administrator manages accounts; an approved administrator account change is
    applied by its approver, whatever their role (the two-person rule replaces the permission)."""
    if not approved(approval, user):
        require(actor, "org.manage_accounts", message)


def _groups_for(codes: list[str]) -> list[Group]:
    groups = {g.name: g for g in Group.objects.filter(name__in=codes)}
    if len(groups) != len(codes):
        groups = org_sync_roles()
    return [groups[c] for c in codes]


def _user_snapshot(user: User) -> dict[str, Any]:
    """What the audit trail keeps of an account: never the password hash, the phone masked."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "center_id": user.center_id,
        "department_id": user.department_id,
        "window_id": user.window_id,
        "phone": mask_phone(user.phone),
        "data_scope": user.data_scope,
        "scope_department_ids": sorted(user.scope_departments.values_list("id", flat=True)),
        "posts": sorted(user.posts.values_list("code", flat=True)),
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


def _check_placement(
    errors: dict[str, list[str]],
    *,
    center: Center | None,
    department: Department | None,
    window: Window | None,
    data_scope: str,
    scope_departments: list[Department],
) -> None:
    if department is not None and (center is None or department.center_id != center.pk):
        errors.setdefault("department", []).append(_("Choose a department of the account's center."))
    if window is not None:
        if center is None or window.center_id != center.pk:
            errors.setdefault("window", []).append(_("Choose a window of the account's center."))
        elif (
            window.department_id is not None
            and department is not None
            and window.department_id != department.pk
        ):
            errors.setdefault("window", []).append(
                _("This window belongs to another department; choose a window of the account's department.")
            )
    if data_scope not in User.Scope.values:
        errors.setdefault("data_scope", []).append(_("Choose a data scope."))
    if data_scope == User.Scope.DEPARTMENT and department is None and center is not None:
        errors.setdefault("data_scope", []).append(
            _("An account limited to its own department needs a department; choose one or widen the scope.")
        )
    if data_scope == User.Scope.DEPARTMENTS and not scope_departments and department is None:
        errors.setdefault("scope_departments", []).append(_("Choose at least one department."))
    if any(center is None or d.center_id != center.pk for d in scope_departments):
        errors.setdefault("scope_departments", []).append(_("Choose departments of the account's center."))


def _check_password(errors: dict[str, list[str]], password: str | None, user: User) -> None:
    if not password:
        errors.setdefault("password", []).append(_("The password is required."))
        return
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        errors.setdefault("password", []).extend(str(m) for m in exc.messages)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    center: Center | None,
    department: Department | None = None,
    window: Window | None = None,
    posts: Iterable[Post] = (),
    roles: Iterable[str] = (),
    data_scope: str = User.Scope.DEPARTMENT,
    scope_departments: Iterable[Department] = (),
    phone: str = "",
    actor: User | None,
) -> User:
    """Create a staff account with its roles. Never a superuser: every right comes from a role.
    Accounts with an administrator role get the `is_staff` flag (admin site access)."""
    require(actor, "org.manage_accounts", _("Only a security administrator can create staff accounts."))
    require_center_access(actor, center.pk if center is not None else None)
    codes = sorted(set(roles))
    validate_role_set(codes)
    if actor is not None and admin_roles_in(codes):
        message = _(
            "Administrator accounts are created only by `manage.py create_admins` (三员分立). To give "
            "someone an administrator role, create the account without roles and ask for the role "
            "under “Administrator account changes”: a second administrator approves it."
        )
        raise PermissionDenied(message, code="two_person_rule", details={"roles": [message]})
    posts = list(posts)
    scope_departments = list(scope_departments)
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if not username:
        errors.setdefault("username", []).append(_("The username is required."))
    else:
        try:
            UnicodeUsernameValidator()(username)
        except DjangoValidationError as exc:
            errors.setdefault("username", []).extend(str(m) for m in exc.messages)
        if len(username) > 150:
            errors.setdefault("username", []).append(_("At most %(n)d characters.") % {"n": 150})
        if User.objects.filter(username_is(username)).exists():
            errors.setdefault("username", []).append(
                _("This username is taken (upper and lower case count as the same).")
            )
    full_name = check_required(errors, "full_name", full_name, 50)
    phone = check_phone(errors, phone)
    _check_placement(
        errors,
        center=center,
        department=department,
        window=window,
        data_scope=data_scope,
        scope_departments=scope_departments,
    )
    _check_password(
        errors,
        password,
        User(username=username, full_name=full_name, center=center, department=department, phone=phone),
    )
    raise_if_errors(errors, _("The account could not be created: check the marked fields."))

    user = User.objects.create_user(
        username=username,
        password=password,
        full_name=full_name,
        center=center,
        department=department,
        window=window,
        phone=phone,
        data_scope=data_scope,
        is_staff=needs_admin_site(codes),
        is_superuser=False,
    )
    password_record_set(user=user, by_owner=False)  # set by someone else: changed at first sign-in
    user.posts.set(posts)
    user.scope_departments.set(scope_departments)
    user.groups.set(_groups_for(codes))
    audit.record(action="user.create", obj=user, after=_user_snapshot(user), actor=actor)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: User | None,
    full_name: Any = UNSET,
    center: Any = UNSET,
    department: Any = UNSET,
    window: Any = UNSET,
    posts: Any = UNSET,
    roles: Any = UNSET,
    data_scope: Any = UNSET,
    scope_departments: Any = UNSET,
    phone: Any = UNSET,
    is_active: Any = UNSET,
    approval: AdminChangeRequest | None = None,
) -> User:
    """Change an account; arguments not given keep their value. is_active=False deactivates it
    through user_deactivate (API tokens revoked). The username never changes; the password
    changes through user_set_password. Nothing is recorded when nothing changed. A change to an
    administrator account needs `approval` (see `check_duties`)."""
    _require_manager(actor, user, approval, _("Only a security administrator can change staff accounts."))
    current = User.objects.select_for_update().get(pk=user.pk)
    require_center_access(actor, current.center_id)
    if current.is_superuser:
        raise ValidationFailed(
            _("Superuser accounts are not allowed: every right comes from a role."),
            code="superuser_forbidden",
        )
    before = _user_snapshot(current)
    new_center = current.center if center is UNSET else center
    if center is not UNSET:
        require_center_access(actor, new_center.pk if new_center is not None else None)
    new_department = current.department if department is UNSET else department
    new_window = current.window if window is UNSET else window
    new_scope = current.data_scope if data_scope is UNSET else data_scope
    new_scope_departments = (
        list(current.scope_departments.all()) if scope_departments is UNSET else list(scope_departments)
    )
    codes = sorted(before["roles"]) if roles is UNSET else sorted(set(roles))
    validate_role_set(codes)
    posts = posts if posts is UNSET else list(posts)
    check_duties(
        actor=actor,
        user=current,
        roles_before=before["roles"],
        changes=_changes(
            current,
            before,
            roles=codes,
            is_active=is_active,
            data_scope=new_scope,
            scope_departments=new_scope_departments,
            center=new_center,
            department=new_department,
            window=new_window,
            posts=posts,
            full_name=full_name,
            phone=phone,
        ),
        approval=approval,
    )
    errors: dict[str, list[str]] = {}
    new_full_name = (
        current.full_name if full_name is UNSET else check_required(errors, "full_name", full_name, 50)
    )
    new_phone = current.phone if phone is UNSET else check_phone(errors, phone)
    _check_placement(
        errors,
        center=new_center,
        department=new_department,
        window=new_window,
        data_scope=new_scope,
        scope_departments=new_scope_departments,
    )
    if is_active is not UNSET and not is_active and actor is not None and actor.pk == current.pk:
        errors.setdefault("is_active", []).append(_("You cannot deactivate your own account."))
    raise_if_errors(errors, _("The account could not be saved: check the marked fields."))

    current.full_name = new_full_name
    current.center = new_center
    current.department = new_department
    current.window = new_window
    current.phone = new_phone
    current.data_scope = new_scope
    current.is_staff = needs_admin_site(codes)
    if is_active is not UNSET and is_active:
        current.is_active = True
    current.save()
    if posts is not UNSET:
        current.posts.set(list(posts))
    current.scope_departments.set(new_scope_departments)
    if roles is not UNSET:
        current.groups.set(_groups_for(codes))
    after = _user_snapshot(current)
    if after != before:
        audit.record(action="user.update", obj=current, before=before, after=after, actor=actor)
    if after["roles"] != before["roles"]:  # sign-in (issue 12 §1)
        account_access_end(user=current, reason="roles", actor=actor)
    if is_active is not UNSET and not is_active and current.is_active:
        current = user_deactivate(user=current, actor=actor, approval=approval)
    return current


def _changes(current: User, before: dict[str, Any], **new: Any) -> dict[str, Any]:
    """The fields `user_update` would change (name → new value), for `check_duties`."""
    changes: dict[str, Any] = {}
    if new["roles"] != sorted(before["roles"]):
        changes["roles"] = new["roles"]
    if new["is_active"] is not UNSET and bool(new["is_active"]) != current.is_active:
        changes["is_active"] = bool(new["is_active"])
    if new["data_scope"] != current.data_scope:
        changes["data_scope"] = new["data_scope"]
    scope_ids = sorted(d.pk for d in new["scope_departments"])
    if scope_ids != before["scope_department_ids"]:
        changes["scope_department_ids"] = scope_ids
    for field in ("center", "department", "window"):
        pk = new[field].pk if new[field] is not None else None
        if pk != getattr(current, f"{field}_id"):
            changes[f"{field}_id"] = pk
    if new["posts"] is not UNSET:
        post_ids = sorted(p.pk for p in new["posts"])
        if post_ids != sorted(current.posts.values_list("id", flat=True)):
            changes["post_ids"] = post_ids
    for field in ("full_name", "phone"):
        if new[field] is not UNSET and (new[field] or "").strip() != getattr(current, field):
            changes[field] = (new[field] or "").strip()
    return changes


@transaction.atomic
def user_set_roles(
    *,
    user: User,
    roles: Iterable[str],
    actor: User | None = None,
    approval: AdminChangeRequest | None = None,
) -> User:
    """Give `user` exactly `roles`. Refuses a combination that breaks 三员分立, and superusers;
    nobody changes their own roles; administrator roles need `approval` (see `check_duties`).
    Sets `is_staff` when a role works in the admin site, clears it otherwise."""
    codes = sorted(set(roles))
    validate_role_set(codes)
    if actor is not None:
        _require_manager(actor, user, approval, _("Only a security administrator can assign roles."))
    require_center_access(actor, user.center_id)
    if user.is_superuser:
        raise ValidationFailed(
            _("Superuser accounts are not allowed: every right comes from a role."),
            code="superuser_forbidden",
        )
    before = sorted(user.groups.values_list("name", flat=True))
    check_duties(
        actor=actor,
        user=user,
        roles_before=before,
        changes={"roles": codes} if codes != before else {},
        approval=approval,
    )
    user.groups.set(_groups_for(codes))
    staff = needs_admin_site(codes)
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    audit.record(
        action="user.set_roles", obj=user, before={"roles": before}, after={"roles": codes}, actor=actor
    )
    if before != codes:  # sign-in (issue 12 §1)
        account_access_end(user=user, reason="roles", actor=actor)
    return user


@transaction.atomic
def user_deactivate(
    *, user: User, actor: User | None, reason: str = "", approval: AdminChangeRequest | None = None
) -> User:
    """Disable an account (accounts are never deleted: the audit trail refers to them) and
    revoke its API tokens."""
    _require_manager(actor, user, approval, _("Only a security administrator can deactivate accounts."))
    current = User.objects.select_for_update().get(pk=user.pk)
    require_center_access(actor, current.center_id)
    if actor is not None and actor.pk == current.pk:
        raise ValidationFailed(
            _("You cannot deactivate your own account."),
            details={"is_active": [_("Ask another administrator.")]},
        )
    before = _user_snapshot(current)
    check_duties(
        actor=actor,
        user=current,
        roles_before=before["roles"],
        changes={"is_active": False},
        approval=approval,
    )
    current.is_active = False
    current.save(update_fields=["is_active"])
    revoked = account_access_end(user=current, reason="deactivate", actor=actor)  # sign-in (issue 12 §1)
    after = {**_user_snapshot(current), "tokens_revoked": revoked, "reason": (reason or "").strip()[:200]}
    audit.record(action="user.deactivate", obj=current, before=before, after=after, actor=actor)
    return current


@transaction.atomic
def user_set_password(
    *, user: User, password: str, actor: User | None, approval: AdminChangeRequest | None = None
) -> User:
    """Set a new password (checked by the password validators). The audit entry never holds it.
    Another administrator's password is reset only with `approval` (see `check_duties`). A
    password set by anyone but its owner must be changed by the owner at the next sign-in
    (org.passwords); owners change theirs with `user_change_own_password`."""
    if actor is not None and actor.pk != user.pk:
        _require_manager(actor, user, approval, _("Only a security administrator can set passwords."))
        require_center_access(actor, user.center_id)
        check_duties(
            actor=actor,
            user=user,
            roles_before=user.groups.values_list("name", flat=True),
            changes={"password": True},
            approval=approval,
        )
    errors: dict[str, list[str]] = {}
    _check_password(errors, password, user)
    raise_if_errors(errors, _("The password was not accepted."))
    current = User.objects.select_for_update().get(pk=user.pk)
    current.set_password(password)
    by_owner = actor is not None and actor.pk == current.pk
    password_record_set(user=current, by_owner=by_owner)
    account_access_end(user=current, reason="password", actor=actor)  # sign-in (issue 12 §1)
    user.password, user.security_stamp = current.password, current.security_stamp
    user.password_changed_at = current.password_changed_at
    user.must_change_password = current.must_change_password
    audit.record(action="user.set_password", obj=current, after={"must_change": not by_owner}, actor=actor)
    return current
