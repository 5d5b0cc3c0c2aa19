"""Backing up and restoring the SQLite database (`manage.py backup`; docs/operations.md).

A backup goes through SQLite's online backup API (Python's `sqlite3.Connection.backup`): it
copies a consistent snapshot of the database *including* the commits still in the write-ahead
log, while the web and the worker keep running; a plain file copy of a WAL database can miss
them or catch a half-written page. Every backup is checked with `PRAGMA integrity_check`.

Backups are this user's only: the file 0600 in a folder 0700 (issue 12 §4). A restore copies a
checked backup into a database file through the same API (so a stale -wal file next to the
target is rolled into the restored content, never mixed with it), also owner-only.
PostgreSQL is backed up with pg_dump (docs/operations.md), not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from django.utils.translation import gettext as _

from onewindow.core import clock


class BackupError(Exception):
    """A backup or restore that could not be done (the message says why)."""


def _private_file(path: Path) -> None:
    """Create `path` empty and owner-only (0600) unless it exists, then make sure of the mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    path.chmod(0o600)


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_verify(path: Path) -> None:
    """Raise BackupError unless `path` is a SQLite database that passes PRAGMA integrity_check."""
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": path})
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("%(path)s is not a usable SQLite database: %(error)s") % {"path": path, "error": exc}
        ) from exc
    if rows != [("ok",)]:
        problems = "; ".join(str(r[0]) for r in rows[:5])
        raise BackupError(
            _("%(path)s fails the integrity check: %(problems)s") % {"path": path, "problems": problems}
        )


def backup_write(*, database: Path, folder: Path) -> Path:
    """Back up the SQLite database file `database` into `folder` (created 0700); returns the
    new file (0600, named onewindow-YYYYMMDD-HHMMSS.sqlite3 in UTC), checked."""
    if not database.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": database})
    _private_folder(folder)
    stamp = clock.now().astimezone(dt.UTC)
    target = folder / f"onewindow-{stamp:%Y%m%d-%H%M%S}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"onewindow-{stamp:%Y%m%d-%H%M%S}-{counter}.sqlite3"
    _private_file(target)
    _copy(database, target)
    conn = sqlite3.connect(target)
    try:  # a self-contained file: no -wal next to it is needed to read it
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    backup_verify(target)
    return target


def backup_restore(*, backup: Path, target: Path) -> None:
    """Copy the checked backup `backup` into the database file `target` (created 0600). Stop
    the web and the worker first when `target` is the live database (docs/operations.md)."""
    backup_verify(backup)
    if not target.parent.exists():
        _private_folder(target.parent)
    _private_file(target)
    _copy(backup, target)
    backup_verify(target)
