"""The only code in onewindow/ that writes model rows with raw SQL. Everything else writes
through the ORM (`save`, `bulk_create`, `filter(...).update(...)`).

Why it exists: the supervision sweep writes its records (flags, reminders, supervision orders,
accountability records) thousands at a time, and must know which rows it actually inserted or
flipped; the ORM's `bulk_create(ignore_conflicts=True)` does not say which rows it inserted, and
`filter(...).update(...)` does not say which rows it changed. Measured with
bench/bench_rawwrite.py (10,000 rows, alternating ORM and raw in the same run, see
docs/benchmarks.md); the figures are next to `ALLOWED`.

The contract (checked by `problems()`, which `insert()` runs once per model and the guard tests
in onewindow/core/tests/test_rawwrite.py run for every allowed model):

* Models: only those in `ALLOWED` (by "app_label.ModelName"); any other raises `TypeError`.
  Adding one means adding it there, to its guard test and to its parity test.
* What a write does NOT do, so the model must not rely on it: no `save()` (an override of
  `Model.save` is refused), no `pre_save`/`post_save` (or `pre_init`/`post_init`) signals (a
  connected receiver is refused), no `db_default` (refused), no `auto_now`/`auto_now_add`
  (refused), no model inheritance (only the model's local concrete fields are written), no
  validation, no `full_clean()`.
* Field types: the primary key is an `AutoField`/`BigAutoField` left to the database;
  `CharField`, `TextField`, `BooleanField`, integer fields and `ForeignKey` values (the raw
  `<name>_id`) are passed as given; `DateTimeField` and `DateField` values go through the
  backend's adapter (`connection.ops.adapt_datetimefield_value`: datetimes must be aware, as
  everywhere in onewindow), `JSONField` and `UUIDField` values through the field's own
  `get_db_prep_save`. Any other field type is refused.
* Rows are dicts of attribute names (`case_id`, not `case`). A column absent from a row takes
  the field's default, computed per row: a callable default (`dict`, `uuid.uuid4`) is called
  once for every row. A field without a default takes None (or "" for a text field, as the ORM).
* `insert()` is `INSERT … ON CONFLICT DO NOTHING` (the unique constraints are the guard against
  duplicates): on PostgreSQL one statement of one array per column (`UNNEST`, cast to the
  column's `db_type`, as `bulk_create` does), on SQLite multi-row VALUES in chunks below its
  limit of 32,766 parameters; with `returning=<column>` it answers that column of the rows
  actually inserted.
* `flip()` (only the columns in `FLIPPABLE`) is the compare-and-set `UPDATE … SET col = new
  WHERE id IN (…) AND col < new [AND the parent row is not in some states] RETURNING …`: it
  answers the rows it changed.
* Both run on the caller's connection and transaction (use `transaction.atomic()` around them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection, models
from django.db.models import signals

# "app_label.ModelName" of every model written here. Each earns its place: milliseconds for
# 10,000 rows, ORM `bulk_create(ignore_conflicts=True)` / `insert` (medians of 3 alternating
# pairs, bench/bench_rawwrite.py, measured 2026-12-07 on a loaded 2-core machine); and Reminder
# needs the ids of the rows actually inserted, which bulk_create(ignore_conflicts=True) omits.
#                          SQLite ORM / raw      PostgreSQL ORM / raw
#   Flag                   1183 / 532  (2.2x)    1117 /  859 (1.3x)
#   Reminder                814 / 196  (4.1x)     752 /  421 (1.8x)
#   SupervisionOrder       1501 / 545  (2.8x)    1222 /  701 (1.7x)
#   AccountabilityRecord   1507 / 394  (3.8x)    1900 / 1145 (1.7x)
ALLOWED: frozenset[str] = frozenset(
    {
        "supervision.Flag",
        "supervision.Reminder",
        "supervision.SupervisionOrder",
        "supervision.AccountabilityRecord",
    }
)

# "app_label.ModelName" of the models of a case's unit of work (cases.persistence), written as
# model instances by `create` and `update`: one INSERT … RETURNING per table, one UPDATE of the
# changed columns per row. The ORM's per-call query building cost more than 20 % of the intake
# and step-action benchmarks (docs/benchmarks.md, "The write path, issue 10"):
#   HTTP intake (SQLite, 16 clients)  ORM 9-13 % of bare   this module: see docs/benchmarks.md
INSTANCES: frozenset[str] = frozenset(
    {
        "cases.Case",
        "cases.CaseStep",
        "cases.CaseMaterial",
        "cases.CaseEvent",
        "cases.Notice",
        "notifications.OutboxMessage",
    }
)

# Models whose save() override only refuses updates and deletes (append-only history): an
# INSERT here does exactly what their save() does for a new row.
APPEND_ONLY: frozenset[str] = frozenset({"cases.CaseEvent"})

# The counters `increment` may bump (UPDATE … SET col = col + 1 … RETURNING col: the ORM needs
# an UPDATE and a SELECT): the gapless case and receipt numbers.
COUNTERS: dict[str, frozenset[str]] = {"cases.CaseNumberSequence": frozenset({"last"})}

# The integer columns `flip` may set, by model: the sweep's levels (set by nothing else in the
# same statement; case actions update only the columns they change).
FLIPPABLE: dict[str, frozenset[str]] = {
    "cases.Case": frozenset({"level", "legal_level"}),
    "cases.CaseStep": frozenset({"level"}),
}

_PASS_THROUGH = (
    models.AutoField,
    models.BigAutoField,
    models.CharField,  # (SlugField, EmailField… are CharFields too; their values pass as given)
    models.TextField,
    models.BooleanField,
    models.IntegerField,  # (and its small/big/positive subclasses)
    models.ForeignKey,
)
_CONVERTED = (models.DateTimeField, models.DateField, models.JSONField, models.UUIDField)
_SIGNALS = (signals.pre_init, signals.post_init, signals.pre_save, signals.post_save)
MAX_PARAMS = 5000  # per statement (SQLite takes 32,766)


# --- the cursor --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _numbered(sql: str) -> str:
    """`sql` with its `%s` placeholders as PostgreSQL's own `$1, $2, …` (no other `%` in ours)."""
    parts = sql.split("%s")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, 1))


class _Cursor:
    """Django's cursor on SQLite. On PostgreSQL psycopg's `RawCursor` (its public API: `$n`
    placeholders, values bound on the server), wrapped by Django like its own cursors (errors
    as Django's, queries recorded when Django records them). Django's default PostgreSQL cursor
    binds on the client: it parses a statement with more than 50 values anew on every call and
    quotes every value into the SQL text, which was a third of a PostgreSQL intake
    (docs/benchmarks.md)."""

    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"
        if self.postgresql:
            connection.ensure_connection()
            raw: Any = psycopg.RawCursor(connection.connection)
            self.cursor = (
                connection.make_debug_cursor(raw)
                if connection.queries_logged
                else connection.make_cursor(raw)
            )
        else:
            self.cursor = connection.cursor()

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        self.cursor.execute(_numbered(sql) if self.postgresql else sql, list(params))

    def fetchall(self) -> list[Any]:
        return list(self.cursor.fetchall())

    def fetchone(self) -> Any:
        return self.cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return int(self.cursor.rowcount)

    def close(self) -> None:
        self.cursor.close()

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def field_problem(field: models.Field[Any, Any]) -> str | None:
    """Why `field` cannot be written here, or None."""
    if getattr(field, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED:
        return f"{field.name}: db_default is not supported"
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return f"{field.name}: auto_now/auto_now_add are not supported"
    if field.primary_key:
        if not isinstance(field, models.AutoField | models.BigAutoField):
            return f"{field.name}: the primary key must be an AutoField left to the database"
        return None
    if isinstance(field, models.ForeignKey):
        return None
    if isinstance(field, _CONVERTED) or type(field) in _PASS_THROUGH:
        return None
    if isinstance(field, models.CharField | models.TextField | models.IntegerField | models.BooleanField):
        return None
    return f"{field.name}: {type(field).__name__} is not supported"


def problems(model: type[models.Model]) -> list[str]:
    """Everything that makes `model` unfit for raw writes (empty: fit). The guard tests assert
    this is empty for every allowed model."""
    found = []
    if label(model) not in ALLOWED | INSTANCES:
        found.append(f"{label(model)} is not in rawwrite.ALLOWED or rawwrite.INSTANCES")
    if model.save is not models.Model.save and label(model) not in APPEND_ONLY:
        found.append(f"{label(model)} overrides save()")
    for signal in _SIGNALS:
        if signal.has_listeners(model):
            found.append(f"{label(model)} has a receiver of a model signal")
    if model._meta.parents:
        found.append(f"{label(model)} inherits from another concrete model")
    for f in model._meta.concrete_fields:
        if (problem := field_problem(f)) is not None:
            found.append(f"{label(model)}.{problem}")
    return found


@dataclass(frozen=True)
class Column:
    attname: str
    column: str
    default: Callable[[], Any] | None  # called per row (a callable default), or None: `constant`
    constant: Any
    convert: Callable[[Any], Any] | None


def columns_of(fields: Iterable[models.Field[Any, Any]]) -> list[Column]:
    """How each field's value is made: the default per row, the conversion of its value."""
    found = []
    for f in fields:
        if (problem := field_problem(f)) is not None:
            raise TypeError(problem)
        convert = None
        if isinstance(f, _CONVERTED):
            convert = _prep(f)
        if f.has_default() and callable(f.default):
            found.append(Column(f.attname, f.column, f.get_default, None, convert))
        else:  # a constant default (or None / "" without one): computed once
            found.append(Column(f.attname, f.column, None, f.get_default(), convert))
    return found


def _prep(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    # Datetimes and dates straight through the backend's adapter, which is where the field's
    # get_db_prep_save ends for a value of the right type (a case writes about twenty of them:
    # the field's own chain of calls was a fifth of the intake's write).
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value

    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


def row_values(columns: Sequence[Column], row: dict[str, Any]) -> tuple[Any, ...]:
    """The parameters of one row, in column order (defaults filled per row, values converted)."""
    values = []
    for c in columns:
        if c.attname in row:
            value = row[c.attname]
        elif c.default is not None:
            value = c.default()
        else:
            value = c.constant
        values.append(c.convert(value) if c.convert is not None and value is not None else value)
    return tuple(values)


class _Insert:
    def __init__(self, model: type[models.Model]) -> None:
        if found := problems(model):
            raise TypeError("; ".join(found))
        q = connection.ops.quote_name
        fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
        self.columns = columns_of(fields)
        names = ", ".join(q(c.column) for c in self.columns)
        self.head = f"INSERT INTO {q(model._meta.db_table)} ({names}) "
        self.unnest = connection.vendor == "postgresql"
        if self.unnest:  # one array per column: one short statement, planned once (as bulk_create)
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            self.head += f"SELECT * FROM UNNEST({arrays})"  # noqa: S608
            self.per = 1_000_000
        else:  # multi-row VALUES (executemany would send, and parse, one statement per row)
            self.head += "VALUES "
            self.row = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
            self.per = max(1, MAX_PARAMS // len(self.columns))

    def statement(self, chunk: list[tuple[Any, ...]], tail: str) -> tuple[str, list[Any]]:
        if self.unnest:
            return self.head + tail, [list(column) for column in zip(*chunk, strict=True)]
        return self.head + ", ".join([self.row] * len(chunk)) + tail, [v for r in chunk for v in r]


_inserts: dict[tuple[type[models.Model], str], _Insert] = {}


def insert(
    model: type[models.Model], rows: list[dict[str, Any]], *, returning: str | None = None
) -> list[Any]:
    """`INSERT … ON CONFLICT DO NOTHING` of `rows` (dicts of attribute names); with `returning`
    (a column name), that column of the rows actually inserted (a row that met a unique
    constraint is not)."""
    if label(model) not in ALLOWED:
        raise TypeError(f"rawwrite does not write {label(model)} (not in ALLOWED)")
    if not rows:
        return []
    key = (model, connection.vendor)
    if key not in _inserts:
        _inserts[key] = _Insert(model)
    plan = _inserts[key]
    params = [row_values(plan.columns, row) for row in rows]
    tail = " ON CONFLICT DO NOTHING"
    if returning:
        tail += f" RETURNING {connection.ops.quote_name(returning)}"
    inserted: list[Any] = []
    with _Cursor() as cursor:
        for start in range(0, len(params), plan.per):
            cursor.execute(*plan.statement(params[start : start + plan.per], tail))
            if returning:
                inserted += [r[0] for r in cursor.fetchall()]
    return inserted


@dataclass(frozen=True)
class Unless:
    """`flip` leaves the rows whose parent (through the foreign key `fk`) has `field` in `values`."""

    fk: str
    field: str
    values: tuple[str, ...]


def flip(
    model: type[models.Model],
    column: str,
    ids: Sequence[int],
    *,
    new: int,
    returning: Sequence[str] = ("id",),
    unless: Unless | None = None,
) -> list[tuple[Any, ...]]:
    """Compare-and-set: `UPDATE <model> SET <column> = new WHERE id IN ids AND <column> < new
    [AND NOT EXISTS (the parent row in `unless.values`)] RETURNING <returning>`; answers the
    rows it changed. (The ORM's `update()` answers only how many.) Any model with a plain integer
    column: an UPDATE of one column sends no signal and calls no save() in the ORM either."""
    if column not in FLIPPABLE.get(label(model), ()):
        raise TypeError(f"rawwrite does not flip {label(model)}.{column} (not in FLIPPABLE)")
    if not ids:
        return []
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    col = q(_column(model, column))
    marks = ", ".join(["%s"] * len(ids))
    sql = f"UPDATE {table} SET {col} = %s WHERE id IN ({marks}) AND {col} < %s"  # noqa: S608
    params: list[Any] = [new, *ids, new]
    if unless is not None:
        fk = model._meta.get_field(unless.fk)
        if not isinstance(fk, models.ForeignKey):
            raise TypeError(f"{unless.fk} is not a foreign key of {label(model)}")
        parent: type[models.Model] = fk.remote_field.model
        sql += (
            f" AND NOT EXISTS (SELECT 1 FROM {q(parent._meta.db_table)} p "  # noqa: S608
            f"WHERE p.{q(_column(parent, parent._meta.pk.name))} = {table}.{q(fk.column)} "
            f"AND p.{q(_column(parent, unless.field))} IN ({', '.join(['%s'] * len(unless.values))}))"
        )
        params += list(unless.values)
    sql += " RETURNING " + ", ".join(q(_column(model, c)) for c in returning)
    with _Cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


def _column(model: type[models.Model], name: str) -> str:
    """The database column of the concrete field `name` (or its attname) of `model`."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{label(model)}.{name} is not a concrete field")
    return field.column


# --- a case's unit of work: model instances -------------------------------------------------


class _Create:
    def __init__(self, model: type[models.Model]) -> None:
        if found := problems(model):
            raise TypeError("; ".join(found))
        q = connection.ops.quote_name
        meta = model._meta
        assert meta.pk is not None
        self.pk = meta.pk.attname
        fields = [f for f in meta.local_concrete_fields if not f.primary_key]
        self.columns = columns_of(fields)
        # (field, attname) of each foreign key, filled from the related instance saved meanwhile
        self.foreign_keys = [(f, f.attname) for f in fields if isinstance(f, models.ForeignKey)]
        names = ", ".join(q(c.column) for c in self.columns)
        table = q(meta.db_table)
        self.head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
        self.head_with_keys = f"INSERT INTO {table} ({q(meta.pk.column)}, {names}) VALUES "  # noqa: S608
        self.row = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        self.row_with_key = "(%s, " + self.row[1:]
        self.tail = f" RETURNING {q(meta.pk.column)}"
        self.per = max(1, MAX_PARAMS // (len(self.columns) + 1))


_creates: dict[tuple[type[models.Model], str], _Create] = {}


def _plan(objs: Sequence[models.Model]) -> _Create:
    model = type(objs[0])
    if label(model) not in INSTANCES or any(type(o) is not model for o in objs):
        raise TypeError(f"rawwrite writes instances of one model of INSTANCES, not {label(model)}")
    key = (model, connection.vendor)
    if key not in _creates:
        _creates[key] = _Create(model)
    return _creates[key]


def create(objs: Sequence[models.Model]) -> None:
    """INSERT model instances of one model (in `INSTANCES`), one statement per chunk. Instances
    that have a key (`reserve_keys`) are written with it; the others get theirs back from the
    database (RETURNING). Unlike `insert`, a unique constraint raises IntegrityError, as
    `bulk_create` does. A foreign key whose related instance got its key after it was assigned
    takes that key (as the ORM does)."""
    if not objs:
        return
    plan = _plan(objs)
    for obj in objs:
        for fk, attname in plan.foreign_keys:
            if getattr(obj, attname) is None and fk.is_cached(obj):
                related = fk.get_cached_value(obj)
                if related is not None:
                    setattr(obj, attname, related.pk)
    keyed = all(obj.pk is not None for obj in objs)
    params = [
        ((obj.pk,) if keyed else ())
        + row_values(plan.columns, {c.attname: getattr(obj, c.attname) for c in plan.columns})
        for obj in objs
    ]
    head, row = (plan.head_with_keys, plan.row_with_key) if keyed else (plan.head, plan.row)
    with _Cursor() as cursor:
        for start in range(0, len(objs), plan.per):
            chunk = params[start : start + plan.per]
            sql = head + ", ".join([row] * len(chunk)) + ("" if keyed else plan.tail)
            cursor.execute(sql, [v for r in chunk for v in r])
            if not keyed:
                for obj, (pk,) in zip(objs[start : start + plan.per], cursor.fetchall(), strict=True):
                    obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def reserve_keys(groups: Sequence[Sequence[models.Model]]) -> Pending:
    """PostgreSQL: give every instance without a key a key from its table's sequence, for all
    the groups (one model each) in one statement, so that rows that refer to each other can be
    written in one `pipeline()`; the keys are assigned when `.result()` is asked for (after the
    pipeline this ran in). SQLite: nothing (its statements cost no round trip; `create` reads
    the keys back). The keys may have gaps, which mean nothing."""
    if connection.vendor != "postgresql":
        return Pending(None, lambda _cursor: None)
    wanting = [[obj for obj in group if obj.pk is None] for group in groups]
    parts: list[str] = []
    params: list[Any] = []
    for i, objs in enumerate(wanting):
        if objs:
            _plan(objs)  # one model of INSTANCES
            meta = type(objs[0])._meta
            assert meta.pk is not None
            parts.append(f"SELECT {i:d}, nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)")  # noqa: S608
            params += [meta.db_table, meta.pk.column, len(objs)]
    if not parts:
        return Pending(None, lambda _cursor: None)

    def assign(cursor: _Cursor) -> None:
        keys: dict[int, list[int]] = {}
        for i, key in cursor.fetchall():
            keys.setdefault(i, []).append(key)
        for i, objs in enumerate(wanting):
            for obj, key in zip(objs, keys.get(i, []), strict=True):
                obj.pk = key

    cursor = _Cursor()
    cursor.execute(" UNION ALL ".join(parts), params)
    return Pending(cursor, assign)


@contextmanager
def pipeline() -> Iterator[None]:
    """PostgreSQL: the statements run inside go to the server together, in one round trip
    (psycopg's pipeline mode, its public API), and their errors are raised at the end of the
    block as Django's database errors; what they answer (`Written.rows`) is known after it.
    SQLite: nothing (in-process, no round trips)."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


@dataclass
class Written:
    """What `update` answers: the number of rows it changed, once its statement has run (after
    the `pipeline()` block it ran in)."""

    cursor: Any

    @property
    def rows(self) -> int:
        count = int(self.cursor.rowcount)
        self.cursor.close()
        return count


class Pending:
    """A statement's answer, read when first asked for (after the `pipeline()` it ran in)."""

    def __init__(self, cursor: _Cursor | None, read: Callable[[_Cursor], Any]) -> None:
        self._cursor, self._read, self._done, self._value = cursor, read, cursor is None, None
        if cursor is not None and not cursor.postgresql:
            self.result()  # SQLite: read now (an unread statement blocks the next savepoint)

    def result(self) -> Any:
        if not self._done:
            assert self._cursor is not None
            self._value = self._read(self._cursor)
            self._cursor.close()
            self._done = True
        return self._value


def update(obj: models.Model, values: dict[str, Any], *, expect: dict[str, Any] | None = None) -> Written:
    """UPDATE the columns `values` ({attname: value}) of `obj` (a model of `INSTANCES`) by its
    primary key, and only if every column of `expect` still holds the value given there
    (compare-and-set); `.rows` of the answer is the number of rows changed (0 or 1)."""
    model = type(obj)
    if label(model) not in INSTANCES:
        raise TypeError(f"rawwrite.update writes models of INSTANCES, not {label(model)}")
    if not values:
        raise ValueError("nothing to update")
    q = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    sets, params = [], []
    for attname, value in values.items():
        field = _field(model, attname)
        sets.append(f"{q(field.column)} = %s")
        params.append(_db_value(field, value))
    wheres = [f"{q(meta.pk.column)} = %s"]
    params.append(obj.pk)
    for attname, value in (expect or {}).items():
        field = _field(model, attname)
        wheres.append(f"{q(field.column)} = %s")
        params.append(_db_value(field, value))
    sql = f"UPDATE {q(meta.db_table)} SET {', '.join(sets)} WHERE {' AND '.join(wheres)}"  # noqa: S608
    cursor = _Cursor()
    cursor.execute(sql, params)
    return Written(cursor)


def increment(model: type[models.Model], column: str, *, by: int = 1, **where: Any) -> Pending:
    """`INSERT … ON CONFLICT (<where>) DO UPDATE SET <column> = <column> + <by> RETURNING
    <column>`: `where` names a unique row, created with `by` when missing (an UPDATE then an
    INSERT on a miss locked two counters crosswise and deadlocked). `.result()` after the
    `pipeline()`; only the columns in `COUNTERS`."""
    if column not in COUNTERS.get(label(model), ()):
        raise TypeError(f"rawwrite does not increment {label(model)}.{column} (not in COUNTERS)")
    q = connection.ops.quote_name
    table, col = q(model._meta.db_table), q(_column(model, column))
    fields = [_field(model, attname) for attname in where]
    names = [q(f.column) for f in fields]
    params = [*(_db_value(f, where[f.attname]) for f in fields), int(by)]
    sql = (
        f"INSERT INTO {table} ({', '.join([*names, col])}) VALUES ({', '.join(['%s'] * len(params))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(names)}) DO UPDATE SET {col} = {table}.{col} + EXCLUDED.{col} "
        f"RETURNING {col}"
    )
    cursor = _Cursor()
    cursor.execute(sql, params)
    return Pending(cursor, lambda c: None if (row := c.fetchone()) is None else int(row[0]))


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            if (problem := field_problem(field)) is not None:
                raise TypeError(problem)
            return field
    raise TypeError(f"{label(model)} has no column {attname}")


def _db_value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is not None and isinstance(field, _CONVERTED):
        return field.get_db_prep_save(value, connection)
    return value
