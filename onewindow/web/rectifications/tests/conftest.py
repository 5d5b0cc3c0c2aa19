"""Fixtures of the feedback tests: the cases tests' organisation, calendar and case driver."""

from onewindow.cases.tests.conftest import calendar_2026, cx  # noqa: F401  (fixtures)
