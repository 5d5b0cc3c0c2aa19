"""Online consultation API (在线咨询, issue 14).

Applicant (Authorization: Bearer owa_… from POST /api/v1/public/auth/token):

POST /api/v1/public/consultations                 {"item"?, "department"?, "center"?, "subject", "body"}
                                                  → 201
GET  /api/v1/public/consultations                 mine, newest activity first
GET  /api/v1/public/consultations/{id}            the thread
POST /api/v1/public/consultations/{id}/messages   {"body"}: a follow-up → 201

Staff (Authorization: Bearer <staff token>; consultations.reply_consultation, or read only with
supervision.supervise; the departments of the account's data scope):

GET  /api/v1/consultations                        the queue: ?status=waiting|answered|closed
                                                  &department= (waiting: the most urgent first)
GET  /api/v1/consultations/{id}                   the thread (applicant masked)
POST /api/v1/consultations/{id}/replies           {"body", "version"} → 201
POST /api/v1/consultations/{id}/close             {"version"}

Errors are JSON {"code", "message", "details"}: 401, 403, 404, 409 conflict (stale version:
details.version), 422 validation_failed (details per field) / closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from onewindow.api.applicant_auth import applicant_bearer
from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import local_time
from onewindow.api.limits import MAX_INT, PathId, column
from onewindow.api.security import bearer
from onewindow.consultations import selectors, services
from onewindow.consultations.models import Consultation, ConsultationMessage
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_free_text, mask_name, mask_phone
from onewindow.org.models import Center, Department

public_router = Router(auth=applicant_bearer)
router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AskIn(Schema):
    center: str | None = Field(
        None, max_length=20, description="The center's code (default: the center of the item or department)."
    )
    item: str | None = Field(
        None, max_length=40, description="The service item's code (its department answers)."
    )
    department: str | None = Field(
        None, max_length=20, description="For a general question: the department's code."
    )
    subject: str = Field(max_length=column(Consultation, "subject"), examples=["营业执照办理需要多久？"])
    body: str = Field(max_length=services.BODY_MAX)


class BodyIn(Schema):
    body: str = Field(max_length=services.BODY_MAX)


class ConsultationReplyIn(Schema):
    body: str = Field(max_length=services.BODY_MAX)
    version: int = Field(ge=1, le=MAX_INT)


class ConsultationVersionIn(Schema):
    version: int = Field(ge=1, le=MAX_INT)


class MessageOut(Schema):
    id: int
    author: str
    body: str
    created_at: dt.datetime


class ConsultationOut(Schema):
    id: int
    subject: str
    status: str
    status_label: str
    department_code: str
    department_name: str
    item_code: str
    item_name: str
    asked_at: dt.datetime
    last_message_at: dt.datetime
    due_at: dt.datetime | None
    level: int
    version: int


class ThreadOut(ConsultationOut):
    messages: list[MessageOut]


class StaffRowOut(ConsultationOut):
    applicant_name: str
    applicant_phone: str
    preview: str


class StaffThreadOut(StaffRowOut):
    messages: list[MessageOut]


class ConsultationQueueFilter(Schema):
    status: str = Field("waiting", max_length=10, description="waiting | answered | closed")
    department: str | None = Field(None, max_length=20)


def _open_wait(consultation: Consultation) -> Any:
    waits = getattr(consultation, "open_waits", None)
    if waits is None:
        waits = [w for w in consultation.waits.all() if w.ended_at is None]
    return waits[0] if waits else None


def _row(consultation: Consultation) -> dict[str, Any]:
    wait = _open_wait(consultation)
    return {
        "id": consultation.pk,
        "subject": consultation.subject,
        "status": consultation.status,
        "status_label": str(Consultation.Status(consultation.status).label),
        "department_code": consultation.department.code,
        "department_name": consultation.department.name,
        "item_code": consultation.item.code if consultation.item is not None else "",
        "item_name": consultation.item_name,
        "asked_at": local_time(consultation.asked_at),
        "last_message_at": local_time(consultation.last_message_at),
        "due_at": local_time(wait.due_at) if wait is not None else None,
        "level": wait.level if wait is not None else 0,
        "version": consultation.version,
    }


def _messages(consultation: Consultation, *, staff: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "author": m.author,
            "body": mask_free_text(m.body)
            if staff and m.author == ConsultationMessage.Author.APPLICANT
            else m.body,
            "created_at": local_time(m.created_at),
        }
        for m in consultation.messages.all()
    ]


def _staff_row(consultation: Consultation, preview: str = "") -> dict[str, Any]:
    return {
        **_row(consultation),
        "applicant_name": mask_name(consultation.person.name),
        "applicant_phone": mask_phone(consultation.person.phone),
        "preview": mask_free_text(preview)[:80],
    }


# --- the applicant -------------------------------------------------------------------------------


def _thread(request: HttpRequest, consultation_id: int) -> dict[str, Any]:
    consultation = selectors.consultation_of(request.auth, consultation_id)  # type: ignore[attr-defined]
    return {**_row(consultation), "messages": _messages(consultation, staff=False)}


@public_router.post("", response={201: ThreadOut, **_ERRORS}, summary="Ask a question")
def ask(request: HttpRequest, payload: AskIn) -> Answer[dict[str, Any]]:
    """About an item (`item`: its department answers) or general (`department`). A reply is due
    within 5 working minutes (09:00–12:00, 13:00–17:00 on working days by default)."""
    center = None
    if payload.center:
        center = Center.objects.filter(code=payload.center.strip().upper()).first()
        if center is None:
            raise ValidationFailed(_("Check the question."), details={"center": [_("No such center.")]})
    consultation = services.consultation_ask(
        applicant=request.auth,  # type: ignore[attr-defined]
        subject=payload.subject,
        body=payload.body,
        item_code=payload.item or "",
        department_code=payload.department or "",
        center=center,
    )
    return Answer(201, _thread(request, consultation.pk))


@public_router.get("", response={200: list[ConsultationOut], **_ERRORS}, summary="My consultations")
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.consultations_of(request.auth).prefetch_related("waits")[:200]  # type: ignore[attr-defined]
    return [_row(c) for c in rows]


@public_router.get(
    "/{consultation_id}", response={200: ThreadOut, **_ERRORS}, summary="One of my consultations"
)
def thread(request: HttpRequest, consultation_id: PathId) -> dict[str, Any]:
    return _thread(request, consultation_id)


@public_router.post(
    "/{consultation_id}/messages", response={201: ThreadOut, **_ERRORS}, summary="Write again (a follow-up)"
)
def follow_up(request: HttpRequest, consultation_id: PathId, payload: BodyIn) -> Answer[dict[str, Any]]:
    services.consultation_follow_up(
        consultation_id=consultation_id,
        applicant=request.auth,  # type: ignore[attr-defined]
        body=payload.body,
    )
    return Answer(201, _thread(request, consultation_id))


# --- staff ---------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not selectors.may_view_queue(user):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": selectors.REPLY})
    return user


def _staff_thread(user: Any, consultation_id: int) -> dict[str, Any]:
    consultation = selectors.consultation_for_staff(user, consultation_id)
    messages = _messages(consultation, staff=True)
    first = next((m["body"] for m in messages if m["author"] == ConsultationMessage.Author.APPLICANT), "")
    return {**_staff_row(consultation, first), "messages": messages}


@router.get("/consultations", response={200: list[StaffRowOut], **_ERRORS}, summary="The consultation queue")
def staff_queue(request: HttpRequest, filters: Query[ConsultationQueueFilter]) -> list[dict[str, Any]]:
    user = _staff(request)
    status = filters.status if filters.status in Consultation.Status.values else Consultation.Status.WAITING
    department_id = None
    if filters.department:
        department = Department.objects.filter(center_id=user.center_id, code=filters.department).first()
        if department is None:
            raise NotFound(_("No such department."))
        department_id = department.pk
    rows = list(selectors.queue(user, status=status, department_id=department_id)[:200])
    previews = selectors.first_messages([c.pk for c in rows])
    return [_staff_row(c, previews.get(c.pk, "")) for c in rows]


@router.get("/consultations/{consultation_id}", response={200: StaffThreadOut, **_ERRORS}, summary="A thread")
def staff_thread(request: HttpRequest, consultation_id: PathId) -> dict[str, Any]:
    return _staff_thread(_staff(request), consultation_id)


@router.post(
    "/consultations/{consultation_id}/replies",
    response={201: StaffThreadOut, 409: ErrorOut, **_ERRORS},
    summary="Reply (the applicant gets an SMS)",
)
def staff_reply(
    request: HttpRequest, consultation_id: PathId, payload: ConsultationReplyIn
) -> Answer[dict[str, Any]]:
    user = _staff(request)
    services.consultation_reply(
        consultation_id=consultation_id, actor=user, body=payload.body, version=payload.version
    )
    return Answer(201, _staff_thread(user, consultation_id))


@router.post(
    "/consultations/{consultation_id}/close",
    response={200: StaffThreadOut, 409: ErrorOut, **_ERRORS},
    summary="Close a thread",
)
def staff_close(
    request: HttpRequest, consultation_id: PathId, payload: ConsultationVersionIn
) -> dict[str, Any]:
    user = _staff(request)
    services.consultation_close(consultation_id=consultation_id, actor=user, version=payload.version)
    return _staff_thread(user, consultation_id)
