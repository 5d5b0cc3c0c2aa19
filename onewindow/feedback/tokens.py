"""The evaluation link of an occasion (the QR code on notices and receipts, the SMS invitation):
a signed token naming the occasion. Single use comes from the occasion (one evaluation each),
not from the token: the same link printed twice still allows one evaluation.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

from onewindow.core.public_url import public_base_url

SALT = "onewindow.feedback.evaluation"
# 128 bits of an HMAC-SHA256 (the SECRET_KEY's): short enough for an SMS and a small QR code.
SIGNATURE_BYTES = 16


def _signature(body: str) -> str:
    digest = salted_hmac(SALT, body, algorithm="sha256").digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def occasion_token(occasion_id: int) -> str:
    """`<id in base 36>.<signature>`: the same token every time for one occasion (a notice
    printed twice carries the same QR code)."""
    body = int_to_base36(occasion_id)
    return f"{body}.{_signature(body)}"


def occasion_id_from(token: str) -> int | None:
    """The occasion a token names, or None for anything that is not a token we signed."""
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    body, dot, signature = token.partition(".")
    if not dot or not body or not (body.isascii() and body.isalnum()) or len(body) > 13:
        return None
    if not constant_time_compare(signature, _signature(body)):
        return None
    try:
        value = base36_to_int(body)
    except ValueError:
        return None
    return value if value > 0 else None


# The public page's name (onewindow.portal.evaluate.urls): reversed by name, never imported.
PAGE_NAME = "portal:evaluate"
VIA_SMS = "sms"


def evaluation_url(occasion_id: int, *, request: Any = None, via: str = "") -> str:
    """The absolute address of the occasion's public evaluation page (the QR code, the SMS
    link): PUBLIC_BASE_URL, else the served address (`core.public_url`). `via="sms"` marks the
    SMS link, so that an evaluation given through it is recorded with the channel SMS."""
    path = reverse(PAGE_NAME, args=[occasion_token(occasion_id)])
    query = f"?{urlencode({'via': via})}" if via else ""
    return f"{public_base_url(request)}{path}{query}"
