"""Shared pytest fixtures: an organisation with every role, for any app's tests."""

from __future__ import annotations

import pytest

from tests.factories import OrgFixture, build_org


@pytest.fixture
def org(db) -> OrgFixture:
    """A center with two departments (SCJG, SW), a general window, posts, and one account per role."""
    return build_org()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from onewindow.calendar import selectors

    selectors.invalidate()
    yield
    selectors.invalidate()
