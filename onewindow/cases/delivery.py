"""The rules of delivering a completed result (取件 / 送达).

`clean_delivery` checks the parameters of the `deliver` action and says what to fix: in person
(recipient's name, ID number, relation to the applicant) or by mail (carrier, tracking number).
`effects.deliver` writes the `CaseDelivery` row in the unit of work of its event. The reads (the
pickup list, what was delivered) are in `delivery_selectors`.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases.applicants import is_valid_resident_id
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.cases.models import Case
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_id_number

Method = CaseDelivery.Method
Relation = CaseDelivery.Relation


_ID_RE = re.compile(r"^[0-9A-Za-z()（）-]{5,40}$")
_TRACKING_RE = re.compile(r"^[0-9A-Za-z-]{4,50}$")


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
