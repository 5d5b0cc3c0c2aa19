"""Supervision API (电子监察). Token required (Authorization: Bearer <token>).

Supervisor endpoints need `supervision.supervise` (else 403 JSON):

GET  /api/v1/supervision/board                    green/yellow/red counts by center, department,
                                                  window and item
GET  /api/v1/supervision/flags?level=yellow|red|legal_red|anomaly&department=<code>&item=<code>
GET  /api/v1/supervision/forecast?at=<ISO 8601 with offset>
                                              → {"yellow": [{number, step, due_at, warn_at}], "red": […]}
POST /api/v1/supervision/orders                   {"case": <number>, "demand": ..., "reply_days": n}
POST /api/v1/supervision/orders/{id}/close        {"note": ...}
POST /api/v1/supervision/orders/{id}/send-back    {"note": ...}
POST /api/v1/supervision/accountability/{id}/decide  {"uphold": bool, "note": ...}
POST /api/v1/supervision/sweep                    run the sweep now → its counts

Department staff (their own scope; the services check the rights):

GET  /api/v1/supervision/orders?status=…          orders in the caller's scope
POST /api/v1/supervision/orders/{id}/reply        {"reply": ...}
GET  /api/v1/supervision/accountability?status=…  records in the caller's scope
POST /api/v1/supervision/accountability/{id}/appeal  {"reason": ...}

Errors are JSON {"code", "message", "details"}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from onewindow.api.security import bearer
from onewindow.cases import selectors as case_selectors
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.supervision import selectors, services, sweep  # type: ignore[attr-defined]
from onewindow.supervision.models import AccountabilityRecord, SupervisionOrder

router = Router(auth=bearer)

SUPERVISE = "supervision.supervise"
LEVELS = ("yellow", "red", "legal_red", "anomaly")
LIST_LIMIT = 500


def _supervisor(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.has_perm(SUPERVISE):
        raise PermissionDenied("Only supervisors (supervision.supervise) may do this.")
    return user


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _plain(value: Any) -> Any:
    """A selector result (dataclasses, lists, dicts, datetimes) as JSON-ready values."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


# --- schemas -------------------------------------------------------------------------------------


class OrderIn(Schema):
    case: str = Field(description="Case number.")
    demand: str
    reply_days: int = Field(2, description="Working days to reply.")


class ReplyIn(Schema):
    reply: str


class NoteIn(Schema):
    note: str = ""


class AppealIn(Schema):
    reason: str


class DecideIn(Schema):
    uphold: bool
    note: str


def _order_out(order: SupervisionOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "case": order.case.display_number,
        "department": order.case.department.code,
        "status": order.status,
        "demand": order.demand,
        "reply_due_at": _iso(getattr(order, "reply_due_at", None)),
        "reply": getattr(order, "reply", ""),
        "issued_at": _iso(getattr(order, "issued_at", None)),
    }


def _record_out(record: AccountabilityRecord) -> dict[str, Any]:
    step = getattr(record, "step", None)
    return {
        "id": record.pk,
        "case": record.case.display_number,
        "step": step.name if step else None,
        "department": record.case.department.code,
        "status": record.status,
        "appeal_reason": getattr(record, "appeal_reason", ""),
        "decision_note": getattr(record, "decision_note", ""),
    }


def _flag_out(flag: Any) -> dict[str, Any]:
    step = getattr(flag, "step", None)
    case = flag.case
    return {
        "id": flag.pk,
        "level": flag.level,
        "case": case.display_number if case else None,
        "step": step.name if step else None,
        "department": case.department.code if case else None,
        "item": case.item_version.item.code if case else None,
        "raised_at": _iso(getattr(flag, "raised_at", None)),
    }


# --- supervisor endpoints ------------------------------------------------------------------------


@router.get("/board", summary="Green/yellow/red counts")
def board(request: HttpRequest) -> Any:
    user = _supervisor(request)
    return _plain(selectors.board(user=user))


@router.get("/flags", summary="Flagged cases and steps")
def flags(
    request: HttpRequest, level: str | None = None, department: str | None = None, item: str | None = None
) -> Any:
    user = _supervisor(request)
    if level and level not in LEVELS:
        raise ValidationFailed(
            f"level must be one of {', '.join(LEVELS)}.", details={"level": [f"Unknown level {level!r}."]}
        )
    rows = selectors.flags(
        user=user, level=level or None, department_code=department or None, item_code=item or None
    )
    return [_flag_out(f) for f in list(rows)[:LIST_LIMIT]]


@router.get("/forecast", summary="What will be yellow or red at a moment")
def forecast(request: HttpRequest, at: str) -> Any:
    user = _supervisor(request)
    try:
        moment = dt.datetime.fromisoformat(
            at.replace("Z", "+00:00").replace(" ", "+", 1) if "T" in at else at
        )
    except ValueError:
        raise ValidationFailed(
            "at must be an ISO 8601 date and time with an offset, e.g. 2026-03-06T17:30:00+08:00.",
            details={"at": ["Not an ISO 8601 date and time."]},
        ) from None
    if moment.tzinfo is None:
        raise ValidationFailed(
            "at needs a time zone offset, e.g. 2026-03-06T17:30:00+08:00.",
            details={"at": ["A date and time without a time zone is ambiguous."]},
        )
    result = selectors.forecast(user=user, at=moment)
    return {
        "at": moment.isoformat(),
        "yellow": [_plain(r) for r in result.yellow],
        "red": [_plain(r) for r in result.red],
    }


@router.post("/sweep", summary="Run the sweep now")
def run_sweep(request: HttpRequest) -> Any:
    _supervisor(request)
    return _plain(sweep.sweep())


# --- supervision orders --------------------------------------------------------------------------


def _order(request: HttpRequest, order_id: int) -> SupervisionOrder:
    order = selectors.orders(user=request.user).filter(pk=order_id).first()
    if order is None:
        raise NotFound(f"No supervision order {order_id} in your scope.")
    return order


@router.get("/orders", summary="Supervision orders in the caller's scope")
def orders(request: HttpRequest, status: str | None = None) -> Any:
    if status and status not in SupervisionOrder.Status.values:
        raise ValidationFailed(
            f"status must be one of {', '.join(SupervisionOrder.Status.values)}.",
            details={"status": [f"Unknown status {status!r}."]},
        )
    return [
        _order_out(o) for o in list(selectors.orders(user=request.user, status=status or None))[:LIST_LIMIT]
    ]


@router.post("/orders", response={201: Any}, summary="Issue a supervision order")
def order_issue(request: HttpRequest, payload: OrderIn) -> Any:
    user = _supervisor(request)
    case = case_selectors.case_by_number(payload.case.strip(), user=user)
    order = services.order_issue(case=case, actor=user, demand=payload.demand, reply_days=payload.reply_days)
    return 201, _order_out(order)


@router.post("/orders/{order_id}/reply", summary="Reply to a supervision order")
def order_reply(request: HttpRequest, order_id: int, payload: ReplyIn) -> Any:
    order = services.order_reply(order=_order(request, order_id), actor=request.user, reply=payload.reply)
    return _order_out(order)


@router.post("/orders/{order_id}/close", summary="Close a supervision order")
def order_close(request: HttpRequest, order_id: int, payload: NoteIn) -> Any:
    user = _supervisor(request)
    order = services.order_close(order=_order(request, order_id), actor=user, note=payload.note)
    return _order_out(order)


@router.post("/orders/{order_id}/send-back", summary="Send a reply back")
def order_send_back(request: HttpRequest, order_id: int, payload: NoteIn) -> Any:
    user = _supervisor(request)
    order = services.order_send_back(order=_order(request, order_id), actor=user, note=payload.note)
    return _order_out(order)


# --- accountability ------------------------------------------------------------------------------


def _record(request: HttpRequest, record_id: int) -> AccountabilityRecord:
    record = selectors.accountability_records(user=request.user).filter(pk=record_id).first()
    if record is None:
        raise NotFound(f"No accountability record {record_id} in your scope.")
    return record


@router.get("/accountability", summary="Accountability records in the caller's scope")
def accountability(request: HttpRequest, status: str | None = None) -> Any:
    if status and status not in AccountabilityRecord.Status.values:
        raise ValidationFailed(
            f"status must be one of {', '.join(AccountabilityRecord.Status.values)}.",
            details={"status": [f"Unknown status {status!r}."]},
        )
    rows = selectors.accountability_records(user=request.user, status=status or None)
    return [_record_out(r) for r in list(rows)[:LIST_LIMIT]]


@router.post("/accountability/{record_id}/appeal", summary="Appeal an accountability record")
def accountability_appeal(request: HttpRequest, record_id: int, payload: AppealIn) -> Any:
    record = services.accountability_appeal(
        record=_record(request, record_id), actor=request.user, reason=payload.reason
    )
    return _record_out(record)


@router.post("/accountability/{record_id}/decide", summary="Uphold or revoke an accountability record")
def accountability_decide(request: HttpRequest, record_id: int, payload: DecideIn) -> Any:
    user = _supervisor(request)
    record = services.accountability_decide(
        record=_record(request, record_id), actor=user, uphold=payload.uphold, note=payload.note
    )
    return _record_out(record)
