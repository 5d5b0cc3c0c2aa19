"""SQLite whose write transactions queue on a lock file instead of SQLite's sleeping busy handler.

Every write transaction starts with `BEGIN IMMEDIATE` (conf/settings.py, ADR 0004). When another
connection holds the write lock, SQLite's busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … 100 ms
between attempts: with a few web workers writing at once the waits escalate, and a request that
needed 3 ms waits 50–600 ms (docs/benchmarks.md). Here each connection first takes an exclusive
`flock` on `<database>.writelock`, retrying every 0.1–2 ms, so writers follow each other within a
fraction of a millisecond; the lock is released after COMMIT or ROLLBACK (and when the connection
closes). Giving up after the connection's `timeout` raises the same "database is locked" error
SQLite would. In-memory databases (one process) take no lock. See docs/adr/0017-the-write-path.md.

Checkpoints (copying the write-ahead log back into the database file) run outside that queue.
SQLite's automatic checkpoint runs inside the COMMIT that crosses `wal_autocheckpoint` pages (and
fsyncs, with synchronous=NORMAL), i.e. while the committing connection still holds the lock file:
every writer behind it waited, and the checkpoints were a fifth of an intake's time. Here each
connection raises `wal_autocheckpoint` to a safety net (AUTOCHECKPOINT_PAGES) and, every
CHECKPOINT_EVERY commits, runs a PASSIVE checkpoint itself after releasing the lock; PASSIVE never
waits for readers or writers (ADR 0017).
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base, operations
from django.db.utils import OperationalError

FIRST_WAIT = 0.0001
LONGEST_WAIT = 0.002
# SQLite's own checkpoint only if ours fall behind (about 40 MB of log; its default is 1,000 pages)
AUTOCHECKPOINT_PAGES = 10_000
CHECKPOINT_EVERY = 64  # commits of one connection between its checkpoints
# The test runner's flush may empty the append-only tables (core.append_only): set by conftest.py
# only. Otherwise their DELETE trigger refuses a flush too (`manage.py flush` keeps the audit trail).
ALLOW_FLUSH = False
FLUSH_TABLE = "ow_flush_allowed"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not ALLOW_FLUSH or not statements:
            return statements
        # run in the flush's one transaction: the append-only DELETE triggers let rows go only
        # while this table holds a row (the raw SQL is the flush's own, as Django's)
        return [
            f"INSERT INTO {FLUSH_TABLE} (allowed) VALUES (1);",  # noqa: S608 (a constant name)
            *statements,
            f"DELETE FROM {FLUSH_TABLE};",  # noqa: S608
        ]


def owner_only(name: str) -> None:
    """The database file and its -wal and -shm files are this user's only (0600; issue 12 §4).

    A missing database file is created empty with that mode before SQLite opens it (SQLite
    accepts an empty file as a new database, and gives its -wal and -shm files the database
    file's mode); files an older release left readable by others are tightened when ours."""
    if not name:
        return
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return  # no such folder: SQLite reports it when it opens the file
    else:
        os.close(fd)
    for path in (name, name + "-wal", name + "-shm"):
        try:
            info = os.stat(path)
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_held = False
        self._commits = 0

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if not self.is_in_memory_db():
            owner_only(str(self.settings_dict.get("NAME") or ""))
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        return conn

    def _writer_lock_path(self) -> str | None:
        name = str(self.settings_dict.get("NAME") or "")
        if not name or self.is_in_memory_db():
            return None
        return name + ".writelock"

    def _take_writer_lock(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_held:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        wait = FIRST_WAIT
        while True:
            try:
                fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
        self._writer_held = True

    def _release_writer_lock(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            self._writer_held = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in the stubs
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> None:
        wrote = self._writer_held
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()
        if wrote:
            self._commits += 1
            if self._commits >= CHECKPOINT_EVERY:
                self.checkpoint()

    def checkpoint(self) -> tuple[int, int, int] | None:
        """A PASSIVE checkpoint on this connection, outside any transaction and outside the
        writer queue: (busy, frames in the log, frames checkpointed), or None when there is
        nothing to do (no connection, an open transaction, an in-memory database)."""
        self._commits = 0
        if self.connection is None or self.is_in_memory_db() or self.connection.in_transaction:
            return None
        row = self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return (int(row[0]), int(row[1]), int(row[2])) if row else None

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
