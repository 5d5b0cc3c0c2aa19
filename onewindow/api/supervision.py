"""Supervision API (电子监察). Token required (Authorization: Bearer <token>).

Supervisor endpoints need `supervision.supervise` (else 403 JSON):

GET  /api/v1/supervision/board                    green/yellow/red counts of the open cases of the
                                                  center, by department, window and item (and of
                                                  the active steps)
GET  /api/v1/supervision/flags?level=yellow|red|legal_red|anomaly&department=<code>&item=<code>
GET  /api/v1/supervision/forecast?at=<ISO 8601 with offset>
    → {"at", "yellow": [{number, step, due_at, warn_at}], "red": […]}
POST /api/v1/supervision/orders                   {"case": <number>, "demand": ..., "reply_days": n}
POST /api/v1/supervision/orders/{id}/close        {"note": ...}
POST /api/v1/supervision/orders/{id}/send-back    {"note": ...}
POST /api/v1/supervision/accountability/{id}/decide  {"uphold": bool, "note": ...}
POST /api/v1/supervision/sweep                    run the sweep now → {"counts": {...}}
GET  /api/v1/supervision/rules                    the warning rules of the center (item empty:
                                                  the center's own; else an item's override)
POST /api/v1/supervision/rules                    {"item": <code or null>, "yellow_days": n,
                                                  "yellow_percent": n, "supervise_instant": bool,
                                                  "remind_by_sms": bool} → the saved rule
                                                  (remind_by_sms: reminders are also texted to the
                                                  step's handler through the outbox)

Department staff with `supervision.appeal_accountability` (or supervisors), in their own scope
(another department's rows are never listed; acting on them is 404):

GET  /api/v1/supervision/orders?status=…          orders in the caller's scope
POST /api/v1/supervision/orders/{id}/reply        {"reply": ...}
GET  /api/v1/supervision/accountability?status=…  records in the caller's scope
POST /api/v1/supervision/accountability/{id}/appeal  {"reason": ...}

An order or record about a subject that is not a case (the rectification of a 差评, a
complaint: issue 15) has "case": null and "subject": {"kind", "ref", "label"} (null for a case).

Errors are JSON {"code", "message", "details"}.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Answer
from pydantic import Field

from onewindow.api.limits import MAX_INT, TEXT_MAX, PathId, column
from onewindow.api.security import bearer
from onewindow.cases import selectors as case_selectors
from onewindow.cases.models import Case
from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import ServiceItem
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.org.models import Department
from onewindow.supervision import selectors, services, sweep
from onewindow.supervision.models import AccountabilityRecord, Flag, SupervisionOrder

router = Router(auth=bearer)

SUPERVISE = "supervision.supervise"
APPEAL = "supervision.appeal_accountability"
LEVELS = ("yellow", "red", "legal_red", "anomaly")
LIST_LIMIT = 500


def _supervisor(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.has_perm(SUPERVISE):
        raise PermissionDenied(_("Only supervisors (supervision.supervise) may do this."))
    return user


def _supervisor_or_department(request: HttpRequest) -> Any:
    user: Any = request.user
    if not (user.has_perm(SUPERVISE) or user.has_perm(APPEAL)):
        raise PermissionDenied(
            _("Only supervisors or department staff who answer supervision orders may do this.")
        )
    return user


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _counts(counts: selectors.LevelCounts) -> dict[str, Any]:
    return {"green": counts.green, "yellow": counts.yellow, "red": counts.red, "total": counts.total}


def _grouped(groups: dict[str, selectors.LevelCounts]) -> list[dict[str, Any]]:
    return [{"code": code, "name": row.label, **_counts(row)} for code, row in sorted(groups.items())]


# --- schemas -------------------------------------------------------------------------------------


class OrderIn(Schema):
    case: str = Field(description="Case number.", max_length=column(Case, "number"))
    demand: str = Field(max_length=TEXT_MAX)
    reply_days: int = Field(2, ge=0, le=MAX_INT, description="Working days to reply.")


class ReplyIn(Schema):
    reply: str = Field(max_length=TEXT_MAX)


class NoteIn(Schema):
    note: str = Field("", max_length=TEXT_MAX)


class AppealIn(Schema):
    reason: str = Field(max_length=TEXT_MAX)


class DecideIn(Schema):
    uphold: bool
    note: str = Field(max_length=TEXT_MAX)


class RuleIn(Schema):
    item: str | None = Field(
        None,
        max_length=column(ServiceItem, "code"),
        description="Service item code; empty: the rule of the whole center.",
    )
    yellow_days: int = Field(
        ge=-MAX_INT, le=MAX_INT, description="Yellow when at most this many working days are left (0-30)."
    )
    yellow_percent: int = Field(
        ge=-MAX_INT, le=MAX_INT, description="Yellow when at most this share of the limit is left (0-100)."
    )
    supervise_instant: bool = False
    remind_by_sms: bool = Field(False, description="Also text each reminder to the step's handler.")


def _subject(row: SupervisionOrder | AccountabilityRecord) -> dict[str, str] | None:
    """What an order or record is about when it is not a case (issue 15), else None."""
    if row.case_id is not None:
        return None
    return {"kind": row.subject_kind, "ref": row.subject_ref, "label": row.subject_label}


def _order_out(order: SupervisionOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "case": order.case.display_number if order.case else None,
        "subject": _subject(order),
        "department": order.department.code,
        "status": order.status,
        "issued_by": order.issuer.username if order.issuer else None,
        "issued_at": _iso(order.issued_at),
        "demand": mask_free_text(order.demand),
        "reply_due_at": _iso(order.reply_due_at),
        "reply": mask_free_text(order.reply),
        "replied_at": _iso(order.replied_at),
        "sent_back_count": order.sent_back_count,
        "sent_back_note": mask_free_text(order.sent_back_note),
        "close_note": mask_free_text(order.close_note),
        "closed_at": _iso(order.closed_at),
    }


def _record_out(record: AccountabilityRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "case": record.case.display_number if record.case else None,
        "subject": _subject(record),
        "step": record.step.name if record.step else None,
        "department": record.department.code,
        "post": record.post.code if record.post else None,
        "person": record.person.username if record.person else None,
        "reason": mask_free_text(record.reason),
        "created_at": _iso(record.created_at),
        "status": record.status,
        "appeal_reason": mask_free_text(record.appeal_reason),
        "appealed_at": _iso(record.appealed_at),
        "decision_note": mask_free_text(record.decision_note),
        "decided_at": _iso(record.decided_at),
    }


def _flag_out(flag: Flag) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "level": flag.level,
        "kind": flag.kind,
        "case": flag.case.display_number,
        "step": flag.step.name if flag.step else None,
        "department": flag.department.code,
        "item": flag.case.item_version.item.code,
        "due_at": _iso(flag.due_at),
        "raised_at": _iso(flag.raised_at),
    }


# --- supervisor endpoints ------------------------------------------------------------------------


@router.get("/board", summary="Green/yellow/red counts")
def board(request: HttpRequest) -> Any:
    user = _supervisor(request)
    result = selectors.board(user=user)
    return {
        "at": _iso(result.at),
        "center": _counts(result.cases),
        "steps": _counts(result.steps),
        "by_department": _grouped(result.cases_by_department),
        "by_window": _grouped(result.cases_by_window),
        "by_item": _grouped(result.cases_by_item),
        "steps_by_department": _grouped(result.steps_by_department),
        "steps_by_item": _grouped(result.steps_by_item),
    }


@router.get("/flags", summary="Flagged cases and steps")
def flags(
    request: HttpRequest,
    level: Annotated[str | None, Query(max_length=20)] = None,
    department: Annotated[str | None, Query(max_length=column(Department, "code"))] = None,
    item: Annotated[str | None, Query(max_length=column(ServiceItem, "code"))] = None,
) -> Any:
    user = _supervisor(request)
    if level and level not in LEVELS:
        raise ValidationFailed(
            _("level must be one of %(values)s.") % {"values": ", ".join(LEVELS)},
            details={"level": [_("Unknown level %(value)r.") % {"value": level}]},
        )
    rows = selectors.flags(
        user=user, level=level or None, department_code=department or None, item_code=item or None
    ).select_related("case__item_version__item")
    return [_flag_out(f) for f in rows[:LIST_LIMIT]]


@router.get("/forecast", summary="What will be yellow or red at a moment")
def forecast(request: HttpRequest, at: Annotated[str, Query(max_length=40)]) -> Any:
    user = _supervisor(request)
    try:
        moment = dt.datetime.fromisoformat(
            at.replace("Z", "+00:00").replace(" ", "+", 1) if "T" in at else at
        )
    except ValueError:
        raise ValidationFailed(
            _("at must be an ISO 8601 date and time with an offset, e.g. 2026-03-06T17:30:00+08:00."),
            details={"at": [_("Not an ISO 8601 date and time.")]},
        ) from None
    if moment.tzinfo is None:
        raise ValidationFailed(
            _("at needs a time zone offset, e.g. 2026-03-06T17:30:00+08:00."),
            details={"at": [_("A date and time without a time zone is ambiguous.")]},
        )
    result = selectors.forecast(user=user, at=moment)
    return {
        "at": moment.isoformat(),
        "yellow": [_forecast_row(r) for r in result.yellow],
        "red": [_forecast_row(r) for r in result.red],
    }


def _forecast_row(row: selectors.ForecastRow) -> dict[str, Any]:
    return {"number": row.number, "step": row.step, "due_at": _iso(row.due_at), "warn_at": _iso(row.warn_at)}


def _rule_out(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "item": rule.item.code if rule.item_id else None,
        "yellow_days": rule.yellow_days,
        "yellow_percent": rule.yellow_percent,
        "supervise_instant": rule.supervise_instant,
        "remind_by_sms": rule.remind_by_sms,
        "updated_at": _iso(rule.updated_at),
    }


@router.get("/rules", summary="Warning rules of the center (its own first, then the item overrides)")
def rules(request: HttpRequest) -> Any:
    user = _supervisor(request)
    ordered = selectors.rules(user=user).order_by(F("item_id").asc(nulls_first=True), "pk")
    return [_rule_out(r) for r in ordered]  # the center's rule first


@router.post("/rules", summary="Save the center's warning rule or an item's override")
def rule_save(request: HttpRequest, payload: RuleIn) -> Any:
    user = _supervisor(request)
    code = (payload.item or "").strip()
    item = catalog_selectors.item_for_edit(code, center=user.center) if code else None
    rule = services.supervision_rule_save(
        actor=user,
        item=item,
        yellow_days=payload.yellow_days,
        yellow_percent=payload.yellow_percent,
        supervise_instant=payload.supervise_instant,
        remind_by_sms=payload.remind_by_sms,
    )
    return _rule_out(rule)


@router.post("/sweep", summary="Run the sweep now")
def run_sweep(request: HttpRequest) -> Any:
    _supervisor(request)
    result = sweep.sweep()
    return {"counts": dict(sorted(result.counts.items()))}


# --- supervision orders --------------------------------------------------------------------------


def _order(request: HttpRequest, order_id: int) -> SupervisionOrder:
    order = selectors.orders(user=request.user).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("No supervision order %(id)s in your scope.") % {"id": order_id})
    return order


@router.get("/orders", summary="Supervision orders in the caller's scope")
def orders(request: HttpRequest, status: Annotated[str | None, Query(max_length=20)] = None) -> Any:
    user = _supervisor_or_department(request)
    if status and status not in SupervisionOrder.Status.values:
        raise ValidationFailed(
            _("status must be one of %(values)s.") % {"values": ", ".join(SupervisionOrder.Status.values)},
            details={"status": [_("Unknown status %(value)r.") % {"value": status}]},
        )
    rows = selectors.orders(user=user, status=status or None).select_related("case", "department", "issuer")
    return [_order_out(o) for o in rows[:LIST_LIMIT]]


@router.post("/orders", response={201: Any}, summary="Issue a supervision order")
def order_issue(request: HttpRequest, payload: OrderIn) -> Answer[dict[str, Any]]:
    user = _supervisor(request)
    case = case_selectors.case_by_number(payload.case.strip(), user=user)
    order = services.order_issue(case=case, actor=user, demand=payload.demand, reply_days=payload.reply_days)
    return Answer(201, _order_out(order))


@router.post("/orders/{order_id}/reply", summary="Reply to a supervision order")
def order_reply(request: HttpRequest, order_id: PathId, payload: ReplyIn) -> Any:
    order = services.order_reply(order=_order(request, order_id), actor=request.user, reply=payload.reply)
    return _order_out(order)


@router.post("/orders/{order_id}/close", summary="Close a supervision order")
def order_close(request: HttpRequest, order_id: PathId, payload: NoteIn) -> Any:
    user = _supervisor(request)
    order = services.order_close(order=_order(request, order_id), actor=user, note=payload.note)
    return _order_out(order)


@router.post("/orders/{order_id}/send-back", summary="Send a reply back")
def order_send_back(request: HttpRequest, order_id: PathId, payload: NoteIn) -> Any:
    user = _supervisor(request)
    order = services.order_send_back(order=_order(request, order_id), actor=user, note=payload.note)
    return _order_out(order)


# --- accountability ------------------------------------------------------------------------------


def _record(request: HttpRequest, record_id: int) -> AccountabilityRecord:
    record = selectors.accountability_records(user=request.user).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("No accountability record %(id)s in your scope.") % {"id": record_id})
    return record


@router.get("/accountability", summary="Accountability records in the caller's scope")
def accountability(request: HttpRequest, status: Annotated[str | None, Query(max_length=20)] = None) -> Any:
    user = _supervisor_or_department(request)
    if status and status not in AccountabilityRecord.Status.values:
        raise ValidationFailed(
            _("status must be one of %(values)s.")
            % {"values": ", ".join(AccountabilityRecord.Status.values)},
            details={"status": [_("Unknown status %(value)r.") % {"value": status}]},
        )
    rows = selectors.accountability_records(user=user, status=status or None)
    return [_record_out(r) for r in rows[:LIST_LIMIT]]


@router.post("/accountability/{record_id}/appeal", summary="Appeal an accountability record")
def accountability_appeal(request: HttpRequest, record_id: PathId, payload: AppealIn) -> Any:
    record = services.accountability_appeal(
        record=_record(request, record_id), actor=request.user, reason=payload.reason
    )
    return _record_out(record)


@router.post("/accountability/{record_id}/decide", summary="Uphold or revoke an accountability record")
def accountability_decide(request: HttpRequest, record_id: PathId, payload: DecideIn) -> Any:
    user = _supervisor(request)
    record = services.accountability_decide(
        record=_record(request, record_id), actor=user, uphold=payload.uphold, note=payload.note
    )
    return _record_out(record)
