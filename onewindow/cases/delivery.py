"""Pickup and delivery (取件 / 送达) of completed results.

* `clean_delivery` checks the parameters of the `deliver` action and says what to fix: in person
  (recipient's name, ID number, relation to the applicant) or by mail (carrier, tracking
  number). `effects.deliver` writes the `CaseDelivery` row in the unit of work of its event.
* `waiting_for_pickup` lists the completed, not yet delivered results of a window in the user's
  data scope, with the working days they have waited; longer than `pickup_warn_days()` (the
  setting `ONEWINDOW_PICKUP_WARN_DAYS`, default 10) is flagged.
* `delivered_documents` names what was handed over (the decision and the certificate).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as T
from onewindow.cases.applicants import is_valid_resident_id
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CaseEvent, Notice
from onewindow.cases.selectors import cases_for
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_id_number

Method = CaseDelivery.Method
Relation = CaseDelivery.Relation

DEFAULT_PICKUP_WARN_DAYS = 10
WAITING_LIMIT = 500  # rows on one page of the pickup list

_ID_RE = re.compile(r"^[0-9A-Za-z()（）-]{5,40}$")
_TRACKING_RE = re.compile(r"^[0-9A-Za-z-]{4,50}$")


def pickup_warn_days() -> int:
    """After how many working days a result waiting for pickup is flagged."""
    return int(getattr(settings, "ONEWINDOW_PICKUP_WARN_DAYS", DEFAULT_PICKUP_WARN_DAYS))


# --- the deliver action ----------------------------------------------------------------------------


def clean_delivery(case: Case, p: dict[str, Any]) -> dict[str, Any]:
    """The `CaseDelivery` fields for the `deliver` parameters `p` (ValidationFailed naming every
    field to fix). Picked up by the applicant in person (relation "self", the default): the
    name and ID number default to the applicant's, as the clerk checks them against the record;
    anyone else must give both. Mailed: the tracking number is required."""
    method = str(p.get("method") or "")
    relation = str(p.get("recipient_relation") or "")
    name = str(p.get("recipient_name") or "").strip()
    id_number = str(p.get("recipient_id_number") or "").strip().upper()
    carrier = str(p.get("carrier") or "").strip()
    tracking = str(p.get("tracking_number") or "").strip()
    errors: dict[str, list[str]] = {}
    if method == Method.MAIL:
        if not tracking:
            errors["tracking_number"] = [_("Required when the result is mailed.")]
        elif not _TRACKING_RE.match(tracking):
            errors["tracking_number"] = [_("4 to 50 letters, digits or hyphens, as on the waybill.")]
        if len(carrier) > 50:
            errors["carrier"] = [_("At most 50 characters.")]
        for field in ("recipient_name", "recipient_id_number", "recipient_relation"):
            if p.get(field):
                errors[field] = [_("Only for a pickup at the window: leave it empty when mailing.")]
        if errors:
            raise ValidationFailed(
                _("Enter the tracking number of the mailing."), code="delivery_invalid", details=errors
            )
        return {"method": method, "carrier": carrier, "tracking_number": tracking}
    relation = relation or Relation.SELF
    if relation not in Relation.values:
        errors["recipient_relation"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Relation.values)}
        ]
    elif relation == Relation.SELF:
        if case.applicant_kind == Case.ApplicantKind.ENTERPRISE:
            errors["recipient_relation"] = [
                _("An enterprise collects through its legal representative or an authorised agent.")
            ]
        name = name or case.applicant_name
        id_number = id_number or case.applicant_id_number.upper()
    if not name:
        errors["recipient_name"] = [_("Enter the name of the person collecting the result.")]
    elif len(name) > 100:
        errors["recipient_name"] = [_("At most 100 characters.")]
    if not id_number:
        errors["recipient_id_number"] = [_("Enter the ID number on the recipient's identity document.")]
    elif not _ID_RE.match(id_number):
        errors["recipient_id_number"] = [_("5 to 40 letters or digits, as on the identity document.")]
    elif len(id_number) == 18 and id_number[:17].isdigit() and not is_valid_resident_id(id_number):
        errors["recipient_id_number"] = [_("This resident ID number is not valid: check the digits.")]
    for field in ("carrier", "tracking_number"):
        if p.get(field):
            errors[field] = [_("Only when the result is mailed: leave it empty for a pickup.")]
    if errors:
        raise ValidationFailed(
            _("Check who is collecting the result."), code="delivery_invalid", details=errors
        )
    return {
        "method": Method.PICKUP,
        "recipient_name": name,
        "recipient_id_number": id_number,
        "recipient_relation": relation,
    }


def event_data(fields: dict[str, Any], note: str) -> dict[str, Any]:
    """What the `deliver` event records (the recipient's ID number masked)."""
    data = {k: v for k, v in fields.items() if k != "recipient_id_number"}
    if fields.get("recipient_id_number"):
        data["recipient_id_number"] = mask_id_number(fields["recipient_id_number"])
    data.setdefault("tracking_number", "")
    data["note"] = note
    return data


# --- the pickup list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingResult:
    case: Case
    completed_on: dt.date | None
    working_days_waiting: int | None  # None: outside the calendar's range
    overdue: bool  # waited longer than pickup_warn_days()


def waiting_queryset(user: Any, *, window_id: int | None = None) -> QuerySet[Case]:
    """Completed, not yet delivered cases in `user`'s data scope (of one window if given), the
    longest waiting first."""
    qs = cases_for(user, {"status": Status.COMPLETED})
    if window_id is not None:
        qs = qs.filter(window_id=window_id)
    return qs.order_by("completed_at", "id")


def waiting_for_pickup(
    user: Any, *, window_id: int | None = None, today: dt.date | None = None, limit: int = WAITING_LIMIT
) -> list[WaitingResult]:
    """The results waiting (see `waiting_queryset`), each with its working days waited: the
    working days after the completion day up to and including today."""
    today = today or case_clock.local_date(clock.now())
    warn = pickup_warn_days()
    rows: list[WaitingResult] = []
    for case in waiting_queryset(user, window_id=window_id)[:limit]:
        completed_on = case_clock.local_date(case.completed_at) if case.completed_at else None
        waited: int | None = None
        if completed_on is not None:
            try:
                waited = calendar_selectors.count_working_days(completed_on, today)
            except ValidationFailed:
                waited = None
        rows.append(WaitingResult(case, completed_on, waited, bool(waited is not None and waited > warn)))
    return rows


def waiting_windows(user: Any) -> list[tuple[int, str, int]]:
    """(window id, window name, results waiting) of every window with results waiting in
    `user`'s data scope."""
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for window_id, name in (
        waiting_queryset(user).filter(window__isnull=False).values_list("window_id", "window__name")
    ):
        counts[window_id] = counts.get(window_id, 0) + 1
        names[window_id] = name
    return sorted(((wid, names[wid], n) for wid, n in counts.items()), key=lambda row: row[1])


# --- what was delivered ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveredDocuments:
    decision: Notice | None  # the decision notice
    certificate_numbers: tuple[str, ...]


def delivered_documents(case: Case) -> DeliveredDocuments:
    """The case's decision notice and the numbers of the certificates it issued."""
    decision = (
        Notice.objects.filter(case=case, kind=Notice.Kind.DECISION).order_by("-issued_at", "-id").first()
    )
    numbers = tuple(
        str(data.get("certificate_number"))
        for data in CaseEvent.objects.filter(case=case, action=T.ISSUE_CERTIFICATE)
        .order_by("seq")
        .values_list("data", flat=True)
        if isinstance(data, dict) and data.get("certificate_number")
    )
    return DeliveredDocuments(decision, numbers)


def delivery_of(case: Case) -> CaseDelivery | None:
    return CaseDelivery.objects.filter(case=case).select_related("delivered_by").first()
