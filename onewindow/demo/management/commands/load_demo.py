"""`manage.py load_demo`: load the demo center (used by `make run` after migrate)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from onewindow.core.errors import DomainError
from onewindow.demo.history_plan import DEFAULT_COUNT
from onewindow.demo.loader import load_demo


class Command(BaseCommand):
    help = _(
        "Load the demo center (示范市政务服务中心): departments, windows, staff accounts with the "
        "password onewindow-demo, the catalog, two bundles and about three months of case history. "
        "Safe to run again. Refused under the production settings profile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=_(
                "Load even under the production settings profile (only for a throw-away copy: the demo "
                "accounts have a published password)."
            ),
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help=_("Load the center without its three months of case history (faster; for tests)."),
        )
        parser.add_argument(
            "--history-cases",
            type=int,
            default=None,
            help=_("How many cases the history has (default %(count)s).") % {"count": DEFAULT_COUNT},
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=_("Set every demo account's password back to the demo password."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load_demo(
                stdout=self.stdout,
                allow_production=options["allow_production"],
                reset_passwords=options["reset_passwords"],
                history=not options["no_history"],
                history_cases=options["history_cases"],
            )
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, list) else []
            lines = [exc.message] + [
                _("  %(where)s %(field)s: %(message)s")
                % {
                    "where": d.get("item") or d.get("bundle") or d.get("theme") or "",
                    "field": d.get("field", ""),
                    "message": d.get("message", ""),
                }
                for d in details[:20]
                if isinstance(d, dict)
            ]
            raise CommandError("\n".join(lines)) from exc
