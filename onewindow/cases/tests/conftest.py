"""Fixtures of the cases tests: the 2026 holiday schedule and helpers to run cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from onewindow.calendar import selectors as calendar_selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check

# 2026 as published by the State Council (the chinese-calendar package agrees).
HOLIDAYS_2026 = [
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
    "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
]  # fmt: skip
ADJUSTED_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def load_calendar_2026() -> None:
    year, _ = CalendarYear.objects.update_or_create(
        year=2026, defaults={"confirmed": True, "source": "tests"}
    )
    CalendarDay.objects.filter(year=year).delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=dt.date.fromisoformat(d), year=year, kind=CalendarDay.Kind.HOLIDAY)
            for d in HOLIDAYS_2026
        ]
        + [
            CalendarDay(date=dt.date.fromisoformat(d), year=year, kind=CalendarDay.Kind.ADJUSTED_WORKDAY)
            for d in ADJUSTED_2026
        ]
    )
    calendar_selectors.invalidate()


@pytest.fixture
def calendar_2026(db: Any) -> None:
    load_calendar_2026()


def resident_id(body17: str = "11010119900307123") -> str:
    return body17 + resident_id_check(body17)


def applicant(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13812345678",
        "address": "测试市人民路1号",
    }
    data.update(overrides)
    return data


def all_materials(version: Any) -> list[dict[str, Any]]:
    return [{"material": m.pk, "received": True} for m in version.materials.all()]


def intake(org: Any, version: Any, action: str = "accept", **kwargs: Any) -> Any:
    params: dict[str, Any] = {
        "actor": org.user("clerk"),
        "item_code": version.item.code,
        "center": org.center,
        "applicant": applicant(),
        "channel": "window",
        "materials": all_materials(version),
        "action": action,
    }
    params.update(kwargs)
    return services.case_intake(**params)


def act(case: Any, action: str, user: Any, **params: Any) -> Any:
    case.refresh_from_db()
    return services.case_act(case=case, action=action, version=case.version, actor=user, **params)


@pytest.fixture
def on_commit_now(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, Any]]]:
    """Run on_commit callbacks at once and capture the messages sent."""
    sent: list[tuple[str, str, dict[str, Any]]] = []

    def fake_send(template_code: str, recipient: str, context: dict[str, Any], related_id: str) -> None:
        sent.append((template_code, recipient, context))

    monkeypatch.setattr(services, "_send_message", fake_send)
    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
    return sent
