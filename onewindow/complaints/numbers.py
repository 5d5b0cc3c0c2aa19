"""Complaint numbers (TS + yyyymmdd + a 4-digit daily sequence) and query codes.

The query code (6 characters from an alphabet without 0/O/1/I) is given to the complainant once
(on the page, in the API answer and by SMS); only its digest is stored, keyed with the number,
and a lookup compares digests in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from onewindow.complaints.models import ComplaintCounter
from onewindow.core import clock

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def next_number() -> str:
    """The next number of today (local date); the day's counter row is locked until commit."""
    day = clock.today()
    ComplaintCounter.objects.get_or_create(day=day)
    counter = ComplaintCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"TS{day:%Y%m%d}{counter.last:04d}"


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_digest(number: str, code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    message = f"{number}:{code.strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_matches(number: str, code: str, digest: str) -> bool:
    return hmac.compare_digest(code_digest(number, code), digest)
