"""Plain SQL reads for the few queries that the ORM cannot express cheaply (the API's token
check, the public progress lookup, the supervision sweep). Nothing here writes: the cases
write through the ORM (`cases/persistence.py`), the sweep's records through `core/rawwrite.py`.

`rows()` runs a SELECT written for both databases (`%s` placeholders) on Django's cursor, in
the caller's connection and transaction, so that it is recorded, wrapped and handled like any
other query. Values come as the driver gives them: `as_datetime()` reads a timestamp column
the same way on PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connections

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
