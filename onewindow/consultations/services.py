"""Writing consultations: ask, follow up, reply, close. Each one transaction, audited.

* An applicant message that finds no open wait starts one (`ConsultationWait`): the reply is due
  5 working minutes later (`deadlines.wait_times`). A follow-up while a wait is open joins it
  (the applicant's clock does not restart, and one reply answers both).
* A staff reply (consultations.reply_consultation, the consultation's department in the
  account's data scope) ends the open wait, records its working minutes and days overdue, and
  sends the applicant an SMS (template `consultation_answered`, masked).
* Concurrency: staff actions carry the `version` the page showed; a stale one is a Conflict
  (a conditional UPDATE: of two replies sent at once, one wins, the other gets 409).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.catalog.models import ServiceItem
from onewindow.consultations import deadlines
from onewindow.consultations.models import Consultation, ConsultationMessage, ConsultationWait
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.identity.sessions import Applicant
from onewindow.notifications.services import message_enqueue
from onewindow.org.models import Center, Department, User
from onewindow.org.selectors import in_data_scope

REPLY = "consultations.reply_consultation"
SUBJECT_MAX = 200
BODY_MAX = 2000
SMS_TEMPLATE = "consultation_answered"


def _text(value: Any, field: str, limit: int, details: dict[str, list[str]]) -> str:
    text = (value if isinstance(value, str) else "").strip()
    if not text:
        details[field] = [_("Required.")]
    elif len(text) > limit:
        details[field] = [_("Enter at most %(max_length)s characters.") % {"max_length": limit}]
    return text


def _resolve_target(
    item_code: str, department_code: str, center: Center | None, details: dict[str, list[str]]
) -> tuple[Center | None, Department | None, ServiceItem | None]:
    item_code, department_code = (item_code or "").strip(), (department_code or "").strip()
    if item_code:
        items = ServiceItem.objects.select_related("published_version__department", "center").filter(
            code=item_code, published_version__isnull=False
        )
        if center is not None:
            items = items.filter(center=center)
        item = items.order_by("center__code").first()
        if item is None or item.published_version is None:
            details["item"] = [_("No published service item with this code.")]
            return center, None, None
        return item.center, item.published_version.department, item
    if not department_code:
        details["department"] = [_("Choose the department to ask, or the service item.")]
        return center, None, None
    departments = Department.objects.select_related("center").filter(code=department_code, active=True)
    if center is not None:
        departments = departments.filter(center=center)
    department = departments.order_by("center__code").first()
    if department is None:
        details["department"] = [_("No such department.")]
        return center, None, None
    return department.center, department, None


def _start_wait(consultation: Consultation, message: ConsultationMessage) -> ConsultationWait:
    times = deadlines.wait_times(consultation.center_id, message.created_at)
    return ConsultationWait.objects.create(
        consultation=consultation,
        department_id=consultation.department_id,
        message=message,
        started_at=message.created_at,
        day=times.day,
        warn_at=times.warn_at,
        due_at=times.due_at,
    )


@transaction.atomic
def consultation_ask(
    *,
    applicant: Applicant,
    subject: str,
    body: str,
    item_code: str = "",
    department_code: str = "",
    center: Center | None = None,
) -> Consultation:
    """A new question about an item (its department answers) or general (to the department
    chosen). ValidationFailed with details per field (subject, body, item, department)."""
    details: dict[str, list[str]] = {}
    subject = _text(subject, "subject", SUBJECT_MAX, details)
    body = _text(body, "body", BODY_MAX, details)
    center, department, item = _resolve_target(item_code, department_code, center, details)
    if details or center is None or department is None:
        raise ValidationFailed(_("Check the question."), details=details)
    now = clock.now()
    person, enterprise = applicant.person, applicant.enterprise
    consultation = Consultation.objects.create(
        center=center,
        department=department,
        item=item,
        item_name=item.published_version.name if item is not None and item.published_version else "",
        person=person,
        enterprise=enterprise,
        applicant_id_number=enterprise.uscc if enterprise is not None else person.id_number,
        subject=subject,
        status=Consultation.Status.WAITING,
        asked_at=now,
        last_message_at=now,
    )
    message = ConsultationMessage.objects.create(
        consultation=consultation, author=ConsultationMessage.Author.APPLICANT, body=body, created_at=now
    )
    wait = _start_wait(consultation, message)
    audit.record(
        action="consultation.ask",
        obj=consultation,
        actor=None,
        after={
            "person": person.pk,
            "department": department.code,
            "item": item.code if item else "",
            "due_at": wait.due_at,
        },
    )
    return consultation


def _owned(consultation_id: int, applicant: Applicant) -> Consultation:
    found = (
        Consultation.objects.select_for_update()
        .filter(pk=consultation_id, person_id=applicant.person.pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No consultation with this number."))
    return found


@transaction.atomic
def consultation_follow_up(*, consultation_id: int, applicant: Applicant, body: str) -> ConsultationMessage:
    """The applicant writes again in their own thread (not once it is closed)."""
    consultation = _owned(consultation_id, applicant)
    if consultation.status == Consultation.Status.CLOSED:
        raise InvalidTransition(_("This consultation is closed: ask a new question."), code="closed")
    details: dict[str, list[str]] = {}
    body = _text(body, "body", BODY_MAX, details)
    if details:
        raise ValidationFailed(_("Check the message."), details=details)
    now = clock.now()
    message = ConsultationMessage.objects.create(
        consultation=consultation, author=ConsultationMessage.Author.APPLICANT, body=body, created_at=now
    )
    if not ConsultationWait.objects.filter(consultation=consultation, ended_at__isnull=True).exists():
        _start_wait(consultation, message)
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.WAITING, last_message_at=now, version=F("version") + 1
    )
    audit.record(
        action="consultation.follow_up",
        obj=consultation,
        actor=None,
        after={"person": applicant.person.pk, "message": message.pk},
    )
    return message


def may_reply(actor: Any, consultation: Consultation) -> bool:
    return bool(
        isinstance(actor, User)
        and actor.has_perm(REPLY)
        and in_data_scope(actor, center_id=consultation.center_id, department_id=consultation.department_id)
    )


def _staff_target(consultation_id: int, actor: Any, version: int) -> Consultation:
    consultation = (
        Consultation.objects.select_related("center", "person", "department")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None or not in_data_scope(
        actor, center_id=consultation.center_id, department_id=consultation.department_id
    ):
        raise NotFound(_("No consultation with this number."))
    if not may_reply(actor, consultation):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": REPLY})
    if consultation.status == Consultation.Status.CLOSED:
        raise InvalidTransition(_("This consultation is closed."), code="closed")
    if consultation.version != version:
        raise Conflict(
            _("Changed by someone else: reload the page and try again."),
            details={"version": consultation.version},
        )
    return consultation


def _bump(consultation: Consultation, version: int, **fields: Any) -> None:
    """The compare-and-set on the version: one of two concurrent staff actions wins."""
    updated = Consultation.objects.filter(pk=consultation.pk, version=version).update(
        version=F("version") + 1, **fields
    )
    if not updated:
        current = Consultation.objects.filter(pk=consultation.pk).values_list("version", flat=True).first()
        raise Conflict(
            _("Changed by someone else: reload the page and try again."), details={"version": current}
        )


def _end_wait(consultation: Consultation, actor: User | None, *, answered: bool) -> ConsultationWait | None:
    wait = (
        ConsultationWait.objects.select_for_update()
        .filter(consultation=consultation, ended_at__isnull=True)
        .first()
    )
    if wait is None:
        return None
    now = clock.now()
    wait.ended_at = now
    if answered:
        wait.answered_at = now
        wait.answered_by = actor
    wait.working_minutes = deadlines.minutes_between(consultation.center_id, wait.started_at, now)
    wait.overdue_days = deadlines.days_late(wait.due_at, now)
    wait.save(update_fields=["ended_at", "answered_at", "answered_by", "working_minutes", "overdue_days"])
    return wait


@transaction.atomic
def consultation_reply(*, consultation_id: int, actor: Any, body: str, version: int) -> ConsultationMessage:
    """A staff reply: ends the open wait, tells the applicant by SMS."""
    consultation = _staff_target(consultation_id, actor, version)
    details: dict[str, list[str]] = {}
    body = _text(body, "body", BODY_MAX, details)
    if details:
        raise ValidationFailed(_("Check the reply."), details=details)
    now = clock.now()
    _bump(consultation, version, status=Consultation.Status.ANSWERED, last_message_at=now)
    message = ConsultationMessage.objects.create(
        consultation=consultation,
        author=ConsultationMessage.Author.STAFF,
        staff=actor,
        body=body,
        created_at=now,
    )
    wait = _end_wait(consultation, actor, answered=True)
    message_enqueue(
        template_code=SMS_TEMPLATE,
        recipient=consultation.person.phone,
        context={"center_name": consultation.center.name, "department": consultation.department.name},
        related_type="consultation",
        related_id=str(consultation.pk),
    )
    audit.record(
        action="consultation.reply",
        obj=consultation,
        actor=actor,
        after={"message": message.pk, "working_minutes": wait.working_minutes if wait else None},
    )
    return message


@transaction.atomic
def consultation_close(*, consultation_id: int, actor: Any, version: int) -> Consultation:
    """Staff close a thread (answered, or nothing left to say); an open wait ends unanswered."""
    consultation = _staff_target(consultation_id, actor, version)
    now = clock.now()
    _bump(consultation, version, status=Consultation.Status.CLOSED, closed_at=now, closed_by=actor)
    _end_wait(consultation, actor, answered=False)
    audit.record(action="consultation.close", obj=consultation, actor=actor, after={"status": "closed"})
    consultation.refresh_from_db()
    return consultation
