"""Cases API: intake at the window, the case list and detail, every action of the state table,
material files and the worklist (the public progress lookup is in onewindow.api.public).

Token required (Authorization: Bearer <token>):

POST /api/v1/cases                      intake: receive and, in the same call, accept, ask for a
                                        correction or refuse → 201 {number, receipt_number, status,
                                        version, due_at, notice_url, url}
GET  /api/v1/cases                      the caller's data scope; ?status=&item=&department=&overdue=
                                        &q=&page=&page_size= (applicant masked)
GET  /api/v1/cases/{number}             case number or receipt number: steps, materials, events,
                                        notices, clock, allowed actions, service occasions with
                                        their evaluation state and, for the window staff, their
                                        evaluation links (applicant and the ID
                                        numbers and phones in free text masked); ?full=true&reason=
                                        shows them in full to whoever may see the applicant's full
                                        data, and writes the viewing to the audit trail
POST /api/v1/cases/{number}/actions     {"action": ..., "version": ..., <its parameters>}: one schema
                                        per action, built from cases.services.ACTION_PARAMS
POST /api/v1/cases/{number}/files       multipart: file (+ material: the case material id)
GET  /api/v1/cases/{number}/files/{id}  download a file
GET  /api/v1/worklist                   the caller's active steps, most urgent first

Errors are JSON {"code", "message", "details"}: 403 permission_denied, 404 not_found,
409 conflict (stale version or a concurrent action), 422 validation_failed /
invalid_transition (details.allowed: what the caller can do now), 429 rate_limited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Query, Router
from ninja import Status as Answer
from ninja.files import UploadedFile

from onewindow.api.case_schemas import (
    ActionIn,
    CaseActionOut,
    CaseDetailOut,
    CaseFileOut,
    CaseFilter,
    CaseListOut,
    ErrorOut,
    IntakeIn,
    IntakeOut,
    WorklistFilter,
    WorklistItemOut,
)
from onewindow.api.common import caller as _user
from onewindow.api.common import local_time as _local
from onewindow.api.common import require_view as _require_view
from onewindow.api.evaluations import case_occasions_out
from onewindow.api.limits import MAX_ID, PathId
from onewindow.api.security import bearer
from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases import clock as case_clock
from onewindow.cases import numbers, selectors, services
from onewindow.cases.delivery_selectors import delivery_of
from onewindow.cases.facts import CLOCK_RUNNING, status_label
from onewindow.cases.guards import case_allowed_actions
from onewindow.cases.links import staff_notice_path
from onewindow.cases.models import Case, CaseFile, CaseMaterial, Status
from onewindow.core import clock
from onewindow.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_free_text, mask_free_text_in, mask_id_number, mask_phone
from onewindow.org.models import Department, User, username_is
from onewindow.org.selectors import center_by_code

router = Router(auth=bearer)


# --- helpers ----------------------------------------------------------------------------------


def _case_url(case: Case) -> str:
    return reverse("api:case_detail", args=[case.display_number])


def _notice_url(request: HttpRequest, case: Case, notice_number: str) -> str:
    return request.build_absolute_uri(staff_notice_path(case.display_number, notice_number))


def _file_url(case: Case, file_id: int) -> str:
    return reverse("api:case_file_download", args=[case.display_number, file_id])


def _applicant(case: Case, revealed: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "kind": case.applicant_kind,
        "name": case.applicant_name,
        "id_type": case.applicant_id_type,
        "id_number": (
            revealed["applicant_id_number"] if revealed else mask_id_number(case.applicant_id_number)
        ),
        "phone": revealed["applicant_phone"] if revealed else mask_phone(case.applicant_phone),
        "address": case.applicant_address,
        "legal_rep_name": case.legal_rep_name,
        "legal_rep_id_number": (
            revealed["legal_rep_id_number"] if revealed else mask_id_number(case.legal_rep_id_number)
        ),
    }


def _delivery(case: Case) -> dict[str, Any] | None:
    row = delivery_of(case)
    if row is None:
        return None
    return {
        "method": row.method,
        "recipient_name": row.recipient_name,
        "recipient_id_number": row.masked_recipient_id_number,
        "recipient_relation": row.recipient_relation,
        "carrier": row.carrier,
        "tracking_number": row.tracking_number,
        "delivered_at": _local(row.delivered_at),
    }


def _status_label(status: str) -> str:
    return status_label(status)


def _scoped_case(request: HttpRequest, number: str) -> Case:
    """The case in the caller's data scope (outside it: 404, as if absent)."""
    return selectors.case_by_number(number, user=_user(request))


def _days_left(due_at: dt.datetime | None, today: dt.date) -> int | None:
    if due_at is None:
        return None
    try:
        return calendar_selectors.count_working_days(today, case_clock.local_date(due_at))
    except ValidationFailed:  # outside the calendar's range
        return None


def _file_out(case: Case, row: CaseFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.original_name,
        "size": row.size,
        "content_type": row.content_type,
        "material": row.case_material_id,
        "uploaded_at": _local(row.uploaded_at),
        "download_url": _file_url(case, row.pk),
    }


# --- endpoints ---------------------------------------------------------------------------------


@router.post(
    "/cases",
    response={201: IntakeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def intake(request: HttpRequest, payload: IntakeIn) -> Answer[dict[str, Any]]:
    """Register an application at the window and answer it in the same call: `accept` (an
    instant item is completed too), `correct` (one-time notice of `correction_items`) or `refuse`
    (`note` is the reason). Needs cases.accept_case at a general window or a window of the item's
    department."""
    user = _user(request)
    center = user.center
    if payload.center:
        center = center_by_code(payload.center)
        if center is None:
            raise ValidationFailed(
                _("There is no center with the code %(code)s.") % {"code": payload.center},
                details={"center": [_("Unknown center.")]},
            )
    if center is None:
        raise PermissionDenied(_("Your account is not attached to a service center."))
    handler = None
    if payload.green_channel_handler:
        handler = User.objects.filter(
            username_is(payload.green_channel_handler), center_id=center.pk, is_active=True
        ).first()
        if handler is None:
            raise ValidationFailed(
                _("The green channel handler is not an active account of this center."),
                details={"green_channel_handler": [_("Unknown account.")]},
            )
    case = services.case_intake(
        actor=user,
        item_code=payload.item_code,
        center=center,
        applicant=payload.applicant.model_dump(),
        agent=payload.agent.model_dump() if payload.agent else None,
        channel=payload.channel,
        materials=[m.model_dump(exclude_none=True) for m in payload.materials],
        action=payload.action,
        note=payload.note,
        correction_items=[c.model_dump() for c in payload.correction_items],
        green_channel=payload.green_channel,
        green_channel_handler=handler,
        delivery_method=payload.delivery_method,
    )
    notice = selectors.case_latest_notice_number(case)  # the notice this intake issued
    return Answer(
        201,
        {
            "number": case.number,
            "receipt_number": case.receipt_number,
            "status": case.status,
            "version": case.version,
            "due_at": _local(case.due_at),
            "notice_url": _notice_url(request, case, notice) if notice else None,
            "url": _case_url(case),
        },
    )


@router.get("/cases", response={200: CaseListOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    """Cases in the caller's data scope, newest first. Filters only narrow the scope."""
    user = _user(request)
    _require_view(user)
    criteria: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if filters.status:
        statuses = [s.strip() for s in filters.status.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Status.values]
        if unknown:
            errors["status"] = [_("Unknown status: %(statuses)s.") % {"statuses": ", ".join(unknown)}]
        criteria["status"] = statuses
    if filters.item:
        criteria["item_code"] = filters.item.strip()
    if filters.department:
        department = Department.objects.filter(
            center_id=user.center_id, code=filters.department.strip().upper()
        ).first()
        if department is None:
            errors["department"] = [_("Unknown department %(code)s.") % {"code": filters.department}]
        else:
            criteria["department"] = department.pk
    if filters.overdue is not None:
        criteria["overdue"] = filters.overdue
    if errors:
        raise ValidationFailed(_("Check the filters."), details=errors)
    qs = selectors.cases_for(user, criteria)
    if filters.q:
        value = numbers.normalise(filters.q)[:32]
        qs = qs.filter(Q(number__startswith=value) | Q(receipt_number__startswith=value))
    page = Paginator(qs.order_by("-created_at", "-id"), filters.page_size).get_page(filters.page)
    now = clock.now()
    open_clock = CLOCK_RUNNING
    items = [
        {
            "number": case.number,
            "receipt_number": case.receipt_number,
            "status": case.status,
            "status_label": _status_label(case.status),
            "item": {"code": case.item_version.item.code, "name": case.item_version.name},
            "department": {"code": case.department.code, "name": case.department.name},
            "applicant": _applicant(case),
            "channel": case.channel,
            "green_channel": case.green_channel,
            "received_at": _local(case.received_at),
            "accepted_on": case.accepted_on,
            "due_at": _local(case.due_at),
            "overdue": bool(case.due_at and case.status in open_clock and case.due_at < now),
            "url": _case_url(case),
        }
        for case in page.object_list
    ]
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": filters.page_size,
        "items": items,
    }


@router.get(
    "/cases/{number}",
    response={200: CaseDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="case_detail",
)
def case_detail(
    request: HttpRequest,
    number: str,
    full: Annotated[
        bool,
        Query(
            description="Show the applicant's ID numbers and phones, and those typed into notes, "
            "opinions and reasons, in full (written to the audit trail with `reason`)."
        ),
    ] = False,
    reason: Annotated[
        str, Query(description="Why the full data is needed (required with full).", max_length=500)
    ] = "",
) -> dict[str, Any]:
    """One case by its case number or receipt number (within the caller's data scope)."""
    user = _user(request)
    _require_view(user)
    detail = selectors.case_detail(number=number, user=user)
    revealed = services.case_reveal_applicant(case=detail.case, actor=user, reason=reason) if full else None
    return _detail_out(request, detail, user, revealed)


def _as_is(value: Any) -> Any:
    return value


def _detail_out(
    request: HttpRequest, detail: selectors.CaseDetail, user: Any, revealed: dict[str, str] | None = None
) -> dict[str, Any]:
    case = detail.case
    handler = case.green_channel_handler
    # Free text typed by staff: ID numbers and phones in it masked unless revealed (audited).
    text: Callable[[str], str] = _as_is if revealed else mask_free_text
    data: Callable[[Any], Any] = _as_is if revealed else mask_free_text_in
    return {
        "number": case.number,
        "receipt_number": case.receipt_number,
        "status": case.status,
        "status_label": _status_label(case.status),
        "version": case.version,
        "channel": case.channel,
        "center": {"code": case.center.code, "name": case.center.name},
        "department": {"code": case.department.code, "name": case.department.name},
        "item": {
            "code": case.item_version.item.code,
            "name": case.item_version.name,
            "version": case.item_version.number,
        },
        "applicant": _applicant(case, revealed),
        "agent": (
            {
                "name": case.agent_name,
                "id_number": (
                    revealed["agent_id_number"] if revealed else mask_id_number(case.agent_id_number)
                ),
                "phone": revealed["agent_phone"] if revealed else mask_phone(case.agent_phone),
            }
            if case.agent_name
            else None
        ),
        "green_channel": case.green_channel,
        "green_channel_handler": handler.display_name if handler is not None else None,
        "green_channel_reason": text(case.green_channel_reason),
        "delivery_method": case.delivery_method,
        "tracking_number": case.tracking_number,
        "delivery": _delivery(case),
        "received_at": _local(case.received_at),
        "accepted_at": _local(case.accepted_at),
        "accepted_on": case.accepted_on,
        "due_at": _local(case.due_at),
        "legal_due_at": _local(case.legal_due_at),
        "decided_at": _local(case.decided_at),
        "decision": case.decision,
        "completed_at": _local(case.completed_at),
        "delivered_at": _local(case.delivered_at),
        "closed_at": _local(case.closed_at),
        "correction_count": case.correction_count,
        "deemed_accepted": case.deemed_accepted,
        "is_instant": case.is_instant,
        "active_step_position": case.active_step_position,
        "steps": [
            {
                "position": s.position,
                "name": s.name,
                "kind": s.kind,
                "status": s.status,
                "post": s.post.name,
                "limit_days": s.limit_days,
                "on_site": s.on_site,
                "started_at": _local(s.started_at),
                "due_at": _local(s.due_at),
                "finished_at": _local(s.finished_at),
                "handler": s.handler.display_name if s.handler is not None else None,
                "opinion": text(s.opinion),
                "result": s.result,
            }
            for s in detail.steps
        ],
        "materials": [
            {
                "id": m.pk,
                "material": m.material_id,
                "name": m.name,
                "received": m.received,
                "form": m.form,
                "copies": m.copies,
                "note": text(m.note),
                "files": [_file_out(case, f) for f in m.files.all()],
            }
            for m in detail.materials
        ],
        "events": [
            {
                "seq": e.seq,
                "at": _local(e.at),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_name,
                "step": e.step.name if e.step is not None else None,
                "opinion": text(e.opinion),
                "data": data(e.data),
            }
            for e in detail.events
        ],
        "notices": [
            {
                "number": n.number,
                "kind": n.kind,
                "issued_at": _local(n.issued_at),
                "url": _notice_url(request, case, n.number),
            }
            for n in detail.notices
        ],
        "clock": _clock_out(detail.clock),
        "allowed_actions": case_allowed_actions(case, user),
        "occasions": case_occasions_out(request, case.pk, user),
    }


def _clock_out(summary: case_clock.ClockSummary | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    step = summary.step
    return {
        "limit": summary.limit,
        "legal_limit": summary.legal_limit,
        "accepted_on": summary.accepted_on,
        "days_used": summary.days_used,
        "days_paused": summary.days_paused,
        "extension_days": summary.extension_days,
        "days_left": summary.days_left,
        "due_at": _local(summary.due_at),
        "legal_due_at": _local(summary.legal_due_at),
        "confirmed": summary.confirmed,
        "running": summary.running,
        "paused": summary.paused,
        "overdue": summary.overdue,
        "events": [
            {"kind": e.kind, "on": e.on, "until": e.until, "days": e.days, "detail": e.detail}
            for e in summary.events
        ],
        "step": (
            {
                "position": step.position,
                "name": step.name,
                "limit": step.limit,
                "started_on": step.started_on,
                "days_used": step.days_used,
                "days_paused": step.days_paused,
                "extension_days": step.extension_days,
                "days_left": step.days_left,
                "due_at": _local(step.due_at),
                "confirmed": step.confirmed,
                "overdue": step.overdue,
            }
            if step is not None
            else None
        ),
    }


@router.post(
    "/cases/{number}/actions",
    response={200: CaseActionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def case_action(request: HttpRequest, number: str, payload: Annotated[ActionIn, Body()]) -> dict[str, Any]:
    """Perform one action of the state table. Send the `version` you last saw: when someone else
    changed the case since (or acts at the same moment), the answer is 409 conflict and nothing
    changes. An action that is not possible now answers 422 invalid_transition with
    `details.allowed`, the actions you can perform."""
    user = _user(request)
    case_id = selectors.case_id_by_number(number, user=user)
    data = payload.model_dump(exclude={"action", "version"}, exclude_none=True)
    try:
        case = services.case_act(
            case=case_id, action=payload.action, version=payload.version, actor=user, **data
        )
    except InvalidTransition as exc:
        details = dict(exc.details) if isinstance(exc.details, dict) else {}
        details["allowed"] = case_allowed_actions(Case.objects.get(pk=case_id), user)
        raise InvalidTransition(exc.message, details=details) from exc
    step = selectors.case_active_step(case)
    return {
        "number": case.number,
        "receipt_number": case.receipt_number,
        "status": case.status,
        "status_label": _status_label(case.status),
        "version": case.version,
        "decision": case.decision,
        "due_at": _local(case.due_at),
        "active_step": (
            {"position": step.position, "name": step.name, "due_at": _local(step.due_at)} if step else None
        ),
    }


@router.post(
    "/cases/{number}/files",
    response={201: CaseFileOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def upload_file(
    request: HttpRequest,
    number: str,
    file: UploadedFile = File(..., description="pdf, jpg, png, ofd, doc(x), xls(x); at most 20 MB."),  # noqa: B008
    material: int | None = Form(
        None, ge=1, le=MAX_ID, description="The case material id (from the case's materials)."
    ),
) -> Answer[dict[str, Any]]:
    """Attach a material file to a case (multipart/form-data)."""
    user = _user(request)
    case = _scoped_case(request, number)
    case_material = None
    if material is not None:
        case_material = CaseMaterial.objects.filter(pk=material, case=case).first()
        if case_material is None:
            raise ValidationFailed(
                _("This material is not one of the case's."), details={"material": [_("Unknown material.")]}
            )
    row = services.case_file_add(case=case, actor=user, file=file, case_material=case_material)
    return Answer(201, _file_out(case, row))


@router.get(
    "/cases/{number}/files/{file_id}",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="case_file_download",
)
def download_file(request: HttpRequest, number: str, file_id: PathId) -> FileResponse:
    """Download a file of a case (cases.view_case, within the data scope)."""
    user = _user(request)
    _require_view(user)
    case = _scoped_case(request, number)
    row = CaseFile.objects.filter(pk=file_id, case=case).first()
    if row is None:
        raise NotFound(_("No such file on this case."))
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name)


@router.get("/worklist", response={200: list[WorklistItemOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def my_worklist(request: HttpRequest, filters: Query[WorklistFilter]) -> list[dict[str, Any]]:
    """The caller's active steps, most urgent first (green channel first, then the step's deadline)."""
    user = _user(request)
    _require_view(user)
    steps = selectors.worklist(user=user, scope=filters.scope, overdue=filters.overdue, limit=filters.limit)
    now = clock.now()
    today = clock.today()
    result = []
    for step in steps:
        case = step.case
        result.append(
            {
                "number": case.display_number,
                "item": {"code": case.item_version.item.code, "name": case.item_version.name},
                "step": {"position": step.position, "name": step.name, "due_at": _local(step.due_at)},
                "status": case.status,
                "green_channel": case.green_channel,
                "days_left": _days_left(step.due_at, today),
                "overdue": bool(step.due_at and step.due_at < now),
                "case_due_at": _local(case.due_at),
                "url": _case_url(case),
            }
        )
    return result
