"""Recording service occasions (服务次数) in the case's own transaction (the cases hook).

One occasion per service the applicant received, from the case's status change:

* a new case that is not (yet) accepted — submitted online, received at the window, refused on
  the spot — is a `submitted` occasion;
* acceptance is an `accepted` occasion; a window intake accepted at once is that one occasion
  (one visit, one evaluation: 一次一评), not a submitted and an accepted one;
* completion (办结) is a `completed` occasion; an instant case completed at intake gets only it.

A window visit without a case (a served queue ticket) is recorded by the hall (issue 16) with
`occasion_record`. Each occasion is open for evaluation for EVALUATION_OPEN_DAYS calendar days.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from onewindow.cases.facts import Status
from onewindow.cases.models import Case
from onewindow.feedback.codes import TemplateKind
from onewindow.feedback.models import ServiceOccasion
from onewindow.org.models import User

ONLINE_CHANNELS = frozenset({Case.Channel.ONLINE})
_ACCEPTED_OR_LATER = frozenset(
    {
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
        Status.CORRECTION_IN_PROGRESS,
        Status.DECIDED_GRANTED,
        Status.DECIDED_DENIED,
        Status.CERTIFICATE_ISSUED,
    }
)


def occasion_kind(before: str, now: str) -> str | None:
    """Which occasion a status change is, if any (pure; see the module docstring)."""
    if now == before:
        return None
    if now in (Status.COMPLETED, Status.DELIVERED) and before not in (Status.COMPLETED, Status.DELIVERED):
        return ServiceOccasion.Kind.COMPLETED
    if before == "":
        return ServiceOccasion.Kind.ACCEPTED if now in _ACCEPTED_OR_LATER else ServiceOccasion.Kind.SUBMITTED
    if now == Status.ACCEPTED or (now in _ACCEPTED_OR_LATER and before not in _ACCEPTED_OR_LATER):
        return ServiceOccasion.Kind.ACCEPTED
    return None


def closes_at(at: dt.datetime) -> dt.datetime:
    return at + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)


def case_status_changed(case: Case, before: str, now: dt.datetime, actor: User | None) -> None:
    """The cases hook: record the occasion this status change is (same transaction)."""
    kind = occasion_kind(before, case.status)
    if kind is None or case.joint:
        # a bundle case (一件事) is evaluated through its sub-cases' occasions
        return
    window_id = case.window_id
    actor_window = getattr(actor, "window_id", None) if actor is not None else None
    if actor_window and kind != ServiceOccasion.Kind.SUBMITTED:
        window_id = actor_window  # completion and acceptance are served where the clerk sits
    # an INSERT only (no SELECT): the case's number lock is held until COMMIT (cases.persistence);
    # the (case, kind) constraint absorbs a repeated status (ON CONFLICT DO NOTHING)
    ServiceOccasion.objects.bulk_create(
        [
            ServiceOccasion(
                case=case,
                kind=kind,
                at=now,
                template_kind=TemplateKind.ONLINE
                if case.channel in ONLINE_CHANNELS
                else TemplateKind.OFFLINE,
                center_id=case.center_id,
                department_id=case.department_id,
                window_id=window_id,
                item_id=case.item_version.item_id,
                staff=actor if actor is not None and actor.pk else None,
                closes_at=closes_at(now),
            )
        ],
        ignore_conflicts=True,
    )


def occasion_record(
    *,
    center_id: int,
    at: dt.datetime,
    window_id: int | None,
    department_id: int | None,
    staff: User | None,
    ticket: str = "",
    case: Case | None = None,
) -> ServiceOccasion:
    """A window visit (a served queue ticket, issue 16): called inside the caller's transaction."""
    return ServiceOccasion.objects.create(
        case=case,
        ticket=ticket,
        kind=ServiceOccasion.Kind.WINDOW_VISIT,
        at=at,
        template_kind=TemplateKind.OFFLINE,
        center_id=center_id,
        department_id=department_id,
        window_id=window_id,
        item_id=case.item_version.item_id if case is not None else None,
        staff=staff,
        closes_at=closes_at(at),
    )
