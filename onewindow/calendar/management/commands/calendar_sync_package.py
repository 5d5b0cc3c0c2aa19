"""(Re)load the holiday schedules the installed `chinesecalendar` package knows.

Run it after upgrading the package (a new release adds next year once the State Council has
published it). A year an administrator has edited is left alone unless --force: such a year
has a source other than "chinesecalendar …" or was last saved by a user.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onewindow.calendar import package
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.services import calendar_set_year

PACKAGE_SOURCE_PREFIX = "chinesecalendar "


def _edited_by_administrator(row: CalendarYear) -> bool:
    return row.updated_by_id is not None or not row.source.startswith(PACKAGE_SOURCE_PREFIX)


def _stored(row: CalendarYear) -> tuple[list[tuple[Any, str]], list[tuple[Any, str]]]:
    days = list(row.days.order_by("date").values_list("date", "kind", "name"))
    holidays = [(d, n) for d, k, n in days if k == CalendarDay.Kind.HOLIDAY]
    adjusted = [(d, n) for d, k, n in days if k == CalendarDay.Kind.ADJUSTED_WORKDAY]
    return holidays, adjusted


class Command(BaseCommand):
    help = (
        "Load the holiday schedules of every year the installed chinesecalendar package knows, "
        "without overwriting a year an administrator has edited (unless --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite years an administrator has edited.",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        source = package.source()
        rows = {row.year: row for row in CalendarYear.objects.all()}
        created = updated = unchanged = skipped = 0
        for known in package.years():
            row = rows.get(known.year)
            if row is not None and _edited_by_administrator(row) and not force:
                skipped += 1
                self.stdout.write(
                    f"{known.year}: kept (edited by an administrator: source “{row.source}”); "
                    "use --force to overwrite."
                )
                continue
            if (
                row is not None
                and row.confirmed
                and row.source == source
                and _stored(row) == (known.holidays, known.adjusted_workdays)
            ):
                unchanged += 1
                continue
            calendar_set_year(
                year=known.year,
                holidays=known.holidays,
                adjusted_workdays=known.adjusted_workdays,
                confirmed=True,
                source=source,
            )
            if row is None:
                created += 1
            else:
                updated += 1
            self.stdout.write(f"{known.year}: {'loaded' if row is None else 'updated'} from {source}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{source}: {created} created, {updated} updated, {unchanged} unchanged, "
                f"{skipped} kept as edited."
            )
        )
