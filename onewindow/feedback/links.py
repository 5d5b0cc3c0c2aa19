"""The public evaluation link of an occasion (the QR code on notices and receipts, the “my
cases” button, the SMS invitation): one function builds it, `evaluation_url`.

`notice_evaluation_link` is the provider registered with cases (cases/evaluation_links.py): the
occasion a printed notice stands for —

* receipt, correction and refusal notices (given at the window or after an online submission):
  the submitted occasion, else the accepted one;
* the acceptance notice: the accepted occasion, else the submitted one;
* the decision and the proof of service (送达回证): the completed occasion;

and only while that occasion is open and not evaluated (else no QR code is drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from onewindow.cases.evaluation_links import DELIVERY
from onewindow.cases.models import Case, Notice
from onewindow.core import clock
from onewindow.core.public_url import public_base_url
from onewindow.feedback.codes import Level
from onewindow.feedback.models import ServiceOccasion
from onewindow.feedback.tokens import occasion_token

Kind = ServiceOccasion.Kind

# notice kind → the occasions it stands for, in order of preference
NOTICE_OCCASIONS: dict[str, tuple[str, ...]] = {
    Notice.Kind.RECEIPT: (Kind.SUBMITTED, Kind.ACCEPTED),
    Notice.Kind.CORRECTION: (Kind.SUBMITTED, Kind.ACCEPTED),
    Notice.Kind.REFUSAL: (Kind.SUBMITTED,),
    Notice.Kind.ACCEPTANCE: (Kind.ACCEPTED, Kind.SUBMITTED),
    Notice.Kind.DECISION: (Kind.COMPLETED,),
    DELIVERY: (Kind.COMPLETED,),
}


def evaluation_path(occasion_id: int) -> str:
    token = occasion_token(occasion_id)
    try:
        return reverse("portal:evaluate", args=[token])
    except NoReverseMatch:  # the public evaluation page is not mounted yet
        return f"/evaluate/{token}/"


def evaluation_url(occasion_id: int, request: Any = None) -> str:
    """The absolute public evaluation address of an occasion (PUBLIC_BASE_URL, …)."""
    return public_base_url(request) + evaluation_path(occasion_id)


def is_open(occasion: ServiceOccasion) -> bool:
    return occasion.evaluated_at is None and occasion.closes_at > clock.now()


def notice_occasion(case: Case, kind: str) -> ServiceOccasion | None:
    """The open, unevaluated occasion a notice of `kind` stands for, or None."""
    wanted = NOTICE_OCCASIONS.get(kind)
    if not wanted or case.pk is None:
        return None
    found = {
        o.kind: o
        for o in ServiceOccasion.objects.filter(
            case_id=case.pk, kind__in=wanted, evaluated_at__isnull=True, closes_at__gt=clock.now()
        )
    }
    return next((found[k] for k in wanted if k in found), None)


def notice_evaluation_link(case: Case, kind: str, request: Any = None) -> str | None:
    """The provider registered with cases: the link for a notice's occasion, or None."""
    occasion = notice_occasion(case, kind)
    return evaluation_url(occasion.pk, request) if occasion is not None else None


@dataclass(frozen=True)
class OccasionState:
    """One occasion of a case as the applicant's “my cases” page shows it."""

    occasion: ServiceOccasion
    label: str
    evaluated: bool
    level_label: str
    open: bool
    path: str


def case_occasions(case_id: int) -> list[OccasionState]:
    """The occasions of a case, oldest first, with their evaluation state and the link (path)."""
    levels = dict(Level.choices)
    labels = dict(Kind.choices)
    rows = []
    for o in (
        ServiceOccasion.objects.filter(case_id=case_id).select_related("evaluation").order_by("at", "id")
    ):
        evaluation = getattr(o, "evaluation", None) if o.evaluated_at is not None else None
        open_ = is_open(o)
        rows.append(
            OccasionState(
                occasion=o,
                label=str(labels.get(o.kind, o.kind)),
                evaluated=evaluation is not None,
                level_label=str(levels.get(evaluation.level, "")) if evaluation is not None else "",
                open=open_,
                path=evaluation_path(o.pk) if open_ else "",
            )
        )
    return rows
