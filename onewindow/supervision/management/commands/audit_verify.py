"""Verify the hash chains of the audit trail and the case histories (ADR 0024)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onewindow.supervision.integrity import trails_verify


class Command(BaseCommand):
    help = (
        "Verify the audit trail and every case's event history (hash chains, heads, append-only "
        "triggers). Prints the first broken link of each chain; exits with 1 when one is broken."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--limit", type=int, default=100, help="report at most this many broken case chains"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = trails_verify(limit=options["limit"])
        for b in result.breaks:
            self.stdout.write(b.line())
        if not result.ok:
            raise CommandError(f"{len(result.breaks)} broken chain(s)", returncode=1)
        self.stdout.write("audit trail and case histories: intact")
