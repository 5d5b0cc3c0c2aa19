"""Plain SQL reads for the few queries that the ORM cannot express cheaply (the API's token
check, the public progress lookup, the supervision sweep, the lock of a case: `instances()`).
Nothing here writes (raw writes live in `core/rawwrite.py` only).

`rows()` runs a SELECT written for both databases (`%s` placeholders) on Django's cursor, in
the caller's connection and transaction, so that it is recorded, wrapped and handled like any
other query. Values come as the driver gives them: `as_datetime()` reads a timestamp column
the same way on PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, connections, models

M = TypeVar("M", bound=models.Model)
_UTC = dt.UTC


def rows(sql: str, params: Sequence[Any], *, using: str = "default") -> list[tuple[Any, ...]]:
    """Plain rows of a SELECT written for both databases (%s placeholders)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def as_datetime(value: Any) -> dt.datetime | None:
    """A timestamp column from `rows()`: PostgreSQL gives aware datetimes, SQLite the naive UTC
    value Django stored (as a datetime, or as text where the column type is not declared)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)


@functools.cache
def select_all(model: type[models.Model], where: str, *, order_by: str = "", lock: bool = False) -> str:
    """A SELECT of every concrete column of `model`, in field order, for `instances()`; `lock`:
    FOR NO KEY UPDATE on PostgreSQL (rows that only point at it may still be written), nothing
    on SQLite (its write transaction is the lock). Built once per arguments."""
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in model._meta.concrete_fields)
    sql = f"SELECT {columns} FROM {q(model._meta.db_table)} WHERE {where}"  # noqa: S608
    if order_by:
        sql += f" ORDER BY {order_by}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR NO KEY UPDATE" if connection.vendor == "postgresql" else " FOR UPDATE"
    return sql


@functools.cache
def _converters(model: type[models.Model], vendor: str) -> list[tuple[int, list[Any], Any]]:
    """For each concrete field that has any: its position and the ORM's own converters (the
    backend's, then the field's), as a query of the model would apply them."""
    found = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if converters:
            found.append((i, converters, col))
    return found


def instances(model: type[M], sql: str, params: Sequence[Any]) -> list[M]:
    """Instances of `model` from `sql`, a SELECT of all its concrete columns in field order
    (`select_all`), built with `Model.from_db` and converted as the ORM converts a query's
    values. For the case's lock in cases/persistence.py: building the SQL of a query of the
    case's 80 columns was a third of a step action (docs/benchmarks.md)."""
    plan = _converters(model, connection.vendor)
    names = [f.attname for f in model._meta.concrete_fields]
    found: list[M] = []
    for row in rows(sql, params):
        values = list(row)
        for i, converters, col in plan:
            value = values[i]
            for convert in converters:
                value = convert(value, col, connection)
            values[i] = value
        found.append(model.from_db(connection.alias, names, values))
    return found
