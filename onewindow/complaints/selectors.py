"""Reading complaints, scoped to the account, with the complainant masked unless the reader
may see who complained (permissions.may_see_identity).

* `worklist(user, …)`: the complaints of the handling departments in the user's data scope
  (handlers, supervisors), plus, for registrars, those still to be assigned in their center and
  those they registered. Filters narrow it: status, department, overdue (open and past due, or
  answered late).
* `complaint_for_staff(user, number)`: one complaint, NotFound when out of scope.
* `complainant(user, complaint)`: name / phone / ID number, in clear only for its handlers and
  the supervisors; masked for everyone else; blank for an anonymous complaint.
* `public_lookup(number, code)`: what the complainant may see; None for any wrong input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.complaints import numbers
from onewindow.complaints.codes import HANDLE, JUDGE, OPEN_STATUSES, REGISTER, Status
from onewindow.complaints.models import Complaint, ComplaintEvent
from onewindow.complaints.permissions import may_see_identity, may_view
from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.core.masking import mask_id_number, mask_name, mask_phone
from onewindow.org.selectors import scope_queryset


def may_list(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and any(user.has_perm(p) for p in (REGISTER, HANDLE, JUDGE))
    )


def _related(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related(
        "center", "department", "handler", "respondent_department", "respondent_window", "respondent_staff"
    )


def worklist(
    user: Any, *, status: str = "", department_id: int | None = None, overdue: bool = False
) -> QuerySet[Complaint]:
    if not may_list(user):
        return Complaint.objects.none()
    q = Q(pk__in=[])
    if user.has_perm(HANDLE) or user.has_perm(JUDGE):
        scoped = scope_queryset(Complaint.objects.all(), user).values("pk")
        q |= Q(pk__in=scoped)
    if user.has_perm(REGISTER) and user.center_id:
        q |= Q(center_id=user.center_id) & (Q(status=Status.REGISTERED) | Q(registered_by=user))
    qs = Complaint.objects.filter(q)
    if status:
        if status == "open":
            qs = qs.filter(status__in=[str(s) for s in OPEN_STATUSES])
        else:
            qs = qs.filter(status=status)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    if overdue:
        now = clock.now()
        qs = qs.filter(
            Q(status__in=[str(s) for s in OPEN_STATUSES], due_at__lt=now) | Q(answered_at__gt=F("due_at"))
        )
    return _related(qs).order_by("-received_at", "-id")


def complaint_for_staff(user: Any, number: str) -> Complaint:
    complaint = _related(Complaint.objects.filter(number=number[:20])).first()
    if complaint is None or not may_view(user, complaint):
        raise NotFound(_("No complaint with this number in your scope."))
    return complaint


def events_of(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.select_related("actor").order_by("at", "id")


@dataclass(frozen=True)
class Complainant:
    name: str
    phone: str
    id_number: str
    visible: bool  # True: in clear (a handler or a supervisor)
    anonymous: bool


def complainant(user: Any, complaint: Complaint) -> Complainant:
    if may_see_identity(user, complaint):
        return Complainant(
            complaint.complainant_name,
            complaint.complainant_phone,
            complaint.complainant_id_number,
            True,
            complaint.anonymous,
        )
    return Complainant(
        mask_name(complaint.complainant_name),
        mask_phone(complaint.complainant_phone),
        mask_id_number(complaint.complainant_id_number),
        False,
        complaint.anonymous,
    )


def level_counts(qs: QuerySet[Complaint]) -> dict[str, int]:
    open_qs = qs.filter(status__in=[str(s) for s in OPEN_STATUSES])
    return {
        "open": open_qs.count(),
        "yellow": open_qs.filter(level=1).count(),
        "red": open_qs.filter(level=2).count(),
    }


@dataclass(frozen=True)
class PublicComplaint:
    number: str
    title: str
    status: str
    status_label: str
    received_at: Any
    due_at: Any
    answer: str
    answered_at: Any
    not_accepted_reason: str
    not_accepted_reply: str
    complainant: str  # masked name


def public_lookup(number: str, code: str) -> PublicComplaint | None:
    """The complaint `number` if `code` is its query code; None for anything else (unknown
    number, wrong code, malformed input), so a guess learns nothing."""
    number, code = (number or "").strip().upper()[:20], (code or "").strip()[:12]
    complaint = Complaint.objects.filter(number=number).first() if number and code else None
    # compare a digest even when there is no complaint, so both failures take the same time
    digest = complaint.query_code_digest if complaint is not None else numbers.code_digest("-", "-")
    if not numbers.code_matches(number, code, digest) or complaint is None:
        return None
    return PublicComplaint(
        number=complaint.number,
        title=complaint.title,
        status=complaint.status,
        status_label=str(complaint.get_status_display()),
        received_at=complaint.received_at,
        due_at=complaint.due_at,
        answer=complaint.answer if complaint.status in (Status.ANSWERED, Status.CLOSED) else "",
        answered_at=complaint.answered_at,
        not_accepted_reason=complaint.get_not_accepted_reason_display()
        if complaint.not_accepted_reason
        else "",
        not_accepted_reply=complaint.not_accepted_reply,
        complainant=mask_name(complaint.complainant_name),
    )
