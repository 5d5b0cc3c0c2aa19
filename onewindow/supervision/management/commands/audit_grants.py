"""Print (or apply) the PostgreSQL privileges of the application's database role (ADR 0024)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from onewindow.core.append_only import grant_statements
from onewindow.supervision.integrity import append_only_tables


class Command(BaseCommand):
    help = (
        "PostgreSQL: print the GRANTs that give the application's role (not the owner that runs the "
        "migrations) SELECT and INSERT only on the audit trail and the case events; --apply runs them "
        "(as the owner)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--role", required=True, help="the role the application connects as")
        parser.add_argument("--schema", default="public")
        parser.add_argument("--apply", action="store_true", help="run the statements on the database")

    def handle(self, *args: Any, **options: Any) -> None:
        statements = grant_statements(options["role"], append_only_tables(), options["schema"])
        if options["apply"]:
            if connection.vendor != "postgresql":
                raise CommandError("roles exist on PostgreSQL only")
            with transaction.atomic(), connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        for sql in statements:
            self.stdout.write(sql + ";")
