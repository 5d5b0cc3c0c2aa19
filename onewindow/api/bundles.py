"""Bundle cases API (一件事办件, issue 13 §5): intake of a whole bundle at the window, the bundle
list and detail, and the bundle's own actions. The sub-cases keep the ordinary case endpoints
(onewindow.api.cases); the public view of a bundle is in onewindow.api.public.

Token required (Authorization: Bearer <token>):

POST /api/v1/bundle-cases                  intake: the bundle, the situation answers, the
                                           applicant, the one form, the materials, and accept /
                                           correct / refuse in the same call → 201 {number,
                                           status, version, due_at, legal_due_at, url, sub_cases}
GET  /api/v1/bundle-cases                  the caller's scope (lead department or a department
                                           with a sub-case); ?status=&bundle=&page=&page_size=
GET  /api/v1/bundle-cases/{number}         phases, sub-cases, events, notices, allowed actions
                                           (applicant masked)
POST /api/v1/bundle-cases/{number}/actions {"action", "version", <its parameters>}

Errors are JSON {"code", "message", "details"}: 403 permission_denied, 404 not_found,
409 conflict (stale version: details.version is the current one), 422 validation_failed
(details by field, e.g. applicant.id_number, answers.seal, materials.0) / invalid_transition
(details.allowed: what the caller can do now). The public view of a bundle (no token, rate-limited
per address: 429) is GET /api/v1/public/progress with the bundle number.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.paginator import Paginator
from django.db.models import Count as CountOf
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from ninja import Status as Answer

from onewindow.api.bundle_schemas import (
    BundleActionIn,
    BundleActionOut,
    BundleCaseDetailOut,
    BundleFilter,
    BundleIntakeIn,
    BundleIntakeOut,
    BundleListOut,
)
from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import caller as _user
from onewindow.api.common import local_time as _local
from onewindow.api.common import require_view as _require_view
from onewindow.api.security import bearer
from onewindow.approvals import selectors, services
from onewindow.approvals import transitions as T
from onewindow.approvals.models import BundleCase, BundleSubCase
from onewindow.approvals.permissions import actor_may, sees_bundle_case
from onewindow.approvals.progress import outcome
from onewindow.cases import numbers
from onewindow.cases.facts import status_label
from onewindow.core import clock
from onewindow.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_free_text_in, mask_id_number, mask_phone
from onewindow.org.models import Window
from onewindow.org.selectors import visible_department_ids

router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _url(bundle_case: BundleCase) -> str:
    return reverse("api:bundle_case_detail", args=[bundle_case.number])


def _label(status: str) -> str:
    return str(BundleCase.Status(status).label) if status in BundleCase.Status.values else status


def _applicant(bundle_case: BundleCase) -> dict[str, Any]:
    return {
        "kind": bundle_case.applicant_kind,
        "name": bundle_case.applicant_name,
        "id_type": bundle_case.applicant_id_type,
        "id_number": mask_id_number(bundle_case.applicant_id_number),
        "phone": mask_phone(bundle_case.applicant_phone),
        "address": bundle_case.applicant_address,
        "legal_rep_name": bundle_case.legal_rep_name,
        "legal_rep_id_number": mask_id_number(bundle_case.legal_rep_id_number),
    }


def _sub_case_refs(bundle_case: BundleCase) -> list[dict[str, Any]]:
    return [
        {
            "number": sub.case.number if sub.case is not None else None,
            "item_code": sub.item_code,
            "item_name": sub.item_name,
            "department_code": sub.department.code,
            "due_at": _local(sub.case.due_at) if sub.case is not None else None,
            "status": sub.case.status if sub.case is not None else "",
        }
        for sub in selectors.sub_cases(bundle_case)
    ]


def _visible(request: HttpRequest, number: str) -> BundleCase:
    """The bundle case if the caller sees it (otherwise 404, as if absent)."""
    user = _user(request)
    value = numbers.parse_case_number(number)
    found = selectors.bundle_case_by_number(value)
    if found is None or not sees_bundle_case(user, found):
        raise NotFound(_("No bundle case with the number %(number)s.") % {"number": value})
    return found


def allowed_actions(bundle_case: BundleCase, user: Any) -> list[str]:
    """The table's actions for the bundle's status that the caller may perform."""
    allowed = []
    for action in T.allowed_actions(bundle_case.status):
        _target, permission = T.TABLE[(bundle_case.status, action)]
        if actor_may(user, bundle_case, action, permission) is None:
            allowed.append(action)
    return allowed


# --- endpoints ---------------------------------------------------------------------------------


@router.post("/bundle-cases", response={201: BundleIntakeOut, 409: ErrorOut, **_ERRORS})
def bundle_intake(request: HttpRequest, payload: BundleIntakeIn) -> Answer[dict[str, Any]]:
    """Register a bundle application at the window and answer it in the same call: `accept`
    (the first phase's sub-cases open, one acceptance moment), `correct` (one merged one-time
    notice of `correction_items`) or `refuse` (`note` is the reason). Needs cases.accept_case at
    a general window or a window of the bundle's lead department."""
    user = _user(request)
    center = user.center
    if center is None:
        raise PermissionDenied(_("Your account is not attached to a service center."))
    window = None
    if payload.window:
        window = Window.objects.filter(center_id=center.pk, code=payload.window.strip()).first()
        if window is None:
            raise ValidationFailed(
                _("There is no window with the code %(code)s.") % {"code": payload.window},
                details={"window": [_("Unknown window.")]},
            )
    bundle_case = services.bundle_case_intake(
        actor=user,
        center=center,
        bundle_code=payload.bundle_code,
        answers=dict(payload.answers),
        applicant=payload.applicant.model_dump(),
        form=dict(payload.form),
        materials=list(payload.materials),
        action=payload.action,
        note=payload.note,
        correction_items=[c.model_dump(exclude_none=True) for c in payload.correction_items],
        window=window,
        delivery_method=payload.delivery_method,
    )
    return Answer(
        201,
        {
            "number": bundle_case.number,
            "status": bundle_case.status,
            "version": bundle_case.version,
            "due_at": _local(bundle_case.due_at),
            "legal_due_at": _local(bundle_case.legal_due_at),
            "url": _url(bundle_case),
            "sub_cases": _sub_case_refs(bundle_case),
        },
    )


@router.get("/bundle-cases", response={200: BundleListOut, **_ERRORS})
def list_bundle_cases(request: HttpRequest, filters: Query[BundleFilter]) -> dict[str, Any]:
    """Bundle cases the caller sees (its lead department or a department with a sub-case in
    its data scope), newest first."""
    user = _user(request)
    _require_view(user)
    qs = BundleCase.objects.filter(center_id=user.center_id).select_related("bundle", "lead_department")
    ids = visible_department_ids(user)
    if ids is not None:
        qs = qs.filter(
            Q(lead_department_id__in=ids)
            | Q(pk__in=BundleSubCase.objects.filter(department_id__in=ids).values("bundle_case_id"))
        )
    if filters.status:
        statuses = [s.strip() for s in filters.status.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in BundleCase.Status.values]
        if unknown:
            raise ValidationFailed(
                _("Check the filters."),
                details={"status": [_("Unknown status: %(statuses)s.") % {"statuses": ", ".join(unknown)}]},
            )
        qs = qs.filter(status__in=statuses)
    if filters.bundle:
        qs = qs.filter(bundle_code=filters.bundle.strip())
    qs = qs.annotate(sub_case_count=CountOf("sub_cases")).order_by("-created_at", "-id")
    page = Paginator(qs, filters.page_size).get_page(filters.page)
    now = clock.now()
    running = (BundleCase.Status.IN_PROGRESS, BundleCase.Status.CORRECTION_IN_PROGRESS)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": filters.page_size,
        "items": [
            {
                "number": bc.number,
                "bundle": {"code": bc.bundle_code, "name": bc.bundle_name},
                "lead_department": {"code": bc.lead_department.code, "name": bc.lead_department.name},
                "status": bc.status,
                "status_label": _label(bc.status),
                "applicant": _applicant(bc),
                "received_at": _local(bc.received_at),
                "accepted_on": bc.accepted_on,
                "due_at": _local(bc.due_at),
                "overdue": bool(bc.due_at and bc.status in running and bc.due_at < now),
                "sub_case_count": bc.sub_case_count,  # type: ignore[attr-defined]
                "url": _url(bc),
            }
            for bc in page.object_list
        ],
    }


@router.get(
    "/bundle-cases/{number}", response={200: BundleCaseDetailOut, **_ERRORS}, url_name="bundle_case_detail"
)
def bundle_case_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    """One bundle case: its phases, every sub-case (number, item, department, status, due,
    outcome), the bundle's whole history (staff see every event), its notices and the actions
    the caller can perform. Visible to the center-wide scope, the lead department and every
    department with a sub-case in it (信息共享)."""
    user = _user(request)
    _require_view(user)
    bc = _visible(request, number)
    subs = list(selectors.sub_cases(bc))
    return {
        "number": bc.number,
        "bundle": {"code": bc.bundle_code, "name": bc.bundle_name},
        "center": {"code": bc.center.code, "name": bc.center.name},
        "lead_department": {"code": bc.lead_department.code, "name": bc.lead_department.name},
        "status": bc.status,
        "status_label": _label(bc.status),
        "version": bc.version,
        "channel": bc.channel,
        "applicant": _applicant(bc),
        "answers": bc.answers,
        "form": mask_free_text_in(bc.form),
        "materials": bc.materials,
        "delivery_method": bc.delivery_method,
        "tracking_number": bc.tracking_number,
        "received_at": _local(bc.received_at),
        "accepted_at": _local(bc.accepted_at),
        "accepted_on": bc.accepted_on,
        "promised_limit": bc.promised_limit,
        "legal_limit": bc.legal_limit,
        "paused_working_days": bc.paused_working_days,
        "extension_days": bc.extension_days,
        "due_at": _local(bc.due_at),
        "legal_due_at": _local(bc.legal_due_at),
        "level": bc.level,
        "correction_count": bc.correction_count,
        "decided_at": _local(bc.decided_at),
        "delivered_at": _local(bc.delivered_at),
        "phases": [
            {
                "position": p.position,
                "name": p.name,
                "status": p.status,
                "promised_limit": p.promised_limit,
                "merge_with_previous": p.merge_with_previous,
                "opened_at": _local(p.opened_at),
                "due_at": _local(p.due_at),
                "done_at": _local(p.done_at),
            }
            for p in bc.phases.order_by("position")
        ],
        "sub_cases": [
            {
                "number": s.case.number if s.case is not None else None,
                "item": {"code": s.item_code, "name": s.item_name},
                "department": {"code": s.department.code, "name": s.department.name},
                "phase": s.phase.name if s.phase is not None else "",
                "required": s.required,
                "status": s.case.status if s.case is not None else "",
                "status_label": status_label(s.case.status) if s.case is not None else "",
                "due_at": _local(s.case.due_at) if s.case is not None else None,
                "decided_at": _local(s.decided_at),
                "outcome": outcome(s.case) if s.case is not None else "",
                "url": (
                    reverse("api:case_detail", args=[s.case.number])
                    if s.case is not None and s.case.number
                    else None
                ),
            }
            for s in subs
        ],
        "events": [
            {
                "seq": e.seq,
                "at": _local(e.at),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_name,
                "public": e.public,
                "data": mask_free_text_in({k: v for k, v in e.data.items() if k != "ip"}),
            }
            for e in bc.events.order_by("seq")
        ],
        "notices": [
            {"number": n.number, "kind": n.kind, "issued_at": _local(n.issued_at)}
            for n in bc.notices.order_by("issued_at", "id")
        ],
        "allowed_actions": allowed_actions(bc, user),
    }


@router.post("/bundle-cases/{number}/actions", response={200: BundleActionOut, 409: ErrorOut, **_ERRORS})
def bundle_case_action(
    request: HttpRequest, number: str, payload: Annotated[BundleActionIn, Body()]
) -> dict[str, Any]:
    """Perform one action of the bundle's state table (accept or refuse after the merged
    correction at intake, the merged correction during processing, the joint extension, the one
    delivery). Send the `version` you last saw: when someone else changed the bundle since, the
    answer is 409 conflict with `details.version` and nothing changes. An action that is not
    possible now answers 422 invalid_transition with `details.allowed`."""
    user = _user(request)
    bc = _visible(request, number)
    params = payload.model_dump(exclude={"action", "version"}, exclude_none=True)
    try:
        locked = services.bundle_case_act(
            bundle_case=bc.pk, action=payload.action, version=payload.version, actor=user, **params
        )
    except InvalidTransition as exc:
        details = dict(exc.details) if isinstance(exc.details, dict) else {}
        details["allowed"] = allowed_actions(BundleCase.objects.get(pk=bc.pk), user)
        raise InvalidTransition(exc.message, details=details) from exc
    locked.refresh_from_db()
    return {
        "number": locked.number,
        "status": locked.status,
        "status_label": _label(locked.status),
        "version": locked.version,
        "due_at": _local(locked.due_at),
        "legal_due_at": _local(locked.legal_due_at),
        "sub_cases": _sub_case_refs(locked),
    }
