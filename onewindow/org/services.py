"""Writing organisation data: centers, departments, windows, posts, staff accounts, roles,
API tokens. Every change is checked, written in one transaction and recorded in the audit trail.

`actor` is the account doing the change; None means the system itself (migrations, management
commands run by the operator), which skips the permission check but is still audited.
Accounts without a center are deployment-level (the administrators of a production install):
they may manage every center. An account with a center manages that center and those below it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from onewindow.core import audit, clock, fastsql
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.org import actors
from onewindow.org.models import ApiToken, Center, Department, Post, User, Window
from onewindow.org.roles import EXCLUSIVE_ADMIN_ROLES, ROLE_BY_CODE, ROLES, needs_admin_site
from onewindow.org.selectors import center_subtree_ids

CODE_RE = re.compile(r"^[A-Z0-9]+$")
POST_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")


class _Unset:
    """Marks an argument of `user_update` that was not given (keep the current value)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


# --- roles -------------------------------------------------------------------------------


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


def _groups_for(codes: list[str]) -> list[Group]:
    groups = {g.name: g for g in Group.objects.filter(name__in=codes)}
    if len(groups) != len(codes):
        groups = org_sync_roles()
    return [groups[c] for c in codes]


# --- checks shared by the services -----------------------------------------------------------


def _require(actor: Any, permission: str, message: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(message)


def _require_center_access(actor: Any, center_id: int | None) -> None:
    """An actor with a center may act on that center and the centers below it; center_id None
    (a top-level center, or an account without a center) needs a deployment-level actor."""
    if actor is None or not getattr(actor, "center_id", None):
        return
    if center_id is None or center_id not in center_subtree_ids(actor.center_id):
        raise PermissionDenied(_("This is outside the centers your account manages."))


def _code(value: str | None) -> str:
    return (value or "").strip().upper()


def _check_code(errors: dict[str, list[str]], code: str, max_length: int) -> None:
    if not code:
        errors.setdefault("code", []).append(_("The code is required."))
    elif not CODE_RE.match(code):
        errors.setdefault("code", []).append(_("Use upper-case letters and digits only."))
    elif len(code) > max_length:
        errors.setdefault("code", []).append(
            _("At most %(n)d characters.") % {"n": max_length},
        )


def _check_required(errors: dict[str, list[str]], field: str, value: str | None, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": max_length})
    return value


def _check_phone(errors: dict[str, list[str]], value: str | None, field: str = "phone") -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        errors.setdefault(field, []).append(_("Digits only (a leading + and hyphens are allowed)."))
    return value


def _raise(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ValidationFailed(message, details=errors)


# --- centers, departments, windows, posts -----------------------------------------------------


def _code_taken(queryset: QuerySet[Any], code: str, current: Model | None) -> bool:
    """Whether another row of `queryset` (not `current`) already has `code`."""
    return (
        bool(code)
        and queryset.filter(code=code).exclude(pk=current.pk if current is not None else -1).exists()
    )


def _write_audited(
    *, entity: str, current: Model | None, target: Model, values: dict[str, Any], actor: Any
) -> Any:
    """Set `values` on `target`, save it, and record `<entity>.create` or `<entity>.update` with
    the row before (None when new) and after."""
    before = audit.snapshot(current) if current is not None else None
    for name, value in values.items():
        setattr(target, name, value)
    target.save()
    audit.record(
        action=f"{entity}.{'create' if current is None else 'update'}",
        obj=target,
        before=before,
        after=audit.snapshot(target),
        actor=actor,
    )
    return target


@transaction.atomic
def center_save(
    *,
    center: Center | None = None,
    code: str,
    name: str,
    level: str,
    parent: Center | None = None,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
    actor: Any,
) -> Center:
    """Create a center (center=None) or change one. The code is fixed once the center exists:
    it begins every case number."""
    creating = center is None
    _require(
        actor,
        "org.add_center" if creating else "org.change_center",
        _("Your account cannot create centers.") if creating else _("Your account cannot change centers."),
    )
    current = None if center is None else Center.objects.select_for_update().get(pk=center.pk)
    _require_center_access(actor, current.pk if current is not None else (parent.pk if parent else None))
    if current is None and parent is not None:
        _require_center_access(actor, parent.pk)
    errors: dict[str, list[str]] = {}
    code = _code(code)
    _check_code(errors, code, Center._meta.get_field("code").max_length or 12)
    if current is not None and code != current.code:
        errors.setdefault("code", []).append(
            _("The code of an existing center cannot change: it is part of every case number.")
        )
    elif _code_taken(Center.objects.all(), code, current):
        errors.setdefault("code", []).append(_("Another center already has this code."))
    name = _check_required(errors, "name", name, 100)
    if level not in Center.Level.values:
        errors.setdefault("level", []).append(_("Choose a level."))
    if parent is not None and current is not None and parent.pk in center_subtree_ids(current.pk):
        errors.setdefault("parent", []).append(
            _("A center cannot be placed under itself or under a center below it.")
        )
    phone = _check_phone(errors, phone)
    _raise(errors, _("The center could not be saved: check the marked fields."))

    return _write_audited(
        entity="center",
        current=current,
        target=current or Center(code=code),
        values={
            "name": name,
            "level": level,
            "parent": parent,
            "address": (address or "").strip(),
            "phone": phone,
            "opening_hours": (opening_hours or "").strip(),
        },
        actor=actor,
    )


@transaction.atomic
def department_save(
    *,
    department: Department | None = None,
    center: Center,
    code: str,
    name: str,
    short_name: str = "",
    phone: str = "",
    position: int = 0,
    active: bool = True,
    actor: Any,
) -> Department:
    """Create or change a department. Its code is unique in its center; it never moves to
    another center."""
    creating = department is None
    _require(
        actor,
        "org.add_department" if creating else "org.change_department",
        _("Your account cannot maintain departments."),
    )
    current = None if department is None else Department.objects.select_for_update().get(pk=department.pk)
    _require_center_access(actor, center.pk)
    errors: dict[str, list[str]] = {}
    if current is not None and current.center_id != center.pk:
        errors.setdefault("center", []).append(_("A department cannot move to another center."))
    code = _code(code)
    _check_code(errors, code, 20)
    if _code_taken(Department.objects.filter(center=center), code, current):
        errors.setdefault("code", []).append(_("Another department of this center has this code."))
    name = _check_required(errors, "name", name, 100)
    short_name = (short_name or "").strip()
    if len(short_name) > 30:
        errors.setdefault("short_name", []).append(_("At most %(n)d characters.") % {"n": 30})
    phone = _check_phone(errors, phone)
    if position is None or int(position) < 0:
        errors.setdefault("position", []).append(_("Zero or a positive number."))
    _raise(errors, _("The department could not be saved: check the marked fields."))

    return _write_audited(
        entity="department",
        current=current,
        target=current or Department(center=center),
        values={
            "code": code,
            "name": name,
            "short_name": short_name,
            "phone": phone,
            "position": int(position),
            "active": bool(active),
        },
        actor=actor,
    )


@transaction.atomic
def window_save(
    *,
    window: Window | None = None,
    center: Center,
    code: str,
    name: str,
    department: Department | None = None,
    floor: str = "",
    active: bool = True,
    actor: Any,
) -> Window:
    """Create or change a window; a window without a department is a general window (综合窗口)."""
    creating = window is None
    _require(
        actor,
        "org.add_window" if creating else "org.change_window",
        _("Your account cannot maintain windows."),
    )
    current = None if window is None else Window.objects.select_for_update().get(pk=window.pk)
    _require_center_access(actor, center.pk)
    errors: dict[str, list[str]] = {}
    if current is not None and current.center_id != center.pk:
        errors.setdefault("center", []).append(_("A window cannot move to another center."))
    code = _code(code)
    _check_code(errors, code, 20)
    if _code_taken(Window.objects.filter(center=center), code, current):
        errors.setdefault("code", []).append(_("Another window of this center has this code."))
    name = _check_required(errors, "name", name, 100)
    if department is not None and department.center_id != center.pk:
        errors.setdefault("department", []).append(_("Choose a department of the same center."))
    floor = (floor or "").strip()
    _raise(errors, _("The window could not be saved: check the marked fields."))

    return _write_audited(
        entity="window",
        current=current,
        target=current or Window(center=center),
        values={
            "code": code,
            "name": name,
            "department": department,
            "floor": floor,
            "active": bool(active),
        },
        actor=actor,
    )


@transaction.atomic
def post_save(*, post: Post | None = None, code: str, name: str, position: int = 0, actor: Any) -> Post:
    """Create or change a post (岗位). Post codes are letters, digits, '_' and '-', unique."""
    creating = post is None
    _require(
        actor, "org.add_post" if creating else "org.change_post", _("Your account cannot maintain posts.")
    )
    current = None if post is None else Post.objects.select_for_update().get(pk=post.pk)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if not code:
        errors.setdefault("code", []).append(_("The code is required."))
    elif not POST_CODE_RE.match(code) or len(code) > 20:
        errors.setdefault("code", []).append(
            _("Letters, digits, '_' and '-', starting with a letter, at most 20 characters.")
        )
    elif _code_taken(Post.objects.all(), code, current):
        errors.setdefault("code", []).append(_("Another post has this code."))
    name = _check_required(errors, "name", name, 50)
    if position is None or int(position) < 0:
        errors.setdefault("position", []).append(_("Zero or a positive number."))
    _raise(errors, _("The post could not be saved: check the marked fields."))

    return _write_audited(
        entity="post",
        current=current,
        target=current or Post(),
        values={
            "code": code,
            "name": name,
            "position": int(position),
        },
        actor=actor,
    )


# --- staff accounts ---------------------------------------------------------------------------


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
    actor: Any,
) -> User:
    """Create a staff account with its roles. Never a superuser: every right comes from a role.
    Accounts with an administrator role get the `is_staff` flag (admin site access)."""
    _require(actor, "org.manage_accounts", _("Only a security administrator can create staff accounts."))
    _require_center_access(actor, center.pk if center is not None else None)
    codes = sorted(set(roles))
    validate_role_set(codes)
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
        if User.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(_("This username is taken."))
    full_name = _check_required(errors, "full_name", full_name, 50)
    phone = _check_phone(errors, phone)
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
    _raise(errors, _("The account could not be created: check the marked fields."))

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
    user.posts.set(posts)
    user.scope_departments.set(scope_departments)
    user.groups.set(_groups_for(codes))
    audit.record(action="user.create", obj=user, after=_user_snapshot(user), actor=actor)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: Any,
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
) -> User:
    """Change an account; arguments not given keep their value. is_active=False deactivates it
    through user_deactivate (API tokens revoked). The username never changes; the password
    changes through user_set_password. Nothing is recorded when nothing changed."""
    _require(actor, "org.manage_accounts", _("Only a security administrator can change staff accounts."))
    current = User.objects.select_for_update().get(pk=user.pk)
    _require_center_access(actor, current.center_id)
    if current.is_superuser:
        raise ValidationFailed(
            _("Superuser accounts are not allowed: every right comes from a role."),
            code="superuser_forbidden",
        )
    before = _user_snapshot(current)
    new_center = current.center if center is UNSET else center
    if center is not UNSET:
        _require_center_access(actor, new_center.pk if new_center is not None else None)
    new_department = current.department if department is UNSET else department
    new_window = current.window if window is UNSET else window
    new_scope = current.data_scope if data_scope is UNSET else data_scope
    new_scope_departments = (
        list(current.scope_departments.all()) if scope_departments is UNSET else list(scope_departments)
    )
    codes = sorted(before["roles"]) if roles is UNSET else sorted(set(roles))
    validate_role_set(codes)
    errors: dict[str, list[str]] = {}
    new_full_name = (
        current.full_name if full_name is UNSET else _check_required(errors, "full_name", full_name, 50)
    )
    new_phone = current.phone if phone is UNSET else _check_phone(errors, phone)
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
    _raise(errors, _("The account could not be saved: check the marked fields."))

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
    if is_active is not UNSET and not is_active and current.is_active:
        current = user_deactivate(user=current, actor=actor)
    return current


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], actor: Any = None) -> User:
    """Give `user` exactly `roles`. Refuses a combination that breaks 三员分立, and superusers.
    Sets `is_staff` when a role works in the admin site, clears it otherwise."""
    codes = sorted(set(roles))
    validate_role_set(codes)
    if actor is not None and not actor.has_perm("org.manage_accounts"):
        raise PermissionDenied(_("Only a security administrator can assign roles."))
    _require_center_access(actor, user.center_id)
    if user.is_superuser:
        raise ValidationFailed(
            _("Superuser accounts are not allowed: every right comes from a role."),
            code="superuser_forbidden",
        )
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set(_groups_for(codes))
    staff = needs_admin_site(codes)
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    audit.record(
        action="user.set_roles", obj=user, before={"roles": before}, after={"roles": codes}, actor=actor
    )
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: Any, reason: str = "") -> User:
    """Disable an account (accounts are never deleted: the audit trail refers to them) and
    revoke its API tokens."""
    _require(actor, "org.manage_accounts", _("Only a security administrator can deactivate accounts."))
    current = User.objects.select_for_update().get(pk=user.pk)
    _require_center_access(actor, current.center_id)
    if actor is not None and actor.pk == current.pk:
        raise ValidationFailed(
            _("You cannot deactivate your own account."),
            details={"is_active": [_("Ask another administrator.")]},
        )
    before = _user_snapshot(current)
    current.is_active = False
    current.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=current, revoked=False).update(revoked=True)
    after = {**_user_snapshot(current), "tokens_revoked": revoked, "reason": (reason or "").strip()[:200]}
    audit.record(action="user.deactivate", obj=current, before=before, after=after, actor=actor)
    return current


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: Any) -> User:
    """Set a new password (checked by the password validators). The audit entry never holds it."""
    if actor is not None and actor.pk != user.pk:
        _require(actor, "org.manage_accounts", _("Only a security administrator can set passwords."))
        _require_center_access(actor, user.center_id)
    errors: dict[str, list[str]] = {}
    _check_password(errors, password, user)
    _raise(errors, _("The password was not accepted."))
    current = User.objects.select_for_update().get(pk=user.pk)
    current.set_password(password)
    current.save(update_fields=["password"])
    user.password = current.password
    audit.record(action="user.set_password", obj=current, actor=actor)
    return current


# --- API tokens -------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a bearer token; returns the stored row and the raw token (shown once)."""
    if not user.is_active:
        raise PermissionDenied(_("This account is disabled."))
    raw = "ow_" + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        prefix=raw[:8],
        created_at=now,
        expires_at=now + dt.timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    audit.record(action="api_token.issue", obj=token, actor=user, after={"prefix": token.prefix})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke a token (its owner or a security administrator)."""
    if actor is not None and actor.pk != token.user_id:
        _require(
            actor, "org.manage_accounts", _("Only the owner or a security administrator can revoke a token.")
        )
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.revoked = True
    audit.record(action="api_token.revoke", obj=token, actor=actor, after={"prefix": token.prefix})
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user for a raw bearer token, or None (unknown, revoked, expired, disabled).

    Every API request runs this: one plain SELECT of the token joined to the fields of its
    account that decide access (active, center, department, window, data scope, superuser), so
    a revoked or expired token and a disabled account are refused at once; the account object
    itself comes from the per-process copy of onewindow.org.actors when those fields match."""
    if not raw or len(raw) > 200:
        return None
    found = fastsql.rows(_TOKEN_SQL, [_hash(raw), False])
    if not found:
        return None
    token_id, expires_at, last_used_at, user_id, is_active, *stamp = found[0]
    now = clock.now()
    expires = fastsql.as_datetime(expires_at)
    if not is_active or expires is None or expires <= now:
        return None
    user = actors.account(int(user_id), tuple(stamp))
    if user is None or not user.is_active:
        return None
    last_used = fastsql.as_datetime(last_used_at)
    if last_used is None or (now - last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


_TOKEN_SQL = (
    'SELECT t."id", t."expires_at", t."last_used_at", u."id", u."is_active", '  # noqa: S608 (fixed column names)
    + ", ".join(f'u."{column}"' for column in actors.STAMP_COLUMNS)
    + ' FROM "org_apitoken" t JOIN "org_user" u ON u."id" = t."user_id" '
    'WHERE t."key_hash" = %s AND t."revoked" = %s'
)
