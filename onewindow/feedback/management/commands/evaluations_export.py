"""Write the evaluations of a period as a CSV file in an external coding (feedback.exports)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.feedback import exports
from onewindow.org.models import Center


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Export the evaluations submitted in a period as CSV: --format gbt39046 (GB/T 39046, "
        "1 = very satisfied) or national (the national upload, 5 = very satisfied); masked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=exports.FORMATS, dest="fmt")
        parser.add_argument("--from", dest="date_from", help="First day (YYYY-MM-DD, local), inclusive.")
        parser.add_argument("--to", dest="date_to", help="Last day (YYYY-MM-DD, local), inclusive.")
        parser.add_argument("--center", help="Code of one center (default: every center).")
        parser.add_argument(
            "--output", help="The file to write (default: evaluations-<format>-<from>-<to>.csv)."
        )

    def handle(self, *args: Any, fmt: str, **options: Any) -> None:
        date_from, date_to = _date(options.get("date_from")), _date(options.get("date_to"))
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to.")
        center_id = None
        if options.get("center"):
            center = Center.objects.filter(code=str(options["center"]).strip().upper()).first()
            if center is None:
                raise CommandError(f"Unknown center {options['center']}.")
            center_id = center.pk
        qs = exports.evaluations_to_export(fmt=fmt, date_from=date_from, date_to=date_to, center_id=center_id)
        data = exports.to_csv(qs.iterator(chunk_size=2000), fmt)
        path = Path(options.get("output") or exports.filename(fmt, date_from, date_to))
        path.write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data)} bytes).")
