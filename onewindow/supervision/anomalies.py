"""Anomalies (异常): read the case events since the last sweep once, raise the anomaly flags
they show (accepted with a required material missing, correction requested again, returned twice
for the same reason), the flags of special procedures past their expected end, and re-check the
open flags of the cases those events touched (resolution.py).

The events are read by time through their index from the `SweepCursor`, a few minutes before it
(`EVENT_OVERLAP`); the unique flags absorb the overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Q

from onewindow.cases import clock as case_clock
from onewindow.cases.models import CaseEvent, CasePause
from onewindow.supervision.models import Flag, SweepCursor
from onewindow.supervision.resolution import RESOLVE_ALL, RESOLVE_CHUNK, resolve

EVENT_OVERLAP = dt.timedelta(minutes=5)
ANOMALY_CURSOR = "anomalies"


def _anomaly(event: Any, kind: str, detail: dict[str, Any], now: dt.datetime, department_id: int) -> Flag:
    return Flag(
        case_id=event.case_id,
        step_id=None,
        department_id=department_id,
        level=Flag.Level.ANOMALY,
        kind=kind,
        key=f"e{event.pk}",
        raised_at=now,
        detail={"event_id": event.pk, "at": event.at.isoformat(), **detail},
    )


def _maybe_anomaly(action: str, data: Any) -> bool:
    """Whether an event can be an anomaly (the same tests as `_anomaly_flags`, on the event alone)."""
    data = data if isinstance(data, dict) else {}
    if action == "accept":
        return "missing_required" in data
    if action in ("request_correction", "request_processing_correction"):
        return data.get("repeat_correction") is True
    return action == "return_step"


def _anomaly_flags(events: list[CaseEvent], now: dt.datetime) -> list[Flag]:
    flags: list[Flag] = []
    for event in events:
        dept = event.case.department_id
        if event.action == "accept":
            flags.append(
                _anomaly(
                    event,
                    Flag.Kind.MISSING_REQUIRED_MATERIAL,
                    {"number": event.case.number, "missing": event.data.get("missing_required")},
                    now,
                    dept,
                )
            )
        elif event.action == "return_step":
            reason = (event.data.get("reason") or event.opinion or "").strip()
            if reason and (
                CaseEvent.objects.filter(case_id=event.case_id, action="return_step", seq__lt=event.seq)
                .filter(Q(data__reason=reason) | Q(opinion=reason))
                .exists()
            ):
                flags.append(
                    _anomaly(
                        event,
                        Flag.Kind.REPEAT_RETURN_REASON,
                        {"number": event.case.number, "reason": reason},
                        now,
                        dept,
                    )
                )
        else:
            flags.append(
                _anomaly(
                    event,
                    Flag.Kind.REPEAT_CORRECTION,
                    {
                        "number": event.case.number or event.case.receipt_number,
                        "count": event.data.get("correction_number"),
                    },
                    now,
                    dept,
                )
            )
    return flags


def _pause_overrun_flags(now: dt.datetime, since: dt.datetime | None) -> list[Flag]:
    """Special procedures still running past their expected end. Through the partial index on
    the expected end of running pauses; after the first sweep only the expected ends passed
    since the last one (a pause's expected end is set when it starts, never before that day)."""
    today = case_clock.local_date(now)
    pauses = CasePause.objects.filter(ended_at__isnull=True, expected_end__lt=today).exclude(
        kind=CasePause.Kind.CORRECTION
    )
    if since is not None:
        pauses = pauses.filter(expected_end__gte=case_clock.local_date(since) - dt.timedelta(days=1))
    return [
        Flag(
            case_id=pause.case_id,
            department_id=pause.case.department_id,
            level=Flag.Level.ANOMALY,
            kind=Flag.Kind.PAUSE_OVERRUN,
            key=f"p{pause.pk}:{pause.expected_end}",
            raised_at=now,
            detail={
                "number": pause.case.number,
                "pause_id": pause.pk,
                "kind": pause.kind,
                "expected_end": pause.expected_end.isoformat() if pause.expected_end else None,
            },
        )
        for pause in pauses.select_related("case")
    ]


@transaction.atomic
def events_since_last_sweep(now: dt.datetime, counts: Counter[str]) -> None:
    """Read the case events since the last sweep once (the cursor row is locked, so two sweeps
    take turns): raise the anomalies they show, and re-check the open flags of the cases they
    touched. The first sweep, and the first after `request_full_resolution`, re-check every open
    flag instead."""
    cursor = SweepCursor.objects.select_for_update().filter(name=ANOMALY_CURSOR).first()
    first = cursor is None
    if cursor is None:
        cursor, _created = SweepCursor.objects.select_for_update().get_or_create(
            name=ANOMALY_CURSOR, defaults={"at": now - dt.timedelta(days=1)}
        )
    since = cursor.at - EVENT_OVERLAP
    # one read of the window through the index on the event time (a filter on the action here
    # would make SQLite read every acceptance ever through the action index instead)
    touched: set[int] = set()
    candidates: list[int] = []
    for pk, case_id, action, data in (
        CaseEvent.objects.filter(at__gte=since, at__lte=now)
        .order_by()
        .values_list("pk", "case_id", "action", "data")
        .iterator(chunk_size=2000)
    ):
        touched.add(case_id)
        if _maybe_anomaly(action, data):
            candidates.append(pk)
    events = []
    for start in range(0, len(candidates), RESOLVE_CHUNK):
        chunk = candidates[start : start + RESOLVE_CHUNK]
        events += list(CaseEvent.objects.filter(pk__in=chunk).select_related("case").order_by("id"))
    flags = _anomaly_flags(events, now) + _pause_overrun_flags(now, None if first else since)
    if flags:
        raised = Flag.objects.filter(level=Flag.Level.ANOMALY, raised_at=now, resolved_at__isnull=True)
        before = raised.count()
        Flag.objects.bulk_create(flags, ignore_conflicts=True)
        if new := raised.count() - before:
            counts["anomaly"] += new

    full = SweepCursor.objects.select_for_update().filter(name=RESOLVE_ALL).first()
    if first or full is not None:
        resolve(now, counts, None)
        if full is not None:  # a request made meanwhile (another `at`) stays for the next sweep
            SweepCursor.objects.filter(pk=full.pk, at=full.at).delete()
    else:
        ids = sorted(touched)
        for start in range(0, len(ids), RESOLVE_CHUNK):
            resolve(now, counts, ids[start : start + RESOLVE_CHUNK])
    if now > cursor.at:
        cursor.at = now
        cursor.save(update_fields=["at"])
