"""core.fastsql's reads give what Django's cursor gives, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError

from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.tests.conftest import at, intake, item
from onewindow.core import fastsql


def _a_case(cx: Any) -> Case:
    """A case accepted at the window, of an item of its own."""
    version = item(cx)
    with at("2026-09-30 10:00"):
        return intake(cx, version)


def test_rows_gives_what_djangos_cursor_gives(cx: Any) -> None:
    case = _a_case(cx)
    sql = (
        'SELECT "id", "number", "received_at", "accepted_on", "green_channel", "answer_due_at" '
        'FROM "cases_case" WHERE "id" = %s AND "green_channel" = %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk, False])
        expected = cursor.fetchall()
    assert len(expected) == 1 and expected[0][1] == case.number
    for _ in range(7):  # the same, run after run
        assert fastsql.rows(sql, [case.pk, False]) == [tuple(row) for row in expected]
    assert fastsql.rows(sql, [case.pk, True]) == []
    received_at = fastsql.as_datetime(fastsql.rows(sql, [case.pk, False])[0][2])
    assert received_at == Case.objects.get(pk=case.pk).received_at


def test_as_datetime_reads_both_databases_values() -> None:
    aware = dt.datetime(2026, 9, 30, 2, 0, 1, 5, tzinfo=dt.UTC)
    assert fastsql.as_datetime(None) is None
    assert fastsql.as_datetime(aware) == aware
    assert fastsql.as_datetime(aware.replace(tzinfo=None)) == aware
    assert fastsql.as_datetime("2026-09-30 02:00:01.000005") == aware  # SQLite's text


def test_rows_refuses_to_run_in_a_broken_transaction(cx: Any) -> None:
    case = _a_case(cx)
    event = CaseEvent.objects.filter(case=case).first()
    assert event is not None
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            CaseEvent.objects.create(
                case=case, seq=event.seq, at=event.at, action="note", to_status="accepted"
            )
        with pytest.raises(TransactionManagementError):
            fastsql.rows('SELECT "id" FROM "cases_case" WHERE "id" = %s', [case.pk])
