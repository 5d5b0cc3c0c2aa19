"""Export of the audit trail for the audit administrator (issue 12 §3): CSV and Excel, masked.

Personal data is masked wherever it can appear: ID numbers and mobile numbers in every text
(`masking.mask_text`), and inside the before/after JSON the values of name, ID-number and phone
keys. Who acted (`actor_name`, a staff account) stays readable: that is what an audit is for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from onewindow.core.masking import mask_id_number, mask_phone, mask_text
from onewindow.core.models import AuditEntry

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mask_name(value: str) -> str:
    """A person's name with all but its first character starred (张三 -> 张*)."""
    value = str(value)
    return value[:1] + "*" * (len(value) - 1) if value else ""


def _mask_value(key: str, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value(key, v) for v in value]
    if not isinstance(value, str):
        return value
    key = key.lower()
    if "id_number" in key or key in ("id_no", "idcard", "id_card"):
        return mask_id_number(value)
    if "phone" in key or "mobile" in key:
        return mask_phone(value)
    if key == "name" or key.endswith("_name") or key in ("applicant", "agent", "legal_representative"):
        return mask_name(value)
    return mask_text(value)


def masked_json(value: Any) -> str:
    """The before/after JSON of an entry, masked, as compact text ("" for none)."""
    if value is None:
        return ""
    return json.dumps(_mask_value("", value), ensure_ascii=False, sort_keys=True)


def mask_repr(object_type: str, text: str) -> str:
    """An object's repr, masked: ID and phone numbers always; for the case models, whose reprs
    carry the applicant's name ("<number> <name> (<ID number>)"), every word without a digit."""
    text = mask_text(text)
    if not object_type.startswith("cases."):
        return text
    return " ".join(w if any(c.isdigit() for c in w) else mask_name(w) for w in text.split(" "))


def headers() -> list[str]:
    return [
        _("time"),
        _("actor name"),
        _("address"),
        _("action"),
        _("object type"),
        _("object id"),
        _("object"),
        _("before"),
        _("after"),
        _("hash"),
    ]


def rows(entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    for e in entries:
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.ip,
            e.action,
            e.object_type,
            mask_text(e.object_id),
            mask_repr(e.object_type, e.object_repr),
            masked_json(e.before),
            masked_json(e.after),
            e.row_hash,
        ]


def _cell(value: str) -> str:
    """A CSV/Excel cell that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def to_csv(entries: Iterable[AuditEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows(entries):
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()  # with a BOM: Excel then reads UTF-8


def to_xlsx(entries: Iterable[AuditEntry]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("audit trail"))
    sheet.append(headers())
    for row in rows(entries):
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
