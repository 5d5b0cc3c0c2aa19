"""Leave API (请假, issue 16 §4). Staff only (Authorization: Bearer <staff token>), own center.

POST /api/v1/leave                      {"kind", "starts_at", "ends_at", "reason", "certificate"?,
                                         "stand_in"? (username), "user"? (username: a group leader
                                         or the supervision office entering it for a colleague)}
                                         → 201 the request
GET  /api/v1/leave?mine=1               my requests (default)
GET  /api/v1/leave?worklist=1           the requests waiting for a stage I may decide
GET  /api/v1/leave/{id}                 one request with its chain, decisions and my actions
POST /api/v1/leave/{id}/decisions       {"decision": approve | reject, "note", "version"}
POST /api/v1/leave/{id}/stand-in        {"username", "version"}
POST /api/v1/leave/{id}/withdraw        {"version"}

Errors are JSON {"code", "message", "details"}: 401, 403, 404, 409 (version_conflict,
stand_in_required, not_pending), 422 (validation_failed with details per field,
certificate_required, official_allowance, leave_overlap).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import local_time
from onewindow.api.limits import MAX_INT
from onewindow.api.security import bearer
from onewindow.attendance import leave, leave_selectors
from onewindow.attendance.models import LeaveRequest
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.org.models import User, username_is

router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class LeaveCreateIn(Schema):
    kind: str = Field(max_length=10, description="sick | personal | official | annual | late | early")
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str = Field(max_length=leave.REASON_MAX)
    certificate: bool = Field(False, description="Sick leave of half a day or more: the certificate is in.")
    stand_in: str = Field("", max_length=150, description="The stand-in's username (代岗).")
    user: str = Field("", max_length=150, description="For whom (empty: yourself).")


class LeaveDecisionIn(Schema):
    decision: str = Field(max_length=10, description="approve | reject")
    note: str = Field("", max_length=leave.NOTE_MAX)
    version: int = Field(ge=1, le=MAX_INT)


class LeaveStandInIn(Schema):
    username: str = Field(max_length=150)
    version: int = Field(ge=1, le=MAX_INT)


class LeaveVersionIn(Schema):
    version: int = Field(ge=1, le=MAX_INT)


class LeaveListFilter(Schema):
    mine: bool = False
    worklist: bool = False


class LeaveStepOut(Schema):
    stage: str
    label: str
    done: bool


class LeaveDecisionOut(Schema):
    stage: str
    decision: str
    label: str
    actor: str
    at: dt.datetime
    note: str


class LeaveOut(Schema):
    id: int
    person: str
    person_name: str
    window: str
    kind: str
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    length: str
    days: Decimal
    reason: str
    certificate: bool
    stand_in: str
    status: str
    stage: str
    stage_label: str
    needs_stand_in: bool
    version: int


class LeaveDetailOut(LeaveOut):
    chain: list[LeaveStepOut]
    decisions: list[LeaveDecisionOut]
    actions: list[str]


def _staff(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or user.center_id is None:
        raise PermissionDenied(_("Leave is for the staff of a center."))
    return user


def _colleague(user: User, username: str, field: str) -> User:
    found = User.objects.filter(
        username_is(username), center_id=int(user.center_id or 0), is_active=True
    ).first()
    if found is None:
        raise ValidationFailed(
            _("No active colleague %(name)s in your center.") % {"name": username},
            details={field: [_("Unknown user name.")]},
        )
    return found


def _row(user: User, r: LeaveRequest, *, listed: bool = True) -> dict[str, Any]:
    own = user.pk == r.user_id
    return {
        "id": r.pk,
        "person": r.user.username,
        "person_name": r.user.display_name,
        "window": r.window.code if r.window else "",
        "kind": r.kind,
        "kind_label": str(r.get_kind_display()),
        "starts_at": local_time(r.starts_at),
        "ends_at": local_time(r.ends_at),
        "length": r.length,
        "days": r.days,
        "reason": r.reason if own or not listed else mask_free_text(r.reason),
        "certificate": r.certificate,
        "stand_in": r.stand_in.username if r.stand_in else "",
        "status": r.status,
        "stage": r.stage,
        "stage_label": str(r.get_stage_display()),
        "needs_stand_in": r.status == LeaveRequest.Status.PENDING and leave.needs_stand_in(r),
        "version": r.version,
    }


def _detail(user: User, pk: int) -> dict[str, Any]:
    r = leave_selectors.request_for(user, pk)
    view = leave_selectors.leave_view(user, r)
    stages = [s.stage for s in view.chain]
    current = stages.index(r.stage) if r.stage in stages else len(stages)
    return {
        **_row(user, r, listed=False),
        "chain": [
            {"stage": s.stage, "label": str(s.label), "done": i < current} for i, s in enumerate(view.chain)
        ],
        "decisions": [
            {
                "stage": d.stage,
                "decision": d.decision,
                "label": str(d.get_decision_display()),
                "actor": d.actor.display_name,
                "at": local_time(d.at),
                "note": d.note,
            }
            for d in leave_selectors.decisions_of(r)
        ],
        "actions": view.actions,
    }


def _request(user: User, pk: int) -> LeaveRequest:
    if not 0 < pk <= MAX_INT:
        raise NotFound(_("No leave request with this number that you may see."), code="leave_not_found")
    return leave_selectors.request_for(user, pk)


@router.post("/leave", response={201: LeaveDetailOut, **_ERRORS}, summary="Ask for leave")
def create(request: HttpRequest, payload: LeaveCreateIn) -> Answer[dict[str, Any]]:
    actor = _staff(request)
    person = _colleague(actor, payload.user, "user") if payload.user else actor
    stand_in = _colleague(actor, payload.stand_in, "stand_in") if payload.stand_in else None
    for field, value in (("starts_at", payload.starts_at), ("ends_at", payload.ends_at)):
        if value.tzinfo is None:
            raise ValidationFailed(
                _("Give times with their offset (e.g. 2026-12-08T09:00:00+08:00)."),
                details={field: [_("No time zone offset.")]},
            )
    created = leave.leave_request_create(
        user=person,
        kind=payload.kind,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        reason=payload.reason,
        certificate=payload.certificate,
        stand_in=stand_in,
        actor=actor,
    )
    return Answer(201, _detail(actor, created.pk))


@router.get("/leave", response={200: list[LeaveOut], **_ERRORS}, summary="My leave requests, or my worklist")
def listing(request: HttpRequest, filters: Query[LeaveListFilter]) -> list[dict[str, Any]]:
    user = _staff(request)
    rows = leave_selectors.worklist(user) if filters.worklist else leave_selectors.my_requests(user)
    return [_row(user, r) for r in rows[:300]]


@router.get("/leave/{pk}", response={200: LeaveDetailOut, **_ERRORS}, summary="One leave request")
def detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = _staff(request)
    return _detail(user, _request(user, pk).pk)


@router.post("/leave/{pk}/decisions", response={200: LeaveDetailOut, **_ERRORS}, summary="Approve or reject")
def decide(request: HttpRequest, pk: int, payload: LeaveDecisionIn) -> dict[str, Any]:
    user = _staff(request)
    r = _request(user, pk)
    leave.leave_decide(
        request=r, decision=payload.decision, note=payload.note, actor=user, version=payload.version
    )
    return _detail(user, r.pk)


@router.post("/leave/{pk}/stand-in", response={200: LeaveDetailOut, **_ERRORS}, summary="Name a stand-in")
def stand_in(request: HttpRequest, pk: int, payload: LeaveStandInIn) -> dict[str, Any]:
    user = _staff(request)
    r = _request(user, pk)
    colleague = _colleague(user, payload.username, "username")
    leave.leave_stand_in_name(request=r, stand_in=colleague, actor=user, version=payload.version)
    return _detail(user, r.pk)


@router.post("/leave/{pk}/withdraw", response={200: LeaveDetailOut, **_ERRORS}, summary="Withdraw")
def withdraw(request: HttpRequest, pk: int, payload: LeaveVersionIn) -> dict[str, Any]:
    user = _staff(request)
    r = _request(user, pk)
    leave.leave_withdraw(request=r, actor=user, version=payload.version)
    return _detail(user, r.pk)
