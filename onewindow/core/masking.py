"""Masking of personal data (ID numbers, phone numbers, names) for lists, exports, logs, SMS,
public pages and access logs.

110101199003071234 -> 110***********1234, 13812345678 -> 138****5678, 张三 -> 张*.

`mask_free_text` is for text typed by people (notes, opinions, reasons): it finds the numbers
wherever they are. `mask_url` and `mask_request_line` are for access logs: they also mask the
values of query parameters whose name says they hold a name, a phone, an ID number or a lookup
code. This module imports nothing from Django (gunicorn's logger uses it before Django starts).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote, unquote_plus

# 18-character ID numbers (the last may be X), then the old 15-digit ones.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_OLD_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
# Mainland mobile numbers, also written +86 138 1234 5678, 0086-138-1234-5678 or 138 1234 5678.
_PHONE_RE = re.compile(r"(?<![\d+])((?:(?:\+|00)86[\s-]?)?)(1[3-9]\d(?:[\s-]?\d){8})(?!\d)")
# Landlines with their area code: 0571-88881234, (010) 8888 1234, 02188881234.
_LANDLINE_RE = re.compile(r"(?<![\d+])(\(?0\d{2,3}\)?[\s-]?)(\d{3,4}[\s-]?\d{4})(?!\d)")
# The request line of an access log: "GET /path?query HTTP/1.1".
_REQUEST_LINE_RE = re.compile(r"\b([A-Z]{3,10}) (\S+) (HTTP/\d(?:\.\d)?)")

# Query parameters whose values are personal data whatever they look like (lower case).
_NAME_KEYS = ("name", "q", "query", "keyword", "search", "applicant", "agent", "recipient")
_NUMBER_KEYS = ("code", "id_number", "idno", "id_card", "phone", "mobile", "tel")


def mask_id_number(value: str | None) -> str:
    """Keep the first 3 and last 4 characters of an ID number; star the rest."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 digits of a phone number; star the rest."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """Keep the first character of a name; star the rest (张三 -> 张*, 欧阳娜娜 -> 欧***)."""
    if not value:
        return ""
    value = str(value)
    return value[:1] + "*" * (len(value) - 1)


def _mobile(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(2))
    return f"{match.group(1)}{digits[:3]}****{digits[-4:]}"


def _landline(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(2))
    return f"{match.group(1)}{'*' * (len(digits) - 4)}{digits[-4:]}"


def mask_free_text(text: str | None) -> str:
    """Mask every ID number (18 and 15 digits), mobile number (with or without +86, spaces or
    dashes) and landline with an area code found in free text; everything else is kept."""
    if not text:
        return ""
    text = str(text)
    if not any(c.isdigit() for c in text):
        return text  # most notes: nothing to look for
    text = _ID_RE.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(3)[-4:], text)
    text = _OLD_ID_RE.sub(lambda m: m.group(0)[:3] + "*" * 8 + m.group(0)[-4:], text)
    text = _PHONE_RE.sub(_mobile, text)
    return _LANDLINE_RE.sub(_landline, text)


# The older name of mask_free_text (kept for callers written before it was extended).
mask_text = mask_free_text


def mask_free_text_in(value: Any) -> Any:
    """`mask_free_text` applied to every string inside a JSON-like value (dicts, lists)."""
    if isinstance(value, str):
        return mask_free_text(value)
    if isinstance(value, dict):
        return {k: mask_free_text_in(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_free_text_in(v) for v in value]
    return value


def _mask_parameter(key: str, value: str) -> str:
    name = key.lower()
    if any(part in name for part in _NUMBER_KEYS):
        return "*" * len(value) if len(value) <= 7 else mask_id_number(re.sub(r"[\s-]", "", value))
    if name in _NAME_KEYS or name.endswith("name"):
        return mask_name(value)
    return mask_free_text(value)


def mask_url(url: str) -> str:
    """A path with its query string as an access log may show it: ID numbers and phones masked
    anywhere, and the values of name, phone, ID number and lookup-code parameters masked
    whatever they contain (/portal/progress/?number=X&code=1234 -> ...&code=****)."""
    path, sep, query = url.partition("?")
    path = mask_free_text(path)
    if not sep:
        return path
    parts = []
    for pair in query.split("&"):
        key, eq, value = pair.partition("=")
        if not eq:
            parts.append(mask_free_text(pair))
            continue
        plain = unquote_plus(value)
        masked = _mask_parameter(unquote_plus(key), plain)
        parts.append(f"{key}={value if masked == plain else quote(masked, safe='*+')}")
    return f"{path}?{'&'.join(parts)}"


def mask_request_line(text: str) -> str:
    """Mask the URL of every request line ("GET /path?query HTTP/1.1") in `text`, and ID numbers
    and phones in the rest."""
    text = _REQUEST_LINE_RE.sub(lambda m: f"{m.group(1)} {mask_url(m.group(2))} {m.group(3)}", text)
    return mask_free_text(text)


class MaskingLogFilter(logging.Filter):
    """Masks personal data in every log record that passes through a handler (request lines of
    the access log included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            return True
        masked = mask_request_line(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
