"""Hash chains over append-only rows (issue 12 §3, ADR 0024).

Every chained row stores `prev_hash` (the `row_hash` of the row before it in its chain, "" for the
first) and `row_hash` = SHA-256 over `prev_hash` and the canonical JSON of the row's fields that
matter (`digest`). Editing a row changes its content hash; deleting or inserting a row breaks the
next row's `prev_hash`; cutting the tail is caught by the chain's head, kept elsewhere.

The audit trail (`AuditEntry`) is one chain in id order, its head in `AuditChainHead` (one row,
locked in the writer's transaction: SELECT … FOR UPDATE on PostgreSQL, SQLite's write
transaction is already the lock). Case events are chained per case (`onewindow.cases.chain`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from onewindow.core.models import AuditChainHead, AuditEntry

AUDIT_CHAIN = "audit"
AUDIT_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
)


def canonical(value: Any) -> Any:
    """`value` with datetimes as UTC ISO strings (microseconds), ready for `json.dumps`."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def digest(prev_hash: str, payload: dict[str, Any]) -> str:
    """The row hash: SHA-256 (hex) of the previous hash, a newline and the canonical JSON of
    `payload` (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(canonical(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def audit_payload(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values.get(name) for name in AUDIT_FIELDS}


@dataclass(frozen=True)
class Break:
    """The first broken link of one chain: which table and row, what was expected, what was found."""

    table: str
    chain: str
    row_id: int | None
    problem: str  # "content" (row edited), "link" (row deleted or inserted before it), "head" (tail cut)
    expected: str
    found: str
    case_id: int | None = None  # the case of a case-event chain

    def line(self) -> str:
        return (
            f"{self.table} chain {self.chain}: row {self.row_id}: {self.problem} "
            f"(expected {self.expected or '-'}, found {self.found or '-'})"
        )


def seal_audit_entry(entry: AuditEntry) -> None:
    """Chain `entry` (not saved yet) after the head and save it, with the head, in one transaction."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(name=AUDIT_CHAIN).first()
        if head is None:
            head = AuditChainHead.objects.create(name=AUDIT_CHAIN)
        entry.prev_hash = head.last_hash
        entry.row_hash = digest(head.last_hash, audit_payload(_entry_values(entry)))
        entry.save()
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_id=entry.pk, last_hash=entry.row_hash, count=head.count + 1
        )


def _entry_values(entry: AuditEntry) -> dict[str, Any]:
    # before/after as they read back from the database (JSON): tuples become lists, keys strings
    values = {name: getattr(entry, name) for name in AUDIT_FIELDS}
    for name in ("before", "after"):
        values[name] = json.loads(json.dumps(values[name])) if values[name] is not None else None
    return values


def _audit_rows(after: int | None) -> Iterator[dict[str, Any]]:
    fields = ("id", "prev_hash", "row_hash", *AUDIT_FIELDS)
    rows = AuditEntry.objects.order_by("id")
    if after is not None:
        rows = rows.filter(id__gt=after)
    yield from rows.values(*fields).iterator(chunk_size=2000)


@dataclass
class _Walk:
    prev: str = ""
    last_id: int | None = None
    count: int = 0

    def on(self, table: str) -> Break | None:
        """Walk the rows after the last one walked; the first broken link, if any."""
        for row in _audit_rows(self.last_id):
            if row["prev_hash"] != self.prev:
                return Break(table, AUDIT_CHAIN, row["id"], "link", self.prev, row["prev_hash"])
            expected = digest(row["prev_hash"], audit_payload(row))
            if row["row_hash"] != expected:
                return Break(table, AUDIT_CHAIN, row["id"], "content", expected, row["row_hash"])
            self.prev, self.last_id, self.count = row["row_hash"], row["id"], self.count + 1
        return None


def verify_audit() -> list[Break]:
    """The first broken link of the audit chain (an empty list when it is whole). The rows are
    walked without a lock (writers go on); then, under the head's lock, the rows written
    meanwhile, and the head is compared with the last row."""
    table = AuditEntry._meta.db_table
    walk = _Walk()
    broken = walk.on(table)
    if broken:
        return [broken]
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(name=AUDIT_CHAIN).first()
        broken = walk.on(table)  # written while the rows were walked
    if broken:
        return [broken]
    head_hash, head_id, head_count = (head.last_hash, head.last_id, head.count) if head else ("", None, 0)
    if (head_hash, head_id, head_count) != (walk.prev, walk.last_id, walk.count):
        return [
            Break(
                table,
                AUDIT_CHAIN,
                head_id,
                "head",
                f"{head_count} rows up to {head_id}: {head_hash}",
                f"{walk.count} rows up to {walk.last_id}: {walk.prev}",
            )
        ]
    return []
