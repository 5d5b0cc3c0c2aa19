"""Fixtures of the consultation tests: the org, the 2026 calendar, an item and an applicant."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from onewindow.cases.tests.conftest import calendar_2026  # noqa: F401
from onewindow.identity.sessions import Applicant
from tests.applicants import make_person
from tests.factories import make_item

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=TZ)


@pytest.fixture
def item(org: Any, calendar_2026: None) -> Any:  # noqa: F811
    version = make_item(org, code="SC001", name="食品经营许可")
    version.online_allowed = True
    version.save(update_fields=["online_allowed"])
    return version


@pytest.fixture
def person(db: Any) -> Any:
    return make_person(phone="13900000001", name="李四")


@pytest.fixture
def applicant(person: Any) -> Applicant:
    return Applicant(person=person)
