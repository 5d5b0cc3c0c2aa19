"""Pure rules of online applications: which uploads are accepted, what the application form
holds, and the applicant and agent the case records (a person for themselves; an enterprise with
its legal representative, the signed-in person as its agent, 经办人)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from onewindow.core import filetypes
from onewindow.identity.sessions import Applicant

UPLOAD_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "ofd")
FORM_FIELDS = ("address", "phone", "delivery_method", "note")
FORM_MAX = {"address": 200, "phone": 20, "delivery_method": 10, "note": 2000}
DELIVERY_METHODS = ("pickup", "mail")


def max_upload_bytes() -> int:
    return int(settings.ONLINE_UPLOAD_MAX_MB) * 1024 * 1024


def upload_errors(name: str, size: int, content_type: str, stream: IO[bytes]) -> list[str]:
    """The problems of an upload: type by its name (PDF, JPG, PNG, OFD only), size, and its
    content checked by its first bytes (magic), against the name and the declared type."""
    base = PurePosixPath(name or "").name
    ext = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if ext not in UPLOAD_EXTENSIONS:
        return [_("Upload a PDF, JPG, PNG or OFD file.")]
    if size <= 0:
        return [_("The file is empty.")]
    if size > max_upload_bytes():
        return [_("The file is larger than %(mb)s MB.") % {"mb": settings.ONLINE_UPLOAD_MAX_MB}]
    if not filetypes.content_matches(ext, filetypes.head(stream)):
        return [
            _("The content of the file is not a %(type)s file: upload the real %(type)s.")
            % {"type": ext.upper()}
        ]
    if not filetypes.declared_type_matches(ext, content_type):
        return [_("The file is declared as another type than its name says: upload it again.")]
    return []


def clean_form(data: Any) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The application form (address, contact phone, delivery method, note) and its problems
    (what can be checked while it is a draft; the applicant is checked in full at submission)."""
    errors: dict[str, list[str]] = {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, {"form": [_("Expected an object.")]}
    cleaned: dict[str, str] = {}
    for key, value in data.items():
        if key not in FORM_FIELDS:
            errors[f"form.{key}"] = [_("Unknown field.")]
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[f"form.{key}"] = [_("Expected text.")]
            continue
        value = value.strip()
        if len(value) > FORM_MAX[key]:
            errors[f"form.{key}"] = [_("Too long (%(n)s characters at most).") % {"n": FORM_MAX[key]}]
            continue
        cleaned[key] = value
    method = cleaned.get("delivery_method", "")
    if method and method not in DELIVERY_METHODS:
        errors["form.delivery_method"] = [_("Choose pickup or mail.")]
    return cleaned, errors


def applicant_data(
    applicant: Applicant, form: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str] | None]:
    """The case's applicant and agent. A person applies for themselves (their account's name, ID
    and phone); acting for an enterprise, the enterprise applies (its USCC and legal
    representative) and the person is recorded as the agent who acted (经办人)."""
    person = applicant.person
    address = str(form.get("address") or "")
    if applicant.enterprise is None:
        return {
            "kind": "person",
            "name": person.name,
            "id_type": person.id_type or "resident_id",
            "id_number": person.id_number,
            "phone": str(form.get("phone") or person.phone),
            "address": address,
        }, None
    enterprise = applicant.enterprise
    rep = enterprise.legal_rep
    return {
        "kind": "enterprise",
        "name": enterprise.name,
        "id_type": "uscc",
        "id_number": enterprise.uscc,
        "phone": str(form.get("phone") or person.phone),
        "address": address,
        "legal_rep_name": rep.name,
        "legal_rep_id_number": rep.id_number if rep.id_type in ("", "resident_id") else "",
    }, {
        "name": person.name,
        "id_type": person.id_type or "resident_id",
        "id_number": person.id_number,
        "phone": person.phone,
    }
