"""The evaluation link of an occasion (the QR code on notices and receipts, the SMS invitation):
a signed token naming the occasion. Single use comes from the occasion (one evaluation each),
not from the token: the same link printed twice still allows one evaluation.
"""

from __future__ import annotations

from django.core import signing

SALT = "onewindow.feedback.evaluation"


def occasion_token(occasion_id: int) -> str:
    return signing.dumps(occasion_id, salt=SALT, compress=False)


def occasion_id_from(token: str) -> int | None:
    """The occasion a token names, or None for anything that is not a token we signed."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and value > 0 else None
