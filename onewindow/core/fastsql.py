"""A lean write path for the hot paths (intake, case actions, the outbox).

Django's `save()` and `bulk_create()` spent most of an intake's time preparing values field by
field through the SQL compiler (about 80 values per case, each through five layers of calls),
and its model constructor most of the rest. This module writes model instances with one
multi-row `INSERT … VALUES … RETURNING id` per table, or one full-row `UPDATE`, from a column
plan computed once per model and database: only the values that need converting (datetimes,
dates, JSON …) are converted, the rest go to the driver as they are. `new()` builds instances
without the per-field work of `Model.__init__`. `Batch` writes the rows of one unit of work
together (on PostgreSQL in one pipeline, the keys taken from a pool; ADR 0015, ADR 0016).

Only what the hot paths use is supported: concrete local fields, an auto-increment primary key,
no `auto_now` fields (refused when the plan is built), no signals (none of these models has
receivers). Statements run on the caller's connection and transaction. When Django is recording
queries (DEBUG, `CaptureQueriesContext`) or an execute wrapper is installed, they go through
Django's cursor so they are seen like any other; otherwise straight to the driver's cursor.
See docs/adr/0010-lean-write-path.md.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connections, models, transaction
from django.db.models.base import ModelState
from django.db.models.fields import NOT_PROVIDED
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)
_Converter = Callable[[Any], Any] | None
_UTC = dt.UTC


class _Plan:
    __slots__ = (
        "columns",
        "fk_attnames",
        "insert_prefix",
        "insert_prefix_with_pk",
        "insert_row",
        "insert_row_with_pk",
        "pk_attname",
        "raw_inserts",
        "raw_update",
        "returning",
        "sequence",
        "update_sql",
        "vendor",
    )

    def __init__(self, model: type[models.Model], alias: str) -> None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        fields = [f for f in meta.concrete_fields if f is not pk]
        self.vendor = connection.vendor
        self.pk_attname = pk.attname
        self.columns: list[tuple[str, _Converter]] = [(f.attname, _converter(f, alias)) for f in fields]
        mark = "?" if self.vendor == "sqlite" else "%s"
        names = ", ".join(quote(f.column) for f in fields)
        self.insert_prefix = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608
        self.insert_row = "(" + ", ".join([mark] * len(fields)) + ")"
        self.returning = f" RETURNING {quote(pk.column)}"
        assignments = ", ".join(f"{quote(f.column)} = {mark}" for f in fields)
        table, pk_column = quote(meta.db_table), quote(pk.column)
        self.update_sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = {mark}"  # noqa: S608
        # PostgreSQL's own $n placeholders, for psycopg's RawCursor in Batch's pipeline: psycopg
        # parses a %s query anew on every call once it has more than 50 parameters (a case row
        # has about 80), which cost more than the rest of the statement's client-side work.
        self.insert_prefix_with_pk = f"INSERT INTO {table} ({pk_column}, {names}) VALUES "  # noqa: S608
        self.insert_row_with_pk = "(" + ", ".join([mark] * (len(fields) + 1)) + ")"
        self.raw_inserts: dict[int, str] = {}  # number of rows -> INSERT with the pk given
        self.raw_update = (
            f"UPDATE {table} SET "  # noqa: S608
            + ", ".join(f"{quote(f.column)} = ${i}" for i, f in enumerate(fields, 1))
            + f" WHERE {pk_column} = ${len(fields) + 1}"
        )
        # (field name, attname) of each foreign key: Batch fills them from the related instances
        self.fk_attnames: list[tuple[str, str]] = [
            (f.name, f.attname) for f in fields if f.is_relation and f.many_to_one
        ]
        self.sequence: str | None = None  # PostgreSQL: the pk's sequence, read when first needed


_plans: dict[tuple[type[models.Model], str], _Plan] = {}


def _plan(model: type[models.Model], alias: str) -> _Plan:
    plan = _plans.get((model, alias))
    if plan is None:
        plan = _plans[(model, alias)] = _Plan(model, alias)
    return plan


def sqlite_datetime(value: Any) -> Any:
    """What django.db.backends.sqlite3's adapt_datetimefield_value stores (naive UTC text), with
    the connection's time zone fixed to UTC (USE_TZ = True, DATABASES TIME_ZONE unset)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(_UTC).replace(tzinfo=None)
    return str(value)


def _converter(field: models.Field[Any, Any], alias: str) -> _Converter:
    connection = connections[alias]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        raise ValueError(f"{field}: auto_now fields are not supported by fastsql")
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
            return sqlite_datetime
        return None if connection.vendor == "postgresql" else _prep(field, connection)
    if isinstance(field, models.DateField):
        return None if connection.vendor == "postgresql" else _prep(field, connection)
    if isinstance(
        field,
        models.TimeField | models.DecimalField | models.UUIDField | models.JSONField | models.DurationField,
    ):
        return _prep(field, connection)
    return None


def _prep(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    return lambda value: field.get_db_prep_save(value, connection)


def _recorded(connection: Any) -> bool:
    """Whether Django records (DEBUG, CaptureQueriesContext) or wraps queries: then every
    statement goes through Django's cursor, one at a time, so that they are seen."""
    return bool(connection.queries_logged or connection.execute_wrappers)


def _psycopg_direct(connection: Any) -> bool:
    """PostgreSQL, queries neither recorded nor wrapped: pipelines and psycopg's own cursors."""
    return connection.vendor == "postgresql" and not _recorded(connection)


def _cursor(alias: str) -> tuple[Any, bool]:
    """(cursor, through_django): Django's cursor when queries are being recorded or wrapped."""
    connection = connections[alias]
    if _recorded(connection):
        return connection.cursor(), True
    connection.ensure_connection()
    return connection.connection.cursor(), False


def _update_params(plan: _Plan, obj: models.Model) -> list[Any]:
    """Every column's value, then the primary key (the WHERE of `update_sql`/`raw_update`)."""
    params = _row_params(plan, obj)
    params.append(obj.__dict__[plan.pk_attname])
    return params


def _row_params(plan: _Plan, obj: models.Model, *, with_pk: bool = False) -> list[Any]:
    values = obj.__dict__
    params = [values[plan.pk_attname]] if with_pk else []
    for attname, convert in plan.columns:
        value = values[attname]
        params.append(value if convert is None else convert(value))
    return params


def _execute(alias: str, plan: _Plan, sql: str, params: list[Any], *, fetch: bool) -> list[Any]:
    cursor, through_django = _cursor(alias)
    if through_django and plan.vendor == "sqlite":
        sql = sql.replace("?", "%s")  # Django's SQLite cursor takes the format style
    try:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if fetch else []
        if not fetch and cursor.rowcount != 1:
            raise RuntimeError("UPDATE by primary key did not change exactly one row")
        return rows
    except Exception as exc:
        if not through_django:  # raise what Django's cursor would (IntegrityError, …)
            wrapped = connections[alias].wrap_database_errors
            with wrapped:
                raise exc
        raise
    finally:
        cursor.close()


def insert(objs: Sequence[models.Model], *, using: str = "default", batch_size: int = 200) -> None:
    """INSERT `objs` (new instances of one model) and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    plan = _plan(model, using)
    for start in range(0, len(objs), batch_size):
        batch = objs[start : start + batch_size]
        params: list[Any] = []
        for obj in batch:
            if type(obj) is not model:
                raise TypeError("fastsql.insert takes instances of one model")
            params += _row_params(plan, obj)
        sql = plan.insert_prefix + ", ".join([plan.insert_row] * len(batch)) + plan.returning
        ids = _execute(using, plan, sql, params, fetch=True)
        if len(ids) != len(batch):  # pragma: no cover - the database broke its contract
            raise RuntimeError("INSERT … RETURNING gave back another number of rows")
        pk_attname = plan.pk_attname
        for obj, row in zip(batch, ids, strict=True):
            obj.__dict__[pk_attname] = row[0]
        _mark_saved(batch, using)


def update(obj: models.Model, *, using: str = "default") -> None:
    """UPDATE every column of a saved instance (what `obj.save()` does, without the compiler)."""
    plan = _plan(type(obj), using)
    _execute(using, plan, plan.update_sql, _update_params(plan, obj), fetch=False)


class Rows(list[tuple[Any, ...]]):
    """The rows a statement queued with `Batch.query()` returned; filled by `Batch.write()`."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        super().__init__()
        self.done = False


_INSERT, _UPDATE, _QUERY = "insert", "update", "query"
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open on the server


class Batch:
    """The new and changed rows of one unit of work, written together.

    `insert()` and `update()` queue rows in the order they must be written, `query()` a statement
    whose rows the caller wants back (e.g. an `UPDATE … RETURNING` that takes a number); `write()`
    sends them. A foreign key still None on a queued row is filled from the related instance
    cached on it (`fastsql.new(Model, {"case": case})`, or `obj._state.fields_cache`) once that
    instance has its primary key, so rows may point at rows of the same batch that are not
    written yet. `fill` callbacks set other values that need those keys (e.g. a text column
    holding an id).

    On PostgreSQL, where every statement is a round trip to the server, `write()` sends every
    INSERT (with its key), UPDATE and query in one pipeline (psycopg's pipeline mode,
    server-side binding): one round trip. The keys of new rows come from a pool that this
    connection refills from each table's sequence a block at a time (`KEY_BLOCK`), so most
    batches need no statement for them. `reserve()` gives the rows queued so far their keys
    earlier, e.g. so that rows pointing at them can be written by another batch first.
    Elsewhere, and whenever Django is recording queries or wrapping them, the statements run one
    after another, as `insert()` and `update()` do. Errors are Django's (IntegrityError, …),
    raised by `write()`.
    """

    __slots__ = ("_fills", "_ops", "using")

    def __init__(self, using: str = "default") -> None:
        self.using = using
        # (kind, rows of one model) or (_QUERY, (sql, params, Rows))
        self._ops: list[tuple[str, Any]] = []
        self._fills: list[tuple[int, Callable[[], None]]] = []  # (before op number, callback)

    def insert(self, objs: Sequence[models.Model]) -> None:
        if objs:
            model = type(objs[0])
            if any(type(obj) is not model for obj in objs):
                raise TypeError("Batch.insert takes instances of one model")
            self._ops.append((_INSERT, list(objs)))

    def update(self, obj: models.Model) -> None:
        self._ops.append((_UPDATE, [obj]))

    def query(self, sql: str, params: Sequence[Any]) -> Rows:
        """Queue `sql` (Django's `%s` placeholders) to run in its place among the rows; the
        returned `Rows` holds what it returned once `write()` is done."""
        rows = Rows()
        self._ops.append((_QUERY, (sql, list(params), rows)))
        return rows

    def fill(self, callback: Callable[[], None]) -> None:
        """Call `callback` once every row queued so far has its primary key, before any row
        queued after this call is written."""
        self._fills.append((len(self._ops), callback))

    def reserve(self) -> None:
        """Where `write()` pipelines (PostgreSQL): give every new row queued so far its primary
        key now. Elsewhere nothing: keys come back from each INSERT."""
        reserve(self)

    def write(self, *, last: bool = False) -> None:
        """Write what is queued. `last`: nothing follows in this transaction; when it is the
        outermost one, opened by `fastsql.atomic()`, and the batch pipelines, the COMMIT goes
        at the end of the pipeline (one round trip less, locks released a round trip earlier)."""
        if not self._ops:
            self._run_fills(0)
            return
        if self.pipelined():
            connection = connections[self.using]
            tail = _tail_of(connection) if last else None
            self._write_pipelined(connection, commit=tail is not None)
            if tail is not None:
                tail.committed = True
        else:
            self._write_one_by_one()
        self._ops.clear()
        self._fills.clear()

    def pipelined(self) -> bool:
        """Whether `write()` sends the rows in one pipeline (PostgreSQL, queries not recorded)."""
        return _psycopg_direct(connections[self.using])

    def _run_fills(self, upto: int) -> None:
        while self._fills and self._fills[0][0] <= upto:
            self._fills.pop(0)[1]()

    def _write_one_by_one(self) -> None:
        for i, (kind, payload) in enumerate(self._ops):
            self._run_fills(i)
            if kind == _QUERY:
                sql, params, rows = payload
                with connections[self.using].cursor() as cursor:
                    cursor.execute(sql, params)
                    rows[:] = cursor.fetchall() if cursor.description is not None else []
                rows.done = True
                continue
            plan = _plan(type(payload[0]), self.using)
            for obj in payload:
                _fill_foreign_keys(plan, obj)
            if kind == _INSERT and payload[0].pk is not None:  # keys reserved earlier
                _insert_with_keys(plan, payload, self.using)
            elif kind == _INSERT:
                insert(payload, using=self.using)
            else:
                update(payload[0], using=self.using)
        self._run_fills(len(self._ops))

    def _write_pipelined(self, connection: Any, *, commit: bool = False) -> None:
        import psycopg

        using = self.using
        _reserve_keys(self._ops, using)
        for kind, payload in self._ops:
            if kind != _QUERY:
                plan = _plan(type(payload[0]), using)
                for obj in payload:
                    _fill_foreign_keys(plan, obj)
        self._run_fills(len(self._ops))
        updates: list[Any] = []
        queries: list[tuple[Any, Rows]] = []
        with connection.wrap_database_errors:
            with _pipeline(connection) as conn:
                self._send(conn, updates, queries)
                if commit:  # Django's commit at the end of the atomic block finds none open
                    psycopg.RawCursor(conn).execute(b"COMMIT", prepare=False)
            for cursor in updates:
                if cursor.rowcount != 1:
                    raise RuntimeError("UPDATE by primary key did not change exactly one row")
            for cursor, rows in queries:
                rows[:] = cursor.fetchall() if cursor.description is not None else []
                rows.done = True
        for kind, payload in self._ops:
            if kind == _INSERT:
                _mark_saved(payload, using)

    def _send(self, conn: Any, updates: list[Any], queries: list[tuple[Any, Rows]]) -> None:
        import psycopg

        for kind, payload in self._ops:
            if kind == _QUERY:
                sql, params, rows = payload
                cursor = psycopg.Cursor(conn)  # server-side binding (conn.cursor() binds client-side)
                cursor.execute(sql, params)
                queries.append((cursor, rows))
                continue
            plan = _plan(type(payload[0]), self.using)
            cursor = psycopg.RawCursor(conn)
            if kind == _INSERT:
                params = []
                for obj in payload:
                    params += _row_params(plan, obj, with_pk=True)
                cursor.execute(_raw_insert(plan, len(payload)), params)
            else:
                cursor.execute(plan.raw_update, _update_params(plan, payload[0]))
                updates.append(cursor)


@contextmanager
def _pipeline(connection: Any) -> Iterator[Any]:
    """psycopg's pipeline on Django's PostgreSQL connection (yields the psycopg connection).

    When the first statement in it opens a transaction, psycopg would send the BEGIN on its own
    and wait for the answer (in pipeline mode too): one round trip more. The BEGIN is queued at
    the head of the pipeline instead, psycopg being told the connection is in autocommit until
    the pipeline is synced (`_autocommit`: private, pinned by requirements.lock, and a test
    fails if psycopg sends a BEGIN of its own)."""
    import psycopg

    connection.ensure_connection()
    conn = connection.connection
    begin = not conn.autocommit and conn.pgconn.transaction_status == _IDLE
    try:
        with conn.pipeline():
            if begin:
                conn._autocommit = True
                psycopg.RawCursor(conn).execute(conn._get_tx_start_command(), prepare=False)
            yield conn
    finally:
        if begin:
            conn._autocommit = False


class _Tail:
    """An outermost transaction opened by `atomic()`: whether its last batch sent the COMMIT."""

    __slots__ = ("committed",)

    def __init__(self) -> None:
        self.committed = False


_TAIL = "_ow_fastsql_tail"  # attribute of Django's connection wrapper (one per thread)


@contextmanager
def atomic(using: str = "default") -> Iterator[None]:
    """`transaction.atomic(using)` for a unit of work that ends with `Batch.write(last=True)`.

    When this is the outermost transaction, that last batch sends the COMMIT in its pipeline
    (PostgreSQL). Django's own commit at the end of the block then finds the transaction closed
    and runs the on-commit callbacks as usual. Nothing may touch the database after that write
    inside the block: a statement that did would run in a transaction of its own, so the block
    refuses it (TransactionManagementError, that stray transaction rolled back). Nested in
    another transaction, or on SQLite, this is `transaction.atomic()`."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        previous = connection.__dict__.get(_TAIL)
        tail = _Tail() if outermost else None
        connection.__dict__[_TAIL] = tail
        try:
            yield
            if tail is not None and tail.committed and connection.connection.info.transaction_status != _IDLE:
                raise TransactionManagementError(
                    "A statement ran after the unit of work's last batch had committed it."
                )
        finally:
            connection.__dict__[_TAIL] = previous


def _tail_of(connection: Any) -> _Tail | None:
    """The outermost `atomic()` block the next write may commit, if this is one."""
    tail = connection.__dict__.get(_TAIL)
    if (
        tail is None
        or tail.committed
        or not connection.in_atomic_block
        or len(connection.atomic_blocks) != 1  # a nested block is open
        or connection.savepoint_ids
        or connection.needs_rollback
        or not connection.commit_on_exit
    ):
        return None
    return tail


def reserve(*batches: Batch) -> None:
    """`Batch.reserve()` for several batches of one database, with one statement."""
    batches = tuple(dict.fromkeys(batches))  # the same batch twice: once
    if batches and batches[0].pipelined():
        using = batches[0].using
        if any(b.using != using for b in batches):
            raise ValueError("fastsql.reserve takes batches of one database")
        _reserve_keys([op for b in batches for op in b._ops], using)


def _insert_with_keys(plan: _Plan, objs: list[models.Model], using: str) -> None:
    params: list[Any] = []
    for obj in objs:
        if obj.pk is None:
            raise ValueError("a row without its reserved key among rows with theirs")
        params += _row_params(plan, obj, with_pk=True)
    sql = plan.insert_prefix_with_pk + ", ".join([plan.insert_row_with_pk] * len(objs))
    _execute(using, plan, sql, params, fetch=False)
    _mark_saved(objs, using)


def _mark_saved(objs: Sequence[models.Model], using: str) -> None:
    for obj in objs:
        state = obj._state
        state.adding = False
        state.db = using


def _raw_insert(plan: _Plan, rows: int) -> str:
    sql = plan.raw_inserts.get(rows)
    if sql is None:
        width = len(plan.columns) + 1  # and the primary key
        values = ", ".join(
            "(" + ", ".join(f"${r * width + c}" for c in range(1, width + 1)) + ")" for r in range(rows)
        )
        sql = plan.raw_inserts[rows] = plan.insert_prefix_with_pk + values
    return sql


def _fill_foreign_keys(plan: _Plan, obj: models.Model) -> None:
    values = obj.__dict__
    cache = obj._state.fields_cache
    for name, attname in plan.fk_attnames:
        if values[attname] is None:
            related = cache.get(name)
            if related is not None and related.pk is not None:
                values[attname] = related.pk


# PostgreSQL: keys are taken from each table's sequence a block at a time (KEY_BLOCK times what
# the batch that runs short needs) and handed out from a pool kept per connection (a "hi-lo"
# scheme), so that a batch seldom needs a statement for them. The keys a connection does not
# use are never used (gaps in the ids, nothing else), and within a connection keys still rise;
# across connections they interleave, as commit order already made them do.
KEY_BLOCK = 64
_key_pools: weakref.WeakKeyDictionary[Any, dict[str, list[int]]] = weakref.WeakKeyDictionary()


def _reserve_keys(ops: list[tuple[str, Any]], using: str) -> None:
    """PostgreSQL: set the primary key of every new row in `ops` from the connection's pool of
    keys, refilling the pools that run short with one statement for all tables."""
    wanted: dict[type[models.Model], list[models.Model]] = {}
    for kind, objs in ops:
        if kind == _INSERT:
            for obj in objs:
                if obj.pk is None:
                    wanted.setdefault(type(obj), []).append(obj)
    if not wanted:
        return
    connection = connections[using]
    connection.ensure_connection()
    pools = _key_pools.get(connection.connection)
    if pools is None:
        pools = _key_pools[connection.connection] = {}
    short: list[tuple[str, int]] = []
    low: list[tuple[str, int]] = []
    for model, objs in wanted.items():
        plan = _plan(model, using)
        if plan.sequence is None:
            plan.sequence = _sequence_of(model, connection)
        have = len(pools.setdefault(plan.sequence, []))
        # a block lasts about KEY_BLOCK batches like this one (an intake takes ~7 materials)
        refill = (plan.sequence, len(objs) - have + KEY_BLOCK * len(objs))
        if have < len(objs):
            short.append(refill)
        elif have < KEY_BLOCK // 2 * len(objs):
            low.append(refill)
    if short:
        short += low  # the statement is sent anyway: top up the pools running low too
        parts: list[str] = []
        params: list[Any] = []
        for i, (sequence, count) in enumerate(short):
            parts.append(f"SELECT {i}, nextval(%s::regclass) FROM generate_series(1, %s)")  # noqa: S608
            params += [connection.ops.quote_name(sequence), count]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            found = cursor.fetchall()
        fresh: dict[int, list[int]] = {}
        for index, value in found:
            fresh.setdefault(index, []).append(value)
        for i, (sequence, count) in enumerate(short):
            keys = sorted(fresh.get(i, []))
            if len(keys) != count:  # pragma: no cover - the database broke its contract
                raise RuntimeError("nextval gave back another number of keys")
            pools[sequence] += keys
    for model, objs in wanted.items():
        plan = _plan(model, using)
        pool = pools[plan.sequence]  # type: ignore[index]
        keys, pool[: len(objs)] = pool[: len(objs)], []
        attname = plan.pk_attname
        for obj, key in zip(objs, keys, strict=True):
            obj.__dict__[attname] = key


def _sequence_of(model: type[models.Model], connection: Any) -> str:
    meta = model._meta
    with connection.cursor() as cursor:
        found = connection.introspection.get_sequences(cursor, meta.db_table, meta.local_fields)
    names = [s["name"] for s in found if s.get("column") == meta.pk.column]
    if not names:  # pragma: no cover - every table here has an identity primary key
        raise RuntimeError(f"{meta.db_table} has no sequence for its primary key")
    return str(names[0])


# model -> [(attname, default value, default is callable)]
_defaults: dict[type[models.Model], list[tuple[str, Any, bool]]] = {}


def _defaults_of(model: type[models.Model]) -> list[tuple[str, Any, bool]]:
    found = _defaults.get(model)
    if found is None:
        found = []
        for f in model._meta.concrete_fields:
            if f.default is not NOT_PROVIDED:
                found.append((f.attname, f.default, callable(f.default)))
            else:
                found.append((f.attname, None if f.null or f.primary_key else f.get_default(), False))
        _defaults[model] = found
    return found


def new(model: type[M], related: dict[str, models.Model | None] | None = None, **values: Any) -> M:
    """A new, unsaved instance of `model` without `Model.__init__`'s per-field work.

    `values` are given by attname (`case_id=…`, not `case=…`); `related` maps foreign-key names
    to instances already at hand (their ids are taken and they are cached on the instance, so
    `obj.case` costs no query). Fields not given take their defaults."""
    obj = model.__new__(model)
    data = obj.__dict__
    for attname, default, is_callable in _defaults_of(model):
        data[attname] = default() if is_callable else default
    data.update(values)
    state = ModelState()
    if related:
        cache = state.fields_cache
        for name, instance in related.items():
            field: Any = model._meta.get_field(name)
            data[field.attname] = instance.pk if instance is not None else None
            cache[name] = instance
    obj._state = state
    return obj


# (model, alias, where, order_by, for_update) -> SELECT of every concrete column
_selects: dict[tuple[type[models.Model], str, str, str, bool], str] = {}
# (model, alias) -> per column: [(converter, expression)] as the ORM's compiler would apply them
_readers: dict[tuple[type[models.Model], str], list[list[tuple[Callable[..., Any], Any]]]] = {}


def _reader(model: type[models.Model], using: str) -> list[list[tuple[Callable[..., Any], Any]]]:
    found = _readers.get((model, using))
    if found is None:
        connection = connections[using]
        found = []
        for f in model._meta.concrete_fields:
            col = f.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            found.append([(c, col) for c in converters])
        _readers[(model, using)] = found
    return found


def select(
    model: type[M],
    where: str,
    params: Sequence[Any],
    *,
    order_by: str = "",
    for_update: bool = False,
    using: str = "default",
) -> list[M]:
    """Instances of `model` by a WHERE clause over its own columns (`where` uses %s
    placeholders and column names), with every concrete column, converted as the ORM converts
    them, without building the query each time. `for_update` locks the rows where the database
    can (SELECT … FOR UPDATE; SQLite's write lock is the transaction's)."""
    sql = _select_sql(model, using, where, order_by, for_update)
    return _instances(model, using, rows(sql, params, using=using))


class Select:
    """One SELECT of `select_many`: the arguments of `select()`."""

    __slots__ = ("for_update", "model", "order_by", "params", "where")

    def __init__(
        self,
        model: type[models.Model],
        where: str,
        params: Sequence[Any],
        *,
        order_by: str = "",
        for_update: bool = False,
    ) -> None:
        self.model, self.where, self.params = model, where, list(params)
        self.order_by, self.for_update = order_by, for_update


def select_many(selects: Sequence[Select], *, using: str = "default") -> list[list[Any]]:
    """`select()` for several statements run one after another, each seeing what the ones
    before it did (a row locked FOR UPDATE, then rows read under that lock). On PostgreSQL they
    travel in one pipeline, with the transaction's BEGIN when they open it: one round trip.
    Elsewhere, and when Django records queries, one statement at a time."""
    connection = connections[using]
    if not _psycopg_direct(connection):
        return [
            select(q.model, q.where, q.params, order_by=q.order_by, for_update=q.for_update, using=using)
            for q in selects
        ]
    import psycopg

    sent: list[Any] = []
    with connection.wrap_database_errors:
        with _pipeline(connection) as conn:
            for q in selects:
                cursor = psycopg.Cursor(conn)  # server-side binding: prepared after a few runs
                cursor.execute(_select_sql(q.model, using, q.where, q.order_by, q.for_update), q.params)
                sent.append(cursor)
        fetched = [cursor.fetchall() for cursor in sent]
    return [_instances(q.model, using, rows) for q, rows in zip(selects, fetched, strict=True)]


def _select_sql(model: type[models.Model], using: str, where: str, order_by: str, for_update: bool) -> str:
    key = (model, using, where, order_by, for_update)
    sql = _selects.get(key)
    if sql is None:
        connection = connections[using]
        quote = connection.ops.quote_name
        meta = model._meta
        columns = ", ".join(quote(f.column) for f in meta.concrete_fields)
        sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where}"  # noqa: S608
        if order_by:
            sql += f" ORDER BY {order_by}"
        if for_update and connection.features.has_select_for_update:
            sql += " FOR UPDATE"
        _selects[key] = sql
    return sql


def _instances(model: type[M], using: str, fetched: Sequence[Sequence[Any]]) -> list[M]:
    connection = connections[using]
    reader = _reader(model, using)
    found = []
    for row in fetched:
        values = list(row)
        for i, converters in enumerate(reader):
            if converters:
                value = values[i]
                for convert, expression in converters:
                    value = convert(value, expression, connection)
                values[i] = value
        found.append(model.from_db(using, None, values))  # type: ignore[arg-type]
    return found


def rows(sql: str, params: Sequence[Any], *, using: str = "default") -> list[tuple[Any, ...]]:
    """Plain rows of a SELECT written for both databases (%s placeholders). Values come as the
    driver gives them: see `as_datetime` for timestamps.

    On PostgreSQL, unless Django records or wraps queries, through psycopg's own cursor with
    server-side binding, so that the statement is prepared once a connection has run it a few
    times (ADR 0016; Django's cursor binds on the client, which cannot prepare); elsewhere
    through Django's cursor."""
    connection = connections[using]
    if not _psycopg_direct(connection):
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return list(cursor.fetchall())
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    # psycopg's own cursor: Django's connection makes client-side binding cursors by default
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
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
