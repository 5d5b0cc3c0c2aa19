"""Reading notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onewindow.core.errors import NotFound
from onewindow.notifications.models import MessageTemplate, OutboxMessage


def message_template_get(*, code: str) -> MessageTemplate:
    template = MessageTemplate.objects.filter(code=code).first()
    if template is None:
        raise NotFound(_("There is no message template %(code)s.") % {"code": code})
    return template


def messages_for(*, related_type: str, related_id: str) -> QuerySet[OutboxMessage]:
    """The messages sent about one object (e.g. a case), newest first."""
    return OutboxMessage.objects.filter(related_type=related_type, related_id=str(related_id))
