"""The SMS invitation to evaluate a completed case, and the one reminder (wave2.md §3).

* Invitation (`evaluation_invitation`): a case's `completed` occasion, not evaluated, still open,
  not invited yet → one SMS to the case's applicant phone with the occasion's link
  (`?via=sms`: an evaluation given through it is recorded with the channel SMS).
* Reminder (`evaluation_reminder`): EVALUATION_REMINDER_DAYS (3) days after the invitation, if
  the occasion is still unevaluated and open → one more SMS; never a second reminder.

Not invited: a bundle's sub-cases (the bundle case speaks to the applicant), cases without a
phone. Messages go out between SEND_FROM_HOUR and SEND_UNTIL_HOUR local time only. Each
occasion's `invited_at` / `reminded_at` is set by a conditional UPDATE in the transaction that
stores the message, so two workers never send the same SMS twice. The SMS carries no personal
data (the case number, the item and the link only).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.feedback.models import ServiceOccasion
from onewindow.feedback.tokens import VIA_SMS, evaluation_url
from onewindow.notifications.services import message_enqueue

logger = logging.getLogger(__name__)

INVITATION = "evaluation_invitation"
REMINDER = "evaluation_reminder"
SEND_FROM_HOUR = 8
SEND_UNTIL_HOUR = 20
BATCH = 2000


def _sending_hours(now: dt.datetime) -> bool:
    return SEND_FROM_HOUR <= clock.local(now).hour < SEND_UNTIL_HOUR


def _open_completed(now: dt.datetime) -> QuerySet[ServiceOccasion]:
    return (
        ServiceOccasion.objects.filter(
            kind=ServiceOccasion.Kind.COMPLETED,
            evaluated_at__isnull=True,
            closes_at__gt=now,
            case__isnull=False,
            case__joint=False,
        )
        .exclude(case__applicant_phone="")
        .select_related("case__center", "case__item_version")
    )


def _context(occasion: ServiceOccasion) -> dict[str, str]:
    case = occasion.case
    assert case is not None
    closes = clock.local(occasion.closes_at).date()
    return {
        "center_name": case.center.name,
        "case_number": case.display_number or "",
        "item_name": case.item_version.name,
        "date": f"{closes.year}年{closes.month}月{closes.day}日",
        "link": evaluation_url(occasion.pk, via=VIA_SMS),
    }


def _send(
    occasion: ServiceOccasion, template_code: str, stamp: dict[str, dt.datetime], **still: object
) -> bool:
    """Claim the occasion with a conditional UPDATE and store the SMS in the same transaction."""
    case = occasion.case
    assert case is not None
    with transaction.atomic():
        claimed = ServiceOccasion.objects.filter(pk=occasion.pk, evaluated_at__isnull=True, **still).update(
            **stamp
        )
        if not claimed:
            return False
        try:
            message_enqueue(
                template_code=template_code,
                recipient=case.applicant_phone,
                context=_context(occasion),
                related_type="feedback.serviceoccasion",
                related_id=str(occasion.pk),
            )
        except ValidationFailed as exc:  # a malformed phone: claimed, so never tried again
            logger.warning("evaluation %s of occasion %s not sent: %s", template_code, occasion.pk, exc.code)
            return False
    return True


def evaluation_invitations_send(*, now: dt.datetime | None = None) -> int:
    """Invite every completed, unevaluated, open occasion not invited yet; answers how many."""
    now = now or clock.now()
    if not _sending_hours(now):
        return 0
    due = _open_completed(now).filter(invited_at__isnull=True).order_by("id")[:BATCH]
    return sum(_send(o, INVITATION, {"invited_at": now}, invited_at__isnull=True) for o in due)


def evaluation_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind once, EVALUATION_REMINDER_DAYS after the invitation; answers how many."""
    now = now or clock.now()
    if not _sending_hours(now):
        return 0
    invited_before = now - dt.timedelta(days=settings.EVALUATION_REMINDER_DAYS)
    due = (
        _open_completed(now)
        .filter(invited_at__lte=invited_before, reminded_at__isnull=True)
        .order_by("id")[:BATCH]
    )
    return sum(_send(o, REMINDER, {"reminded_at": now}, reminded_at__isnull=True) for o in due)
