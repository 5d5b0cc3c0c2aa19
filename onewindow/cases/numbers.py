"""Case numbers and receipt numbers.

    case number     = center code + acceptance date (YYYYMMDD) + 6-digit sequence + check character
    receipt number  = "R" + center code + receipt date + 6-digit sequence + check character

e.g. DEMO20260930000001 + check → ``DEMO20260930000001K``. The check character is ISO 7064
MOD 37,36 (`onewindow.core.checksum`) over everything before it: one wrong character and two
swapped adjacent characters are caught.

Sequences are per center, kind and day; `take` gives a unit of work its numbers, in a fixed
order of kinds. `next_sequence` increments the row (``INSERT … ON CONFLICT DO UPDATE SET last = last + 1
RETURNING last``: the day's row is created by the first number) inside the caller's
transaction: the row lock (PostgreSQL) or the write lock (SQLite, IMMEDIATE transactions)
serialises concurrent intakes, always in the one order of the kinds.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases.models import CaseNumberSequence
from onewindow.core import checksum, rawwrite
from onewindow.core.errors import ValidationFailed

SEQUENCE_DIGITS = 6
RECEIPT_PREFIX = "R"
_MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
_NUMBER_RE = re.compile(r"^(R?)([A-Z0-9]{1,12}?)(\d{8})(\d{6})([0-9A-Z])$")


def format_number(center_code: str, day: dt.date, sequence: int, *, receipt: bool = False) -> str:
    if not 1 <= sequence <= _MAX_SEQUENCE:
        raise ValueError(f"sequence {sequence} out of range")
    body = (
        f"{RECEIPT_PREFIX if receipt else ''}{center_code.upper()}{day:%Y%m%d}{sequence:0{SEQUENCE_DIGITS}d}"
    )
    return body + checksum.check_character(body)


def next_sequence(*, center_id: int, kind: str, day: dt.date) -> int:
    """The next sequence for (center, kind, day); call inside the transaction that uses it (the
    row stays locked until it ends). One `UPDATE … RETURNING` (core.rawwrite.increment)."""
    return _finish(
        center_id, kind, day, rawwrite.increment(CaseNumberSequence, "last", **_row(center_id, kind, day))
    )


def _row(center_id: int, kind: str, day: dt.date) -> dict[str, Any]:
    return {"center_id": center_id, "kind": kind, "day": day}


def _finish(center_id: int, kind: str, day: dt.date, pending: rawwrite.Pending, count: int = 1) -> int:
    """The (last) sequence `pending` took (the upsert creates the day's row when there is none)."""
    value = pending.result()
    if value is None:  # pragma: no cover - an upsert always returns its row
        raise RuntimeError(f"no sequence taken for {center_id} {kind} {day}")
    if value > _MAX_SEQUENCE:
        raise ValidationFailed(
            _("The day's case numbers are exhausted for this center."), code="sequence_exhausted"
        )
    return int(value)


def take_later(*, center_id: int, wanted: dict[str, dt.date], count: int = 1) -> dict[str, rawwrite.Pending]:
    """Send the statements taking the next `count` numbers of each kind in `wanted` (kind ->
    day), in one fixed order of kind (two transactions taking two numbers never wait for each
    other crosswise); `finish` (or `finish_many`) reads them. Lets a unit of work send them in
    one round trip with other statements (rawwrite.pipeline)."""
    return {
        kind: rawwrite.increment(CaseNumberSequence, "last", by=count, **_row(center_id, kind, wanted[kind]))
        for kind in sorted(wanted)
    }


def finish(
    *, center_id: int, center_code: str, wanted: dict[str, dt.date], pending: dict[str, rawwrite.Pending]
) -> dict[str, str]:
    """The numbers `take_later` took, formatted."""
    return {
        kind: numbers[0]
        for kind, numbers in finish_many(
            center_id=center_id, center_code=center_code, wanted=wanted, pending=pending, count=1
        ).items()
    }


def finish_many(
    *,
    center_id: int,
    center_code: str,
    wanted: dict[str, dt.date],
    pending: dict[str, rawwrite.Pending],
    count: int,
) -> dict[str, list[str]]:
    """The `count` consecutive numbers of each kind `take_later(count=...)` took, formatted."""
    taken: dict[str, list[str]] = {}
    for kind in sorted(wanted):
        last = _finish(center_id, kind, wanted[kind], pending[kind], count)
        taken[kind] = [
            format_number(center_code, wanted[kind], seq, receipt=kind == CaseNumberSequence.Kind.RECEIPT)
            for seq in range(last - count + 1, last + 1)
        ]
    return taken


def take(*, center_id: int, center_code: str, wanted: dict[str, dt.date]) -> dict[str, str]:
    """The next number of each kind in `wanted` (kind -> day), e.g. a receipt and a case number
    for a case received and accepted at once. Each sequence row stays locked until the
    transaction ends."""
    pending = take_later(center_id=center_id, wanted=wanted)
    return finish(center_id=center_id, center_code=center_code, wanted=wanted, pending=pending)


def normalise(text: str) -> str:
    return re.sub(r"[\s\-_]", "", str(text or "")).upper()


def parse_case_number(text: str) -> str:
    """The normalised case or receipt number (case and spaces ignored); ValidationFailed when it
    is malformed or its check character is wrong."""
    value = normalise(text)
    match = _NUMBER_RE.match(value)
    if not match:
        raise ValidationFailed(
            _("This is not a case number: it should look like DEMO20260930000001K."),
            code="bad_case_number",
            details={"number": [_("Expected center code, date (YYYYMMDD), 6 digits and a check character.")]},
        )
    try:
        dt.date(int(match.group(3)[:4]), int(match.group(3)[4:6]), int(match.group(3)[6:]))
    except ValueError:
        raise ValidationFailed(
            _("The date inside this case number does not exist."),
            code="bad_case_number",
            details={"number": [_("The date part is not a real date.")]},
        ) from None
    if not checksum.is_valid(value):
        raise ValidationFailed(
            _("This case number has a typing error (its check character does not match)."),
            code="bad_case_number",
            details={"number": [_("Check the number: a character is wrong or two are swapped.")]},
        )
    return value
