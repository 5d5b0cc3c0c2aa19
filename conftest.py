"""Shared pytest fixtures: an organisation with every role, for any app's tests.

The code under test takes the same branches as in production: its per-process caches stay on.
What a test's rollback would leave stale in them is cleared here, explicitly, before each test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from tests.factories import OrgFixture, build_org


@pytest.fixture
def org(db) -> OrgFixture:
    """A center with two departments (SCJG, SW), a general window, posts, and one account per role."""
    return build_org()


def _clear_process_caches() -> None:
    from django.core.cache import cache
    from huey.contrib.djhuey import HUEY

    from onewindow.appointments import plans
    from onewindow.calendar import selectors
    from onewindow.cases import versions
    from onewindow.catalog import definitions
    from onewindow.notifications import services as notifications
    from onewindow.org import actors

    selectors.invalidate()
    plans.forget()
    versions.clear_cache()
    definitions.forget()
    notifications.forget_templates()
    actors.forget()
    cache.clear()
    HUEY.flush()  # tasks a test scheduled (Huey's immediate mode keeps them in memory)


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    _clear_process_caches()
    yield
    _clear_process_caches()


@pytest.fixture
def run_scheduled_tasks() -> Callable[[], int]:
    """Run the tasks scheduled for later (e.g. the outbox wake-up), as the consumer would once
    their time comes; returns how many ran."""
    from huey.contrib.djhuey import HUEY

    def run() -> int:
        later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
        due = HUEY.read_schedule(later)
        for task in due:
            HUEY.execute(task, timestamp=later)
        return len(due)

    return run


def pytest_configure(config: pytest.Config) -> None:
    """The test runner's flush (TransactionTestCase) may empty the append-only tables on SQLite
    (core.append_only; on PostgreSQL it truncates as the owner role, which no trigger refuses)."""
    from onewindow.core.db.sqlite3 import base

    base.ALLOW_FLUSH = True
