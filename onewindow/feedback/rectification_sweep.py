"""The rectifications' share of the supervision sweep (registered in FeedbackConfig.ready()).

The current deadline is the call-back's (`callback_due_at`, while no call-back is recorded) or
the rectification's (`due_at`, while rectifying). Rows are found through the partial indexes of
open rectifications (migration 0003) and flipped one by one with a compare-and-set (a
conditional UPDATE … WHERE level < new and the deadline still crossed), so two sweeps at once,
or twice in a row, never flip a row twice:

* yellow (level 1) at `warn_at`: the department chief(s) (holders of
  supervision.appeal_accountability and feedback.handle_rectification in the rectification's
  department, with a phone) get an SMS `rectification_reminder` through the outbox; the
  worklist shows the badge;
* red (level 2) past the deadline: a supervision order to the department
  (supervision.subjects.order_issue_for_subject, keyed by the deadline: one order per crossing
  however often the sweep runs). A rectification without a department is only flagged.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_phone
from onewindow.feedback.models import Rectification
from onewindow.feedback.rectification_services import HANDLE
from onewindow.notifications.services import message_enqueue
from onewindow.supervision.subjects import order_issue_for_subject

logger = logging.getLogger(__name__)

S = Rectification.Status
BATCH = 500
SMS_TEMPLATE = "rectification_reminder"
CHIEF = "supervision.appeal_accountability"
SUBJECT_KIND = "rectification"

LABELS: dict[str, Promise] = {
    "rectification_yellow": gettext_lazy("%(n)s rectifications of bad ratings close to their deadline"),
    "rectification_red": gettext_lazy("%(n)s rectifications of bad ratings past their deadline"),
    "rectification_order": gettext_lazy("%(n)s supervision orders on rectifications"),
}

CALLBACK_LATE = Q(status=S.CALLBACK_DUE, callback_at__isnull=True, level__lt=2)
RECTIFY_LATE = Q(status=S.RECTIFYING, level__lt=2)
WARN = Q(status__in=(S.CALLBACK_DUE, S.RECTIFYING), level=0)


def subject_label(r: Rectification) -> str:
    case = r.evaluation.occasion.case
    if case is not None:
        return _("Rectification #%(id)s (case %(number)s)") % {"id": r.pk, "number": case.display_number}
    return _("Rectification #%(id)s") % {"id": r.pk}


def _deadline(r: Rectification) -> dt.datetime | None:
    return r.callback_due_at if r.status == S.CALLBACK_DUE else r.due_at


def _flip(pk: int, crossed: Q, level: int) -> Rectification | None:
    """The compare-and-set: the row is flipped only if it still crosses (in this transaction)."""
    if not Rectification.objects.filter(Q(pk=pk) & crossed).update(level=level):
        return None
    return Rectification.objects.select_related("evaluation__occasion__case", "department").get(pk=pk)


def _red(now: dt.datetime, counts: Counter[str]) -> None:
    for crossed in (CALLBACK_LATE & Q(callback_due_at__lte=now), RECTIFY_LATE & Q(due_at__lte=now)):
        ids = list(Rectification.objects.filter(crossed).order_by().values_list("pk", flat=True)[:BATCH])
        for pk in ids:
            with transaction.atomic():
                r = _flip(pk, crossed, 2)
                if r is None:
                    continue
                counts["rectification_red"] += 1
                deadline = _deadline(r)
                if r.department_id is None or deadline is None:
                    continue
                _order, created = order_issue_for_subject(
                    subject_kind=SUBJECT_KIND,
                    subject_ref=str(r.pk),
                    subject_label=subject_label(r),
                    department_id=r.department_id,
                    demand=_(
                        "The rectification of a bad rating is past its deadline (%(deadline)s): "
                        "act on it and reply."
                    )
                    % {"deadline": clock.local(deadline).strftime("%Y-%m-%d %H:%M")},
                    now=now,
                    key=deadline.isoformat(),
                )
                if created:
                    counts["rectification_order"] += 1


def chief_phones(department_id: int) -> list[str]:
    """The phones of the department's chiefs who handle rectifications."""
    users = get_user_model().objects.filter(department_id=department_id, is_active=True).exclude(phone="")
    return [u.phone for u in users if u.has_perm(CHIEF) and u.has_perm(HANDLE)]


def _remind(r: Rectification, counts: Counter[str]) -> None:
    if r.department_id is None:
        return
    deadline = _deadline(r)
    for phone in chief_phones(r.department_id):
        try:
            message = message_enqueue(
                template_code=SMS_TEMPLATE,
                recipient=phone,
                context={
                    "department": r.department.name if r.department else "",
                    "due_at": clock.local(deadline).strftime("%Y-%m-%d %H:%M") if deadline else "",
                },
                related_type="feedback.rectification",
                related_id=str(r.pk),
            )
        except ValidationFailed as exc:  # a malformed phone, a broken template: the badge stays
            logger.warning("rectification reminder %s to %s not queued: %s", r.pk, mask_phone(phone), exc)
            continue
        if message is not None:
            counts["reminder_sms"] += 1


def _yellow(now: dt.datetime, counts: Counter[str]) -> None:
    crossed = WARN & Q(warn_at__lte=now)
    ids = list(Rectification.objects.filter(crossed).order_by().values_list("pk", flat=True)[:BATCH])
    for pk in ids:
        with transaction.atomic():
            r = _flip(pk, crossed, 1)
            if r is None:
                continue
            counts["rectification_yellow"] += 1
            _remind(r, counts)


def rectification_sweep(now: dt.datetime, counts: Counter[str]) -> None:
    """The sweep part: red first (a row past its deadline skips yellow), then yellow."""
    _red(now, counts)
    _yellow(now, counts)
