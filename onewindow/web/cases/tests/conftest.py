"""Fixtures of the case page tests: a frozen Monday in 2026, an item with the full process
template, a certificate clerk, and helpers that drive cases through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check
from onewindow.cases.models import Case
from tests.factories import make_item, make_user

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")
PHONE = "13812345678"
FULL = [
    ("受理", "accept", "accept", 1),
    ("审查", "review", "review", 4),
    ("审核", "approve", "approve", 2),
    ("决定", "decide", "decide", 2),
    ("制证", "certify", "certify", 1),
]


@pytest.fixture(autouse=True)
def _frozen_time():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def cx(org):
    org.users["scjg-certifier"] = make_user(
        "scjg-certifier",
        center=org.center,
        department=org.dept_a,
        roles=("reviewer",),
        posts=[org.posts["certify"]],
    )
    return org


@pytest.fixture
def food(cx):
    version = make_item(cx, code="SC001", name="食品经营许可", steps=FULL)
    version.green_channel_eligible = True
    version.save(update_fields=["green_channel_eligible"])
    return version


@pytest.fixture
def tax(cx):
    return make_item(cx, code="SW001", name="税务登记", department=cx.dept_b, steps=FULL)


def applicant(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "address": "测试市人民路1号",
    }
    data.update(overrides)
    return data


def intake(org: Any, version: Any, action: str = "accept", **kwargs: Any) -> Case:
    params: dict[str, Any] = {
        "actor": org.user("clerk"),
        "item_code": version.item.code,
        "center": org.center,
        "applicant": applicant(),
        "channel": "window",
        "materials": [{"material": m.pk, "received": True} for m in version.materials.all()],
        "action": action,
    }
    params.update(kwargs)
    return services.case_intake(**params)


def act(case: Case, action: str, user: Any, **params: Any) -> Case:
    case.refresh_from_db()
    return services.case_act(case=case, action=action, version=case.version, actor=user, **params)
