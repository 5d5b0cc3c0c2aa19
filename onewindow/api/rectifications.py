"""Rectification API (整改 of 差评, issue 15). Staff token (Authorization: Bearer <token>) with
feedback.handle_rectification or feedback.review_rectification; the departments of the
account's data scope (another department's rectification is 404).

GET  /api/v1/rectifications                   ?status=<status>|open&department=<code>: open
                                              ones first (red, yellow, by deadline)
GET  /api/v1/rectifications/{id}              one, with its events and the caller's actions
POST /api/v1/rectifications/{id}/{action}     {"version", …}: action one of
     callback      {"reached": bool, "note", "classification"?, "explanation"?, "due_date"?}
     classify      {"classification", "explanation", "due_date"?} (complex: YYYY-MM-DD, no
                   later than RECTIFICATION_DAYS working days)
     rectify       {"note"}
     inform        {"method": phone|sms|in_person|letter, "note"}
     request_void  {"note"}: the reasons
     approve | send_back | approve_void | reject_void   {"note"} (review permission)
  → 200 the rectification; 409 stale version (details.version); 422 validation (details per
  field) or invalid transition (details.allowed); 403 missing permission; 404 not in scope.

Names and free text are masked; the evaluation's level, tags and channel are shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import local_time
from onewindow.api.limits import MAX_INT, PathId
from onewindow.api.security import bearer
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.masking import mask_free_text
from onewindow.core.middleware import client_ip
from onewindow.feedback import rectification_selectors as selectors
from onewindow.feedback import rectification_services as services
from onewindow.feedback.models import Rectification
from onewindow.org.models import Department

router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
LIST_LIMIT = 500


class RectificationActIn(Schema):
    version: int = Field(ge=1, le=MAX_INT)
    note: str = Field("", max_length=services.NOTE_MAX)
    reached: bool | None = None
    classification: str = Field("", max_length=20)
    explanation: str = Field("", max_length=services.NOTE_MAX)
    due_date: dt.date | None = None
    method: str = Field("", max_length=20)


class RectificationEventOut(Schema):
    at: dt.datetime
    action: str
    actor: str | None
    note: str
    client_ip: str | None


class RectificationOut(Schema):
    id: int
    status: str
    status_label: str
    level: int
    version: int
    evaluation: int
    evaluation_level: str
    evaluation_tags: list[str]
    evaluation_text: str
    real_name: bool
    voided: bool
    case: str | None
    department: str | None
    window: str | None
    opened_at: dt.datetime
    callback_due_at: dt.datetime
    callback_at: dt.datetime | None
    callback_reached: bool | None
    classification: str
    due_at: dt.datetime | None
    deadline: dt.datetime | None
    warn_at: dt.datetime | None
    rectified_at: dt.datetime | None
    informed_at: dt.datetime | None
    closed_at: dt.datetime | None


class RectificationDetailOut(RectificationOut):
    explanation: str
    rectification_note: str
    review_note: str
    void_request_reason: str
    void_reason: str
    actions: list[str]
    events: list[RectificationEventOut]


class RectificationFilter(Schema):
    status: str = Field("", max_length=20, description="A status, or open (default: all)")
    department: str | None = Field(None, max_length=20)


def _row(r: Rectification) -> dict[str, Any]:
    evaluation = r.evaluation
    case = evaluation.occasion.case
    return {
        "id": r.pk,
        "status": r.status,
        "status_label": r.get_status_display(),
        "level": r.level,
        "version": r.version,
        "evaluation": evaluation.pk,
        "evaluation_level": evaluation.level,
        "evaluation_tags": list(evaluation.tags or []),
        "evaluation_text": mask_free_text(evaluation.text),
        "real_name": evaluation.real_name,
        "voided": evaluation.voided_at is not None,
        "case": case.display_number if case is not None else None,
        "department": r.department.code if r.department else None,
        "window": r.window.code if r.window else None,
        "opened_at": local_time(r.opened_at),
        "callback_due_at": local_time(r.callback_due_at),
        "callback_at": local_time(r.callback_at),
        "callback_reached": r.callback_reached,
        "classification": r.classification,
        "due_at": local_time(r.due_at),
        "deadline": local_time(selectors.current_deadline(r)),
        "warn_at": local_time(r.warn_at),
        "rectified_at": local_time(r.rectified_at),
        "informed_at": local_time(r.informed_at),
        "closed_at": local_time(r.closed_at),
    }


def _user(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not selectors.may_view(user):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": services.HANDLE})
    return user


def _detail(user: Any, rectification_id: int) -> dict[str, Any]:
    r = selectors.rectification_for(user, rectification_id)
    return {
        **_row(r),
        "explanation": mask_free_text(r.explanation),
        "rectification_note": mask_free_text(r.rectification_note),
        "review_note": mask_free_text(r.review_note),
        "void_request_reason": mask_free_text(r.void_request_reason),
        "void_reason": mask_free_text(r.evaluation.void_reason),
        "actions": services.actions_for(r, user),
        "events": [
            {
                "at": local_time(e.at),
                "action": e.action,
                "actor": e.actor.username if e.actor else None,
                "note": mask_free_text(e.note),
                "client_ip": e.client_ip,
            }
            for e in r.events.all()
        ],
    }


@router.get(
    "/rectifications", response={200: list[RectificationOut], **_ERRORS}, summary="Rectifications of 差评"
)
def rectification_list(request: HttpRequest, filters: Query[RectificationFilter]) -> list[dict[str, Any]]:
    user = _user(request)
    department_id = None
    if filters.department:
        department = Department.objects.filter(center_id=user.center_id, code=filters.department).first()
        if department is None:
            raise NotFound(_("No such department."))
        department_id = department.pk
    status = filters.status if filters.status in Rectification.Status.values else ""
    rows = selectors.rectifications(
        user, status=status, open_only=filters.status == "open", department_id=department_id
    )
    return [_row(r) for r in rows[:LIST_LIMIT]]


@router.get(
    "/rectifications/{rectification_id}",
    response={200: RectificationDetailOut, **_ERRORS},
    summary="One rectification with its history",
)
def rectification_detail(request: HttpRequest, rectification_id: PathId) -> dict[str, Any]:
    return _detail(_user(request), rectification_id)


@router.post(
    "/rectifications/{rectification_id}/{action}",
    response={200: RectificationDetailOut, **_ERRORS},
    summary="Take the next step of a rectification",
)
def rectification_action(
    request: HttpRequest, rectification_id: PathId, action: str, payload: RectificationActIn
) -> dict[str, Any]:
    user = _user(request)
    services.rectification_act(
        rectification_id=rectification_id,
        action=action[:20],
        actor=user,
        version=payload.version,
        client_ip=client_ip(request),
        note=payload.note,
        reached=payload.reached,
        classification=payload.classification,
        explanation=payload.explanation,
        due_date=payload.due_date,
        method=payload.method,
    )
    return _detail(user, rectification_id)
