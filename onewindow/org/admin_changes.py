"""The two-person rule for administrator accounts (三员分立): a change to a system, security or
audit administrator's account, or the grant of an administrator role, is asked for by one
administrator (`admin_change_request`) and takes effect only when a different administrator,
neither the requester nor the account concerned, approves it (`admin_change_approve`). It can be
rejected, and lapses after settings.ADMIN_CHANGE_REQUEST_DAYS. Every step is audited.

A password reset never carries a password: on approval a one-time password is generated and
shown to the approver only, so neither administrator alone can sign in as the other.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.org.accounts import user_set_password, user_update
from onewindow.org.models import AdminChangeRequest, Center, Department, Post, User, Window
from onewindow.org.roles import ROLE_BY_CODE, admin_roles_in
from onewindow.org.validation import require, require_center_access

# The fields a request may change, as stored in AdminChangeRequest.changes.
CHANGE_FIELDS = (
    "roles",
    "is_active",
    "data_scope",
    "scope_department_ids",
    "center_id",
    "department_id",
    "window_id",
    "post_ids",
    "full_name",
    "phone",
)


class _DryRun(Exception):
    pass


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(CHANGE_FIELDS))
    if unknown:
        message = _("These fields cannot be requested: %(fields)s") % {"fields": ", ".join(unknown)}
        raise ValidationFailed(message, details={"changes": [message]})
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "roles":
            cleaned[field] = sorted({str(code) for code in value or ()})
        elif field in ("scope_department_ids", "post_ids"):
            cleaned[field] = sorted({int(pk) for pk in value or ()})
        elif field in ("center_id", "department_id", "window_id"):
            cleaned[field] = int(value) if value not in (None, "") else None
        elif field == "is_active":
            cleaned[field] = bool(value)
        else:
            cleaned[field] = str(value or "").strip()
    return cleaned


def _update_arguments(changes: dict[str, Any]) -> dict[str, Any]:
    """`user_update` keyword arguments for a request's stored changes."""
    kwargs: dict[str, Any] = {}
    models: dict[str, Any] = {"center_id": Center, "department_id": Department, "window_id": Window}
    for field, value in changes.items():
        if field in models:
            kwargs[field[:-3]] = None if value is None else models[field].objects.filter(pk=value).first()
        elif field == "scope_department_ids":
            kwargs["scope_departments"] = list(Department.objects.filter(pk__in=value))
        elif field == "post_ids":
            kwargs["posts"] = list(Post.objects.filter(pk__in=value))
        else:
            kwargs[field] = value
    return kwargs


def _one_time_password() -> str:
    """16 characters with upper and lower case letters, digits and symbols (any policy's classes)."""
    pools = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "-_.@#%+"]
    chars = [secrets.choice(pool) for pool in pools for _n in range(4)]
    for i in range(len(chars) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def _is_admin_account(user: User) -> bool:
    return bool(admin_roles_in(user.groups.values_list("name", flat=True)))


def _apply(change_request: AdminChangeRequest, actor: User) -> str | None:
    target = change_request.target
    if change_request.kind == AdminChangeRequest.Kind.PASSWORD_RESET:
        password = _one_time_password()
        user_set_password(user=target, password=password, actor=actor, approval=change_request)
        return password
    user_update(
        user=target, actor=actor, approval=change_request, **_update_arguments(change_request.changes)
    )
    return None


def _summary(change_request: AdminChangeRequest) -> dict[str, Any]:
    return {
        "kind": change_request.kind,
        "changes": change_request.changes,
        "reason": change_request.reason,
        "target": change_request.target.username,
        "requested_by": change_request.requested_by.username,
    }


@transaction.atomic
def admin_change_request(
    *,
    target: User,
    actor: User,
    reason: str,
    kind: str = AdminChangeRequest.Kind.UPDATE,
    changes: dict[str, Any] | None = None,
) -> AdminChangeRequest:
    """Ask for a change to an administrator account (or the grant of an administrator role). The
    change is checked now (so a request that could never apply is refused at once) and applied
    only on approval by another administrator."""
    if actor is None:
        raise PermissionDenied(_("Sign in with a staff account first."))
    require(
        actor,
        "org.request_admin_change",
        _("Only an administrator can ask for an administrator account change."),
    )
    require_center_access(actor, target.center_id)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors.setdefault("reason", []).append(_("Say why the change is needed."))
    elif len(reason) > 500:
        errors.setdefault("reason", []).append(_("At most %(n)d characters.") % {"n": 500})
    if kind not in AdminChangeRequest.Kind.values:
        errors.setdefault("kind", []).append(_("Choose what to change."))
    cleaned = _clean_changes(changes or {}) if kind == AdminChangeRequest.Kind.UPDATE else {}
    if kind == AdminChangeRequest.Kind.UPDATE and not cleaned:
        errors.setdefault("changes", []).append(_("Choose at least one change."))
    if errors:
        raise ValidationFailed(_("The request could not be saved: check the marked fields."), details=errors)
    if target.pk == actor.pk:
        raise PermissionDenied(
            _("You cannot ask for a change to your own account: another administrator asks for it."),
            code="own_account",
        )
    if not _is_admin_account(target) and not admin_roles_in(cleaned.get("roles", ())):
        raise ValidationFailed(
            _(
                "This account holds no administrator role and the change grants none: a security "
                "administrator changes it directly."
            ),
            code="not_admin_account",
        )
    now = clock.now()
    change_request = AdminChangeRequest.objects.create(
        target=target,
        kind=kind,
        changes=cleaned,
        reason=reason,
        requested_by=actor,
        requested_at=now,
        expires_at=now + dt.timedelta(days=settings.ADMIN_CHANGE_REQUEST_DAYS),
    )
    if kind == AdminChangeRequest.Kind.UPDATE:
        _check_applicable(change_request)
    audit.record(
        action="admin_change.request", obj=change_request, after=_summary(change_request), actor=actor
    )
    return change_request


def _check_applicable(change_request: AdminChangeRequest) -> None:
    """Apply the change as the operator would, in a savepoint that is always rolled back: its
    validation errors (role combinations, placement ...) refuse the request now."""
    try:
        with transaction.atomic():
            user_update(user=change_request.target, actor=None, **_update_arguments(change_request.changes))
            raise _DryRun
    except _DryRun:
        pass


def _decidable(
    change_request: AdminChangeRequest, actor: User, permission_message: str
) -> AdminChangeRequest:
    if actor is None:
        raise PermissionDenied(_("Sign in with a staff account first."))
    require(actor, "org.approve_admin_change", permission_message)
    current = (
        AdminChangeRequest.objects.select_for_update()
        .select_related("target", "requested_by")
        .get(pk=change_request.pk)
    )
    require_center_access(actor, current.target.center_id)
    if current.status != AdminChangeRequest.Status.PENDING:
        raise Conflict(
            _("This request was already decided (%(status)s).") % {"status": current.get_status_display()},
            code="request_decided",
        )
    if current.expires_at <= clock.now():
        raise ValidationFailed(
            _("This request has expired: ask for the change again if it is still needed."),
            code="request_expired",
        )
    if actor.pk == current.target_id:
        raise PermissionDenied(
            _("A request about your own account is decided by another administrator."),
            code="two_person_rule",
        )
    return current


@transaction.atomic
def admin_change_approve(
    *, change_request: AdminChangeRequest, actor: User, note: str = ""
) -> tuple[AdminChangeRequest, str | None]:
    """Approve and apply a pending request. The approver is an administrator other than the
    requester and the account concerned. Returns the request and, for a password reset, the
    one-time password to hand to the account's owner (never stored or logged)."""
    current = _decidable(
        change_request, actor, _("Only an administrator can approve an administrator account change.")
    )
    if actor.pk == current.requested_by_id:
        raise PermissionDenied(
            _("You asked for this change: a different administrator must approve it (two-person rule)."),
            code="two_person_rule",
        )
    current.status = AdminChangeRequest.Status.APPROVED
    current.decided_by = actor
    current.decided_at = clock.now()
    current.decision_note = (note or "").strip()[:500]
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    password = _apply(current, actor)
    audit.record(
        action="admin_change.approve",
        obj=current,
        before={"status": AdminChangeRequest.Status.PENDING},
        after={**_summary(current), "status": current.status, "note": current.decision_note},
        actor=actor,
    )
    return current, password


@transaction.atomic
def admin_change_reject(
    *, change_request: AdminChangeRequest, actor: User, note: str = ""
) -> AdminChangeRequest:
    """Reject (or, by its requester, withdraw) a pending request: nothing changes on the account."""
    current = _decidable(
        change_request, actor, _("Only an administrator can reject an administrator account change.")
    )
    current.status = AdminChangeRequest.Status.REJECTED
    current.decided_by = actor
    current.decided_at = clock.now()
    current.decision_note = (note or "").strip()[:500]
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        action="admin_change.reject",
        obj=current,
        before={"status": AdminChangeRequest.Status.PENDING},
        after={**_summary(current), "status": current.status, "note": current.decision_note},
        actor=actor,
    )
    return current


@transaction.atomic
def admin_change_requests_expire() -> int:
    """Mark the pending requests whose time has passed as expired (audited); their number."""
    now = clock.now()
    count = 0
    due = AdminChangeRequest.objects.select_for_update().filter(
        status=AdminChangeRequest.Status.PENDING, expires_at__lte=now
    )
    for change_request in due.select_related("target", "requested_by"):
        change_request.status = AdminChangeRequest.Status.EXPIRED
        change_request.decided_at = now
        change_request.save(update_fields=["status", "decided_at"])
        audit.record(
            action="admin_change.expire",
            obj=change_request,
            before={"status": AdminChangeRequest.Status.PENDING},
            after={**_summary(change_request), "status": change_request.status},
        )
        count += 1
    return count


def role_names(codes: list[str]) -> str:
    return "、".join(str(ROLE_BY_CODE[c].name) if c in ROLE_BY_CODE else c for c in codes)


__all__ = [
    "CHANGE_FIELDS",
    "admin_change_approve",
    "admin_change_reject",
    "admin_change_request",
    "admin_change_requests_expire",
    "role_names",
]
