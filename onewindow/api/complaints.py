"""Complaints API (投诉, issue 15).

Public (no sign-in; rate-limited per address):

POST /api/v1/public/complaints            {"title", "content", "respondent"?, "name"?, "phone"?,
                                           "center"?} → 201 {"number", "query_code"}
GET  /api/v1/public/complaints/{number}?code=…   the status and the answer; the same 404 for any
                                           wrong number or code

Staff (Authorization: Bearer <staff token>; scoped like the pages):

GET  /api/v1/complaints                   ?status=&department=&overdue= (the worklist)
GET  /api/v1/complaints/{number}          one complaint with its history (complainant masked
                                          unless the caller handles it or supervises)
POST /api/v1/complaints                   desk registration (complaints.register_complaint) → 201
POST /api/v1/complaints/{number}/{action} {"version", …}: assign {department, handler?},
                                          not_accept {reason, reply}, return {reason},
                                          investigate {handler?}, answer {answer},
                                          extend {days, reason}, callback {satisfaction, note?},
                                          judge {valid, reason, accountability?}

Errors are JSON {"code", "message", "details"}: 401, 403, 404, 409 (stale version:
details.version), 422 validation_failed (details per field) / invalid_transition, 429.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import local_time
from onewindow.api.limits import MAX_INT, TEXT_MAX
from onewindow.api.security import bearer
from onewindow.complaints import intake, selectors, services
from onewindow.complaints.codes import ACTION_LABELS, Kind, Source
from onewindow.complaints.models import Complaint
from onewindow.core import ratelimit
from onewindow.core.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.core.middleware import client_ip
from onewindow.org.models import Department

public_router = Router(auth=None)
router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
LOOKUP_RATE_KEY = "complaint-lookup:{ip}"
LOOKUP_WINDOW_SECONDS = 60


class ComplaintSubmitIn(Schema):
    title: str = Field(max_length=intake.TITLE_MAX, examples=["窗口工作人员态度生硬"])
    content: str = Field(max_length=intake.CONTENT_MAX)
    respondent: str | None = Field(None, max_length=20, description="A window or department code, if known.")
    name: str | None = Field(None, max_length=intake.NAME_MAX, description="Empty: anonymous.")
    phone: str | None = Field(None, max_length=20, description="For the SMS with the number and query code.")
    center: str | None = Field(
        None, max_length=20, description="The center's code (default: the public site's)."
    )


class ComplaintCreatedOut(Schema):
    number: str
    query_code: str


class ComplaintPublicOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    not_accepted_reason: str
    not_accepted_reply: str
    complainant: str


class ComplaintOut(Schema):
    number: str
    title: str
    kind: str
    source: str
    status: str
    status_label: str
    level: int
    complainant_name: str
    complainant_phone: str
    complainant_visible: bool
    respondent_department: str
    respondent_window: str
    department: str
    handler: str
    received_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime | None
    days_overdue: int
    valid: bool | None
    version: int


class ComplaintEventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    note: str


class ComplaintDetailOut(ComplaintOut):
    content: str
    complainant_id_number: str
    simple: bool
    extension_days: int
    extension_reason: str
    answer: str
    satisfaction: str
    not_accepted_reason: str
    not_accepted_reply: str
    validity_reason: str
    allowed_actions: list[str]
    events: list[ComplaintEventOut]


class ComplaintRegisteredOut(ComplaintDetailOut):
    query_code: str


class ComplaintRegisterIn(Schema):
    title: str = Field(max_length=intake.TITLE_MAX)
    content: str = Field(max_length=intake.CONTENT_MAX)
    kind: str = Field(Kind.REFERRAL.value, max_length=12, description="on_the_spot | referral | opinion")
    source: str = Field(
        Source.DESK.value, max_length=14, description="desk | phone | hotline_12345 | hall_terminal"
    )
    simple: bool | None = None
    name: str = Field("", max_length=intake.NAME_MAX)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=intake.ID_MAX)
    respondent_department: str = Field("", max_length=20)
    respondent_window: str = Field("", max_length=20)
    respondent_staff: str = Field("", max_length=150)
    case_number: str = Field("", max_length=32)
    department: str = Field("", max_length=20, description="The handling department: assigned at once.")


class ComplaintActionIn(Schema):
    version: int = Field(ge=1, le=MAX_INT)
    department: str | None = Field(None, max_length=20)
    handler: str | None = Field(None, max_length=150)
    reason: str | None = Field(None, max_length=TEXT_MAX)
    reply: str | None = Field(None, max_length=TEXT_MAX)
    answer: str | None = Field(None, max_length=TEXT_MAX)
    days: int | None = Field(None, ge=0, le=MAX_INT)
    satisfaction: str | None = Field(None, max_length=14)
    note: str | None = Field(None, max_length=TEXT_MAX)
    valid: bool | None = None
    accountability: bool = False


class ComplaintFilter(Schema):
    status: str = Field("", max_length=14, description="a status, or open")
    department: str | None = Field(None, max_length=20)
    overdue: bool = False


# --- public -------------------------------------------------------------------------------------


@public_router.post("", response={201: ComplaintCreatedOut, 422: ErrorOut, 429: ErrorOut}, auth=None)
def submit(request: HttpRequest, payload: ComplaintSubmitIn) -> Answer[dict[str, str]]:
    """Anyone may complain, anonymously too. The answer carries the complaint number and the
    query code (shown once; also sent by SMS when a phone is given)."""
    center = intake.public_center(payload.center or "")
    if center is None:
        raise ValidationFailed(_("Check the complaint."), details={"center": [_("No such center.")]})
    ip = client_ip(request)
    intake.check_public_rate(ip)
    registered = services.complaint_submit_public(
        center=center,
        title=payload.title,
        content=payload.content,
        respondent=payload.respondent or "",
        name=payload.name or "",
        phone=payload.phone or "",
        client_ip=ip,
    )
    return Answer(201, {"number": registered.complaint.number, "query_code": registered.query_code})


def lookups_per_minute() -> int:
    return intake.lookups_per_minute()


@public_router.get("/{number}", response={200: ComplaintPublicOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def follow(
    request: HttpRequest,
    number: str,
    code: Annotated[str, Query(description="The query code given at registration.", max_length=16)] = "",
) -> dict[str, Any]:
    """The complaint's status and answer for whoever holds its number and query code. Any wrong
    input (number, code, both) answers the same 404."""
    if not ratelimit.check_rate(
        key=LOOKUP_RATE_KEY.format(ip=client_ip(request)),
        limit=lookups_per_minute(),
        window_seconds=LOOKUP_WINDOW_SECONDS,
    ):
        raise RateLimited(
            _("Too many lookups from your address. Wait a minute and try again."),
            details={"retry_after_seconds": LOOKUP_WINDOW_SECONDS},
        )
    found = selectors.public_lookup(number[:40], (code or "")[:12])
    if found is None:
        raise NotFound(intake.not_found_message())
    return {
        **found.__dict__,
        "received_at": local_time(found.received_at),
        "due_at": local_time(found.due_at),
        "answered_at": local_time(found.answered_at),
    }


# --- staff --------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not selectors.may_list(user):
        raise PermissionDenied(_("You need a complaint permission (register, handle or judge)."))
    return user


def _name(user: Any) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _row(user: Any, c: Complaint, *, listed: bool = True) -> dict[str, Any]:
    person = selectors.complainant(user, c)
    return {
        "number": c.number,
        "title": c.title if person.visible and not listed else mask_free_text(c.title),
        "kind": c.kind,
        "source": c.source,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "level": c.level,
        "complainant_name": person.name,
        "complainant_phone": person.phone,
        "complainant_visible": person.visible,
        "respondent_department": c.respondent_department.code if c.respondent_department else "",
        "respondent_window": c.respondent_window.code if c.respondent_window else "",
        "department": c.department.code if c.department else "",
        "handler": _name(c.handler),
        "received_at": local_time(c.received_at),
        "due_at": local_time(c.due_at),
        "answered_at": local_time(c.answered_at),
        "days_overdue": c.days_overdue,
        "valid": c.valid,
        "version": c.version,
    }


def _detail(user: Any, number: str) -> dict[str, Any]:
    c = selectors.complaint_for_staff(user, number)
    person = selectors.complainant(user, c)
    return {
        **_row(user, c, listed=False),
        "content": c.content if person.visible else mask_free_text(c.content),
        "complainant_id_number": person.id_number,
        "simple": c.simple,
        "extension_days": c.extension_days,
        "extension_reason": c.extension_reason,
        "answer": c.answer,
        "satisfaction": c.satisfaction,
        "not_accepted_reason": c.not_accepted_reason,
        "not_accepted_reply": c.not_accepted_reply,
        "validity_reason": c.validity_reason,
        "allowed_actions": services.allowed_actions(user, c),
        "events": [
            {
                "at": local_time(e.at),
                "action": e.action,
                "label": str(ACTION_LABELS.get(e.action, e.action)),
                "actor": _name(e.actor),
                "note": mask_free_text(e.note),
            }
            for e in selectors.events_of(c)
        ],
    }


@router.get("/complaints", response={200: list[ComplaintOut], **_ERRORS}, summary="The complaint worklist")
def worklist(request: HttpRequest, filters: Query[ComplaintFilter]) -> list[dict[str, Any]]:
    user = _staff(request)
    department_id = None
    if filters.department:
        department = Department.objects.filter(center_id=user.center_id, code=filters.department).first()
        if department is None:
            raise NotFound(_("No such department."))
        department_id = department.pk
    rows = selectors.worklist(
        user, status=filters.status, department_id=department_id, overdue=filters.overdue
    )
    return [_row(user, c) for c in rows[:300]]


@router.get("/complaints/{number}", response={200: ComplaintDetailOut, **_ERRORS}, summary="One complaint")
def detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return _detail(_staff(request), number[:40])


@router.post(
    "/complaints", response={201: ComplaintRegisteredOut, **_ERRORS}, summary="Register a complaint (desk)"
)
def register(request: HttpRequest, payload: ComplaintRegisterIn) -> Answer[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    registered = services.complaint_register(actor=user, client_ip=client_ip(request), **payload.dict())
    body = _detail(user, registered.complaint.number)
    body["query_code"] = registered.query_code
    return Answer(201, body)


@router.post(
    "/complaints/{number}/{action}",
    response={200: ComplaintDetailOut, 409: ErrorOut, **_ERRORS},
    summary="Act on a complaint",
)
def act(request: HttpRequest, number: str, action: str, payload: ComplaintActionIn) -> dict[str, Any]:
    user = _staff(request)
    params = payload.dict(exclude={"version"}, exclude_none=True)
    services.complaint_act(
        number=number[:40],
        action=action[:20],
        version=payload.version,
        actor=user,
        client_ip=client_ip(request),
        **params,
    )
    return _detail(user, number[:40])
