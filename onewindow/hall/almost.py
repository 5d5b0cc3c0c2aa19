"""The "almost your turn" SMS (wave2.md §5): once a waiting ticket with a phone has at most
QUEUE_ALMOST_AHEAD people ahead of it, one SMS (template `queue_almost`), never twice.

After each call, ONE small query reads the first QUEUE_ALMOST_AHEAD + 1 waiting tickets of the
business in `ahead_of` order (priority first, then queued earlier): a ticket's position in that
list is its number of people ahead. Only those with a phone and no SMS yet are claimed, each
with a conditional UPDATE of `almost_sms_at`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F

from onewindow.core.errors import ValidationFailed
from onewindow.hall.models import Ticket, TicketEvent

logger = logging.getLogger(__name__)
TEMPLATE = "queue_almost"


def almost_notify(*, business_id: int, day: dt.date, now: dt.datetime) -> int:
    """Send the SMS to the tickets of `business_id` now close to their turn (inside the caller's
    transaction). Answers how many were sent."""
    from onewindow.notifications.services import message_enqueue

    ahead_limit = settings.QUEUE_ALMOST_AHEAD
    if ahead_limit < 0:
        return 0
    front = list(
        Ticket.objects.filter(business_id=business_id, date=day, status=Ticket.Status.WAITING)
        .order_by(F("priority").desc(), "queued_at", "sequence")
        .values_list("pk", "phone", "almost_sms_at", "number")[: ahead_limit + 1]
    )
    due = [
        (pk, phone, number, ahead)
        for ahead, (pk, phone, sent, number) in enumerate(front)
        if phone and not sent
    ]
    if not due:
        return 0
    from onewindow.appointments.models import BusinessType

    business = BusinessType.objects.select_related("center").get(pk=business_id)
    sent = 0
    for pk, phone, number, ahead in due:
        if not Ticket.objects.filter(pk=pk, almost_sms_at__isnull=True).update(almost_sms_at=now):
            continue
        try:
            with transaction.atomic():
                message_enqueue(
                    template_code=TEMPLATE,
                    recipient=phone,
                    context={
                        "center_name": business.center.name,
                        "number": number,
                        "ahead": ahead,
                        "business_name": business.name,
                    },
                    related_type="hall.ticket",
                    related_id=str(pk),
                )
        except ValidationFailed as exc:  # a switched-off or broken template never stops a call
            logger.warning("queue_almost SMS not stored for ticket %s: %s", pk, exc.code)
            continue
        TicketEvent.objects.create(ticket_id=pk, kind=TicketEvent.Kind.SMS_SENT, at=now)
        sent += 1
    return sent
