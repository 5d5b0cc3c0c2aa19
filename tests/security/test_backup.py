"""Issue 12 §6 (SQLite restore) and §4 (owner-only backups): `manage.py backup` writes a checked,
owner-only, WAL-safe copy, and the documented restore procedure brings the data back
(docs/operations.md, "Backup" and "Restore")."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from onewindow.core.backup import BackupError, backup_restore, backup_verify, backup_write
from onewindow.org.models import Center


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _wal_database(path: Path) -> sqlite3.Connection:
    """A WAL database whose last commits are still only in the -wal file (the writer stays open)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # nothing is copied back into the main file
    conn.execute("CREATE TABLE cases (number TEXT PRIMARY KEY, status TEXT)")
    conn.execute("INSERT INTO cases VALUES ('SFS2026120700001A', 'accepted')")
    conn.commit()
    return conn


def test_a_backup_is_owner_only_checked_and_holds_the_commits_still_in_the_wal(tmp_path: Path) -> None:
    database = tmp_path / "live.sqlite3"
    writer = _wal_database(database)
    try:
        assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0
        old_umask = os.umask(0o022)
        try:
            backup = backup_write(database=database, folder=tmp_path / "backups")
        finally:
            os.umask(old_umask)
        assert _mode(tmp_path / "backups") == 0o700
        assert _mode(backup) == 0o600
        copy = sqlite3.connect(backup)
        assert copy.execute("SELECT status FROM cases").fetchall() == [("accepted",)]
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        copy.close()
    finally:
        writer.close()


def test_the_restore_procedure_brings_back_the_backed_up_data(tmp_path: Path) -> None:
    database = tmp_path / "live.sqlite3"
    writer = _wal_database(database)
    backup = backup_write(database=database, folder=tmp_path / "backups")
    writer.execute("UPDATE cases SET status = 'approved'")  # a change after the backup
    writer.execute("INSERT INTO cases VALUES ('SFS2026120700002B', 'accepted')")
    writer.commit()
    writer.close()

    scratch = tmp_path / "scratch" / "restored.sqlite3"
    backup_restore(backup=backup, target=scratch)
    assert _mode(scratch) == 0o600
    restored = sqlite3.connect(scratch)
    rows = restored.execute("SELECT number, status FROM cases").fetchall()
    assert rows == [("SFS2026120700001A", "accepted")]
    assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    restored.close()

    # restoring over the (stopped) live database, whose -wal still holds later commits
    backup_restore(backup=backup, target=database)
    live = sqlite3.connect(database)
    assert live.execute("SELECT number, status FROM cases").fetchall() == [("SFS2026120700001A", "accepted")]
    live.close()


def test_a_damaged_backup_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(BackupError):
        backup_verify(broken)
    with pytest.raises(BackupError):
        backup_restore(backup=broken, target=tmp_path / "target.sqlite3")
    assert not (tmp_path / "target.sqlite3").exists()
    with pytest.raises(BackupError):
        backup_verify(tmp_path / "missing.sqlite3")


@pytest.mark.django_db(transaction=True)
def test_manage_py_backup_and_restore_of_the_application_database(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        with pytest.raises(CommandError, match="pg_dump"):
            call_command("backup", folder=str(tmp_path / "backups"))
        return
    Center.objects.create(code="BAK", name="备份前的名字", level=Center.Level.CITY)
    call_command("backup", folder=str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").glob("onewindow-*.sqlite3")
    assert _mode(backup) == 0o600 and _mode(tmp_path / "backups") == 0o700
    Center.objects.filter(code="BAK").update(name="备份后改的名字")

    call_command("backup", verify=str(backup))
    scratch = tmp_path / "restore" / "onewindow.sqlite3"
    call_command("backup", restore=str(backup), to=str(scratch))
    restored = sqlite3.connect(scratch)
    rows = restored.execute("SELECT name FROM org_center WHERE code = 'BAK'").fetchall()
    assert rows == [("备份前的名字",)]
    assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    restored.close()
    with pytest.raises(CommandError):
        call_command("backup", restore=str(backup))  # --to is required
