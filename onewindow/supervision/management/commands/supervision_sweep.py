"""Run one supervision sweep now and print what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onewindow.supervision.sweep import sweep


class Command(BaseCommand):
    help = "Run the electronic supervision sweep once (warnings, overdue, anomalies) and print the counts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep(batch_size=options["batch_size"])
        if not result.counts:
            self.stdout.write("nothing to do")
        for kind, n in sorted(result.counts.items()):
            self.stdout.write(f"{kind}: {n}")
