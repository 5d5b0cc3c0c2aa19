"""The only code that reads a case for update and writes a unit of work (`work.Work`), in the
caller's transaction (`transaction.atomic()`; nothing here commits). The case, its steps,
materials, events, notices and outbox messages are written through `core.rawwrite` (one INSERT
per table, one UPDATE of the changed columns per row: the ORM's query building cost more than
20 % of the intake and step-action benchmarks, docs/benchmarks.md); the rare other rows
(pauses, extensions, corrections) through the ORM.

* `lock_case` reads the case under its row lock (SELECT … FOR NO KEY UPDATE on PostgreSQL;
  SQLite's write transaction is the lock) and its steps, and remembers the values read.
* `write` writes the work: the case numbers it wants are taken first (their sequence rows stay
  locked until the commit, so that is as late as it gets simply), then the case — an existing
  case with a compare-and-set on its `version` (no row: Conflict, before anything else is
  written) — then one INSERT per table for the new rows, and for every changed row an
  UPDATE of the columns that changed only: a case action never overwrites a column that the
  supervision sweep changed meanwhile (the levels of steps, which it updates without the
  case's lock). Every check runs before the caller's COMMIT, so an error never reaches a
  client for data that was committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from onewindow.cases import chain, hooks, numbers
from onewindow.cases.messages import build_messages
from onewindow.cases.models import Case, CaseEvent, CaseStep, Notice
from onewindow.cases.versions import version_by_id
from onewindow.cases.work import PENDING_NUMBER, Work
from onewindow.core import context, fastsql, rawwrite
from onewindow.core.errors import Conflict, NotFound
from onewindow.notifications.models import OutboxMessage
from onewindow.notifications.services import messages_stored

_LOADED = "_ow_loaded"  # the attribute holding the values a row had when it was read


def _remember(obj: models.Model) -> None:
    setattr(obj, _LOADED, {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields})


def changed_fields(obj: models.Model) -> dict[str, Any]:
    """The columns of `obj` (read by `lock_case`) whose values differ from those read."""
    loaded: dict[str, Any] = getattr(obj, _LOADED)
    return {name: value for name, value in ((n, getattr(obj, n)) for n in loaded) if value != loaded[name]}


_CASE_BY_ID = '"id" = %s'
_CASE_BY_NUMBER = (
    f'"id" = (SELECT "id" FROM "{Case._meta.db_table}" '  # noqa: S608
    'WHERE "number" = %s OR "receipt_number" = %s ORDER BY "id" LIMIT 1)'
)
_STEPS = '"case_id" = %s'


def lock_case(case: Case | str | int, *, steps: bool = True) -> tuple[Case, list[CaseStep]]:
    """A case (given as a Case, its id, or its case or receipt number) read under its row lock,
    with its item version from the cache and (`steps`) its steps, by position."""
    params: list[Any]
    if isinstance(case, Case | int):
        where, params = _CASE_BY_ID, [case.pk if isinstance(case, Case) else case]
    else:
        number = numbers.parse_case_number(case)
        where, params = _CASE_BY_NUMBER, [number, number]
    # a plain SELECT built once and Model.from_db (core.fastsql.instances): the ORM's building
    # of the 80-column query was a third of a step action (docs/benchmarks.md)
    found_case = fastsql.instances(Case, fastsql.select_all(Case, where, lock=True), params)
    locked = found_case[0] if found_case else None
    if locked is None:
        raise NotFound(_("No such case."))
    locked.item_version = version_by_id(locked.item_version_id)
    _remember(locked)
    found: list[CaseStep] = []
    if steps:
        found = fastsql.instances(
            CaseStep, fastsql.select_all(CaseStep, _STEPS, order_by='"position"'), [locked.pk]
        )
    for step in found:
        _remember(step)
    return locked, found


def write(work: Work) -> None:
    """Write `work` (see the module's docstring)."""
    case = work.case
    before = "" if work.new_case else _loaded(case, "status")
    # a bundle's sub-case: the bundle case tells the applicant (one notice, ADR 0026)
    messages = [] if case.joint else build_messages(case, work.messages)
    if work.notices:
        _number_notices(work)  # reads how many the case has: before the writes
    new_steps = work.steps if work.new_steps and work.steps else []
    # PostgreSQL: every new row's key in one statement and the numbers, sent with the
    # transaction's BEGIN in one round trip, so that all the writes can then go in one round
    # trip too (rawwrite.pipeline). The numbers' sequence rows stay locked from here to the
    # commit.
    groups: list[Sequence[models.Model]] = [
        [case] if work.new_case else [],
        work.materials,
        new_steps,
        work.events,
        work.notices,
        messages,
    ]
    wanted = work.numbers_wanted
    with rawwrite.pipeline():
        keys = rawwrite.reserve_keys(groups)
        pending = numbers.take_later(center_id=case.center_id, wanted=wanted) if wanted else {}
    keys.result()
    if wanted:
        taken = numbers.finish(
            center_id=case.center_id, center_code=case.center.code, wanted=wanted, pending=pending
        )
        _take_numbers(work, messages, taken)
    ip = context.current().ip
    if ip:  # from where (ADR 0009: the case events are the case's audit trail)
        for event in work.events:
            event.data["ip"] = ip
    version = None
    # the events' hash chain (ADR 0024): sealed before the case is written when every key is
    # known (always on PostgreSQL, whose keys are reserved above), otherwise (SQLite, new rows)
    # once the case and steps have their keys, and the case's new head written after them
    early = _keys_known(case, work.events)
    if early:
        chain.seal_events(case, work.events)
    try:
        with rawwrite.pipeline():
            if work.new_case:
                rawwrite.create([case])
            else:
                # compare-and-set on the version read: checked below, before the commit
                version = rawwrite.update(
                    case, changed_fields(case), expect={"version": _loaded(case, "version")}
                )
            for material in work.materials:
                material.case = case
            rawwrite.create(work.materials)
            rawwrite.create(new_steps)
            changed_steps = (
                [(step, changed_fields(step)) for step in work.dirty_steps.values()] if not new_steps else []
            )
            for step, changed in changed_steps:
                if changed:
                    rawwrite.update(step, changed)
            if not early:
                chain.seal_events(case, work.events)
                rawwrite.update(case, {"event_hash": case.event_hash})
            rawwrite.create(work.events)
            rawwrite.create(work.notices)
            for message in messages:
                message.related_id = str(case.pk)
            rawwrite.create(messages)
    except IntegrityError as exc:  # a concurrent transition wrote the same event sequence
        raise Conflict(
            _("The case was changed by someone else; reload it and try again."),
            details={"version": case.version},
        ) from exc
    if version is not None and version.rows != 1:
        raise Conflict(
            _("The case was changed by someone else; reload it and try again."),
            details={"version": _loaded(case, "version")},
        )
    _remember(case)
    for step in work.dirty_steps.values():
        _remember(step)
    _create(work.rows)
    for row, fields in work.changed:
        type(row)._default_manager.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
    if messages:
        messages_stored()
    if case.status != before or case.joint:  # a sub-case: every change (a step may end it)
        hooks.status_changed(case, before, work.now, work.actor)


def write_new(works: list[Work]) -> None:
    """Write several NEW cases of one center and day at once (a bundle's sub-cases, opened at one
    moment): the same rows as `write` gives each, but one statement per table for all of them and
    their numbers taken together (one UPDATE per kind). Five sub-cases written so cost about half
    of five `write`s (docs/benchmarks.md, bundle intake)."""
    if not works:
        return
    assert all(w.new_case for w in works)
    first = works[0].case
    wanted = works[0].numbers_wanted
    assert all(w.numbers_wanted == wanted and w.case.center_id == first.center_id for w in works)
    all_messages = [build_messages(w.case, w.messages) if not w.case.joint else [] for w in works]
    for work in works:
        if work.notices:
            _number_notices(work)
    cases = [w.case for w in works]
    materials = [m for w in works for m in w.materials]
    steps = [st for w in works if w.new_steps for st in w.steps]
    events = [e for w in works for e in w.events]
    notices = [n for w in works for n in w.notices]
    messages = [m for batch in all_messages for m in batch]
    with rawwrite.pipeline():
        keys = rawwrite.reserve_keys([cases, materials, steps, events, notices, messages])
        pending = (
            numbers.take_later(center_id=first.center_id, wanted=wanted, count=len(works)) if wanted else {}
        )
    keys.result()
    if wanted:
        taken = numbers.finish_many(
            center_id=first.center_id,
            center_code=first.center.code,
            wanted=wanted,
            pending=pending,
            count=len(works),
        )
        for i, (work, batch) in enumerate(zip(works, all_messages, strict=True)):
            _take_numbers(work, batch, {kind: taken[kind][i] for kind in taken})
    ip = context.current().ip
    if ip:
        for event in events:
            event.data["ip"] = ip
    early = all(_keys_known(w.case, w.events) for w in works)
    if early:
        for work in works:
            chain.seal_events(work.case, work.events)
    try:
        with rawwrite.pipeline():
            rawwrite.create(cases)
            for work in works:
                for material in work.materials:
                    material.case = work.case
            rawwrite.create(materials)
            rawwrite.create(steps)
            if not early:
                for work in works:
                    chain.seal_events(work.case, work.events)
                    rawwrite.update(work.case, {"event_hash": work.case.event_hash})
            rawwrite.create(events)
            rawwrite.create(notices)
            for work, batch in zip(works, all_messages, strict=True):
                for message in batch:
                    message.related_id = str(work.case.pk)
            rawwrite.create(messages)
    except IntegrityError as exc:  # pragma: no cover - new rows: a number taken twice
        raise Conflict(_("The case was changed by someone else; reload it and try again.")) from exc
    for work in works:
        _remember(work.case)
        _create(work.rows)
        for row, fields in work.changed:
            type(row)._default_manager.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
    if messages:
        messages_stored()
    for work in works:
        hooks.status_changed(work.case, "", work.now, work.actor)


def _keys_known(case: Case, events: list[CaseEvent]) -> bool:
    """Whether the case and every step the events refer to have their keys already."""
    return case.pk is not None and all(
        e.step_id is not None or e.step is None or e.step.pk is not None for e in events
    )


def _loaded(obj: models.Model, attname: str) -> Any:
    return getattr(obj, _LOADED)[attname]


def _create(rows: Iterable[models.Model]) -> None:
    """One bulk_create per model, in the order the models first appear."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, objs in by_model.items():
        model._default_manager.bulk_create(objs)


def _number_notices(work: Work) -> None:
    """Each notice's sequence among the case's notices, after its number's prefix."""
    before = 0 if work.new_case else Notice.objects.filter(case_id=work.case.pk).count()
    for i, notice in enumerate(work.notices, start=before + 1):
        notice.number = f"{notice.number}{i:02d}"


def _take_numbers(work: Work, messages: list[OutboxMessage], taken: dict[str, str]) -> None:
    """Put the numbers taken where the placeholders are."""
    case = work.case
    work.numbers_wanted = {}
    swap = {PENDING_NUMBER[kind]: number for kind, number in taken.items()}

    def real(value: Any) -> Any:
        if isinstance(value, str):
            for placeholder, number in swap.items():
                value = value.replace(placeholder, number)
            return value
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        if isinstance(value, list):
            return [real(v) for v in value]
        return value

    case.number = real(case.number)
    case.receipt_number = real(case.receipt_number)
    for event in work.events:
        event.data = real(event.data)
    for notice in work.notices:
        notice.number = real(notice.number)
        notice.data = real(notice.data)
    for message in messages:
        message.body = real(message.body)
