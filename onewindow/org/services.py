"""Writing organisation data: roles, accounts, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from onewindow.core import audit, clock
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.org.models import ApiToken, User
from onewindow.org.roles import EXCLUSIVE_ADMIN_ROLES, ROLE_BY_CODE, ROLES


def org_sync_roles() -> dict[str, Group]:
    """Create or update one group per role with exactly its permissions (idempotent)."""
    groups: dict[str, Group] = {}
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.code)
        wanted = [all_perms[name] for name in role.permissions if name in all_perms]
        group.permissions.set(wanted)
        groups[role.code] = group
    return groups


def validate_role_set(role_codes: Iterable[str]) -> None:
    codes = set(role_codes)
    unknown = sorted(codes - set(ROLE_BY_CODE))
    if unknown:
        raise ValidationFailed(f"Unknown roles: {', '.join(unknown)}", details={"roles": unknown})
    admins = sorted(codes & EXCLUSIVE_ADMIN_ROLES)
    if len(admins) > 1:
        raise ValidationFailed(
            "The system, security and audit administrator roles are mutually exclusive (三员分立); "
            f"this account would hold {', '.join(admins)}.",
            code="separation_of_duties",
            details={"roles": admins},
        )


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], actor: Any = None) -> User:
    """Give `user` exactly `roles`. Refuses a combination that breaks 三员分立, and superusers."""
    codes = sorted(set(roles))
    validate_role_set(codes)
    if actor is not None and not actor.has_perm("org.manage_accounts"):
        raise PermissionDenied("Only a security administrator can assign roles.")
    if user.is_superuser:
        raise ValidationFailed(
            "Superuser accounts are not allowed: every right comes from a role.", code="superuser_forbidden"
        )
    before = sorted(user.groups.values_list("name", flat=True))
    groups = {g.name: g for g in Group.objects.filter(name__in=codes)}
    if len(groups) != len(codes):
        groups = org_sync_roles()
    user.groups.set([groups[c] for c in codes])
    audit.record(
        action="user.set_roles", obj=user, before={"roles": before}, after={"roles": codes}, actor=actor
    )
    return user


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a bearer token; returns the stored row and the raw token (shown once)."""
    if not user.is_active:
        raise PermissionDenied("This account is disabled.")
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


def api_token_authenticate(raw: str) -> User | None:
    """The active user for a raw bearer token, or None (unknown, revoked, expired, disabled)."""
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(raw), revoked=False).first()
    now = clock.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
