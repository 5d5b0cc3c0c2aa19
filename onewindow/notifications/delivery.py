"""Delivering the outbox: claim a due message, send it through its channel, record the outcome.

Run by the tasks (tasks.py): the wake-up queued after a commit that stored messages, and the
periodic task every minute for retries and anything a wake-up missed. Never imports the services
that store messages (services -> tasks -> delivery, no cycle)."""

from __future__ import annotations

import datetime as dt
import logging

from onewindow.core import clock
from onewindow.core.masking import mask_free_text, mask_phone
from onewindow.notifications import channels
from onewindow.notifications.models import OutboxMessage

logger = logging.getLogger("onewindow.notifications")

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60
# How long a claimed attempt is reserved: if the worker dies mid-send, the message is retried after it.
CLAIM_SECONDS = 300


def backoff_delay(attempts: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failed ones: 1, 2, 4, 8 ... minutes."""
    return dt.timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _claim(message: OutboxMessage, now: dt.datetime) -> bool:
    """Reserve one attempt at `message` (compare-and-set on status and attempts)."""
    claimed = OutboxMessage.objects.filter(
        pk=message.pk,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=message.attempts + 1, next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
    if claimed:
        message.attempts += 1
    return bool(claimed)


def _attempt(message: OutboxMessage) -> bool:
    """Claim and send one message; record the outcome. True when it was sent by this call."""
    now = clock.now()
    if message.status not in (OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED):
        return False
    if not _claim(message, now):
        return False
    attempts = message.attempts
    mine = OutboxMessage.objects.filter(pk=message.pk, attempts=attempts)
    try:
        channels.get_channel(message.channel).send(recipient=message.recipient, body=message.body)
    except Exception as exc:  # any failure of the channel is recorded and retried
        error = mask_free_text(str(exc) or exc.__class__.__name__)[:500]
        if attempts >= MAX_ATTEMPTS:
            mine.update(status=OutboxMessage.Status.DEAD, last_error=error)
            logger.error(
                "message %s to %s given up after %s attempts: %s",
                message.pk,
                mask_phone(message.recipient),
                attempts,
                error,
            )
        else:
            mine.update(
                status=OutboxMessage.Status.FAILED,
                last_error=error,
                next_attempt_at=clock.now() + backoff_delay(attempts),
            )
            logger.warning(
                "message %s to %s failed (attempt %s): %s",
                message.pk,
                mask_phone(message.recipient),
                attempts,
                error,
            )
        return False
    mine.update(status=OutboxMessage.Status.SENT, sent_at=clock.now(), last_error="")
    return True


def outbox_deliver(*, limit: int = 100) -> int:
    """Send up to `limit` due messages (pending, or failed and due for a retry); returns how many
    were sent. Safe to run in several workers at once. Not atomic on purpose: each claim commits
    before the message leaves, so no other worker can take it."""
    now = clock.now()
    due = list(
        OutboxMessage.objects.filter(
            status__in=(OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED),
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "id")
        .only("id", "status", "attempts", "channel", "recipient", "body")[:limit]
    )
    return sum(1 for message in due if _attempt(message))
