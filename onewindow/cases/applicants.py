"""Validation of applicant and agent data (pure functions).

* 居民身份证号码 (GB 11643-1999): 17 digits (area, birth date YYYYMMDD, order) and a check
  character: sum(digit × weight) mod 11 → "10X98765432".
* 统一社会信用代码 (GB 32100-2015): 18 characters over "0123456789ABCDEFGHJKLMNPQRTUWXY"
  (no I, O, S, V, Z); the 18th is 31 − (Σ value × weight mod 31), 31 → 0.
* Mainland mobile numbers: 11 digits starting 13–19 (a leading +86 / 86 and spaces are dropped).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from onewindow.core.errors import ValidationFailed

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
_PERMIT_RE = re.compile(r"^[HM][0-9]{8,10}$")

KINDS = ("person", "enterprise")
ID_TYPES = ("resident_id", "uscc", "passport", "hk_macao_permit", "other")


def resident_id_check(body17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_resident_id(value: str) -> bool:
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if birth.year < 1900:
        return False
    return resident_id_check(value[:17]) == value[17]


def uscc_check(body17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    value = (value or "").strip().upper()
    if len(value) != 18 or any(c not in USCC_ALPHABET for c in value):
        return False
    return uscc_check(value[:17]) == value[17]


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", str(value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_mobile(value: str) -> bool:
    return bool(_MOBILE_RE.match(normalise_phone(value)))


def _id_error(id_type: str, value: str) -> str | None:
    """The message for an invalid ID number of `id_type`, or None."""
    if not value:
        return _("Enter the ID number.")
    if id_type == "resident_id" and not is_valid_resident_id(value):
        return _("This is not a valid resident ID number (18 characters; check the last one).")
    if id_type == "uscc" and not is_valid_uscc(value):
        return _("This is not a valid unified social credit code (18 characters; check the last one).")
    if id_type == "passport" and not _PASSPORT_RE.match(value):
        return _("A passport number has 5 to 20 letters and digits.")
    if id_type == "hk_macao_permit" and not _PERMIT_RE.match(value):
        return _("A Hong Kong / Macao permit number is H or M followed by 8 to 10 digits.")
    if len(value) > 40:
        return _("The ID number is too long.")
    return None


APPLICANT_FIELDS = (
    "kind",
    "name",
    "id_type",
    "id_number",
    "phone",
    "address",
    "legal_rep_name",
    "legal_rep_id_number",
)


def applicant_errors(data: dict[str, Any] | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The cleaned applicant and every problem found, under `applicant.<field>` (all at once).

    An enterprise (kind "enterprise") is identified by its unified social credit code (or, rarely,
    "other") and names its legal representative (法定代表人); the representative's resident ID
    number is optional and checked when given. A person has no legal representative."""
    data = dict(data or {})
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "").strip()
    name = str(data.get("name") or "").strip()
    id_type = str(data.get("id_type") or "").strip()
    id_number = re.sub(r"\s", "", str(data.get("id_number") or "")).upper()
    phone = normalise_phone(str(data.get("phone") or ""))
    address = str(data.get("address") or "").strip()
    rep_name = str(data.get("legal_rep_name") or "").strip()
    rep_id = re.sub(r"\s", "", str(data.get("legal_rep_id_number") or "")).upper()
    if kind not in KINDS:
        errors["applicant.kind"] = [_("Choose person or enterprise.")]
    if not name:
        errors["applicant.name"] = [_("Enter the applicant's name.")]
    elif len(name) > 200:
        errors["applicant.name"] = [_("The name is too long (200 characters at most).")]
    if id_type not in ID_TYPES:
        errors["applicant.id_type"] = [_("Choose the type of ID.")]
    elif kind == "enterprise" and id_type not in ("uscc", "other"):
        errors["applicant.id_type"] = [_("An enterprise is identified by its unified social credit code.")]
    elif kind == "person" and id_type == "uscc":
        errors["applicant.id_type"] = [_("A person is not identified by a unified social credit code.")]
    else:
        message = _id_error(id_type, id_number)
        if message:
            errors["applicant.id_number"] = [message]
    if not is_valid_mobile(phone):
        errors["applicant.phone"] = [_("Enter a mainland mobile number (11 digits, e.g. 13812345678).")]
    if len(address) > 200:
        errors["applicant.address"] = [_("The address is too long (200 characters at most).")]
    if kind == "enterprise":
        if not rep_name:
            errors["applicant.legal_rep_name"] = [_("Enter the name of the legal representative.")]
        elif len(rep_name) > 100:
            errors["applicant.legal_rep_name"] = [_("The name is too long (100 characters at most).")]
        if rep_id and not is_valid_resident_id(rep_id):
            errors["applicant.legal_rep_id_number"] = [
                _("This is not a valid resident ID number (18 characters; check the last one).")
            ]
    elif rep_name or rep_id:
        errors["applicant.legal_rep_name"] = [_("Only an enterprise has a legal representative.")]
    extra = sorted(set(data) - set(APPLICANT_FIELDS))
    if extra:
        errors["applicant"] = [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(extra)}]
    cleaned = {
        "kind": kind,
        "name": name,
        "id_type": id_type,
        "id_number": id_number,
        "phone": phone,
        "address": address,
        "legal_rep_name": rep_name if kind == "enterprise" else "",
        "legal_rep_id_number": rep_id if kind == "enterprise" else "",
    }
    return cleaned, errors


def validate_applicant(data: dict[str, Any] | None) -> dict[str, str]:
    """The cleaned applicant, or ValidationFailed with every problem under `applicant.<field>`."""
    cleaned, errors = applicant_errors(data)
    if errors:
        raise ValidationFailed(_("Check the applicant's details."), details=errors)
    return cleaned


def agent_errors(data: dict[str, Any] | None) -> tuple[dict[str, str] | None, dict[str, list[str]]]:
    """The cleaned agent (None when no agent) and every problem found, under `agent.<field>`."""
    if not data:
        return None, {}
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    id_type = str(data.get("id_type") or "resident_id").strip()
    id_number = re.sub(r"\s", "", str(data.get("id_number") or "")).upper()
    phone = normalise_phone(str(data.get("phone") or ""))
    if not name:
        errors["agent.name"] = [_("Enter the agent's name.")]
    if id_type not in ID_TYPES or id_type == "uscc":
        errors["agent.id_type"] = [_("Choose the type of the agent's ID.")]
    else:
        message = _id_error(id_type, id_number)
        if message:
            errors["agent.id_number"] = [message]
    if not is_valid_mobile(phone):
        errors["agent.phone"] = [_("Enter the agent's mainland mobile number (11 digits).")]
    return {"name": name[:100], "id_number": id_number, "phone": phone}, errors


def validate_agent(data: dict[str, Any] | None) -> dict[str, str] | None:
    """The cleaned agent (代办: name, resident ID number, mobile), None when no agent."""
    cleaned, errors = agent_errors(data)
    if errors:
        raise ValidationFailed(_("Check the agent's details."), details=errors)
    return cleaned
