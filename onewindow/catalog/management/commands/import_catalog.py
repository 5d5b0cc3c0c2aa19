"""Import a catalog workbook (.xlsx) into a center: all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.catalog.excel import catalog_import_workbook, error_report
from onewindow.core.errors import ValidationFailed
from onewindow.org.models import Center


class Command(BaseCommand):
    help = (
        "Import a catalog workbook into a center. Nothing is written when any cell is wrong: the "
        "error report names the sheet, row and column of every problem, and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .xlsx file to import.")
        parser.add_argument("--center", required=True, help="Code of the center.")

    def handle(self, *args: Any, path: str, center: str, **options: Any) -> None:
        found = Center.objects.filter(code=center).first()
        if found is None:
            raise CommandError(f"Unknown center {center}.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = catalog_import_workbook(center=found, data=file.read_bytes())
        except ValidationFailed as exc:
            details = exc.details if isinstance(exc.details, list) else []
            for line in error_report(details):
                self.stderr.write(line)
            raise CommandError(exc.message) from exc
        self.stdout.write(result.summary())
        for line in error_report(result.warnings):
            self.stdout.write(self.style.WARNING(line))
