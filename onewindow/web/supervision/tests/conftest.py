"""Fixtures of the supervision page tests: a case accepted on a frozen Monday in 2026, and a
helper that moves time past its deadline and runs the real sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check
from onewindow.cases.models import Case
from tests.factories import make_item

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
LATE = dt.datetime(2026, 3, 24, 2, 0, tzinfo=dt.UTC)  # three weeks later: past the 10-day limit
ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")


@pytest.fixture
def traveller():
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    cache.clear()


@pytest.fixture
def food(org, traveller):
    return make_item(org, code="SC001", name="食品经营许可", promised_limit=10, legal_limit=20)


@pytest.fixture
def tax(org, traveller):
    return make_item(
        org, code="SW001", name="税务登记", department=org.dept_b, promised_limit=10, legal_limit=20
    )


def intake(org: Any, version: Any) -> Case:
    return services.case_intake(
        actor=org.user("clerk"),
        item_code=version.item.code,
        center=org.center,
        applicant={
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "phone": "13812345678",
            "address": "测试市人民路1号",
        },
        channel="window",
        materials=[{"material": m.pk, "received": True} for m in version.materials.all()],
        action="accept",
    )


def late_and_swept(traveller: Any, when: dt.datetime = LATE) -> Any:
    """Move the clock to `when` and run the real sweep; returns its counts."""
    from onewindow.supervision import sweep

    traveller.move_to(when)
    return sweep.sweep()


@pytest.fixture
def red_case(org, food, traveller) -> Case:
    case = intake(org, food)
    late_and_swept(traveller)
    case.refresh_from_db()
    return case
