"""The shared steps of every complaint write: the event, the complainant's SMS, the version."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.complaints.models import Complaint, ComplaintEvent
from onewindow.core import clock
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.notifications.services import message_enqueue

logger = logging.getLogger(__name__)


def record(
    complaint: Complaint, action: str, actor: Any, *, note: str = "", client_ip: str | None = None
) -> None:
    ComplaintEvent.objects.create(
        complaint=complaint,
        at=clock.now(),
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        client_ip=client_ip or None,
    )


def tell_complainant(complaint: Complaint, template: str, **context: Any) -> None:
    """An SMS to the complainant when a phone is known (in the caller's transaction). A malformed
    phone number is logged (masked) and the write goes on: the reply is on the public page too."""
    if not complaint.complainant_phone:
        return
    try:
        message_enqueue(
            template_code=template,
            recipient=complaint.complainant_phone,
            context={"center_name": complaint.center.name, "number": complaint.number, **context},
            related_type="complaint",
            related_id=complaint.number,
        )
    except ValidationFailed as exc:
        logger.warning(
            "complaint SMS %s to %s not queued: %s", template, mask_phone(complaint.complainant_phone), exc
        )


def conflict(current: int | None) -> Conflict:
    return Conflict(
        _("Changed by someone else: reload the page and try again."), details={"version": current}
    )


def save(complaint: Complaint, version: int, fields: list[str]) -> None:
    """Write `fields` of the locked complaint and bump its version (compare-and-set on `version`)."""
    values = {name: getattr(complaint, name) for name in fields}
    updated = Complaint.objects.filter(pk=complaint.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise conflict(Complaint.objects.filter(pk=complaint.pk).values_list("version", flat=True).first())
    complaint.version = version + 1
