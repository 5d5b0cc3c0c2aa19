"""Staff passwords (等保 level 3, 身份鉴别): the policy, the history, expiry and the change a
password set by someone else requires.

- Policy: the validators below, listed in settings.AUTH_PASSWORD_VALIDATORS after Django's
  (length 8, similarity to the account's attributes, Django's common-password list): 3 of the 4
  character classes, not containing the username, not a common Chinese password, not one of the
  last PASSWORD_HISTORY passwords.
- History: every password set is kept as its hash in `PasswordHistory` (the last
  PASSWORD_HISTORY of them).
- A password set by anyone but its owner (`user_create`, an administrator's reset,
  `create_admins`) marks the account `must_change_password`; one older than the expiry of the
  account's roles is expired. Either way `password_change_due` says so, and the staff pages and
  the token API hold the account until its owner changes it (`user_change_own_password`).
"""

from __future__ import annotations

import datetime as dt
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onewindow.core import audit, clock
from onewindow.core.errors import ValidationFailed
from onewindow.org.models import PasswordHistory, User
from onewindow.org.roles import ADMIN_SITE_ROLES
from onewindow.org.signin import account_access_end

COMMON_PASSWORDS_ZH = Path(__file__).resolve().parent / "data" / "common_passwords_zh.txt"

# Expiry of PASSWORD_EXPIRY_DAYS_ADMIN applies to these roles: the system, security and audit
# administrators and the center administrators (the roles that work in the admin site).
EXPIRY_ADMIN_ROLES = ADMIN_SITE_ROLES

# Why an account must change its password before doing anything else.
CHANGE_SET_BY_OTHER = "set_by_other"
CHANGE_EXPIRED = "expired"


# --- the policy: validators for AUTH_PASSWORD_VALIDATORS ------------------------------------------


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and symbols (anything else) `password` uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
        )
    )


class CharacterClassesValidator:
    """At least `min_classes` of the four character classes."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise DjangoValidationError(
                _(
                    "Use at least %(n)d of these four kinds of characters: lower-case letters, "
                    "upper-case letters, digits and symbols (for example Hq7#mzRw2)."
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must use at least %(n)d of: lower-case letters, upper-case letters, "
            "digits, symbols."
        ) % {"n": self.min_classes}


class UsernameInPasswordValidator:
    """Not the username, and not containing it, whatever the case (usernames of 3+ characters)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise DjangoValidationError(
                _("The password must not contain the username; choose something else."),
                code="password_contains_username",
            )

    def get_help_text(self) -> str:
        return _("Your password must not contain your username.")


_EDGE = string.digits + string.punctuation + " "
_UNSWAP = str.maketrans({"@": "a", "0": "o", "$": "s", "3": "e", "!": "i", "1": "l"})


@lru_cache(maxsize=1)
def common_passwords_zh() -> frozenset[str]:
    """The shipped list (a file read once per process; it never changes while running)."""
    lines = COMMON_PASSWORDS_ZH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def common_password_forms(password: str) -> set[str]:
    """The forms of `password` compared with the list: lower case; without leading and trailing
    digits and symbols (Zwfw@2031 -> zwfw); with common letter swaps undone (P@ssw0rd -> password)."""
    lower = password.strip().lower()
    stem = lower.strip(_EDGE)
    forms = {lower, lower.translate(_UNSWAP)}
    if stem:
        forms |= {stem, stem.translate(_UNSWAP)}
    return forms


class CommonPasswordZhValidator:
    """Not a common Chinese password (the list in org/data/common_passwords_zh.txt)."""

    def validate(self, password: str, user: Any = None) -> None:
        if common_password_forms(password) & common_passwords_zh():
            raise DjangoValidationError(
                _(
                    "This password is too common (it is on the list of passwords that are tried first); "
                    "choose one that is not a word, name or pattern with a year or digits added."
                ),
                code="password_too_common_zh",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be a commonly used password such as mima1234 or zwfw2026.")


def password_history_count() -> int:
    return int(getattr(settings, "PASSWORD_HISTORY", 5))


def recent_password_hashes(user: User) -> list[str]:
    """The hashes of the account's last PASSWORD_HISTORY passwords (the current one included)."""
    count = password_history_count()
    hashes = list(
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("password", flat=True)[:count]
    )
    # the stored hash, not the object's: a caller may hold an object changed in a rolled-back try
    stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
    if stored and stored not in hashes:
        hashes.insert(0, stored)  # accounts from before the history was kept
    return hashes[:count]


class PasswordHistoryValidator:
    """Not one of the account's last PASSWORD_HISTORY passwords."""

    def validate(self, password: str, user: Any = None) -> None:
        if not isinstance(user, User) or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in recent_password_hashes(user)):
            count = password_history_count()
            raise DjangoValidationError(
                ngettext(
                    "This password was used recently: choose one that differs from your last password.",
                    "This password was used recently: "
                    "choose one that differs from your last %(n)d passwords.",
                    count,
                )
                % {"n": count},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        count = password_history_count()
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(n)d passwords.",
            count,
        ) % {"n": count}


def password_errors(password: str, user: User) -> list[str]:
    """What is wrong with `password` for `user` (empty: acceptable)."""
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


# --- history, expiry, the change a set password requires -------------------------------------------


def password_record_set(*, user: User, by_owner: bool) -> None:
    """After `user.set_password(...)`: save it with the time, whether the owner must change it,
    and a history row (older rows beyond PASSWORD_HISTORY are dropped). In the caller's transaction."""
    now = clock.now()
    user.password_changed_at = now
    user.must_change_password = not by_owner
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    keep = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)[: password_history_count()]
    )
    PasswordHistory.objects.filter(user=user).exclude(id__in=list(keep)).delete()


def password_expiry_days(user: User) -> int:
    """The password lifetime of the account's roles in days (0: never expires)."""
    admin_days = int(getattr(settings, "PASSWORD_EXPIRY_DAYS_ADMIN", 90))
    staff_days = int(getattr(settings, "PASSWORD_EXPIRY_DAYS_STAFF", 0))
    if admin_days and user.groups.filter(name__in=EXPIRY_ADMIN_ROLES).exists():
        return admin_days
    return staff_days


def password_change_due(user: User, *, now: dt.datetime | None = None) -> str | None:
    """Why `user` must change the password before anything else (CHANGE_SET_BY_OTHER,
    CHANGE_EXPIRED), or None. Asks the database for the roles only when the password is older
    than the shortest configured lifetime, so most requests cost no query."""
    if user.must_change_password:
        return CHANGE_SET_BY_OTHER
    lifetimes = [
        days
        for days in (
            int(getattr(settings, "PASSWORD_EXPIRY_DAYS_ADMIN", 90)),
            int(getattr(settings, "PASSWORD_EXPIRY_DAYS_STAFF", 0)),
        )
        if days > 0
    ]
    set_at = user.password_changed_at or user.date_joined
    if not lifetimes or set_at is None:
        return None
    age = (now or clock.now()) - set_at
    if age < dt.timedelta(days=min(lifetimes)):
        return None
    days = password_expiry_days(user)
    if days and age >= dt.timedelta(days=days):
        return CHANGE_EXPIRED
    return None


@transaction.atomic
def user_change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """The owner changes the password: the old one is checked, the new one must pass the policy
    (history included). Clears `must_change_password`, restarts the expiry, keeps the history and
    writes the audit entry `user.password_change` (never the password or its hash)."""
    current = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list[str]] = {}
    if not old_password or not current.check_password(old_password):
        errors["old_password"] = [_("The current password is wrong; type the password you signed in with.")]
    if not new_password:
        errors["new_password"] = [_("The password is required.")]
    else:
        problems = password_errors(new_password, current)
        if problems:
            errors["new_password"] = problems
    if errors:
        raise ValidationFailed(_("The password was not changed: check the marked fields."), details=errors)
    reason = password_change_due(current)
    current.set_password(new_password)
    password_record_set(user=current, by_owner=True)
    # the account's API tokens and other sessions end (the caller keeps its own session with
    # update_session_auth_hash, which reads the new security stamp)
    account_access_end(user=current, reason="password", actor=current)
    audit.record(
        action="user.password_change",
        obj=current,
        after={"required": reason or ""},
        actor=current,
    )
    user.password = current.password
    user.password_changed_at = current.password_changed_at
    user.must_change_password = False
    user.security_stamp = current.security_stamp
    return current
