"""The complaints' share of the supervision sweep (registered in ComplaintsConfig.ready()).

Open complaints (registered, assigned, investigating) turn yellow at `warn_at` (one working day
before the limit; 4 hours before for a same-day one) and red at `due_at`. Each flip is a
compare-and-set on `level`, so two sweeps at once, or twice in a row, flip a complaint once:
* yellow → an SMS reminder (template complaint_reminder) to the handling department's chiefs
  (the holders of complaints.handle_complaint in that department) and the handler;
* red → a supervision order to the handling department (or the respondent's department when
  none is assigned yet), one per crossing of the limit (keyed by the limit's day).
The candidates come from the partial indexes on the open complaints' deadlines.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.complaints import events
from onewindow.complaints.codes import HANDLE, OPEN_STATUSES, Level
from onewindow.complaints.models import Complaint
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_free_text, mask_phone
from onewindow.notifications.services import message_enqueue
from onewindow.supervision.subjects import order_issue_for_subject

logger = logging.getLogger(__name__)

LABELS = {
    "complaint_yellow": gettext_lazy("%(n)s complaints close to their limit (yellow card, reminded)"),
    "complaint_red": gettext_lazy("%(n)s complaints past their limit (red card, supervision order)"),
}
BATCH = 500
_OPEN = [str(s) for s in OPEN_STATUSES]


def _chief_phones(complaint: Complaint) -> set[str]:
    phones: set[str] = set()
    if complaint.department_id is not None:
        chiefs = (
            get_user_model()
            .objects.with_perm(HANDLE)
            .filter(department_id=complaint.department_id, is_active=True)
            .exclude(phone="")
        )
        phones.update(chiefs.values_list("phone", flat=True))
    if complaint.handler is not None and complaint.handler.is_active and complaint.handler.phone:
        phones.add(complaint.handler.phone)
    return phones


def _remind(complaint: Complaint, counts: Counter[str]) -> None:
    for phone in sorted(_chief_phones(complaint)):
        try:
            message_enqueue(
                template_code="complaint_reminder",
                recipient=phone,
                context={
                    "number": complaint.number,
                    "title": mask_free_text(complaint.title)[:40],
                    "due_at": timezone.localtime(complaint.due_at).strftime("%Y-%m-%d %H:%M"),
                },
                related_type="complaint.reminder",
                related_id=complaint.number,
            )
        except ValidationFailed as exc:
            logger.warning(
                "complaint reminder %s to %s not queued: %s", complaint.number, mask_phone(phone), exc
            )
            continue
        counts["reminder_sms"] += 1


def _order(complaint: Complaint, now: dt.datetime) -> None:
    department_id = complaint.department_id or complaint.respondent_department_id
    if department_id is None and complaint.respondent_window is not None:
        department_id = complaint.respondent_window.department_id
    if department_id is None:
        return  # nobody to order yet: the supervisor's worklist shows it red
    order_issue_for_subject(
        subject_kind="complaint",
        subject_ref=complaint.number,
        subject_label=f"{complaint.number} {mask_free_text(complaint.title)}",
        department_id=department_id,
        handler_id=complaint.handler_id,
        demand=_("Complaint %(number)s is past its limit (%(due)s): answer it and report.")
        % {
            "number": complaint.number,
            "due": timezone.localtime(complaint.due_at).strftime("%Y-%m-%d %H:%M"),
        },
        now=now,
        key=f"red:{timezone.localtime(complaint.due_at):%Y%m%d}",
    )


def _flip(pk: int, level: int, now: dt.datetime, counts: Counter[str]) -> None:
    with transaction.atomic():
        flipped = Complaint.objects.filter(pk=pk, status__in=_OPEN, level__lt=level).update(level=level)
        if not flipped:
            return  # another sweep got there first, or it was answered meanwhile
        complaint = Complaint.objects.select_related("handler", "respondent_window").get(pk=pk)
        if level == Level.RED:
            counts["complaint_red"] += 1
            events.record(complaint, "red", None)
            _order(complaint, now)
        else:
            counts["complaint_yellow"] += 1
            events.record(complaint, "yellow", None)
            _remind(complaint, counts)


def complaints_sweep(now: dt.datetime, counts: Counter[str]) -> None:
    open_ = Complaint.objects.filter(status__in=_OPEN)
    red = list(open_.filter(due_at__lte=now, level__lt=Level.RED).values_list("pk", flat=True)[:BATCH])
    for pk in red:
        _flip(pk, Level.RED, now, counts)
    yellow = list(
        open_.filter(warn_at__lte=now, due_at__gt=now, level=Level.GREEN).values_list("pk", flat=True)[:BATCH]
    )
    for pk in yellow:
        _flip(pk, Level.YELLOW, now, counts)
