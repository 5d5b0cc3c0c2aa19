"""`manage.py backup`: an online, checked, owner-only backup of the SQLite database; `--verify`
and `--restore` for the restore procedure (docs/operations.md, onewindow.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from onewindow.core.backup import BackupError, backup_restore, backup_verify, backup_write


class Command(BaseCommand):
    help = _(
        "Back up the SQLite database into BACKUP_DIR (owner-only), checked with PRAGMA "
        "integrity_check. --verify FILE checks a backup; --restore FILE --to PATH restores one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", help=_("Write the backup here instead of BACKUP_DIR."))
        parser.add_argument("--verify", metavar="FILE", help=_("Only check this backup file."))
        parser.add_argument("--restore", metavar="FILE", help=_("Restore this backup file ..."))
        parser.add_argument(
            "--to",
            metavar="PATH",
            help=_("... into this database file (stop the web and the worker first if it is the live one)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                backup_verify(Path(options["verify"]))
                self.stdout.write(_("%(path)s: integrity check ok.") % {"path": options["verify"]})
                return
            if options["restore"]:
                if not options["to"]:
                    raise CommandError(_("--restore needs --to PATH: the database file to restore into."))
                backup_restore(backup=Path(options["restore"]), target=Path(options["to"]))
                self.stdout.write(
                    _("Restored %(backup)s into %(target)s; integrity check ok.")
                    % {"backup": options["restore"], "target": options["to"]}
                )
                return
            if connection.vendor != "sqlite":
                raise CommandError(
                    _(
                        "This command backs up SQLite only: "
                        "back up PostgreSQL with pg_dump (docs/operations.md)."
                    )
                )
            folder = Path(options["folder"]) if options["folder"] else Path(settings.BACKUP_DIR)
            target = backup_write(database=Path(str(connection.settings_dict["NAME"])), folder=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Backup written: %(path)s (integrity check ok).") % {"path": target})
