"""Writing notifications: message templates and the outbox.

`message_enqueue` stores a message in the caller's transaction and schedules its delivery once
that transaction commits; `outbox_deliver` sends what is due, with retries and backoff. A message
is never lost (it is a row before it is sent) and never sent twice by two workers (each attempt
is claimed with a compare-and-set update).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit, clock
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_free_text, mask_phone
from onewindow.notifications import rendering, tasks
from onewindow.notifications.defaults import TENTATIVE_DATE_NOTE
from onewindow.notifications.models import Channel, MessageTemplate, OutboxMessage

logger = logging.getLogger("onewindow.notifications")

# At most one delivery wake-up is queued per this many seconds (per cache); the wake-up runs
# this long after the first commit of the window and sends every message due by then. Anything a
# wake-up misses is sent by the periodic task (every minute).
WAKE_UP_SECONDS = 1
_WAKE_UP_GATE = "notifications:outbox-wake-up"

_RECIPIENT_RE = re.compile(r"^\+?\d{5,20}$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")


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
    an unknown template or a malformed phone number raises ValidationFailed. A message showing
    {due_date} gets TENTATIVE_DATE_NOTE when the context says `due_date_confirmed: False` (the
    date lies in a year without a confirmed holiday schedule).
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
        message.save(force_insert=True)
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
    errors, same None). For a caller that writes it together with its own rows (e.g. one
    `bulk_create`) inside its transaction, and then calls `messages_stored()`."""
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
    # The placeholders carry text typed by staff (a refusal's reason, material names): the ID
    # numbers and phones in them are masked, since an SMS passes through gateways and their logs.
    # The template's own text is the center's and stays as written (its hotline, say).
    masked = {k: mask_free_text(v) if isinstance(v, str) else v for k, v in context.items()}
    body = rendering.render(template.text, masked)
    if context.get("due_date_confirmed") is False and "due_date" in rendering.placeholders(template.text):
        body += TENTATIVE_DATE_NOTE
    now = clock.now()
    return OutboxMessage(
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
# see it within TEMPLATE_CACHE_SECONDS. Tests that roll back template edits call
# forget_templates() (the root conftest does it before every test).
TEMPLATE_CACHE_SECONDS = 5.0
_templates: dict[str, tuple[float, MessageTemplate | None]] = {}


def _template(code: str) -> MessageTemplate | None:
    cached = _templates.get(code)
    if cached is not None and time.monotonic() - cached[0] < TEMPLATE_CACHE_SECONDS:
        return cached[1]
    template = MessageTemplate.objects.filter(code=code).first()
    if len(_templates) > 1000:
        _templates.clear()
    _templates[code] = (time.monotonic(), template)
    return template


def forget_templates(**_kwargs: Any) -> None:
    """Drop this process's copies of the templates (connected to MessageTemplate's signals)."""
    _templates.clear()


def _wake_up_delivery() -> None:
    """After a commit that stored messages: queue one delivery run WAKE_UP_SECONDS from now,
    unless one is already queued for this window. Queueing is a write to the task queue's own
    storage (a separate SQLite database and commit without Redis), too dear to pay for every
    message. The same code runs under tests, where Huey's immediate mode keeps the scheduled run
    in memory until a test runs it."""
    if cache.add(_WAKE_UP_GATE, 1, timeout=WAKE_UP_SECONDS):
        tasks.deliver_due.schedule(delay=WAKE_UP_SECONDS)


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
