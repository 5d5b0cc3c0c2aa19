"""The TOTP second factor (RFC 6238 with pyotp: 6 digits, 30-second steps).

- Anyone may enrol; the system, security and audit administrators and the supervisors must when
  settings.REQUIRE_SECOND_FACTOR is on (`second_factor_required`).
- A code is accepted within one step either side of now, and only once: the device remembers
  the step of the last accepted code and refuses that step and every earlier one.
- A wrong code counts as a failed sign-in (`_count_failure`), and an account may try at most
  OTP_ATTEMPTS codes in OTP_WINDOW_SECONDS (pages and token API together), so the 10^6 codes
  cannot be tried by someone who has the password.
- The secret (`TotpDevice.secret`) is a secret: it is shown once, at enrolment, and never
  audited or logged. The security administrator can remove an account's device
  (`totp_reset`, audited); the account then enrols again.
"""

from __future__ import annotations

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit, clock, ratelimit
from onewindow.core.errors import NotAuthenticated, PermissionDenied, RateLimited, ValidationFailed
from onewindow.org import signin
from onewindow.org.models import TotpDevice, User
from onewindow.org.passwords import password_change_due
from onewindow.org.validation import require, require_center_access

ISSUER = "onewindow"
STEP_SECONDS = 30
VALID_WINDOW = 1  # steps accepted either side of the current one (clock drift)
OTP_ATTEMPTS = 5  # codes an account may try ...
OTP_WINDOW_SECONDS = 15 * 60  # ... in this many seconds, whatever the channel (a right code resets it)

# With REQUIRE_SECOND_FACTOR on, accounts holding one of these roles must use a second factor.
SECOND_FACTOR_ROLES = frozenset({"system_admin", "security_admin", "auditor", "supervisor"})


def second_factor_required(user: User) -> bool:
    """Whether the account must use a second factor (the setting and its roles)."""
    if not getattr(settings, "REQUIRE_SECOND_FACTOR", False):
        return False
    return user.groups.filter(name__in=SECOND_FACTOR_ROLES).exists()


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def _totp(device: TotpDevice) -> pyotp.TOTP:
    return pyotp.TOTP(device.secret, interval=STEP_SECONDS)


def _matching_step(device: TotpDevice, code: str) -> int | None:
    """The time step (within VALID_WINDOW of now) whose code is `code` and that is later than the
    last accepted one, or None."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = _totp(device)
    now_step = totp.timecode(clock.now())
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if device.last_used_step is not None and step <= device.last_used_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _count_failure(user: User) -> None:
    """A wrong code is a failed sign-in under the one lockout (channel "otp", audited as
    signin.failure); raises the locked error when it locks the account."""
    signin.signin_failure_record(username=user.get_username(), channel="otp")


@transaction.atomic
def totp_begin_enrolment(*, user: User) -> TotpDevice:
    """A new secret for `user` waiting for its first code (replaces an unconfirmed one). Refused
    while a confirmed device exists: the security administrator resets it first."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed:
        raise ValidationFailed(
            _(
                "A second factor is already set up for this account; "
                "ask the security administrator to reset it."
            ),
            code="second_factor_enrolled",
        )
    if device is None:
        device = TotpDevice(user=user)
    device.secret = pyotp.random_base32()
    device.created_at = clock.now()
    device.confirmed_at = None
    device.last_used_step = None
    device.save()
    return device


def pending_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()


def provisioning_uri(device: TotpDevice, user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return _totp(device).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


@transaction.atomic
def totp_confirm_enrolment(*, user: User, code: str) -> TotpDevice:
    """Confirm the pending device with a code from the app; audited as `user.second_factor_enrol`."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise ValidationFailed(
            _("Start the set-up again: there is no second factor waiting for confirmation."),
            code="second_factor_not_pending",
        )
    step = _matching_step(device, code)
    if step is None:
        raise ValidationFailed(
            _("The code is wrong or too old; type the 6-digit code your app shows now."),
            code="otp_invalid",
            details={"code": [_("The code is wrong or too old; type the 6-digit code your app shows now.")]},
        )
    device.confirmed_at = clock.now()
    device.last_used_step = step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    audit.record(action="user.second_factor_enrol", obj=user, actor=user)
    return device


def totp_verify(*, user: User, code: str) -> bool:
    """Check a code of the account's confirmed device; an accepted code is used up. A wrong code
    counts as a failed sign-in. False also when the account has no confirmed device; RateLimited
    after OTP_ATTEMPTS tries in OTP_WINDOW_SECONDS."""
    signin.signin_raise_if_locked(username=user.get_username())
    key = f"org.otp:{user.pk}"
    if not ratelimit.check_rate(key=key, limit=OTP_ATTEMPTS, window_seconds=OTP_WINDOW_SECONDS):
        raise RateLimited(
            _(
                "Too many second-factor codes were tried for this account. "
                "Wait %(minutes)d minutes and try again."
            )
            % {"minutes": OTP_WINDOW_SECONDS // 60},
            details={"retry_after_seconds": OTP_WINDOW_SECONDS},
        )
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        step = _matching_step(device, code) if device is not None else None
        if device is not None and step is not None:
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            ratelimit.reset_rate(key=key, window_seconds=OTP_WINDOW_SECONDS)
            return True
    _count_failure(user)
    return False


@transaction.atomic
def totp_reset(*, user: User, actor: User | None) -> bool:
    """The security administrator removes an account's second factor (lost phone); the account
    enrols again at its next sign-in when it must. Audited as `user.second_factor_reset`."""
    require(actor, "org.manage_accounts", _("Only a security administrator can reset a second factor."))
    require_center_access(actor, user.center_id)
    deleted, _rows = TotpDevice.objects.filter(user=user).delete()
    audit.record(action="user.second_factor_reset", obj=user, after={"removed": bool(deleted)}, actor=actor)
    return bool(deleted)


class PasswordChangeRequired(PermissionDenied):
    code = "password_change_required"


def token_sign_in_check(*, user: User, otp: str | None) -> None:
    """What the token API asks after the password: the second factor's code (401 otp_required /
    otp_invalid), then a password change that is due (403 password_change_required)."""
    if confirmed_device(user) is not None:
        if not (otp or "").strip():
            raise NotAuthenticated(
                _("This account uses a second factor: send the 6-digit code of your app in the otp field."),
                code="otp_required",
            )
        if not totp_verify(user=user, code=otp or ""):
            raise NotAuthenticated(
                _("The second-factor code is wrong or was already used; send the code your app shows now."),
                code="otp_invalid",
            )
    elif second_factor_required(user):
        raise NotAuthenticated(
            _("This account must set up a second factor first: sign in to the staff pages to set it up."),
            code="otp_required",
        )
    if password_change_due(user) is not None:
        raise PasswordChangeRequired(
            _("You must change your password first: sign in to the staff pages and change it there.")
        )
