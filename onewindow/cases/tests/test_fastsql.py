"""The lean write path (core.fastsql) writes exactly what the ORM would, on both databases."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from onewindow.cases.models import Case, CaseEvent, CaseStep, Notice
from onewindow.cases.tests.conftest import at, intake, item
from onewindow.core import fastsql

AWARE = dt.datetime(2026, 9, 30, 10, 15, 30, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WHOLE_SECOND = dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)


def _a_case(cx: Any) -> Case:
    """A case accepted at the window, of an item of its own."""
    version = item(cx)
    with at("2026-09-30 10:00"):
        return intake(cx, version)


def _recording(recorded: bool) -> Any:
    """Django's recording of queries (statements through Django's cursor) or nothing."""
    return CaptureQueriesContext(connection) if recorded else contextlib.nullcontext()


def _event(case: Case, seq: int, **extra: Any) -> CaseEvent:
    return fastsql.new(
        CaseEvent,
        {"case": case, "actor": None},
        seq=seq,
        at=AWARE,
        action="note",
        from_status="accepted",
        to_status="accepted",
        **extra,
    )


@pytest.mark.parametrize("recorded", [False, True], ids=["driver cursor", "django cursor"])
def test_insert_round_trips_every_kind_of_value(cx: Any, recorded: bool) -> None:
    case = _a_case(cx)
    rows = [
        _event(case, 10, data={"text": "中文", "nested": {"n": [1, 2]}}, public=True, opinion="甲"),
        _event(case, 11, data={}, public=False),
    ]
    rows[1].at = WHOLE_SECOND  # str() of a whole-second datetime has no fraction
    with transaction.atomic():
        with _recording(recorded) as queries:
            fastsql.insert(rows)
        if recorded:
            assert len(queries.captured_queries) == 1
            assert queries.captured_queries[0]["sql"].startswith('INSERT INTO "cases_caseevent"')
    assert all(r.pk is not None and not r._state.adding for r in rows)
    assert rows[0].pk < rows[1].pk
    first, second = CaseEvent.objects.filter(pk__in=[r.pk for r in rows]).order_by("seq")
    assert first.at == AWARE and second.at == WHOLE_SECOND
    assert first.data == {"text": "中文", "nested": {"n": [1, 2]}} and second.data == {}
    assert (first.public, second.public) == (True, False)
    assert first.opinion == "甲" and first.actor_id is None and first.case_id == case.pk
    assert first.step_id is None


def test_insert_takes_rows_in_batches_and_keeps_their_order(cx: Any) -> None:
    case = _a_case(cx)
    rows = [_event(case, 100 + i) for i in range(7)]
    with transaction.atomic():
        fastsql.insert(rows, batch_size=3)
    stored = dict(CaseEvent.objects.filter(case=case, seq__gte=100).values_list("pk", "seq"))
    assert {r.pk: r.seq for r in rows} == stored


@pytest.mark.parametrize("recorded", [False, True], ids=["driver cursor", "django cursor"])
def test_insert_raises_djangos_integrity_error(cx: Any, recorded: bool) -> None:
    case = _a_case(cx)
    # seq 1 exists: (case, seq) is unique
    with pytest.raises(IntegrityError), transaction.atomic(), _recording(recorded):
        fastsql.insert([_event(case, 1)])
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_update_writes_every_column_and_only_that_row(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        case = intake(cx, version)
        other = intake(cx, version)
    step = CaseStep.objects.get(case=case, position=2)
    step.status = CaseStep.Status.ACTIVE
    step.started_at = AWARE
    step.opinion = "同意"
    with transaction.atomic():
        fastsql.update(step)
    step.refresh_from_db()
    assert (step.status, step.started_at, step.opinion) == ("active", AWARE, "同意")
    assert CaseStep.objects.get(case=other, position=2).status == "pending"
    ghost = CaseStep.objects.get(case=case, position=3)
    ghost.pk = 10**9
    with pytest.raises(RuntimeError), transaction.atomic():
        fastsql.update(ghost)


def test_new_fills_defaults_fresh_each_time_and_caches_related(cx: Any) -> None:
    case = _a_case(cx)
    a = fastsql.new(Notice, {"case": case}, kind="acceptance", number="X-1", issued_at=AWARE)
    b = fastsql.new(Notice, {"case": case}, kind="acceptance", number="X-2", issued_at=AWARE)
    assert a.data == {} and a.data is not b.data  # a callable default is called per instance
    assert a.pk is None and a._state.adding and a.case_id == case.pk
    with CaptureQueriesContext(connection) as queries:
        assert a.case is case
    assert queries.captured_queries == []
    with transaction.atomic():
        fastsql.insert([a, b])
    assert set(Notice.objects.filter(number__in=["X-1", "X-2"]).values_list("case_id", flat=True)) == {
        case.pk
    }


def test_insert_refuses_mixed_models(cx: Any) -> None:
    case = _a_case(cx)
    note = fastsql.new(Notice, {"case": case}, kind="acceptance", number="X-3", issued_at=AWARE)
    with pytest.raises(TypeError), transaction.atomic():
        fastsql.insert([note, _event(case, 50)])


def _copy_of(case: Case, suffix: str) -> tuple[Case, CaseStep]:
    """An unsaved copy of `case` (new numbers) and of its first step, pointing at the copy."""
    copy = Case.objects.get(pk=case.pk)
    copy.pk = None
    copy._state.adding = True
    copy.number = f"{case.number}{suffix}"
    copy.receipt_number = f"{case.receipt_number}{suffix}"
    step = CaseStep.objects.get(case=case, position=1)
    step.pk = None
    step._state.adding = True
    step.case_id = None
    step._state.fields_cache["case"] = copy
    return copy, step


@pytest.mark.parametrize("recorded", [False, True], ids=["pipelined", "one by one"])
def test_batch_writes_rows_that_point_at_rows_of_the_same_batch(
    cx: Any, recorded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "postgresql" and not recorded:  # the pipeline, not the fallback

        def fallback(_self: Any) -> None:
            raise AssertionError("the pipeline was not used")

        monkeypatch.setattr(fastsql.Batch, "_write_one_by_one", fallback)
    case = _a_case(cx)
    copy, step = _copy_of(case, "X")
    event = _event(copy, 1, data={"k": "值"})
    event._state.fields_cache["step"] = step
    plain = _event(copy, 2)  # no step
    existing = CaseStep.objects.get(case=case, position=2)
    existing.opinion = "改过"
    seen: dict[str, Any] = {}
    notice = fastsql.new(Notice, {"case": copy}, kind="acceptance", number="X-9", issued_at=AWARE)

    def fill() -> None:  # runs once the copy and its step have keys
        seen["keys"] = (copy.pk, step.pk)
        notice.data = {"case": copy.pk, "step": step.pk}

    batch = fastsql.Batch()
    batch.insert([copy])
    batch.insert([step])
    batch.update(existing)
    batch.insert([event, plain])
    batch.fill(fill)
    batch.insert([notice])
    with transaction.atomic():
        with _recording(recorded) as queries:
            batch.write()
        if recorded:
            assert len(queries.captured_queries) == 5  # one statement per insert() and update()
    assert copy.pk and step.pk and event.pk and notice.pk
    assert not any(r._state.adding for r in (copy, step, event, plain, notice))
    assert seen["keys"] == (copy.pk, step.pk)
    assert CaseStep.objects.get(pk=step.pk).case_id == copy.pk
    stored = {e.seq: e for e in CaseEvent.objects.filter(case_id=copy.pk)}
    assert stored[1].step_id == step.pk and stored[1].data == {"k": "值"} and stored[1].at == AWARE
    assert stored[2].step_id is None
    assert Notice.objects.get(pk=notice.pk).data == {"case": copy.pk, "step": step.pk}
    assert CaseStep.objects.get(pk=existing.pk).opinion == "改过"
    assert Case.objects.get(pk=copy.pk).number == f"{case.number}X"
    # the batch is empty again once written
    with CaptureQueriesContext(connection) as queries:
        batch.write()
    assert queries.captured_queries == []


@pytest.mark.parametrize("recorded", [False, True], ids=["pipelined", "one by one"])
def test_batch_raises_djangos_integrity_error_and_writes_nothing(cx: Any, recorded: bool) -> None:
    case = _a_case(cx)
    copy, _step = _copy_of(case, "Y")
    batch = fastsql.Batch()
    batch.insert([copy])
    batch.insert([_event(case, 1)])  # seq 1 of `case` exists: (case, seq) is unique
    with pytest.raises(IntegrityError), transaction.atomic(), _recording(recorded):
        batch.write()
    assert not Case.objects.filter(receipt_number=copy.receipt_number).exists()
    assert CaseEvent.objects.filter(case=case).count() == 2
    assert Case.objects.filter(pk=case.pk).exists()  # the connection is usable afterwards


@pytest.mark.parametrize("recorded", [False, True], ids=["pipelined", "one by one"])
def test_batch_update_of_a_missing_row_raises(cx: Any, recorded: bool) -> None:
    case = _a_case(cx)
    ghost = CaseStep.objects.get(case=case, position=3)
    ghost.pk = 10**9
    batch = fastsql.Batch()
    batch.update(ghost)
    with pytest.raises(RuntimeError), transaction.atomic(), _recording(recorded):
        batch.write()


def test_batch_refuses_mixed_models(cx: Any) -> None:
    case = _a_case(cx)
    note = fastsql.new(Notice, {"case": case}, kind="acceptance", number="X-4", issued_at=AWARE)
    with pytest.raises(TypeError):
        fastsql.Batch().insert([note, _event(case, 50)])


def test_reserve_gives_two_batches_keys_so_children_may_be_written_first(cx: Any) -> None:
    """PostgreSQL (foreign keys checked at COMMIT): one statement reserves the keys of both
    batches, then the batch of children is written before the batch with their parent."""
    if connection.vendor != "postgresql":
        pytest.skip("keys are reserved only where Batch pipelines (PostgreSQL)")
    case = _a_case(cx)
    copy, step = _copy_of(case, "Z")
    parent, children = fastsql.Batch(), fastsql.Batch()
    parent.insert([copy])
    children.insert([step])
    assert parent.pipelined() and children.pipelined()
    with transaction.atomic():
        fastsql.reserve(parent, children, parent)
        assert copy.pk is not None and step.pk is not None
        children.write()
        parent.write()
    assert CaseStep.objects.get(pk=step.pk).case_id == copy.pk == Case.objects.get(pk=copy.pk).pk


def test_reserve_is_a_no_op_where_rows_are_written_one_by_one(cx: Any) -> None:
    case = _a_case(cx)
    copy, step = _copy_of(case, "W")
    batch = fastsql.Batch()
    batch.insert([copy])
    batch.insert([step])
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert not batch.pipelined()
        batch.reserve()
        assert copy.pk is None and queries.captured_queries == []
        batch.write()
    assert CaseStep.objects.get(pk=step.pk).case_id == copy.pk


@pytest.mark.parametrize("recorded", [False, True], ids=["pipelined", "one by one"])
def test_batch_query_runs_in_its_place_and_gives_back_its_rows(cx: Any, recorded: bool) -> None:
    case = _a_case(cx)
    batch = fastsql.Batch()
    batch.insert([_event(case, 30), _event(case, 31)])
    table = CaseEvent._meta.db_table
    counted = batch.query(f"SELECT count(*) FROM {table} WHERE case_id = %s", [case.pk])
    batch.insert([_event(case, 32)])
    silent = batch.query(
        f"UPDATE {table} SET opinion = %s WHERE case_id = %s AND seq = %s", ["乙", case.pk, 30]
    )
    assert not counted.done and list(counted) == []
    with transaction.atomic(), _recording(recorded):
        batch.write()
    assert counted.done and list(counted) == [(4,)]  # the two of the intake and the two before it
    assert silent.done and list(silent) == []
    assert CaseEvent.objects.get(case=case, seq=30).opinion == "乙"
    assert CaseEvent.objects.filter(case=case).count() == 5


def test_keys_come_from_a_pool_that_is_refilled_a_block_at_a_time(cx: Any) -> None:
    """PostgreSQL: a batch seldom needs a statement for its keys; they rise within a connection."""
    if connection.vendor != "postgresql":
        pytest.skip("keys are reserved only where Batch pipelines (PostgreSQL)")
    case = _a_case(cx)
    sequence = connection.introspection.get_sequences(
        connection.cursor(), CaseEvent._meta.db_table, CaseEvent._meta.local_fields
    )[0]["name"]

    def last_value() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value FROM {connection.ops.quote_name(sequence)}")
            return int(cursor.fetchone()[0])

    keys: list[int] = []
    fastsql._key_pools.pop(connection.connection, None)  # an empty pool, as on a new connection
    block = fastsql.KEY_BLOCK
    with transaction.atomic():
        for i in range(block + 2):  # the first batch takes a block (two rows each) and its keys
            if i == 1:
                after_first = last_value()
            batch = fastsql.Batch()
            pair = [_event(case, 100 + 2 * i), _event(case, 101 + 2 * i)]
            batch.insert(pair)
            batch.write()
            keys += [e.pk for e in pair]
            if 1 <= i <= block:  # from the block: no nextval
                assert last_value() == after_first
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert last_value() > after_first  # the pool was refilled once it ran out
    assert CaseEvent.objects.filter(pk__in=keys).count() == len(keys)


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_opens_the_transaction_sends_its_begin_in_the_pipeline(org: Any) -> None:
    """PostgreSQL: the first statement of a transaction is the batch's; psycopg would send the
    BEGIN in a round trip of its own. The batch queues it in its pipeline, and a failure leaves
    the transaction rolled back and the connection as it was."""
    if connection.vendor != "postgresql":
        pytest.skip("the pipeline is PostgreSQL's")
    from onewindow.cases.tests.conftest import load_calendar_2026

    load_calendar_2026()
    case = _a_case(org)
    raw = connection.connection
    sent, spy, original = _psycopg_commands(raw)
    good = fastsql.Batch()
    good.insert([_event(case, 60)])
    bad = fastsql.Batch()
    bad.insert([_event(case, 61), _event(case, 60)])  # seq 60 exists by then
    try:
        type(raw)._exec_command = spy  # type: ignore[method-assign]
        with transaction.atomic():
            assert raw.info.transaction_status == 0  # nothing sent yet: IDLE
            good.write()
            assert raw.info.transaction_status != 0
        with pytest.raises(IntegrityError), transaction.atomic():
            bad.write()
    finally:
        type(raw)._exec_command = original  # type: ignore[method-assign]
    assert not any(c.startswith(b"BEGIN") for c in sent)  # psycopg sent no BEGIN of its own
    assert raw.autocommit is True  # Django's autocommit outside atomic, restored
    assert sorted(CaseEvent.objects.filter(case=case, seq__gte=60).values_list("seq", flat=True)) == [60]
    with transaction.atomic():  # the connection goes on as usual
        assert CaseEvent.objects.filter(case=case).count() == 3


def _psycopg_commands(raw: Any) -> tuple[list[bytes], Any, Any]:
    """Spy on the commands psycopg sends on its own (BEGIN, COMMIT, ROLLBACK)."""
    sent: list[bytes] = []
    original = type(raw)._exec_command

    def spy(self: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        if self is raw:  # not another thread's connection
            sent.append(bytes(command) if isinstance(command, bytes | bytearray) else str(command).encode())
        return original(self, command, *args, **kwargs)

    return sent, spy, original


@pytest.mark.django_db(transaction=True)
def test_the_last_batch_of_an_outermost_atomic_carries_the_commit(org: Any) -> None:
    """PostgreSQL: Batch.write(last=True) in the outermost fastsql.atomic() sends the COMMIT in
    its pipeline; Django's commit then finds nothing to commit and still runs the on-commit
    callbacks. Nested in another transaction, the write leaves the commit to that transaction.
    On SQLite, fastsql.atomic() is transaction.atomic()."""
    from onewindow.cases.tests.conftest import load_calendar_2026

    load_calendar_2026()
    case = _a_case(org)
    ran: list[str] = []
    postgres = connection.vendor == "postgresql"
    sent: list[bytes] = []
    if postgres:
        connection.ensure_connection()
        raw = connection.connection
        sent, spy, original = _psycopg_commands(raw)
        type(raw)._exec_command = spy  # type: ignore[method-assign]
    try:
        with fastsql.atomic():
            transaction.on_commit(lambda: ran.append("committed"))
            batch = fastsql.Batch()
            batch.insert([_event(case, 70)])
            batch.write(last=True)
            if postgres:
                assert connection.connection.info.transaction_status == 0  # committed: IDLE
            assert ran == []  # callbacks run when the block ends
        assert ran == ["committed"]
        assert not any(c.startswith(b"COMMIT") for c in sent)
        with transaction.atomic(), fastsql.atomic():  # nested: the outer transaction commits
            batch = fastsql.Batch()
            batch.insert([_event(case, 71)])
            batch.write(last=True)
            if postgres:
                assert connection.connection.info.transaction_status != 0  # still open
    finally:
        if postgres:
            type(raw)._exec_command = original  # type: ignore[method-assign]
    assert sorted(CaseEvent.objects.filter(case=case, seq__gte=70).values_list("seq", flat=True)) == [70, 71]


@pytest.mark.django_db(transaction=True)
def test_a_statement_after_the_committing_batch_is_refused_and_rolled_back(org: Any) -> None:
    from django.db.transaction import TransactionManagementError

    from onewindow.cases.tests.conftest import load_calendar_2026

    load_calendar_2026()
    case = _a_case(org)
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL's pipeline commits before the end of the block")
    with pytest.raises(TransactionManagementError), fastsql.atomic():
        batch = fastsql.Batch()
        batch.insert([_event(case, 80)])
        batch.write(last=True)
        _event(case, 81).save()  # a bug: it would run in a transaction of its own
    assert sorted(CaseEvent.objects.filter(case=case, seq__gte=80).values_list("seq", flat=True)) == [80]


@pytest.mark.django_db(transaction=True)
def test_a_failing_last_batch_commits_nothing(org: Any) -> None:
    from onewindow.cases.tests.conftest import load_calendar_2026

    load_calendar_2026()
    case = _a_case(org)
    ran: list[str] = []
    with pytest.raises(IntegrityError), fastsql.atomic():
        transaction.on_commit(lambda: ran.append("committed"))
        batch = fastsql.Batch()
        batch.insert([_event(case, 90), _event(case, 1)])  # seq 1 exists
        batch.write(last=True)
    assert ran == []
    assert not CaseEvent.objects.filter(case=case, seq=90).exists()
    # a foreign key that PostgreSQL checks only at the COMMIT (the one in the pipeline)
    orphan = _event(case, 92)
    orphan.case_id = 10**12
    with pytest.raises(IntegrityError), fastsql.atomic():
        transaction.on_commit(lambda: ran.append("committed"))
        batch = fastsql.Batch()
        batch.insert([_event(case, 93), orphan])
        batch.write(last=True)
    assert ran == []
    assert not CaseEvent.objects.filter(case=case, seq__in=[92, 93]).exists()
    with fastsql.atomic():  # the connection goes on as usual
        batch = fastsql.Batch()
        batch.insert([_event(case, 91)])
        batch.write(last=True)
    assert CaseEvent.objects.filter(case=case, seq=91).exists()


@pytest.mark.parametrize("recorded", [False, True], ids=["pipelined", "one by one"])
def test_select_many_reads_what_select_reads(cx: Any, recorded: bool) -> None:
    case = _a_case(cx)
    with transaction.atomic(), _recording(recorded):
        locked, steps = fastsql.select_many(
            [
                fastsql.Select(Case, '"id" = %s', [case.pk], for_update=True),
                fastsql.Select(CaseStep, '"case_id" = %s', [case.pk], order_by='"position"'),
            ]
        )
    alone = fastsql.select(Case, '"id" = %s', [case.pk])
    assert [c.pk for c in locked] == [case.pk]
    assert {f.attname: getattr(locked[0], f.attname) for f in Case._meta.concrete_fields} == {
        f.attname: getattr(alone[0], f.attname) for f in Case._meta.concrete_fields
    }
    assert locked[0].due_at == case.due_at and locked[0].due_at.tzinfo is not None
    assert [s.position for s in steps] == sorted(s.position for s in CaseStep.objects.filter(case=case))
    assert not locked[0]._state.adding and steps[0]._state.db == "default"


@pytest.mark.django_db(transaction=True)
def test_select_many_opens_the_transaction_and_holds_its_lock(org: Any) -> None:
    """PostgreSQL: the BEGIN travels with the SELECTs, and the row read FOR UPDATE stays locked
    until the transaction ends (another connection cannot take it meanwhile)."""
    if connection.vendor != "postgresql":
        pytest.skip("the pipeline and row locks are PostgreSQL's")
    import threading

    from django.db import OperationalError, connections

    from onewindow.cases.tests.conftest import load_calendar_2026

    load_calendar_2026()
    case = _a_case(org)
    connection.ensure_connection()
    raw = connection.connection
    sent, spy, original = _psycopg_commands(raw)
    outcome: list[str] = []

    def other() -> None:
        try:
            with transaction.atomic(), connections["default"].cursor() as cursor:
                cursor.execute('SELECT "id" FROM "cases_case" WHERE "id" = %s FOR UPDATE NOWAIT', [case.pk])
            outcome.append("locked it")
        except OperationalError:
            outcome.append("busy")
        finally:
            connections["default"].close()

    try:
        type(raw)._exec_command = spy  # type: ignore[method-assign]
        with transaction.atomic():
            (locked,) = fastsql.select_many([fastsql.Select(Case, '"id" = %s', [case.pk], for_update=True)])
            assert [c.pk for c in locked] == [case.pk]
            thread = threading.Thread(target=other)
            thread.start()
            thread.join(30)
    finally:
        type(raw)._exec_command = original  # type: ignore[method-assign]
    assert outcome == ["busy"]
    assert not any(c.startswith(b"BEGIN") for c in sent)
    thread = threading.Thread(target=other)  # released at the commit
    thread.start()
    thread.join(30)
    assert outcome == ["busy", "locked it"]


def test_rows_gives_what_djangos_cursor_gives(cx: Any) -> None:
    """PostgreSQL: fastsql.rows goes through psycopg's server-side binding (prepared after a
    few runs); the values are those Django's cursor gives, run after run."""
    case = _a_case(cx)
    sql = (
        'SELECT "id", "number", "received_at", "accepted_on", "green_channel", "answer_due_at" '
        'FROM "cases_case" WHERE "id" = %s AND "green_channel" = %s'
    )
    with CaptureQueriesContext(connection):  # recorded: through Django's cursor
        expected = fastsql.rows(sql, [case.pk, False])
    assert len(expected) == 1 and expected[0][1] == case.number
    for _ in range(7):  # past psycopg's threshold of 5: prepared on PostgreSQL
        assert fastsql.rows(sql, [case.pk, False]) == expected
    assert fastsql.rows(sql, [case.pk, True]) == []


def test_rows_refuses_to_run_in_a_broken_transaction(cx: Any) -> None:
    from django.db.transaction import TransactionManagementError

    case = _a_case(cx)
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            fastsql.insert([_event(case, 1)])  # (case, seq) exists
        with pytest.raises(TransactionManagementError):
            fastsql.rows('SELECT "id" FROM "cases_case" WHERE "id" = %s', [case.pk])
