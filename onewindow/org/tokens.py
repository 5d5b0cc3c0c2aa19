"""API tokens: issuing, revoking, and checking a bearer token on every API request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit, clock, fastsql
from onewindow.core.errors import PermissionDenied
from onewindow.org import actors
from onewindow.org.models import ApiToken, User
from onewindow.org.validation import require


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
def api_token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke a token (its owner or a security administrator)."""
    if actor is not None and actor.pk != token.user_id:
        require(
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
