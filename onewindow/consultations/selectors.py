"""Reading consultations: the applicant's own, the department queues (scoped), the frequent
questions, the daily statistics (seed 003) and the anomaly (≥ 3 consultations without an
application, domain.md §5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.cases.models import Case
from onewindow.catalog.models import ServiceItem
from onewindow.consultations.models import (
    Consultation,
    ConsultationMessage,
    ConsultationWait,
    FrequentQuestion,
)
from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.identity.sessions import Applicant
from onewindow.org.selectors import in_data_scope, scope_queryset

REPLY = "consultations.reply_consultation"
SUPERVISE = "supervision.supervise"
ANOMALY_THRESHOLD = 3
LOSES_POINT_LATE_WAITS = 5  # seed 003: 5 waits over 5 minutes in a day lose the quarter's point


def _open_wait() -> Prefetch:
    return Prefetch(
        "waits", queryset=ConsultationWait.objects.filter(ended_at__isnull=True), to_attr="open_waits"
    )


# --- the applicant ---------------------------------------------------------------------------


def consultations_of(applicant: Applicant) -> QuerySet[Consultation]:
    """The person's consultations, newest activity first."""
    return (
        Consultation.objects.filter(person_id=applicant.person.pk)
        .select_related("department", "item")
        .order_by("-last_message_at", "-id")
    )


def consultation_of(applicant: Applicant, consultation_id: int) -> Consultation:
    found = (
        consultations_of(applicant)
        .prefetch_related(
            Prefetch("messages", queryset=ConsultationMessage.objects.order_by("created_at", "id"))
        )
        .filter(pk=consultation_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No consultation with this number."))
    return found


# --- staff ---------------------------------------------------------------------------------


def may_view_queue(user: Any) -> bool:
    """Staff who reply, and supervisors (read only), see the queues of their scope."""
    return bool(
        getattr(user, "is_authenticated", False) and (user.has_perm(REPLY) or user.has_perm(SUPERVISE))
    )


def queue(
    user: Any, *, status: str = Consultation.Status.WAITING, department_id: int | None = None
) -> QuerySet[Consultation]:
    """The consultations of the departments in `user`'s scope: waiting ones sorted by the due
    time of their open wait (the most urgent first), others by their last message."""
    if not may_view_queue(user):
        return Consultation.objects.none()
    qs = scope_queryset(Consultation.objects.all(), user).select_related("department", "item", "person")
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    qs = qs.filter(status=status)
    if status == Consultation.Status.WAITING:
        qs = qs.annotate(
            due=Max("waits__due_at", filter=Q(waits__ended_at__isnull=True)),
            level=Max("waits__level", filter=Q(waits__ended_at__isnull=True)),
        ).order_by(F("due").asc(nulls_last=True), "id")
    else:
        qs = qs.order_by("-last_message_at", "-id")
    return qs.prefetch_related(_open_wait())


def consultation_for_staff(user: Any, consultation_id: int) -> Consultation:
    """One consultation in `user`'s scope with its thread and waits (NotFound otherwise)."""
    found = (
        Consultation.objects.select_related("department", "item", "person", "enterprise", "center")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=ConsultationMessage.objects.select_related("staff").order_by("created_at", "id"),
            ),
            Prefetch("waits", queryset=ConsultationWait.objects.order_by("started_at", "id")),
        )
        .filter(pk=consultation_id)
        .first()
    )
    if (
        found is None
        or not may_view_queue(user)
        or not in_data_scope(user, center_id=found.center_id, department_id=found.department_id)
    ):
        raise NotFound(_("No consultation with this number."))
    return found


def first_messages(consultation_ids: list[int]) -> dict[int, str]:
    """The applicant's first message of each consultation (a list's preview; mask it to show)."""
    out: dict[int, str] = {}
    rows = (
        ConsultationMessage.objects.filter(
            consultation_id__in=consultation_ids, author=ConsultationMessage.Author.APPLICANT
        )
        .order_by("consultation_id", "created_at", "id")
        .values_list("consultation_id", "body")
    )
    for consultation_id, body in rows:
        out.setdefault(consultation_id, body)
    return out


def waiting_counts(user: Any) -> dict[str, int]:
    """How many waiting consultations in scope, and how many yellow and red."""
    waits = scope_queryset(
        ConsultationWait.objects.filter(ended_at__isnull=True), user, center_field="consultation__center"
    )
    if not may_view_queue(user):
        waits = waits.none()
    agg = waits.aggregate(
        total=Count("id"), yellow=Count("id", filter=Q(level=1)), red=Count("id", filter=Q(level=2))
    )
    return {key: value or 0 for key, value in agg.items()}


# --- frequent questions --------------------------------------------------------------------


def published_faqs(item: ServiceItem | int) -> list[FrequentQuestion]:
    item_id = item if isinstance(item, int) else item.pk
    return list(FrequentQuestion.objects.filter(item_id=item_id, published=True).order_by("position", "id"))


def faqs_for_edit(item: ServiceItem) -> list[FrequentQuestion]:
    return list(FrequentQuestion.objects.filter(item=item).order_by("position", "id"))


def faq_items(user: Any) -> QuerySet[ServiceItem]:
    """The published items of the departments in `user`'s scope, with their question counts."""
    qs = scope_queryset(
        ServiceItem.objects.filter(published_version__isnull=False),
        user,
        department_field="published_version__department",
    )
    counts = FrequentQuestion.objects.filter(item=OuterRef("pk"))
    return (
        qs.select_related("published_version__department")
        .annotate(has_faq=Exists(counts))
        .order_by("published_version__department__code", "code")
    )


# --- statistics (seed 003) -----------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentDay:
    department_id: int
    day: dt.date
    waits: int  # waits that started that day
    late: int  # of them, answered after 5 working minutes, or still open past the deadline
    replies: int  # staff replies sent that day

    @property
    def offline(self) -> bool:
        """Asked that day and never answered anyone that day."""
        return self.waits > 0 and self.replies == 0

    @property
    def loses_point(self) -> bool:
        return self.offline or self.late >= LOSES_POINT_LATE_WAITS


def department_days(
    *, center_id: int, first: dt.date, last: dt.date, now: dt.datetime
) -> list[DepartmentDay]:
    """Per department and local day in [first, last]: the waits, those over 5 working minutes,
    and the replies sent (for the quarter's online-consultation point, seed 003)."""
    waits = (
        ConsultationWait.objects.filter(consultation__center_id=center_id, day__gte=first, day__lte=last)
        .values("department_id", "day")
        .annotate(
            n=Count("id"),
            n_late=Count(
                "id",
                filter=Q(answered_at__gt=F("due_at"))
                | Q(answered_at__isnull=True, ended_at__isnull=True, due_at__lt=now)
                | Q(answered_at__isnull=True, ended_at__gt=F("due_at")),
            ),
        )
    )
    replies: dict[tuple[int, dt.date], int] = {}
    start = dt.datetime.combine(first, dt.time(0), tzinfo=clock.zone())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=clock.zone())
    for dept_id, at in ConsultationMessage.objects.filter(
        consultation__center_id=center_id,
        author=ConsultationMessage.Author.STAFF,
        created_at__gte=start,
        created_at__lt=end,
    ).values_list("consultation__department_id", "created_at"):
        key = (dept_id, clock.local(at).date())
        replies[key] = replies.get(key, 0) + 1
    rows: dict[tuple[int, dt.date], DepartmentDay] = {}
    for row in waits:
        key = (row["department_id"], row["day"])
        rows[key] = DepartmentDay(key[0], key[1], row["n"], row["n_late"], replies.get(key, 0))
    for key, count in replies.items():
        if key not in rows:
            rows[key] = DepartmentDay(key[0], key[1], 0, 0, count)
    return sorted(rows.values(), key=lambda r: (r.day, r.department_id))


# --- the anomaly (domain.md §5) ------------------------------------------------------------


@dataclass(frozen=True)
class Anomaly:
    applicant_id_number: str
    person_id: int
    item_id: int
    item_code: str
    item_name: str
    department_id: int
    consultations: int
    last_asked_at: dt.datetime


def anomalies(user: Any | None = None, *, center_id: int | None = None) -> list[Anomaly]:
    """Applicants with ≥ 3 consultations about one item and no case of that item under their ID
    number (window or online: an online application becomes a case once submitted). With `user`,
    limited to the departments in their scope."""
    qs = Consultation.objects.filter(item__isnull=False).exclude(applicant_id_number="")
    if user is not None:
        qs = scope_queryset(qs, user) if may_view_queue(user) else qs.none()
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    applied = Case.objects.filter(
        applicant_id_number=OuterRef("applicant_id_number"), item_version__item_id=OuterRef("item_id")
    )
    rows = (
        qs.values("applicant_id_number", "item_id")
        .annotate(
            n=Count("id"),
            last_person=Max("person_id"),
            last_department=Max("department_id"),
            item_code=Max("item__code"),
            item_name=Max("item_name"),
            last=Max("asked_at"),
        )
        .filter(n__gte=ANOMALY_THRESHOLD)
        .annotate(applied=Exists(applied))
        .filter(applied=False)
        .order_by("-n", "-last")
    )
    return [
        Anomaly(
            applicant_id_number=r["applicant_id_number"],
            person_id=r["last_person"],
            item_id=r["item_id"],
            item_code=r["item_code"],
            item_name=r["item_name"],
            department_id=r["last_department"],
            consultations=r["n"],
            last_asked_at=r["last"],
        )
        for r in rows
    ]
