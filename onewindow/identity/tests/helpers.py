"""Shared by the identity tests: reading a sign-in code from the outbox."""

from __future__ import annotations

import re

from onewindow.notifications.models import OutboxMessage

CODE_RE = re.compile(r"验证码为(\d{6})")


def last_code(phone: str) -> str:
    """The code of the newest sign-in SMS to `phone`."""
    message = OutboxMessage.objects.filter(recipient=phone, template_code="applicant_signin_code").order_by(
        "-created_at", "-id"
    )[0]
    found = CODE_RE.search(message.body)
    assert found is not None, message.body
    return found.group(1)


def codes_sent(phone: str) -> int:
    return OutboxMessage.objects.filter(recipient=phone, template_code="applicant_signin_code").count()
