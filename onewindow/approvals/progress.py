"""How a bundle case moves on by itself: its phases open (each sub-case an ordinary intake, all
of one opening at the same moment), a phase is done when every sub-case of it is decided, the
next phase (with the phases merged into it) opens then, and the bundle is decided when nothing
is left (ADR 0026). `sub_case_status_changed` is the cases hook: it runs in the transaction of
the sub-case's own action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from onewindow.approvals import records
from onewindow.approvals.models import BundleCase, BundleCasePhase, BundleNotice, BundleSubCase
from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.permissions import Actor

# A sub-case in one of these has its result (or ended without one): it holds up nothing.
DECIDED: frozenset[str] = frozenset(
    {
        Status.DECIDED_GRANTED,
        Status.DECIDED_DENIED,
        Status.CERTIFICATE_ISSUED,
        Status.COMPLETED,
        Status.DELIVERED,
        Status.REFUSED,
        Status.WITHDRAWN,
        Status.TERMINATED,
    }
)


def lock_bundle_case(pk: int) -> BundleCase:
    return BundleCase.objects.select_for_update().select_related("center", "bundle").get(pk=pk)


def applicant_of(bundle_case: BundleCase) -> dict[str, str]:
    return {
        "kind": bundle_case.applicant_kind,
        "name": bundle_case.applicant_name,
        "id_type": bundle_case.applicant_id_type,
        "id_number": bundle_case.applicant_id_number,
        "phone": bundle_case.applicant_phone,
        "address": bundle_case.applicant_address,
        "legal_rep_name": bundle_case.legal_rep_name,
        "legal_rep_id_number": bundle_case.legal_rep_id_number,
    }


def outcome(case: Case) -> str:
    """granted, deemed (超时默许: granted by the system for an overdue decision), denied, refused,
    withdrawn, terminated, or "" while open."""
    if case.status not in DECIDED:
        return ""
    if case.status in (Status.REFUSED, Status.WITHDRAWN, Status.TERMINATED):
        return str(case.status)
    if case.decision == Case.Decision.DENIED or case.status == Status.DECIDED_DENIED:
        return "denied"
    deemed = CaseEvent.objects.filter(
        case=case, action="deem_approve_step", to_status=Status.DECIDED_GRANTED
    ).exists()
    return "deemed" if deemed else "granted"


def denial_reason(case: Case) -> str:
    """The opinion given with a denial (shown to the applicant with the rights to appeal)."""
    if case.status != Status.DECIDED_DENIED and case.decision != Case.Decision.DENIED:
        return ""
    event = CaseEvent.objects.filter(case=case, action="deny").order_by("-seq").first()
    if event is None:
        return ""
    return str(event.data.get("reasons") or event.opinion)


def opening_group(waiting: list[BundleCasePhase]) -> list[BundleCasePhase]:
    """Of the waiting phases (by position), the first and those merged into it."""
    group = waiting[:1]
    for phase in waiting[1:]:
        if not phase.merge_with_previous:
            break
        group.append(phase)
    return group


def prepare_group(
    bundle_case: BundleCase,
    group: list[BundleCasePhase],
    subs: list[BundleSubCase],
    *,
    now: dt.datetime,
    actor: Actor,
    versions: dict[str, Any] | None = None,
) -> list[Any]:
    """Open `group` in memory (its phases' status, opening and due time) and build the intakes
    of its sub-cases `subs` at `now`, each due never after the bundle or its phase: only reads
    (`finish_group` writes them)."""
    from onewindow.cases.services import case_intake_prepare

    table = calendar_table()
    today = case_clock.local_date(now)
    caps: dict[int, dt.datetime] = {}
    for phase in group:
        phase.status = BundleCasePhase.Status.OPEN
        phase.opened_at = now
        phase.due_at = (
            case_clock.end_of_nth_working_day(table, today, phase.promised_limit)
            if phase.promised_limit is not None
            else None
        )
        caps[phase.position] = min(d for d in (bundle_case.due_at, phase.due_at) if d is not None)
    applicant = applicant_of(bundle_case)
    note = bundle_case.note or _("Accepted within a bundle case at one window.")
    return case_intake_prepare(
        [
            {
                "actor": actor,
                "item_code": sub.item_code,
                "center": bundle_case.center,
                "applicant": applicant,
                "channel": Case.Channel.WINDOW,
                "materials": sub.materials,
                "action": "accept",
                "note": note,
                "window": bundle_case.window,
                "delivery_method": bundle_case.delivery_method,
                "now": now,
                "due_cap_at": caps[sub.phase.position],  # type: ignore[union-attr]
                "joint": True,
                "form": sub.form,
                "version": (versions or {}).get(sub.item_code),
            }
            for sub in subs
        ]
    )


def finish_group(subs: list[BundleSubCase], prepared: list[Any], *, now: dt.datetime) -> list[dict[str, Any]]:
    """Write the intakes `prepare_group` built: `sub.case` and, for an instant item decided at
    once, `sub.decided_at` are set in memory (the caller saves the phases and sub-cases). The
    sub-cases opened (item, department, number, due)."""
    from onewindow.cases.services import case_intake_write

    opened: list[dict[str, Any]] = []
    for sub, case in zip(subs, case_intake_write(prepared), strict=True):
        sub.case = case
        if is_done(case):  # an instant item, decided at its intake
            sub.decided_at = now
        opened.append(
            {
                "item_code": sub.item_code,
                "item_name": sub.item_name,
                "department": sub.department.name,
                "number": case.number,
                "due_at": case.due_at,
                "decided": sub.decided_at is not None,
            }
        )
    return opened


def open_group(
    bundle_case: BundleCase,
    group: list[BundleCasePhase],
    subs: list[BundleSubCase],
    *,
    now: dt.datetime,
    actor: Actor,
) -> list[dict[str, Any]]:
    """`prepare_group` and `finish_group` at once (a later phase, in the caller's transaction)."""
    prepared = prepare_group(bundle_case, group, subs, now=now, actor=actor)
    return finish_group(subs, prepared, now=now)


def open_phases(bundle_case: BundleCase, *, now: dt.datetime, actor: Actor) -> list[dict[str, Any]]:
    """Open the next phase (and those merged into it) of a running bundle case and record it:
    the sub-cases opened, none when no phase was waiting."""
    waiting = list(bundle_case.phases.filter(status=BundleCasePhase.Status.WAITING).order_by("position"))
    group = opening_group(waiting)
    if not group:
        return []
    subs = list(
        BundleSubCase.objects.filter(phase__in=group)
        .select_related("department", "phase")
        .order_by("position")
    )
    opened = open_group(bundle_case, group, subs, now=now, actor=actor)
    BundleCasePhase.objects.bulk_update(group, ["status", "opened_at", "due_at"])
    BundleSubCase.objects.bulk_update(subs, ["case", "decided_at"])
    records.bundle_event(
        bundle_case,
        "open_phase",
        from_status=bundle_case.status,
        actor=actor,
        now=now,
        data={"phases": [p.name for p in group], "sub_cases": opened},
    )
    return opened


def advance(bundle_case: BundleCase, *, now: dt.datetime, actor: Actor) -> None:
    """Close the open phases whose sub-cases are all decided, open the next ones, and decide
    the bundle when no phase is left (loops: an instant item may be decided at its intake)."""
    while bundle_case.status == BundleCase.Status.IN_PROGRESS:
        rows = list(
            BundleSubCase.objects.filter(
                bundle_case=bundle_case, phase__status=BundleCasePhase.Status.OPEN
            ).values("pk", "phase_id", "required", "decided_at", "case__status", "case__active_step_position")
        )
        newly = [
            r["pk"]
            for r in rows
            if r["decided_at"] is None
            and r["case__status"] in DECIDED
            and r["case__active_step_position"] is None
        ]
        if newly:  # decided at its intake (an instant item)
            BundleSubCase.objects.filter(pk__in=newly).update(decided_at=now)
        pending = {
            r["phase_id"] for r in rows if r["required"] and r["decided_at"] is None and r["pk"] not in newly
        }
        done = {r["phase_id"] for r in rows} - pending
        if done:
            BundleCasePhase.objects.filter(pk__in=done).update(
                status=BundleCasePhase.Status.DONE, done_at=now
            )
        if pending:
            return
        if not open_phases(bundle_case, now=now, actor=None):
            decide(bundle_case, now=now, actor=actor)
            return


def decide(bundle_case: BundleCase, *, now: dt.datetime, actor: Actor) -> None:
    """Every required sub-case is decided: the bundle's results are ready for the one pickup."""
    before = bundle_case.status
    bundle_case.status = BundleCase.Status.DECIDED
    bundle_case.decided_at = now
    bundle_case.save(update_fields=["status", "decided_at"])
    results = [
        {
            "item_code": s.item_code,
            "item_name": s.item_name,
            "department": s.department.name,
            "number": s.case.number if s.case else "",
            "outcome": outcome(s.case) if s.case else "",
            "reason": denial_reason(s.case) if s.case else "",
        }
        for s in bundle_case.sub_cases.select_related("case", "department").order_by("position")
    ]
    on_time = bundle_case.due_at is None or now <= bundle_case.due_at
    records.bundle_event(
        bundle_case,
        "decide",
        from_status=before,
        actor=actor,
        now=now,
        data={"results": results, "on_time": on_time},
    )
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.DECISION,
        now=now,
        data={"bundle_name": bundle_case.bundle_name, "number": bundle_case.number, "results": results},
    )
    records.bundle_message(bundle_case, "bundle_decided", pickup_place=bundle_case.center.name)


def is_done(case: Case) -> bool:
    """The sub-case has its result in hand: decided (or ended) with no step left (a granted
    case still issuing its certificate is not done)."""
    return case.status in DECIDED and case.active_step_position is None


def sub_case_status_changed(case: Case, before: str, now: dt.datetime, actor: Actor) -> None:
    """The cases hook: a sub-case just got its result → record it on the bundle and move on.
    A new sub-case (before "") is looked after by the phase that opens it."""
    if not case.joint or not before or not is_done(case):
        return
    link = BundleSubCase.objects.filter(case_id=case.pk, decided_at__isnull=True).first()
    if link is None:
        return
    link.decided_at = now
    link.save(update_fields=["decided_at"])
    bundle_case = lock_bundle_case(link.bundle_case_id)
    records.bundle_event(
        bundle_case,
        "sub_case_decided",
        from_status=bundle_case.status,
        actor=actor,
        now=now,
        data={"item_code": link.item_code, "number": case.number, "outcome": outcome(case)},
    )
    advance(bundle_case, now=now, actor=actor)
