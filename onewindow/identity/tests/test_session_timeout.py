"""An applicant's session ends like a staff one: after SESSION_IDLE_MINUTES without a request and
SESSION_ABSOLUTE_HOURS after sign-in (等保 level 3: 登录连接超时自动退出)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from onewindow.core import clock
from onewindow.identity.sessions import (
    SESSION_PERSON,
    SESSION_SEEN_AT,
    SESSION_SIGNED_IN_AT,
    current_applicant,
    session_sign_in,
)
from tests.applicants import make_person

pytestmark = pytest.mark.django_db


def _request(session: SessionStore):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/my/")
    request.session = session
    return request


def _signed_in(person, *, signed_in_ago: float, seen_ago: float) -> SessionStore:  # type: ignore[no-untyped-def]
    session = SessionStore()
    session_sign_in(_request(session), person)
    now = clock.now().timestamp()
    session[SESSION_SIGNED_IN_AT] = now - signed_in_ago
    session[SESSION_SEEN_AT] = now - seen_ago
    return session


def test_a_recent_session_holds_and_is_touched_at_most_once_a_minute() -> None:
    person = make_person()
    session = _signed_in(person, signed_in_ago=3600, seen_ago=120)
    assert current_applicant(_request(session)).person == person  # type: ignore[union-attr]
    touched = session[SESSION_SEEN_AT]
    assert clock.now().timestamp() - touched < 5
    session[SESSION_SEEN_AT] = touched - 30  # seen 30 s ago: not written again
    assert current_applicant(_request(session)) is not None
    assert session[SESSION_SEEN_AT] == touched - 30


def test_an_idle_session_ends() -> None:
    person = make_person()
    idle = settings.SESSION_IDLE_MINUTES * 60
    session = _signed_in(person, signed_in_ago=idle + 10, seen_ago=idle + 5)
    assert current_applicant(_request(session)) is None
    assert SESSION_PERSON not in session  # signed out: the next page asks to sign in


def test_an_active_session_ends_after_the_absolute_limit() -> None:
    person = make_person()
    session = _signed_in(person, signed_in_ago=settings.SESSION_ABSOLUTE_HOURS * 3600 + 1, seen_ago=10)
    assert current_applicant(_request(session)) is None


def test_a_session_without_stamps_counts_from_now() -> None:
    person = make_person()
    session = SessionStore()
    session[SESSION_PERSON] = person.pk
    assert current_applicant(_request(session)).person == person  # type: ignore[union-attr]
