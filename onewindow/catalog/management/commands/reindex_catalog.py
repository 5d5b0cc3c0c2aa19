"""Rebuild the catalog's search index from the published versions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onewindow.catalog.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every published catalog item (publishing keeps it up to date; "
        "run this after renaming a department or theme)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        self.stdout.write(f"Indexed {count} published items.")
