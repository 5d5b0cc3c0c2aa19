"""The pasted text form of a year's holiday schedule (as the State Council publishes it).

Format (one entry per line; blank lines and lines starting with # are ignored)::

    放假:
    2026-01-01..2026-01-03 元旦
    2026-02-15..2026-02-23 春节
    调休上班:
    2026-01-04 元旦
    2026-02-14 春节

- A heading line starts a section: ``holidays:`` or ``放假:`` for public holidays,
  ``adjusted:`` or ``调休上班:`` for adjusted working days (weekend days that are worked).
  The colon may be half- or full-width; English headings are case-insensitive.
- An entry is a date ``YYYY-MM-DD`` or a range ``YYYY-MM-DD..YYYY-MM-DD`` (both ends
  included), optionally followed by a space and a name (at most 50 characters).
- Every date must be in the year being entered, and may appear only once.

`parse_schedule_text` is pure (no database); `format_schedule_text` writes the same format,
so that an administrator can edit the current schedule as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from onewindow.core.errors import ValidationFailed

NAME_MAX_LENGTH = 50
RANGE_MAX_DAYS = 31

HOLIDAY_HEADINGS = ("holidays", "放假")
ADJUSTED_HEADINGS = ("adjusted", "调休上班")

_HEADING_RE = re.compile(r"^\s*([^\s:：]+)\s*[:：]\s*$")
_ENTRY_RE = re.compile(r"^(?P<first>\S+?)(?:\.\.(?P<last>\S+))?(?:\s+(?P<name>.*?))?\s*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Entries = list[tuple[dt.date, str]]


def _parse_date(text: str) -> dt.date | None:
    if not _DATE_RE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_schedule_text(text: str, year: int) -> tuple[Entries, Entries]:
    """(holidays, adjusted working days) from pasted text, each a sorted list of (date, name).

    Raises ValidationFailed with `details={"text": [...]}`, one message per wrong line,
    each naming the line number and what is wrong.
    """
    holidays: Entries = []
    adjusted: Entries = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    section: Entries | None = None
    quiet = False  # an error about the current section was already reported
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            word = heading.group(1).lower()
            quiet = False
            if word in HOLIDAY_HEADINGS:
                section = holidays
            elif word in ADJUSTED_HEADINGS:
                section = adjusted
            else:
                quiet = True
                errors.append(
                    _(
                        "Line %(line)d: unknown heading “%(heading)s”; use “放假:” (holidays:) "
                        "or “调休上班:” (adjusted:)."
                    )
                    % {"line": number, "heading": heading.group(1)}
                )
                section = None
            continue
        if section is None:
            if not quiet:
                quiet = True
                errors.append(
                    _(
                        "Line %(line)d: “%(text)s” comes before a heading; start the section with "
                        "“放假:” or “调休上班:”."
                    )
                    % {"line": number, "text": line}
                )
            continue
        entry = _ENTRY_RE.match(line)
        assert entry is not None  # the pattern matches every non-empty line
        first = _parse_date(entry.group("first"))
        if first is None:
            errors.append(
                _("Line %(line)d: “%(text)s” is not a date; write it as YYYY-MM-DD, e.g. %(year)d-10-01.")
                % {"line": number, "text": entry.group("first"), "year": year}
            )
            continue
        last = first
        if entry.group("last") is not None:
            parsed_last = _parse_date(entry.group("last"))
            if parsed_last is None:
                errors.append(
                    _(
                        "Line %(line)d: “%(text)s” is not a date; write a range as "
                        "YYYY-MM-DD..YYYY-MM-DD, e.g. %(year)d-10-01..%(year)d-10-07."
                    )
                    % {"line": number, "text": entry.group("last"), "year": year}
                )
                continue
            last = parsed_last
        if last < first:
            errors.append(
                _("Line %(line)d: the range ends (%(last)s) before it starts (%(first)s).")
                % {"line": number, "first": first.isoformat(), "last": last.isoformat()}
            )
            continue
        if (last - first).days + 1 > RANGE_MAX_DAYS:
            errors.append(
                _("Line %(line)d: the range %(first)s..%(last)s is longer than %(max)d days.")
                % {
                    "line": number,
                    "first": first.isoformat(),
                    "last": last.isoformat(),
                    "max": RANGE_MAX_DAYS,
                }
            )
            continue
        outside = [d for d in (first, last) if d.year != year]
        if outside:
            errors.append(
                _(
                    "Line %(line)d: %(date)s is not in %(year)d; enter days of another year in "
                    "that year's schedule."
                )
                % {"line": number, "date": outside[0].isoformat(), "year": year}
            )
            continue
        name = (entry.group("name") or "").strip()
        if len(name) > NAME_MAX_LENGTH:
            errors.append(
                _("Line %(line)d: the name is longer than %(max)d characters.")
                % {"line": number, "max": NAME_MAX_LENGTH}
            )
            continue
        day = first
        while day <= last:
            if day in seen:
                errors.append(
                    _("Line %(line)d: %(date)s is already listed on line %(other)d.")
                    % {"line": number, "date": day.isoformat(), "other": seen[day]}
                )
            else:
                seen[day] = number
                section.append((day, name))
            day += dt.timedelta(days=1)
    if errors:
        raise ValidationFailed(
            _("The schedule text has %(count)d error(s): %(first)s")
            % {"count": len(errors), "first": errors[0]},
            details={"text": errors},
        )
    return sorted(holidays), sorted(adjusted)


def _runs(entries: Iterable[tuple[dt.date, str]]) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive days with the same name, as (first, last, name)."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day, name in sorted(entries):
        if runs and runs[-1][2] == name and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
    return runs


def format_schedule_text(
    holidays: Iterable[tuple[dt.date, str]], adjusted: Iterable[tuple[dt.date, str]]
) -> str:
    """The text `parse_schedule_text` reads back to the same entries (ranges for consecutive days)."""
    lines: list[str] = []
    for heading, entries in (("放假:", holidays), ("调休上班:", adjusted)):
        lines.append(heading)
        for first, last, name in _runs(entries):
            span = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
            lines.append(f"{span} {name}".rstrip())
        lines.append("")
    return "\n".join(lines)
