"""SQLite write transactions queue on the lock file: the next writer starts as soon as the
current one commits, never in between, and gives up with "database is locked" after its timeout."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.utils import OperationalError

from onewindow.core.db.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connections["default"].vendor != "sqlite", reason="SQLite only")


def _wrapper(path: Path, alias: str, timeout: float = 20) -> DatabaseWrapper:
    settings = dict(connections["default"].settings_dict)
    settings["NAME"] = str(path)
    settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "timeout": timeout}
    wrapper = DatabaseWrapper(settings, alias=alias)
    wrapper.ensure_connection()  # as Django's atomic() does before it begins
    return wrapper


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():  # these tests open their own database files
        yield


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "queue.sqlite3"
    setup = _wrapper(path, "setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE log (who TEXT, at REAL)")
    setup.close()
    return path


def _write(w: DatabaseWrapper, who: str, hold: float, log: list[tuple[str, str, float]]) -> None:
    w._start_transaction_under_autocommit()
    log.append((who, "begin", time.monotonic()))
    with w.cursor() as cursor:
        cursor.execute("INSERT INTO log VALUES (%s, %s)", [who, time.monotonic()])
    time.sleep(hold)
    log.append((who, "commit", time.monotonic()))
    w.commit()


def test_a_second_writer_waits_for_the_first_commit_and_then_goes(db_file: Path) -> None:
    first = _wrapper(db_file, "a")
    log: list[tuple[str, str, float]] = []
    first._start_transaction_under_autocommit()
    log.append(("a", "begin", time.monotonic()))

    def second_writer() -> None:
        second = _wrapper(db_file, "b")  # a connection belongs to its thread
        _write(second, "b", 0, log)
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.2)
    assert [e[:2] for e in log] == [("a", "begin")]  # b is queued
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO log VALUES ('a', 0)")
    log.append(("a", "commit", time.monotonic()))
    first.commit()
    thread.join(5)
    assert [e[:2] for e in log] == [("a", "begin"), ("a", "commit"), ("b", "begin"), ("b", "commit")]
    with first.cursor() as cursor:
        cursor.execute("SELECT who FROM log ORDER BY rowid")
        assert [r[0] for r in cursor.fetchall()] == ["a", "b"]
    first.close()


def test_a_rollback_or_a_closed_connection_releases_the_lock(db_file: Path) -> None:
    first, second = _wrapper(db_file, "a", timeout=1), _wrapper(db_file, "b", timeout=1)
    first._start_transaction_under_autocommit()
    first.rollback()
    second._start_transaction_under_autocommit()  # free again
    second.commit()
    first._start_transaction_under_autocommit()
    first.close()
    second._start_transaction_under_autocommit()
    second.commit()
    second.close()


def test_a_writer_gives_up_after_its_timeout_like_sqlite(db_file: Path) -> None:
    first, second = _wrapper(db_file, "a"), _wrapper(db_file, "b", timeout=0.2)
    first._start_transaction_under_autocommit()
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"):
        second._start_transaction_under_autocommit()
    assert time.monotonic() - started >= 0.2  # it waited its whole timeout first
    assert not second._writer_held
    first.commit()
    second._start_transaction_under_autocommit()
    second.commit()
    first.close()
    second.close()


def test_many_writers_in_threads_each_commit_once(db_file: Path) -> None:
    errors: list[Any] = []
    log: list[tuple[str, str, float]] = []

    def worker(i: int) -> None:
        w = _wrapper(db_file, f"w{i}")
        try:
            for j in range(10):
                _write(w, f"{i}-{j}", 0.001, log)
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            w.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    # transactions never overlap: every begin follows the previous commit
    kinds = [kind for _, kind, _ in log]
    assert kinds == ["begin", "commit"] * 60


def test_sqlite_checkpoints_only_as_a_safety_net(db_file: Path) -> None:
    from onewindow.core.db.sqlite3 import base

    w = _wrapper(db_file, "a")
    with w.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == base.AUTOCHECKPOINT_PAGES
    w.close()


def test_every_nth_commit_checkpoints_the_log_outside_the_writer_queue(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl
    import os

    from onewindow.core.db.sqlite3 import base

    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 3)
    w = _wrapper(db_file, "a")
    seen: list[tuple[tuple[int, int, int] | None, bool]] = []
    checkpoint = base.DatabaseWrapper.checkpoint

    def spy(self: DatabaseWrapper) -> tuple[int, int, int] | None:
        fd = os.open(str(db_file) + ".writelock", os.O_RDWR)
        try:  # another writer could take the queue while the checkpoint runs
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            free = True
        except BlockingIOError:
            free = False
        finally:
            os.close(fd)
        result = checkpoint(self)
        seen.append((result, free))
        return result

    monkeypatch.setattr(base.DatabaseWrapper, "checkpoint", spy)
    log: list[tuple[str, str, float]] = []
    for i in range(7):
        _write(w, str(i), 0, log)
        assert len(seen) == (i + 1) // 3
    assert len(seen) == 2
    for result, free in seen:
        assert free
        assert result is not None
        busy, frames, done = result
        assert busy == 0 and frames > 0 and done == frames  # the whole log is back in the file
    w.close()


def test_a_checkpoint_is_skipped_inside_a_transaction(db_file: Path) -> None:
    w = _wrapper(db_file, "a")
    w._start_transaction_under_autocommit()
    with w.cursor() as cursor:
        cursor.execute("INSERT INTO log VALUES ('a', 0)")
    assert w.checkpoint() is None
    w.commit()
    result = w.checkpoint()
    assert result is not None and result[0] == 0
    w.close()
