"""What the public sees of a bundle case (一件事办件) on the progress page and in the public API.

Given the bundle number and the last four characters of the applicant's phone or ID number (the
rule of the single-case lookup, `cases.selectors.public_progress`): the bundle's status and
joint due date, its phases, and per department the item, the sub-case's status (public labels),
its outcome, the denial reason (the applicant is entitled to it, with the rights to appeal) and
its public events. Never a staff name, an internal opinion or the applicant's full data; every
wrong input gives the same None so numbers cannot be probed.

`bundle_of_case` answers "part of bundle N" for a sub-case looked up on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.approvals import records
from onewindow.approvals.models import BundleCase, BundleCasePhase, BundleNotice, BundleSubCase
from onewindow.approvals.progress import denial_reason, outcome
from onewindow.cases import numbers
from onewindow.cases.facts import status_label
from onewindow.cases.models import CaseEvent
from onewindow.cases.params import ACTION_LABELS
from onewindow.cases.params import PUBLIC_ACTIONS as CASE_PUBLIC_ACTIONS
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_free_text, mask_name

EVENT_LABELS = {
    "receive": gettext_lazy("Application received at the window"),
    "accept": gettext_lazy("Bundle accepted: the departments work in parallel"),
    "request_correction": gettext_lazy("One merged correction notice issued (clock paused)"),
    "receive_correction": gettext_lazy("Corrected materials received"),
    "refuse": gettext_lazy("Not accepted"),
    "open_phase": gettext_lazy("Next phase opened"),
    "sub_case_decided": gettext_lazy("A department has decided"),
    "approve_extension": gettext_lazy("Joint time limit extended"),
    "decide": gettext_lazy("Every department has decided: the results are ready"),
    "deliver": gettext_lazy("Results delivered"),
}

OUTCOME_LABELS = {
    "granted": gettext_lazy("granted"),
    "deemed": gettext_lazy("granted (deemed approval on timeout)"),
    "denied": gettext_lazy("not granted"),
    "refused": gettext_lazy("not accepted"),
    "withdrawn": gettext_lazy("withdrawn"),
    "terminated": gettext_lazy("terminated"),
}

_CORRECTION_OPEN = (BundleCase.Status.CORRECTION_REQUESTED, BundleCase.Status.CORRECTION_IN_PROGRESS)


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    action: str
    label: str
    status: str


@dataclass(frozen=True)
class PublicPhase:
    position: int
    name: str
    status: str
    status_label: str
    due_date: dt.date | None


@dataclass(frozen=True)
class PublicSubCase:
    number: str
    item_code: str
    item_name: str
    department: str
    phase: str
    status: str
    status_label: str
    due_date: dt.date | None
    decided_on: dt.date | None
    outcome: str
    outcome_label: str
    denial_reason: str
    events: tuple[PublicEvent, ...]


@dataclass(frozen=True)
class PublicCorrection:
    name: str
    note: str
    item_code: str


@dataclass(frozen=True)
class PublicBundle:
    number: str
    bundle_name: str
    applicant: str  # masked
    status: str
    status_label: str
    received_on: dt.date | None
    accepted_on: dt.date | None
    due_date: dt.date | None
    decided_on: dt.date | None
    delivered_on: dt.date | None
    phases: tuple[PublicPhase, ...]
    sub_cases: tuple[PublicSubCase, ...]
    corrections: tuple[PublicCorrection, ...]
    events: tuple[PublicEvent, ...]


@dataclass(frozen=True)
class BundleRef:
    number: str
    name: str


def _day(value: dt.datetime | None, tz: dt.tzinfo) -> dt.date | None:
    return value.astimezone(tz).date() if value is not None else None


def _code_matches(bundle_case: BundleCase, code: str) -> bool:
    code = str(code or "").strip().upper()
    if len(code) != 4:
        return False
    return code in (
        bundle_case.applicant_phone[-4:].upper(),
        bundle_case.applicant_id_number[-4:].upper(),
    )


def bundle_label(status: str) -> str:
    return str(BundleCase.Status(status).label) if status in BundleCase.Status.values else status


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def public_bundle(number: str, code: str) -> PublicBundle | None:
    """The public view of the bundle case with this number, or None for any wrong input."""
    try:
        value = numbers.parse_case_number(number)
    except ValidationFailed:
        return None
    bundle_case = BundleCase.objects.filter(number=value).first()
    if bundle_case is None or not _code_matches(bundle_case, code):
        return None
    return public_view(bundle_case)


def public_view(bundle_case: BundleCase) -> PublicBundle:
    """What anyone with the number and the code sees (no staff names, no internal opinions)."""
    tz = timezone.get_current_timezone()
    subs = list(
        BundleSubCase.objects.filter(bundle_case=bundle_case)
        .select_related("case", "department", "phase")
        .order_by("position")
    )
    case_ids = [s.case_id for s in subs if s.case_id is not None]
    case_events: dict[int, list[PublicEvent]] = {}
    for event in CaseEvent.objects.filter(
        case_id__in=case_ids, public=True, action__in=CASE_PUBLIC_ACTIONS
    ).order_by("case_id", "seq"):
        case_events.setdefault(event.case_id, []).append(
            PublicEvent(
                at=event.at.astimezone(tz),
                action=event.action,
                label=_case_event_label(event.action),
                status=event.to_status,
            )
        )
    sub_rows = []
    for sub in subs:
        case = sub.case
        result = outcome(case) if case is not None else ""
        sub_rows.append(
            PublicSubCase(
                number=case.number if case is not None and case.number else "",
                item_code=sub.item_code,
                item_name=sub.item_name,
                department=sub.department.name,
                phase=sub.phase.name if sub.phase is not None else "",
                status=case.status if case is not None else "",
                status_label=status_label(case.status) if case is not None else _("not yet opened"),
                due_date=_day(case.due_at, tz) if case is not None else None,
                decided_on=_day(sub.decided_at, tz),
                outcome=result,
                outcome_label=str(OUTCOME_LABELS.get(result, result)),
                denial_reason=mask_free_text(denial_reason(case)) if case is not None else "",
                events=tuple(case_events.get(sub.case_id, [])) if sub.case_id is not None else (),
            )
        )
    phases = tuple(
        PublicPhase(
            position=p.position,
            name=p.name,
            status=p.status,
            status_label=str(BundleCasePhase.Status(p.status).label),
            due_date=_day(p.due_at, tz),
        )
        for p in bundle_case.phases.order_by("position")
        if p.name  # a bundle without phases has one unnamed phase: nothing to show
    )
    events = tuple(
        PublicEvent(at=e.at.astimezone(tz), action=e.action, label=event_label(e.action), status=e.to_status)
        for e in bundle_case.events.filter(public=True, action__in=records.PUBLIC_ACTIONS).order_by("seq")
    )
    return PublicBundle(
        number=bundle_case.number,
        bundle_name=bundle_case.bundle_name,
        applicant=mask_name(bundle_case.applicant_name),
        status=bundle_case.status,
        status_label=bundle_label(bundle_case.status),
        received_on=_day(bundle_case.received_at, tz),
        accepted_on=bundle_case.accepted_on,
        due_date=_day(bundle_case.due_at, tz),
        decided_on=_day(bundle_case.decided_at, tz),
        delivered_on=_day(bundle_case.delivered_at, tz),
        phases=phases,
        sub_cases=tuple(sub_rows),
        corrections=_open_corrections(bundle_case),
        events=events,
    )


def _case_event_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _open_corrections(bundle_case: BundleCase) -> tuple[PublicCorrection, ...]:
    """The list of the merged correction notice while the bundle waits for the materials."""
    if bundle_case.status not in _CORRECTION_OPEN:
        return ()
    notice = (
        BundleNotice.objects.filter(bundle_case=bundle_case, kind=BundleNotice.Kind.CORRECTION)
        .order_by("-issued_at", "-id")
        .first()
    )
    if notice is None:
        return ()
    return tuple(
        PublicCorrection(
            name=mask_free_text(str(item.get("name", ""))),
            note=mask_free_text(str(item.get("note", ""))),
            item_code=str(item.get("item_code", "")),
        )
        for item in notice.data.get("items", [])
        if isinstance(item, dict)
    )


def bundle_of_case(number: str) -> BundleRef | None:
    """The bundle a sub-case (by its case number) belongs to: "part of bundle N"."""
    found = (
        BundleSubCase.objects.filter(case__number=number)
        .values_list("bundle_case__number", "bundle_case__bundle_name")
        .first()
    )
    return BundleRef(number=found[0], name=found[1]) if found else None
