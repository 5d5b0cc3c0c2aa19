"""Signing in with SMS codes and passwords (issue 14 §1, 2)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.test import RequestFactory, override_settings

from onewindow.core import clock
from onewindow.core.errors import RateLimited, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.identity import signin
from onewindow.identity.models import Person, RealNameLevel, SignInCode
from onewindow.identity.tests.helpers import codes_sent, last_code
from onewindow.notifications.delivery import outbox_deliver
from onewindow.org.models import SignInFailure
from onewindow.org.signin import AccountLocked, InvalidCredentials, signin_authenticate
from tests.applicants import make_person

pytestmark = pytest.mark.django_db

PHONE = "13900000011"


def _request(ip: str = "10.0.0.1"):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def _send(phone: str = PHONE, ip: str = "10.0.0.1") -> str:
    signin.signin_code_send(phone=phone, request=_request(ip))
    return last_code(phone)


def _later(seconds: int):
    return time_machine.travel(clock.now() + dt.timedelta(seconds=seconds), tick=False)


def test_first_sign_in_creates_a_level_2_account_and_stores_only_a_hash():
    code = _send()
    row = SignInCode.objects.get(phone=PHONE)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert not Person.objects.filter(phone=PHONE).exists()  # no account before signing in
    person = signin.signin_code_verify(phone=PHONE, code=code, request=_request())
    assert person.phone == PHONE and person.real_name_level == RealNameLevel.SELF_DECLARED
    assert person.last_sign_in_at is not None
    assert AuditEntry.objects.filter(action="applicant.signin", object_id=str(person.pk)).exists()
    # the code is in no audit entry
    assert not any(code in str(e.after) for e in AuditEntry.objects.all())


def test_phone_is_normalised_and_validated():
    signin.signin_code_send(phone="+86 139-0000-0011", request=_request())
    assert codes_sent(PHONE) == 1
    with pytest.raises(ValidationFailed) as caught:
        signin.signin_code_send(phone="12345", request=_request())
    assert "phone" in caught.value.details


def test_a_code_is_used_once():
    code = _send()
    signin.signin_code_verify(phone=PHONE, code=code, request=_request())
    with pytest.raises(signin.InvalidCode):
        signin.signin_code_verify(phone=PHONE, code=code, request=_request())


def test_a_code_expires():
    code = _send()
    with _later(5 * 60 + 1), pytest.raises(signin.InvalidCode) as caught:
        signin.signin_code_verify(phone=PHONE, code=code, request=_request())
    assert caught.value.status == 401 and caught.value.code == "invalid_code"


def test_a_new_code_ends_the_older_one():
    first = _send()
    with _later(61):
        second = _send()
        if first != second:
            with pytest.raises(signin.InvalidCode):
                signin.signin_code_verify(phone=PHONE, code=first, request=_request())
        assert signin.signin_code_verify(phone=PHONE, code=second, request=_request()).phone == PHONE


def test_five_wrong_codes_burn_the_code_and_lock_the_phone():
    code = _send()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        with pytest.raises(signin.InvalidCode):
            signin.signin_code_verify(phone=PHONE, code=wrong, request=_request())
    assert SignInCode.objects.get().attempts == 4
    with pytest.raises(AccountLocked):  # the fifth failure locks under org.signin's rule
        signin.signin_code_verify(phone=PHONE, code=wrong, request=_request())
    assert SignInCode.objects.get().attempts == 5
    key = signin.lockout_key(PHONE)
    assert set(SignInFailure.objects.values_list("username", "channel")) == {(key, "hall")}
    assert key.startswith("applicant:139****0011#") and signin.lockout_key("13900000012") != key
    assert not AuditEntry.objects.filter(object_repr__contains=PHONE).exists()
    assert not any(PHONE in str(e.after) for e in AuditEntry.objects.all())
    with pytest.raises(AccountLocked):  # the right code is refused while locked
        signin.signin_code_verify(phone=PHONE, code=code, request=_request())
    with _later(31 * 60), pytest.raises(signin.InvalidCode):  # the lock ends; the code is burnt
        signin.signin_code_verify(phone=PHONE, code=code, request=_request())


def test_a_success_forgets_earlier_failures():
    code = _send()
    with pytest.raises(signin.InvalidCode):
        signin.signin_code_verify(
            phone=PHONE, code="000000" if code != "000000" else "111111", request=_request()
        )
    signin.signin_code_verify(phone=PHONE, code=code, request=_request())
    assert not SignInFailure.objects.exists()


def test_failures_from_one_address_block_it_across_accounts_and_staff(org):
    with override_settings(SIGNIN_ADDRESS_FAILURES=3):
        with pytest.raises(InvalidCredentials):
            signin_authenticate(request=_request("10.9.9.9"), username="clerk", password="bad", channel="web")
        for phone in ("13900000021", "13900000022"):
            with pytest.raises(signin.InvalidCode):
                signin.signin_code_verify(phone=phone, code="123456", request=_request("10.9.9.9"))
        with pytest.raises(RateLimited):
            signin.signin_code_verify(phone="13900000023", code="123456", request=_request("10.9.9.9"))
        with pytest.raises(RateLimited):  # the staff sign-in from that address too
            signin_authenticate(request=_request("10.9.9.9"), username="clerk", password="x", channel="web")


def test_one_code_a_minute_and_five_an_hour_per_phone():
    _send()
    with pytest.raises(RateLimited) as caught:
        _send()
    assert caught.value.status == 429 and 0 < caught.value.details["retry_after_seconds"] <= 61
    for minute in range(1, 5):
        with _later(61 * minute):
            _send()
    with _later(61 * 5), pytest.raises(RateLimited):
        _send()
    assert codes_sent(PHONE) == 5
    with _later(3600 + 1):
        _send()


def test_twenty_codes_an_hour_per_address():
    for n in range(20):
        signin.signin_code_send(phone=f"139000001{n:02d}", request=_request("10.7.7.7"))
    with pytest.raises(RateLimited):
        signin.signin_code_send(phone="13900000199", request=_request("10.7.7.7"))
    signin.signin_code_send(phone="13900000199", request=_request("10.7.7.8"))


def test_no_enumeration_the_same_for_known_and_unknown_phones():
    make_person(phone="13900000031")
    for phone in ("13900000031", "13900000032"):
        assert signin.signin_code_send(phone=phone, request=_request()) is None
        assert codes_sent(phone) == 1
        with pytest.raises(signin.InvalidCode) as caught:
            signin.signin_code_verify(phone=phone, code="abcdef", request=_request())
        assert caught.value.code == "invalid_code"


def test_the_console_channel_prints_the_code_but_no_other_log_does(caplog):
    caplog.set_level(logging.DEBUG)
    code = _send()
    signin.signin_code_verify(phone=PHONE, code=code, request=_request())
    others = [r for r in caplog.records if code in r.getMessage()]
    assert others == []  # nothing logged the code before delivery
    outbox_deliver()
    sent = [r for r in caplog.records if code in r.getMessage()]
    assert len(sent) == 1 and sent[0].name == "onewindow.notifications" and PHONE not in sent[0].getMessage()


def test_an_inactive_account_cannot_sign_in():
    make_person(phone=PHONE, is_active=False)
    code = _send()
    with pytest.raises(signin.InvalidCode):
        signin.signin_code_verify(phone=PHONE, code=code, request=_request())


def test_password_set_and_sign_in_under_the_same_lockout():
    person = make_person(phone=PHONE)
    with pytest.raises(ValidationFailed) as caught:
        signin.person_password_set(person=person, password="123")
    assert "password" in caught.value.details
    signin.person_password_set(person=person, password="Window-Hall-2026!")
    person.refresh_from_db()
    assert person.password.startswith(("pbkdf2", "argon2", "md5", "bcrypt", "scrypt"))
    assert signin.signin_password(phone=PHONE, password="Window-Hall-2026!", request=_request()) == person
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            signin.signin_password(phone=PHONE, password="wrong", request=_request())
    with pytest.raises(AccountLocked):
        signin.signin_password(phone=PHONE, password="wrong", request=_request())
    with pytest.raises(AccountLocked):  # and a code does not get around the lock
        signin.signin_code_verify(phone=PHONE, code="123456", request=_request())


def test_password_sign_in_without_a_password_is_the_same_failure():
    make_person(phone=PHONE)
    for phone in (PHONE, "13900000041"):
        with pytest.raises(InvalidCredentials):
            signin.signin_password(phone=phone, password="anything-at-all", request=_request())


def test_old_codes_are_purged():
    _send()
    assert signin.signin_codes_purge() == 0
    with _later(24 * 3600 + 1):
        from onewindow.identity.tasks import purge_signin_codes

        assert purge_signin_codes.call_local() == 1
    assert not SignInCode.objects.exists()
