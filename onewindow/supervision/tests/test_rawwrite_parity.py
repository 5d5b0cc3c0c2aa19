"""Parity: the rows onewindow.core.rawwrite writes are the rows the ORM writes. The same rows of
every model the sweep writes raw go once through `bulk_create` and once through
`rawwrite.insert` (on the database the suite runs on: SQLite, PostgreSQL), and are read back
through the ORM and compared column by column (but the primary key and the crossing key)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import models

from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import at, intake, item
from onewindow.core import rawwrite
from onewindow.supervision.models import AccountabilityRecord, Flag, Reminder, SupervisionOrder

NOW = dt.datetime(2026, 9, 8, 1, 2, 3, 456789, tzinfo=dt.UTC)


def rows(model: type[models.Model], step: CaseStep, tag: str) -> list[dict[str, Any]]:
    base = {"case_id": step.case_id, "department_id": step.department_id}
    if model is Flag:
        return [
            {
                **base,
                "step_id": step.pk,
                "level": "red",
                "kind": "step_red",
                "key": f"{tag}1",
                "due_at": step.due_at,
                "raised_at": NOW,
                "detail": {"number": "X", "n": 1, "nested": {"a": [1, "二"]}},
            },
            {**base, "level": "anomaly", "kind": "pause_overrun", "key": f"{tag}2", "raised_at": NOW},
        ]
    if model is Reminder:
        return [
            {
                **base,
                "step_id": step.pk,
                "post_id": step.post_id,
                "handler_id": None,
                "key": f"{tag}1",
                "created_at": NOW,
            }
        ]
    if model is SupervisionOrder:
        return [
            {
                **base,
                "key": f"{tag}1",
                "demand": "办件超期：请说明。",
                "issued_at": NOW,
                "reply_due_at": NOW + dt.timedelta(days=3),
            }
        ]
    return [
        {
            **base,
            "step_id": step.pk,
            "post_id": step.post_id,
            "person_id": None,
            "key": f"{tag}1",
            "reason": "Step overdue.",
            "created_at": NOW,
        }
    ]


def read_back(model: type[models.Model], tag: str) -> list[dict[str, Any]]:
    found = list(model.objects.filter(key__contains=tag).order_by("key").values())  # type: ignore[attr-defined]
    for row in found:
        del row["id"]
        row["key"] = row["key"].replace(tag, "")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Flag, Reminder, SupervisionOrder, AccountabilityRecord])
def test_rawwrite_writes_what_the_orm_writes(cx: Any, model: type[models.Model]) -> None:
    version = item(cx, promised_limit=10, legal_limit=20)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    step = CaseStep.objects.get(case=case, position=2)

    model.objects.bulk_create([model(**row) for row in rows(model, step, "orm")], ignore_conflicts=True)  # type: ignore[attr-defined]
    inserted = rawwrite.insert(model, rows(model, step, "raw"), returning="id")

    assert len(inserted) == len(rows(model, step, "raw"))
    orm, raw = read_back(model, "orm"), read_back(model, "raw")
    assert orm and raw == orm
    # a second write of the same crossings inserts nothing (ON CONFLICT DO NOTHING)
    assert rawwrite.insert(model, rows(model, step, "raw"), returning="id") == []
