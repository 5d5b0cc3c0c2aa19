"""`manage.py queue_day_end [--today]`: the queue's day end now (the periodic task does it
every 15 minutes for earlier days; `--today` also closes today's leftovers after closing time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onewindow.hall.dayend import queue_day_end


class Command(BaseCommand):
    help = "Close the queue's leftover tickets as not served and the windows left open."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", action="store_true", help="Close today's leftovers too.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = queue_day_end(closing_today=bool(options["today"]))
        self.stdout.write(
            f"{result.tickets} tickets not served, {result.windows} windows closed, "
            f"{result.no_shows} no-shows"
        )
