"""The integrity of the audit trail and the case histories (issue 12 §3, ADR 0024).

`trails_verify` walks every hash chain (the audit trail, each case's events) and checks that the
append-only triggers are in place; `trails_check` (the daily job, `tasks.audit_trail_check`)
does the same and, when something is broken, raises the alarm: an anomaly flag
(`Flag.Kind.CHAIN_BROKEN`) on each case whose history was tampered with (supervisors see it on
the anomalies board), an ERROR log line per break, and an audit entry `audit.chain_broken` (the
auditor sees it in the audit trail). A whole chain writes one `audit.chain_verified` entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import connection, transaction

from onewindow.cases.chain import verify_case_events
from onewindow.cases.models import Case, CaseEvent
from onewindow.core import audit, clock
from onewindow.core.append_only import expected_triggers, installed_triggers, registered_tables
from onewindow.core.chain import AUDIT_CHAIN, Break, verify_audit
from onewindow.core.models import AuditChainHead, AuditEntry
from onewindow.supervision.models import Flag

logger = logging.getLogger(__name__)

BASE_APPEND_ONLY_TABLES = (AuditEntry._meta.db_table, CaseEvent._meta.db_table)


def append_only_tables() -> tuple[str, ...]:
    """The audit trail, the case events, and the tables other apps registered (bundle events)."""
    return BASE_APPEND_ONLY_TABLES + tuple(t for t in registered_tables() if t not in BASE_APPEND_ONLY_TABLES)


@dataclass
class Verification:
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def trails_verify(*, limit: int = 100) -> Verification:
    """Every chain's first broken link (case chains: at most `limit`), and every append-only
    table whose triggers are missing or disabled."""
    result = Verification()
    for table in append_only_tables():
        found = installed_triggers(connection, table)
        wanted = expected_triggers(connection)
        if found != wanted:
            result.breaks.append(Break(table, "triggers", None, "triggers", str(wanted), str(found)))
    result.breaks += verify_audit()
    result.breaks += verify_case_events(limit=limit)
    return result


def trails_check() -> Verification:
    """The daily check: verify, then raise the alarm for what is broken."""
    result = trails_verify()
    if result.ok:
        # the head as verified goes to the log too, which the center ships off the machine: the
        # anchor against someone who could cut the tail and rewrite the head (ADR 0024)
        head = AuditChainHead.objects.filter(name=AUDIT_CHAIN).values("last_id", "last_hash", "count").first()
        logger.info("audit trail verified: head %s", head)
        audit.record(
            action="audit.chain_verified", object_type="core.auditentry", after={"breaks": 0, "head": head}
        )
        return result
    now = clock.now()
    for b in result.breaks:
        logger.error("audit trail tampered with: %s", b.line())
    case_ids = {b.case_id for b in result.breaks if b.case_id is not None}
    departments = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "department_id"))
    with transaction.atomic():
        Flag.objects.bulk_create(
            [
                Flag(
                    case_id=b.case_id,
                    department_id=departments[b.case_id],
                    level=Flag.Level.ANOMALY,
                    kind=Flag.Kind.CHAIN_BROKEN,
                    key=f"{b.problem}:{b.row_id}"[:64],
                    raised_at=now,
                    detail={"table": b.table, "row": b.row_id, "expected": b.expected, "found": b.found},
                )
                for b in result.breaks
                if b.case_id in departments
            ],
            ignore_conflicts=True,  # the same break found again tomorrow: one flag
        )
        audit.record(
            action="audit.chain_broken",
            object_type="core.auditentry",
            after={
                "breaks": [
                    {"table": b.table, "chain": b.chain, "row": b.row_id, "problem": b.problem,
                     "expected": b.expected, "found": b.found}
                    for b in result.breaks
                ]
            },
        )  # fmt: skip
    return result
