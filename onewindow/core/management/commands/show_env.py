"""Print every environment variable onewindow reads, with its default and help text."""

from __future__ import annotations

import importlib
import os
import textwrap
from typing import Any

from django.core.management.base import BaseCommand

SECRET_NAMES = ("SECRET_KEY", "SMS_GATEWAY_TOKEN", "DATABASE_URL", "REDIS_URL")


class Command(BaseCommand):
    help = (
        "List the environment variables onewindow reads, with defaults and help (--values: current values)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--values",
            action="store_true",
            help="Also show whether each variable is set here (secrets and URLs with passwords are hidden).",
        )

    def handle(self, *args: Any, values: bool = False, **options: Any) -> None:
        # The table lives in the settings layer (onewindow.conf.env), above core. This operator
        # command only prints it, and the settings are loaded before any command runs, so it is
        # looked up at run time rather than imported by the core package.
        variables = importlib.import_module("onewindow.conf.env").VARIABLES
        for name, var in variables.items():
            default = var.default if var.default not in (None, "") else "(unset)"
            self.stdout.write(self.style.MIGRATE_HEADING(name))
            self.stdout.write(f"  default: {default}")
            if values:
                current = os.environ.get(name)
                shown: str
                if current in (None, ""):
                    shown = "(not set: the default applies)"
                elif name in SECRET_NAMES:
                    shown = "(set, hidden)"
                else:
                    shown = str(current)
                self.stdout.write(f"  current: {shown}")
            for line in textwrap.wrap(var.help, width=88):
                self.stdout.write(f"  {line}")
            self.stdout.write("")
