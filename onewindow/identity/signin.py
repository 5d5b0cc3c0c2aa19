"""Applicants signing in: SMS one-time codes and passwords (issue 14 §1).

* `signin_code_send(phone=..., request=...)` stores a 6-digit code's HMAC (never the code) and
  queues the SMS through the notifications outbox (template `applicant_signin_code`). The answer
  is the same whether or not an account exists: the account is created at the first successful
  sign-in, at level 2. Limits: per phone one code per 60 s and 5 per hour (counted on the stored
  codes, so every process agrees), per client address 20 per hour (`core.ratelimit`).
* `signin_code_verify(phone=..., code=..., request=...)` checks the newest unused code; a wrong
  one counts an attempt on the code (5 burn it) and a failure under org.signin's one lockout
  (ADR 0021), keyed "applicant:<masked phone>#<keyed hash>" on the "hall" channel: 401
  invalid_code, 423 account_locked, 429 rate_limited.
* `signin_password(phone=..., password=..., request=...)` under the same lockout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onewindow.cases.applicants import is_valid_mobile, normalise_phone
from onewindow.core import audit, clock, context, ratelimit
from onewindow.core.errors import NotAuthenticated, RateLimited, ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.core.middleware import client_ip
from onewindow.identity.models import Person, RealNameLevel, SignInCode
from onewindow.notifications.services import message_enqueue
from onewindow.org.signin import (
    InvalidCredentials,
    signin_failure_record,
    signin_failures_clear,
    signin_raise_if_refused,
)

CHANNEL = "hall"
CODE_TEMPLATE = "applicant_signin_code"
CODE_ATTEMPTS = 5  # wrong tries that burn a code
PHONE_GAP_SECONDS = 60
PHONE_PER_HOUR = 5
ADDRESS_PER_HOUR = 20
PASSWORD_MAX = 128


class InvalidCode(NotAuthenticated):
    code = "invalid_code"


def lockout_key(phone: str) -> str:
    """The name failures and locks are counted under in org.signin, and that its audit entries
    show: the masked phone, made unique by a keyed hash (the audit trail never holds a phone)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"lockout:{phone}".encode(), hashlib.sha256)
    return f"applicant:{mask_phone(phone)}#{digest.hexdigest()[:12]}"


def _code_hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"signin-code:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


@contextmanager
def as_applicant(person: Person | None, request: HttpRequest | None = None) -> Iterator[None]:
    """Audit entries written inside name the applicant (never a staff account) and the address."""
    changes: dict[str, Any] = {"user_id": None, "channel": CHANNEL}
    changes["username"] = f"applicant #{person.pk}" if person is not None and person.pk else "applicant"
    if request is not None:
        changes["ip"] = client_ip(request)[:45]
    token = context.set_current(dataclasses.replace(context.current(), **changes))
    try:
        yield
    finally:
        context.reset(token)


def clean_phone(phone: str) -> str:
    value = normalise_phone(phone)
    if not is_valid_mobile(value):
        raise ValidationFailed(
            _("Enter a mainland mobile number (11 digits, e.g. 13812345678)."),
            details={"phone": [_("Enter a mainland mobile number (11 digits, e.g. 13812345678).")]},
        )
    return value


def _too_many(seconds: int) -> RateLimited:
    return RateLimited(
        _("Too many codes requested. Wait %(minutes)d minutes and try again.")
        % {"minutes": max(1, -(-seconds // 60))},
        details={"retry_after_seconds": seconds},
    )


def _phone_wait(phone: str, now: dt.datetime) -> int:
    """Seconds until `phone` may get another code (0: now)."""
    recent = list(
        SignInCode.objects.filter(phone=phone, created_at__gt=now - dt.timedelta(hours=1))
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:PHONE_PER_HOUR]
    )
    waits = [0]
    if recent and recent[0] > now - dt.timedelta(seconds=PHONE_GAP_SECONDS):
        waits.append(int((recent[0] + dt.timedelta(seconds=PHONE_GAP_SECONDS) - now).total_seconds()) + 1)
    if len(recent) >= PHONE_PER_HOUR:
        waits.append(int((recent[-1] + dt.timedelta(hours=1) - now).total_seconds()) + 1)
    return max(waits)


def signin_code_send(*, phone: str, request: HttpRequest | None) -> None:
    """Send a sign-in code to `phone` (see the module's docstring). Returns nothing: the caller
    answers the same whether or not the phone has an account."""
    phone = clean_phone(phone)
    ip = client_ip(request) if request is not None else ""
    if ip and not ratelimit.check_rate(
        key=f"applicant-code:{ip}", limit=ADDRESS_PER_HOUR, window_seconds=3600
    ):
        raise _too_many(3600 - int(clock.now().timestamp()) % 3600)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic(), as_applicant(None, request):
        # an existing account's row serialises its senders; the limits count committed codes
        Person.objects.select_for_update().filter(phone=phone).first()
        now = clock.now()
        wait = _phone_wait(phone, now)
        if wait:
            raise _too_many(wait)
        # a new code ends the older unused ones
        SignInCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        row = SignInCode.objects.create(
            phone=phone,
            code_hash=_code_hash(phone, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=settings.APPLICANT_CODE_MINUTES),
        )
        message_enqueue(
            template_code=CODE_TEMPLATE,
            recipient=phone,
            context={"code": code, "minutes": settings.APPLICANT_CODE_MINUTES},
            related_type="identity.signincode",
            related_id=str(row.pk),
        )
        audit.record(action="applicant.code_sent", obj=row, after={"phone": mask_phone(phone)})


def _signed_in(person: Person, *, how: str, request: HttpRequest | None) -> Person:
    now = clock.now()
    Person.objects.filter(pk=person.pk).update(last_sign_in_at=now)
    person.last_sign_in_at = now
    signin_failures_clear(username=lockout_key(person.phone), request=request, channel=CHANNEL)
    with as_applicant(person, request):
        audit.record(action="applicant.signin", obj=person, after={"how": how})
    return person


def _fail(*, phone: str, request: HttpRequest | None, error: NotAuthenticated) -> NotAuthenticated:
    """Count the failure under the one lockout (raises 423 when it locks) and answer `error`."""
    signin_failure_record(username=lockout_key(phone), channel=CHANNEL, request=request)
    return error


def signin_code_verify(*, phone: str, code: str, request: HttpRequest | None) -> Person:
    """The person signing in with `code` (created at level 2 on the first sign-in)."""
    phone = clean_phone(phone)
    signin_raise_if_refused(request=request, username=lockout_key(phone), channel=CHANNEL)
    code = (code or "").strip()
    now = clock.now()
    person: Person | None = None
    wrong = InvalidCode(_("The code is wrong or has expired. Request a new code and try again."))
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now, attempts__lt=CODE_ATTEMPTS)
            .order_by("-created_at")
            .first()
        )
        matches = (
            row is not None
            and len(code) == 6
            and code.isdigit()
            and hmac.compare_digest(row.code_hash, _code_hash(phone, code))
        )
        if row is not None and matches:
            row.used_at = now
            row.save(update_fields=["used_at"])
            person, created = Person.objects.get_or_create(
                phone=phone,
                defaults={"created_at": now, "real_name_level": RealNameLevel.SELF_DECLARED},
            )
            if created:
                with as_applicant(person, request):
                    audit.record(action="applicant.create", obj=person, after={"how": "sms_code"})
        elif row is not None:
            SignInCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    if not matches or person is None or not person.is_active:
        raise _fail(phone=phone, request=request, error=wrong)
    return _signed_in(person, how="sms_code", request=request)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password(secrets.token_hex(8))


def signin_password(*, phone: str, password: str, request: HttpRequest | None) -> Person:
    """The person with `phone` and `password` (401 invalid_credentials otherwise)."""
    phone = clean_phone(phone)
    signin_raise_if_refused(request=request, username=lockout_key(phone), channel=CHANNEL)
    person = Person.objects.filter(phone=phone).first()
    stored = person.password if person is not None and person.password else _dummy_hash()
    ok = bool(password) and len(password) <= PASSWORD_MAX and check_password(password, stored)
    if person is None or not person.password or not person.is_active or not ok:
        raise _fail(
            phone=phone,
            request=request,
            error=InvalidCredentials(_("Wrong phone number or password, or no password is set.")),
        )
    return _signed_in(person, how="password", request=request)


@transaction.atomic
def person_password_set(*, person: Person, password: str) -> None:
    """Set or change the password of a signed-in person (Django's password validators)."""
    errors: list[str] = []
    if len(password or "") > PASSWORD_MAX:
        errors.append(_("The password is too long (128 characters at most)."))
    else:
        try:
            validate_password(password or "")
        except DjangoValidationError as exc:
            errors.extend(str(m) for m in exc.messages)
    if errors:
        raise ValidationFailed(_("Choose another password."), details={"password": errors})
    had = bool(person.password)
    person.password = make_password(password)
    Person.objects.filter(pk=person.pk).update(password=person.password)
    with as_applicant(person):
        audit.record(action="applicant.password_set", obj=person, after={"changed": had})


CODE_KEEP = dt.timedelta(days=1)  # the per-phone limits look back one hour; a day is plenty


@transaction.atomic
def signin_codes_purge() -> int:
    """Delete sign-in codes created more than CODE_KEEP ago (used or not); returns how many."""
    deleted, _rows = SignInCode.objects.filter(created_at__lt=clock.now() - CODE_KEEP).delete()
    if deleted:
        audit.record(
            action="applicant.codes_purge", object_type="identity.signincode", after={"deleted": deleted}
        )
    return deleted
