"""Writing notifications: message templates and the outbox.

`message_enqueue` stores a message in the caller's transaction and schedules its delivery once
that transaction commits; `outbox_deliver` sends what is due, with retries and backoff. A message
is never lost (it is a row before it is sent) and never sent twice by two workers (each attempt
is claimed with a compare-and-set update).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit, clock, fastsql
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_phone, mask_text
from onewindow.notifications import channels, rendering
from onewindow.notifications.models import Channel, MessageTemplate, OutboxMessage

logger = logging.getLogger("onewindow.notifications")

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60
# How long a claimed attempt is reserved: if the worker dies mid-send, the message is retried after it.
CLAIM_SECONDS = 300
# At most one delivery wake-up is queued per this many seconds (per cache); the wake-up runs
# this long after the first commit of the window and sends every message due by then. Anything a
# wake-up misses is sent by the periodic task (every minute).
WAKE_UP_SECONDS = 1
_WAKE_UP_GATE = "notifications:outbox-wake-up"

_RECIPIENT_RE = re.compile(r"^\+?\d{5,20}$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")


def backoff_delay(attempts: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failed ones: 1, 2, 4, 8 ... minutes."""
    return dt.timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _normalise_recipient(recipient: str) -> str:
    return re.sub(r"[\s\-()]", "", recipient or "")


def message_enqueue(
    *,
    template_code: str,
    recipient: str,
    context: Mapping[str, Any],
    related_type: str = "",
    related_id: str = "",
) -> OutboxMessage | None:
    """Render `template_code` with `context` and store the message for `recipient`.

    Runs inside the caller's transaction: the message exists only if the caller's change commits,
    and delivery is scheduled after the commit (at most one wake-up of the queue per
    WAKE_UP_SECONDS; the periodic task sends whatever a wake-up missed). Returns None, storing
    nothing, when `recipient` is empty or the template is switched off. A missing placeholder,
    an unknown template or a malformed phone number raises ValidationFailed.
    """
    message = message_build(
        template_code=template_code,
        recipient=recipient,
        context=context,
        related_type=related_type,
        related_id=related_id,
    )
    if message is None:
        return None
    # Building only read and validated, so a failure left the caller's transaction usable; the
    # write is one statement and needs no savepoint of its own.
    with transaction.atomic(savepoint=False):
        fastsql.insert([message])  # one lean INSERT: this runs inside every intake's transaction
        messages_stored()
    return message


def message_build(
    *,
    template_code: str,
    recipient: str,
    context: Mapping[str, Any],
    related_type: str = "",
    related_id: str = "",
) -> OutboxMessage | None:
    """The message `message_enqueue` would store, rendered and validated but not written (same
    errors, same None). For a caller that writes it together with its own rows (a
    `core.fastsql.Batch`) inside its transaction, and then calls `messages_stored()`."""
    recipient = _normalise_recipient(recipient)
    if not recipient:
        return None
    if not _RECIPIENT_RE.match(recipient):
        raise ValidationFailed(
            _("The phone number %(phone)s is not valid.") % {"phone": mask_phone(recipient)},
            details={"recipient": [_("Digits only, with an optional leading +.")]},
        )
    template = _template(template_code)
    if template is None:
        raise ValidationFailed(
            _("There is no message template %(code)s.") % {"code": template_code},
            code="unknown_template",
            details={"template_code": [_("Unknown template.")]},
        )
    if not template.active:
        logger.info(
            "template %s is switched off: message to %s skipped", template_code, mask_phone(recipient)
        )
        return None
    body = rendering.render(template.text, context)
    now = clock.now()
    return fastsql.new(
        OutboxMessage,
        created_at=now,
        template_code=template.code,
        channel=template.channel,
        recipient=recipient,
        body=body,
        related_type=related_type[:64],
        related_id=str(related_id)[:64],
        status=OutboxMessage.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
    )


def messages_stored() -> None:
    """Schedule delivery once the current transaction commits (call it after writing messages
    built with `message_build`; nothing is scheduled if the transaction rolls back)."""
    transaction.on_commit(_wake_up_delivery, robust=True)


# Templates are read on every intake and change rarely: each process keeps them for a few
# seconds. An edit in this process drops the copy at once (signals in apps.py); other processes
# see it within TEMPLATE_CACHE_SECONDS. Off under tests, whose rollbacks would not be seen.
TEMPLATE_CACHE_SECONDS = 5.0
_CACHE_TEMPLATES = not getattr(settings, "TESTING", False)
_templates: dict[str, tuple[float, MessageTemplate | None]] = {}


def _template(code: str) -> MessageTemplate | None:
    if _CACHE_TEMPLATES:
        cached = _templates.get(code)
        if cached is not None and time.monotonic() - cached[0] < TEMPLATE_CACHE_SECONDS:
            return cached[1]
    template = MessageTemplate.objects.filter(code=code).first()
    if _CACHE_TEMPLATES:
        if len(_templates) > 1000:
            _templates.clear()
        _templates[code] = (time.monotonic(), template)
    return template


def forget_templates(**_kwargs: Any) -> None:
    """Drop this process's copies of the templates (connected to MessageTemplate's signals)."""
    _templates.clear()


def _wake_up_delivery() -> None:
    """After a commit that stored messages: queue one delivery run unless one is already queued
    for this window. Queueing is a write to the task queue's own storage (a separate SQLite
    database and commit without Redis), too dear to pay for every message. When tasks run inline
    (HUEY immediate: no consumer, no periodic task) delivery happens here and now."""
    from onewindow.notifications import tasks  # the task module imports this one

    if settings.HUEY.get("immediate"):
        tasks.deliver_due()
        return
    if cache.add(_WAKE_UP_GATE, 1, timeout=WAKE_UP_SECONDS):
        tasks.deliver_due.schedule(delay=WAKE_UP_SECONDS)


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
        error = mask_text(str(exc) or exc.__class__.__name__)[:500]
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


def outbox_deliver_message(*, message_id: int) -> bool:
    """Send one message now if it is still due (what the on-commit task calls)."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    return message is not None and _attempt(message)


@transaction.atomic
def message_template_save(
    *,
    code: str,
    text: str,
    name: str = "",
    channel: str = Channel.SMS,
    active: bool = True,
    actor: Any = None,
) -> MessageTemplate:
    """Create or update the template `code`; its placeholders must be plain names."""
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if not _CODE_RE.match(code):
        errors["code"] = [_("Lower-case letters, digits and underscores, starting with a letter.")]
    if not (text or "").strip():
        errors["text"] = [_("The text is required.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if errors:
        raise ValidationFailed(_("The message template is not valid."), details=errors)
    rendering.placeholders(text)
    template = MessageTemplate.objects.select_for_update().filter(code=code).first()
    before = audit.snapshot(template) if template is not None else None
    if template is None:
        template = MessageTemplate(code=code)
    template.text = text
    template.name = name
    template.channel = channel
    template.active = active
    template.updated_at = clock.now()
    template.save()
    audit.record(
        action="message_template.create" if before is None else "message_template.update",
        obj=template,
        before=before,
        after=audit.snapshot(template),
        actor=actor,
    )
    return template
