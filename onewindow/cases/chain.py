"""The hash chain of each case's events (issue 12 §3, ADR 0024; the hashing is `core.chain`).

A case's events form one chain in `seq` order: the first event's `prev_hash` is "", every other
event's is the `row_hash` of the event before it, and the case row keeps the last one
(`Case.event_hash`), so a cut tail is caught too. The write path already holds the case under
its lock and reads the whole row, so sealing a unit of work's events costs one SHA-256 per event
and one more changed column of the case (no extra query).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import transaction

from onewindow.cases.models import Case, CaseEvent
from onewindow.core.chain import Break, digest

EVENT_FIELDS = (
    "case_id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "from_status",
    "to_status",
    "step_id",
    "opinion",
    "data",
    "public",
)


def event_payload(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values.get(name) for name in EVENT_FIELDS}


def seal_events(case: Case, events: Sequence[CaseEvent]) -> None:
    """Chain `events` (new, in seq order, ids of the case and steps known) after the case's last
    event, and move the case's head to the last of them."""
    prev = case.event_hash
    for event in events:
        if event.step_id is None and event.step is not None:
            event.step_id = event.step.pk
        event.case_id = case.pk
        event.prev_hash = prev
        event.row_hash = prev = digest(prev, event_payload({n: getattr(event, n) for n in EVENT_FIELDS}))
    case.event_hash = prev


def _events() -> Iterator[dict[str, Any]]:
    fields = ("id", "prev_hash", "row_hash", *EVENT_FIELDS)
    yield from CaseEvent.objects.order_by("case_id", "seq").values(*fields).iterator(chunk_size=2000)


def _heads() -> Iterator[tuple[int, str]]:
    yield from Case.objects.order_by("id").values_list("id", "event_hash").iterator(chunk_size=5000)


def verify_case_events(*, limit: int = 100) -> list[Break]:
    """The first broken link of every broken case chain (at most `limit` of them), walking the
    events by (case, seq) and the cases by id side by side."""
    table = CaseEvent._meta.db_table
    breaks: list[Break] = []
    heads = _heads()
    head: tuple[int, str] | None = next(heads, None)
    case_id: int | None = None
    prev = ""
    broken = False

    def close(case: int | None, last: str, dead: bool) -> None:
        """Compare the chain of `case` walked so far with the heads of cases up to it."""
        nonlocal head
        while head is not None and (case is None or head[0] <= case):
            expected = last if head[0] == case else ""
            if head[1] != expected and not (head[0] == case and dead):
                breaks.append(
                    Break(Case._meta.db_table, f"case {head[0]}", head[0], "head", head[1], expected, head[0])
                )
            head = next(heads, None)

    for row in _events():
        if row["case_id"] != case_id:
            if case_id is not None:
                close(case_id, prev, broken)
            case_id, prev, broken = row["case_id"], "", False
        if broken:
            continue
        if row["prev_hash"] != prev:
            breaks.append(Break(table, f"case {case_id}", row["id"], "link", prev, row["prev_hash"], case_id))
            broken = True
            continue
        expected = digest(row["prev_hash"], event_payload(row))
        if row["row_hash"] != expected:
            breaks.append(
                Break(table, f"case {case_id}", row["id"], "content", expected, row["row_hash"], case_id)
            )
            broken = True
            continue
        prev = row["row_hash"]
        if len(breaks) >= limit:
            return breaks[:limit]
    if case_id is not None:
        close(case_id, prev, broken)
    close(None, "", False)
    # a case acted on while the walk went by reads as a moved head: checked again under its lock
    return [b for b in breaks if b.problem != "head" or _head_broken(b.case_id or 0)][:limit]


def _head_broken(case_id: int) -> bool:
    """Whether the case's head differs from its last event's hash, read under the case's lock
    (every writer of its events holds it)."""
    with transaction.atomic():
        head = (
            Case.objects.select_for_update().filter(pk=case_id).values_list("event_hash", flat=True).first()
        )
        last = (
            CaseEvent.objects.filter(case_id=case_id)
            .order_by("-seq")
            .values_list("row_hash", flat=True)
            .first()
        )
    return head is not None and head != (last or "")
