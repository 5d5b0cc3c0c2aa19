"""Parity: a case's unit of work written through onewindow.core.rawwrite (production) leaves the
same rows as the same work written through the ORM (`bulk_create`, `filter(...).update(...)`),
on the database the suite runs on (SQLite, PostgreSQL). Two cases walk the same path at the same
moments, one each way; every row of each (case, steps, materials, events, notices, outbox
messages) is read back through the ORM and compared column by column, but for keys and numbers."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.db import models

from onewindow.cases import persistence
from onewindow.cases.chain import verify_case_events
from onewindow.cases.models import Case, CaseEvent, CaseMaterial, CaseStep, Notice
from onewindow.cases.tests.conftest import act, at, intake, item
from onewindow.notifications.models import OutboxMessage

# the hash chain's columns hash the keys and numbers too: compared by verifying both chains
KEYS = {
    "id",
    "case_id",
    "step_id",
    "related_id",
    "number",
    "receipt_number",
    "prev_hash",
    "row_hash",
    "event_hash",
}


def orm_create(objs: Any) -> None:
    if objs:
        type(objs[0])._default_manager.bulk_create(objs)


class Rows:
    def __init__(self, rows: int) -> None:
        self.rows = rows


def orm_update(obj: models.Model, values: dict[str, Any], *, expect: dict[str, Any] | None = None) -> Rows:
    return Rows(type(obj)._default_manager.filter(pk=obj.pk, **(expect or {})).update(**values))


def walk(cx: Any, version: Any) -> Case:
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    with at("2026-09-02 11:00"):
        act(case, "pass_step", cx.user("scjg-reviewer"), opinion="材料齐全")
    with at("2026-09-03 09:30"):
        act(case, "request_extension", cx.user("scjg-approver"), days=5, reason="需现场核查")
    case.refresh_from_db()
    return case


def rows(case: Case) -> dict[str, list[dict[str, Any]]]:
    """Every row of `case`, its own numbers replaced by placeholders."""
    swap = {case.number: "<number>", case.receipt_number: "<receipt>"}

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            for real, placeholder in swap.items():
                value = value.replace(real, placeholder) if real else value
            return value
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in {"ip"}}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    def of(query: Any) -> list[dict[str, Any]]:
        return [{k: plain(v) for k, v in row.items() if k not in KEYS} for row in query.values()]

    return {
        "case": of(Case.objects.filter(pk=case.pk)),
        "steps": of(CaseStep.objects.filter(case=case).order_by("position")),
        "materials": of(CaseMaterial.objects.filter(case=case).order_by("material_id", "name")),
        "events": of(CaseEvent.objects.filter(case=case).order_by("seq")),
        "notices": of(Notice.objects.filter(case=case).order_by("issued_at", "kind")),
        "messages": of(OutboxMessage.objects.filter(related_id=str(case.pk)).order_by("template_code")),
    }


@pytest.mark.django_db
def test_the_unit_of_work_writes_what_the_orm_writes(cx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    version = item(cx, promised_limit=10, legal_limit=20)
    raw = rows(walk(cx, version))
    monkeypatch.setattr(persistence.rawwrite, "create", orm_create)
    monkeypatch.setattr(persistence.rawwrite, "update", orm_update)
    monkeypatch.setattr(persistence.rawwrite, "pipeline", contextlib.nullcontext)
    orm = rows(walk(cx, version))
    assert all(raw.values()) and raw == orm
    assert verify_case_events() == []  # both cases' events are whole chains


@pytest.mark.django_db
def test_the_lock_reads_what_the_orm_reads(cx: Any) -> None:
    """`persistence.lock_case` reads the case and its steps with core.fastsql.instances: every
    column equals what the ORM reads (types included: aware datetimes, dates, JSON, booleans)."""
    case = walk(cx, item(cx, promised_limit=10, legal_limit=20))
    locked, steps = persistence.lock_case(case.number)
    orm_case = Case.objects.get(pk=case.pk)
    orm_steps = list(CaseStep.objects.filter(case=case).order_by("position"))
    for mine, theirs in [(locked, orm_case), *zip(steps, orm_steps, strict=True)]:
        for field in type(theirs)._meta.concrete_fields:
            ours, orms = getattr(mine, field.attname), getattr(theirs, field.attname)
            assert (type(ours), ours) == (type(orms), orms), field.attname
    assert len(steps) == len(orm_steps) > 1
