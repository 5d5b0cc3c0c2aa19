"""Reminders (催办) by SMS: when a step turns yellow, its handler (routing.py) is texted through the outbox
where the supervision rule of the item (else of the center) says so."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Any

from django.utils import timezone

from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.notifications.services import message_enqueue
from onewindow.supervision.models import Reminder, SupervisionRule

logger = logging.getLogger(__name__)

REMINDER_TEMPLATE = "reminder"  # notifications.defaults: 【催办】办件{case_number}…


def _sms_switched_on(pairs: set[tuple[int, int | None]]) -> set[tuple[int, int | None]]:
    """The (center, item) pairs whose reminders go out by SMS: the item's rule, else the center's."""
    rules: dict[tuple[int, int | None], bool] = {
        (center, item): on
        for center, item, on in SupervisionRule.objects.filter(
            center_id__in={c for c, _i in pairs}
        ).values_list("center_id", "item_id", "remind_by_sms")
    }
    on = set()
    for center, item in pairs:
        value = rules.get((center, item)) if item is not None else None
        if value if value is not None else rules.get((center, None), False):
            on.add((center, item))
    return on


def reminder_ids(rows: list[dict[str, Any]], now: dt.datetime) -> list[tuple[dict[str, Any], int]]:
    """The rows whose handler has a phone, with the id of the reminder made for them now (only
    read when SMS reminders are on somewhere)."""
    with_phone = [r for r in rows if r["handler__phone"]]
    if not with_phone:
        return []
    on = _sms_switched_on({(r["case__center_id"], r["case__item_version__item_id"]) for r in with_phone})
    wanted = [r for r in with_phone if (r["case__center_id"], r["case__item_version__item_id"]) in on]
    if not wanted:
        return []
    ids = dict(
        Reminder.objects.filter(step_id__in=[r["id"] for r in wanted], created_at=now).values_list(
            "step_id", "pk"
        )
    )
    return [(r, ids[r["id"]]) for r in wanted if r["id"] in ids]


def reminder_sms(new: list[tuple[dict[str, Any], int]], counts: Counter[str]) -> None:
    """One outbox message per new reminder to its handler's phone, where the rule says so. Runs
    in the transaction that flipped the rows and inserted the reminders, so a crossing is texted
    once however many sweeps run (only the sweep whose compare-and-set flipped the row gets here,
    and only for a reminder it inserted)."""
    for r, reminder_id in new:
        phone = r["handler__phone"]
        try:
            message = message_enqueue(
                template_code=REMINDER_TEMPLATE,
                recipient=phone,
                context={
                    "case_number": r["case__number"] or "",
                    "item_name": r["case__item_version__name"] or "",
                    "step_name": r["name"],
                    "due_at": timezone.localtime(r["due_at"]).strftime("%Y-%m-%d %H:%M"),
                },
                related_type="supervision.reminder",
                related_id=str(reminder_id),
            )
        except ValidationFailed as exc:  # a malformed phone, a broken template: the reminder stays
            logger.warning(
                "reminder SMS for case %s to %s not queued: %s", r["case__number"], mask_phone(phone), exc
            )
            continue
        if message is not None:
            counts["reminder_sms"] += 1
