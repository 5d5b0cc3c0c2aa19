"""Fixtures of the supervision tests: the cases fixtures (org + the 2026 calendar)."""

from collections.abc import Iterator

import pytest

from onewindow.cases.tests.conftest import calendar_2026, cx  # noqa: F401
from onewindow.supervision.selectors import forget_thresholds


@pytest.fixture(autouse=True)
def _fresh_thresholds() -> Iterator[None]:
    forget_thresholds()
    yield
    forget_thresholds()
