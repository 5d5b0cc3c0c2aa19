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
from onewindow.notifications.services import message_enqueue

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


def open_phases(
    bundle_case: BundleCase, *, now: dt.datetime, actor: Actor, record: bool = True
) -> list[BundleCasePhase]:
    """Open the first waiting phase and those merged into it; opens their sub-cases (ordinary
    intakes at `now`, due never after the bundle or the phase). The phases opened."""
    from onewindow.approvals import plan as plans
    from onewindow.cases.services import case_intake
    from onewindow.cases.versions import published_version

    waiting = list(bundle_case.phases.filter(status=BundleCasePhase.Status.WAITING).order_by("position"))
    if not waiting:
        return []
    group = [waiting[0]]
    for phase in waiting[1:]:
        if not phase.merge_with_previous:
            break
        group.append(phase)
    table = calendar_table()
    today = case_clock.local_date(now)
    opened: list[dict[str, Any]] = []
    for phase in group:
        phase.status = BundleCasePhase.Status.OPEN
        phase.opened_at = now
        phase.due_at = (
            case_clock.end_of_nth_working_day(table, today, phase.promised_limit)
            if phase.promised_limit is not None
            else None
        )
        phase.save(update_fields=["status", "opened_at", "due_at"])
        cap = min(d for d in (bundle_case.due_at, phase.due_at) if d is not None)
        for sub in phase.sub_cases.select_related("department").order_by("position"):
            case = case_intake(
                actor=actor,
                item_code=sub.item_code,
                center=bundle_case.center,
                applicant=applicant_of(bundle_case),
                channel=Case.Channel.WINDOW,
                materials=plans.intake_entries(
                    sub.materials, published_version(bundle_case.center, sub.item_code)
                ),
                action="accept",
                note=bundle_case.note
                or _("Accepted within bundle case %(number)s.") % {"number": bundle_case.number},
                window=bundle_case.window,
                delivery_method=bundle_case.delivery_method,
                now=now,
                due_cap_at=cap,
                joint=True,
                form=sub.form,
            )
            sub.case = case
            sub.save(update_fields=["case"])
            opened.append(
                {
                    "item_code": sub.item_code,
                    "department": sub.department.name,
                    "number": case.number,
                    "due_at": case.due_at,
                }
            )
    if record:
        records.bundle_event(
            bundle_case,
            "open_phase",
            from_status=bundle_case.status,
            actor=actor,
            now=now,
            data={"phases": [p.name for p in group], "sub_cases": opened},
        )
    return group


def advance(bundle_case: BundleCase, *, now: dt.datetime, actor: Actor) -> None:
    """Close the open phases whose sub-cases are all decided, open the next ones, and decide
    the bundle when no phase is left (loops: an instant item may be decided at its intake)."""
    while bundle_case.status == BundleCase.Status.IN_PROGRESS:
        still_open = False
        for phase in bundle_case.phases.filter(status=BundleCasePhase.Status.OPEN):
            subs = list(phase.sub_cases.select_related("case"))
            for s in subs:
                if s.case is not None and s.decided_at is None and is_done(s.case):
                    s.decided_at = now  # decided at its intake (an instant item)
                    s.save(update_fields=["decided_at"])
            if all(s.decided_at is not None for s in subs if s.required):
                phase.status = BundleCasePhase.Status.DONE
                phase.done_at = now
                phase.save(update_fields=["status", "done_at"])
            else:
                still_open = True
        if still_open:
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
    message_enqueue(
        template_code="bundle_decided",
        recipient=bundle_case.applicant_phone,
        context={
            "center_name": bundle_case.center.name,
            "bundle_name": bundle_case.bundle_name,
            "bundle_number": bundle_case.number,
            "pickup_place": bundle_case.center.name,
        },
        related_type="approvals.bundlecase",
        related_id=str(bundle_case.pk),
    )


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
