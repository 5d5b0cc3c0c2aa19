"""The public progress page: one answer for every wrong input, nothing personal, a rate limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check
from tests.factories import make_item

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _frozen_time():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def food(org):
    return make_item(org, code="SC001", name="食品经营许可")


def intake(org: Any, version: Any, action: str = "accept", **kwargs: Any) -> Any:
    return services.case_intake(
        actor=org.user("clerk"),
        item_code=version.item.code,
        center=org.center,
        applicant={
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "address": "测试市人民路1号",
        },
        channel="window",
        materials=[{"material": m.pk, "received": True} for m in version.materials.all()],
        action=action,
        **kwargs,
    )


def act(case: Any, action: str, user: Any, **params: Any) -> Any:
    case.refresh_from_db()
    return services.case_act(case=case, action=action, version=case.version, actor=user, **params)


def lookup(client: Any, number: str, code: str) -> Any:
    return client.post(reverse("portal:progress"), {"number": number, "code": code})


def test_the_qr_link_opens_the_form_pre_filled(client, org, food):
    case = intake(org, food)
    response = client.get(reverse("portal:progress"), {"number": case.number})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{case.number}"' in body and "办件进度查询" in body
    assert 'data-testid="progress-result"' not in body  # the number alone shows nothing


def test_the_right_number_and_code_show_the_progress_without_personal_data(client, org, food):
    case = intake(org, food)
    act(case, "pass_step", org.user("scjg-reviewer"), opinion="内部意见：材料齐全")
    act(case, "start_special_procedure", org.user("scjg-approver"), kind="hearing", reason="听证会安排")
    response = lookup(client, case.number, PHONE[-4:])
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="progress-result"' in body
    assert "食品经营许可" in body and "审查" in body
    assert 'data-status="suspended"' in body
    assert 'data-testid="progress-pauses"' in body
    assert "2026-03-16" in body  # the due date
    for secret in (
        PHONE,
        ID_NUMBER,
        "138****5678",
        "张三",
        "clerk",
        "scjg-reviewer",
        "scjg-approver",
        "内部意见",
        "听证会安排",
    ):
        assert secret not in body, secret
    # the last four of the ID number work too
    assert lookup(client, case.number, ID_NUMBER[-4:]).status_code == 200


def test_the_correction_list_is_shown(client, org, food):
    first = food.materials.first()
    case = intake(org, food, action="correct", correction_items=[{"material": first.pk, "note": "缺少签字"}])
    body = lookup(client, case.receipt_number, PHONE[-4:]).content.decode()
    assert 'data-testid="progress-corrections"' in body
    assert first.name in body and "缺少签字" in body


def test_every_wrong_input_gets_the_same_answer(client, org, food):
    case = intake(org, food)
    number = case.number
    wrong_check = number[:-1] + ("A" if number[-1] != "A" else "B")
    answers = []
    for n, code in (
        (number, "0000"),
        (wrong_check, PHONE[-4:]),
        (number[:-8] + "0009990", PHONE[-4:]),
        ("not-a-number", PHONE[-4:]),
        (number, "12"),
    ):
        response = lookup(client, n, code)
        assert response.status_code == 404, (n, code)
        body = response.content.decode()
        answers.append(body.split('data-testid="progress-message">')[1].split("</div>")[0])
        assert 'data-testid="progress-result"' not in body
    assert len(set(answers)) == 1
    assert "未查到" in answers[0]


@override_settings(PROGRESS_LOOKUPS_PER_MINUTE=2)
def test_lookups_are_rate_limited(client, org, food):
    case = intake(org, food)
    assert lookup(client, case.number, "0000").status_code == 404
    assert lookup(client, case.number, "0001").status_code == 404
    response = lookup(client, case.number, PHONE[-4:])
    assert response.status_code == 429
    assert 'data-testid="progress-message"' in response.content.decode()
    assert 'data-testid="progress-result"' not in response.content.decode()
    # the API shares the same budget per address
    api = client.get("/api/v1/public/progress", {"number": case.number, "code": PHONE[-4:]})
    assert api.status_code == 429
