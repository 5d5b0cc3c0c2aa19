"""Case numbers and receipt numbers.

    case number     = center code + acceptance date (YYYYMMDD) + 6-digit sequence + check character
    receipt number  = "R" + center code + receipt date + 6-digit sequence + check character

e.g. DEMO20260930000001 + check → ``DEMO20260930000001K``. The check character is ISO 7064
MOD 37,36 (`onewindow.core.checksum`) over everything before it: one wrong character and two
swapped adjacent characters are caught.

Sequences are per center, kind and day; `take` gives a unit of work its numbers, in a fixed
order of kinds (on PostgreSQL `take_query` + `take_from`, so that the statement can travel in a
pipeline with others). `next_sequence` increments the row with one
``UPDATE … SET last = last + 1 … RETURNING last`` inside the caller's transaction: the row lock
(PostgreSQL) or the write lock (SQLite, IMMEDIATE transactions) serialises concurrent intakes,
and the first insert of a day is guarded against the race by a savepoint and a retry.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, connection, transaction

from onewindow.cases.models import CaseNumberSequence
from onewindow.core import checksum
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


def _update_returning(center_id: int, kind: str, day: dt.date) -> int | None:
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE center_id = %s AND kind = %s AND day = %s "  # noqa: S608
            "RETURNING last",
            [center_id, kind, day],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def next_sequence(*, center_id: int, kind: str, day: dt.date) -> int:
    """The next sequence for (center, kind, day); call inside the transaction that uses it."""
    value = _update_returning(center_id, kind, day)
    if value is None:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(center_id=center_id, kind=kind, day=day, last=1)
            value = 1
        except IntegrityError:  # another transaction created the day's row first
            value = _update_returning(center_id, kind, day)
            if value is None:  # pragma: no cover - the row exists by now
                raise
    return _in_range(value)


def _in_range(value: int) -> int:
    if value > _MAX_SEQUENCE:
        raise ValidationFailed(
            "The day's case numbers are exhausted for this center.", code="sequence_exhausted"
        )
    return value


def take(*, center_id: int, center_code: str, wanted: dict[str, dt.date]) -> dict[str, str]:
    """The next number of each kind in `wanted` (kind -> day), e.g. a receipt and a case number
    for a case received and accepted at once.

    Each sequence row stays locked until the transaction ends: callers take their numbers last,
    just before they write, so that concurrent intakes of a center wait for each other only for
    the write and the commit. On PostgreSQL one statement (`take_query`) takes them all, locking
    the rows in one fixed order (two transactions taking two numbers never wait for each other
    crosswise), and may be sent with other statements (`take_from` reads its rows); elsewhere
    (SQLite: one writer at a time) one statement each, in the same order."""
    found: list[tuple[Any, ...]] = []
    if len(wanted) > 1 and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(*take_query(center_id=center_id, wanted=wanted))
            found = cursor.fetchall()
    return take_from(found, center_id=center_id, center_code=center_code, wanted=wanted)


def take_query(*, center_id: int, wanted: dict[str, dt.date]) -> tuple[str, list[Any]]:
    """PostgreSQL: the statement that increments the existing sequence rows of `wanted`, locked
    in order of kind, and returns (kind, last) for each; kinds whose row does not exist yet are
    left out (`take_from` creates them)."""
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    kinds = sorted(wanted)
    match = " OR ".join(["(kind = %s AND day = %s)"] * len(kinds))
    params: list[Any] = [center_id]
    for kind in kinds:
        params += [kind, wanted[kind]]
    sql = (
        f"UPDATE {table} SET last = last + 1 WHERE id IN ("  # noqa: S608
        f"SELECT id FROM {table} WHERE center_id = %s AND ({match}) ORDER BY kind FOR UPDATE"
        ") RETURNING kind, last"
    )
    return sql, params


def take_from(
    found: list[tuple[Any, ...]], *, center_id: int, center_code: str, wanted: dict[str, dt.date]
) -> dict[str, str]:
    """The numbers of `wanted`, from the rows `take_query` returned (`found`); the kinds it did
    not take (no row yet, or the query was not run) are taken one by one, in order of kind."""
    sequences = {str(kind): int(last) for kind, last in found}
    for kind in sorted(wanted):
        if kind in sequences:
            _in_range(sequences[kind])
        else:  # one kind on SQLite, or the day's first number of a kind
            sequences[kind] = next_sequence(center_id=center_id, kind=kind, day=wanted[kind])
    return {
        kind: format_number(
            center_code, wanted[kind], sequences[kind], receipt=kind == CaseNumberSequence.Kind.RECEIPT
        )
        for kind in wanted
    }


def normalise(text: str) -> str:
    return re.sub(r"[\s\-_]", "", str(text or "")).upper()


def parse_case_number(text: str) -> str:
    """The normalised case or receipt number (case and spaces ignored); ValidationFailed when it
    is malformed or its check character is wrong."""
    value = normalise(text)
    match = _NUMBER_RE.match(value)
    if not match:
        raise ValidationFailed(
            "This is not a case number: it should look like DEMO20260930000001K.",
            code="bad_case_number",
            details={"number": ["Expected center code, date (YYYYMMDD), 6 digits and a check character."]},
        )
    try:
        dt.date(int(match.group(3)[:4]), int(match.group(3)[4:6]), int(match.group(3)[6:]))
    except ValueError:
        raise ValidationFailed(
            "The date inside this case number does not exist.",
            code="bad_case_number",
            details={"number": ["The date part is not a real date."]},
        ) from None
    if not checksum.is_valid(value):
        raise ValidationFailed(
            "This case number has a typing error (its check character does not match).",
            code="bad_case_number",
            details={"number": ["Check the number: a character is wrong or two are swapped."]},
        )
    return value
