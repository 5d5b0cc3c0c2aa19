"""Write a center's catalog workbook (.xlsx) to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.catalog.excel import catalog_export_workbook
from onewindow.org.models import Center


class Command(BaseCommand):
    help = "Export the published catalog, themes and bundles of a center as an Excel workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the .xlsx file.")
        parser.add_argument("--center", required=True, help="Code of the center.")

    def handle(self, *args: Any, path: str, center: str, **options: Any) -> None:
        found = Center.objects.filter(code=center).first()
        if found is None:
            raise CommandError(f"Unknown center {center}.")
        data = catalog_export_workbook(center=found)
        Path(path).write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data)} bytes).")
