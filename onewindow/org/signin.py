"""Signing in, for every way in (issue 12 §1, ADR 0021): one lockout, one per-address limit, and
one audit trail of sign-ins, failures, lockouts, unlocks, sign-outs and session timeouts.

`signin_authenticate(request=..., username=..., password=..., channel=...)` is the only way a
username and password are checked: the staff sign-in page ("web"), the admin login ("admin"),
the API token endpoint ("api") and the online hall ("hall") all call it. It answers the account,
or raises:

- `AccountLocked` (423 account_locked) while the username is locked: after LOCKOUT_FAILURES
  failures within LOCKOUT_WINDOW_MINUTES, whatever channels they came through, for
  LOCKOUT_MINUTES. The right password is refused too. Unknown usernames are counted and locked
  the same way, so the answers never tell whether an account exists.
- `RateLimited` (429 rate_limited) when the client address had SIGNIN_ADDRESS_FAILURES failures
  (any usernames) within the window: password spraying from one address.
- `InvalidCredentials` (401 invalid_credentials) for a wrong username or password, or a
  disabled account (one message for all three).

Failures and locks are database rows (org.signin_models), not cache entries: every process
counts the same tries without Redis, and a lock survives a restart.

`account_access_end(user=..., reason=..., actor=...)` ends everything an account signed in
with (its sessions, through the security stamp in `User.get_session_auth_hash`, and its API
tokens); the account services call it on a password change, a deactivation and a role change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onewindow.core import audit, clock, context
from onewindow.core.errors import DomainError, NotAuthenticated, RateLimited
from onewindow.core.middleware import client_ip
from onewindow.org.models import ApiToken, SignInFailure, SignInLock, User, username_is
from onewindow.org.validation import require, require_center_access

CHANNELS = ("web", "admin", "api", "hall", "otp")  # otp: a wrong second-factor code


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"


class AccountLocked(DomainError):
    status = 423
    code = "account_locked"


def normalise(username: str | None) -> str:
    """The key failures and locks are counted under: the name tried, stripped, lower case (the
    account lookup ignores case too: org.models.username_is)."""
    return (username or "").strip().lower()[:150]


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOCKOUT_WINDOW_MINUTES)


@contextmanager
def _where(ip: str, channel: str, username: str | None = None) -> Iterator[None]:
    """Audit entries written inside say this address and channel; before anyone is signed in,
    the acting name is the username tried (no account)."""
    ctx = context.current()
    changes: dict[str, Any] = {"ip": ip[:45] or ctx.ip, "channel": channel}
    if username is not None:
        changes.update(user_id=None, username=username)
    token = context.set_current(dataclasses.replace(ctx, **changes))
    try:
        yield
    finally:
        context.reset(token)


def _local(moment: dt.datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M")


def _locked_error(until: dt.datetime) -> AccountLocked:
    return AccountLocked(
        _(
            "This account is locked after too many failed sign-ins, until %(until)s. "
            "Try again after that time, or ask the security administrator to unlock it."
        )
        % {"until": _local(until)},
        details={"locked_until": until.isoformat()},
    )


def locked_until(username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on `username` ends, or None when it is not locked (a selector)."""
    now = now or clock.now()
    lock = SignInLock.objects.filter(username=normalise(username), locked_until__gt=now).first()
    return lock.locked_until if lock is not None else None


def _address_blocked_until(ip: str, now: dt.datetime) -> dt.datetime | None:
    limit = settings.SIGNIN_ADDRESS_FAILURES
    if not ip or limit < 1:
        return None
    recent = SignInFailure.objects.filter(ip=ip, at__gt=now - _window()).order_by("-at")
    times = list(recent.values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + _window()  # when the oldest of the last `limit` failures leaves the window


def _refuse(*, action_reason: str, tried: str, ip: str, channel: str, until: dt.datetime) -> None:
    with transaction.atomic(), _where(ip, channel, username=tried or "?"):
        audit.record(
            action="signin.refused",
            object_type="org.user",
            object_repr=tried[:255],
            after={"username": tried, "channel": channel, "reason": action_reason, "until": until},
        )


def _record_failure(*, key: str, tried: str, ip: str, channel: str, now: dt.datetime) -> dt.datetime | None:
    """Count one failure; lock the username when it is the LOCKOUT_FAILURES-th in the window.
    Returns the end of the new lock, if this failure locked the account."""
    with transaction.atomic(), _where(ip, channel, username=tried or "?"):
        window_start = now - _window()
        SignInFailure.objects.filter(at__lt=window_start).delete()  # forget what no rule counts any more
        SignInFailure.objects.create(username=key, ip=ip[:45], channel=channel, at=now)
        account = User.objects.filter(username_is(key)).only("pk").first()
        audit.record(
            action="signin.failure",
            object_type="org.user",
            object_id=str(account.pk) if account is not None else "",
            object_repr=tried[:255],
            after={"username": tried, "channel": channel},
        )
        previous = SignInLock.objects.filter(username=key).first()
        since = max(window_start, previous.locked_until) if previous is not None else window_start
        failures = SignInFailure.objects.filter(username=key, at__gt=since).count()
        if failures < settings.LOCKOUT_FAILURES:
            return None
        until = now + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
        try:
            with transaction.atomic():
                SignInLock.objects.update_or_create(
                    username=key, defaults={"locked_at": now, "locked_until": until}
                )
        except IntegrityError:  # another process created the lock at the same moment
            SignInLock.objects.filter(username=key).update(locked_at=now, locked_until=until)
        audit.record(
            action="signin.lockout",
            object_type="org.user",
            object_id=str(account.pk) if account is not None else "",
            object_repr=tried[:255],
            after={"username": tried, "channel": channel, "failures": failures, "locked_until": until},
        )
        return until


def signin_authenticate(*, request: HttpRequest | None, username: str, password: str, channel: str) -> User:
    """Check a username and password for `channel` (web, admin, api, hall) under the one lockout
    and the per-address limit; audited either way. See the module's docstring for the errors."""
    signin_raise_if_refused(request=request, username=username, channel=channel)
    tried = (username or "").strip()[:150]
    key = normalise(username)
    user = authenticate(request, username=username, password=password) if key and password else None
    if not isinstance(user, User):
        locked = _record_failure(key=key, tried=tried, ip=_ip(request), channel=channel, now=clock.now())
        if locked is not None:
            raise _locked_error(locked)
        raise InvalidCredentials(_("Wrong username or password, or the account is disabled."))
    signin_failures_clear(username=key, request=request, channel=channel, user=user)
    return user


def _ip(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else context.current().ip


def signin_raise_if_refused(*, request: HttpRequest | None, username: str, channel: str) -> None:
    """Before checking a secret for `username` (a staff username, or another channel's own key
    such as the online hall's "applicant:<phone>"): refuse, audited, while the name is locked
    (AccountLocked) or the client address made too many failed sign-ins (RateLimited)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown sign-in channel {channel!r}")
    tried = (username or "").strip()[:150]
    key = normalise(username)
    ip = _ip(request)
    now = clock.now()
    until = locked_until(key, now)
    if until is not None:
        _refuse(action_reason="locked", tried=tried, ip=ip, channel=channel, until=until)
        raise _locked_error(until)
    blocked = _address_blocked_until(ip, now)
    if blocked is not None:
        _refuse(action_reason="address", tried=tried, ip=ip, channel=channel, until=blocked)
        wait = max(1, math.ceil((blocked - now).total_seconds()))
        raise RateLimited(
            _(
                "Too many failed sign-ins from your address. Wait %(minutes)d minutes and try again, "
                "or ask the security administrator."
            )
            % {"minutes": math.ceil(wait / 60)},
            details={"retry_after_seconds": wait, "locked_until": blocked.isoformat()},
        )


def signin_failures_clear(
    *, username: str, request: HttpRequest | None, channel: str, user: User | None = None
) -> None:
    """After a successful sign-in: earlier typos do not count any more and an expired lock goes.
    A staff account's success is audited here; another channel audits its own."""
    key = normalise(username)
    with transaction.atomic(), _where(_ip(request), channel):
        SignInFailure.objects.filter(username=key).delete()
        SignInLock.objects.filter(username=key).delete()
        if user is not None:
            audit.record(action="signin.success", obj=user, actor=user, after={"channel": channel})


def signin_failure_record(*, username: str, channel: str, request: HttpRequest | None = None) -> None:
    """Count a failure that happened after the password was right (a wrong second-factor code)
    under the same lockout; raises the locked error when it locks the account, or when the
    account is locked already."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown sign-in channel {channel!r}")
    tried = (username or "").strip()[:150]
    key = normalise(username)
    ip = client_ip(request) if request is not None else context.current().ip
    now = clock.now()
    until = _record_failure(key=key, tried=tried, ip=ip, channel=channel, now=now) or locked_until(key, now)
    if until is not None:
        raise _locked_error(until)


def signin_raise_if_locked(*, username: str) -> None:
    """Refuse (the locked error) while `username` is locked: the second step of a sign-in obeys
    the lockout of the first."""
    until = locked_until(normalise(username))
    if until is not None:
        raise _locked_error(until)


@transaction.atomic
def signin_unlock(*, user: User, actor: User | None) -> dt.datetime | None:
    """Lift the lock on `user` (a security administrator) and forget its failures; audited.
    Returns when the lock would have ended (None: it was not locked)."""
    require(actor, "org.manage_accounts", _("Only a security administrator can unlock accounts."))
    require_center_access(actor, user.center_id)
    key = normalise(user.username)
    until = locked_until(key)
    SignInLock.objects.filter(username=key).delete()
    SignInFailure.objects.filter(username=key).delete()
    audit.record(action="signin.unlock", obj=user, before={"locked_until": until}, actor=actor)
    return until


def account_access_end(*, user: User, reason: str, actor: User | None) -> int:
    """End every session and API token of `user` (call inside the change's transaction):
    rotate its security stamp (older session cookies no longer match) and revoke its tokens.
    Returns how many tokens were revoked; audited as user.access_end."""
    user.security_stamp = secrets.token_hex(16)
    User.objects.filter(pk=user.pk).update(security_stamp=user.security_stamp)
    tokens = ApiToken.objects.filter(user_id=user.pk, revoked=False)
    prefixes = sorted(tokens.values_list("prefix", flat=True))
    revoked = tokens.update(revoked=True)
    audit.record(
        action="user.access_end",
        obj=user,
        after={"reason": reason, "tokens_revoked": revoked, "token_prefixes": prefixes},
        actor=actor,
    )
    return revoked
