"""Bearer tokens of the public API (the mobile app, `POST /api/v1/public/auth/token`).
Only a SHA-256 hash of the token is stored; a token names the person and, when they act for
an enterprise, the enterprise (checked again on every request)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction

from onewindow.core import audit, clock
from onewindow.identity.models import ApplicantToken, Enterprise, Person
from onewindow.identity.sessions import Applicant, applicant_for

TOKEN_PREFIX = "owa_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def applicant_token_issue(
    *, person: Person, enterprise: Enterprise | None = None
) -> tuple[ApplicantToken, str]:
    """Issue a token (returns the row and the raw token, shown once)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApplicantToken.objects.create(
        person=person,
        enterprise=enterprise,
        key_hash=_hash(raw),
        prefix=raw[:10],
        created_at=now,
        expires_at=now + dt.timedelta(days=getattr(settings, "APPLICANT_TOKEN_DAYS", 30)),
    )
    audit.record(action="applicant_token.issue", obj=token, actor=None, after={"prefix": token.prefix})
    return token, raw


def applicant_token_revoke(*, raw: str) -> bool:
    return ApplicantToken.objects.filter(key_hash=_hash(raw), revoked=False).update(revoked=True) > 0


def applicant_token_authenticate(raw: str) -> Applicant | None:
    """The applicant of a raw token, or None (unknown, revoked, expired, inactive person)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApplicantToken.objects.select_related("person")
        .filter(key_hash=_hash(raw), revoked=False, expires_at__gt=clock.now())
        .first()
    )
    if token is None:
        return None
    return applicant_for(token.person, token.enterprise_id)
