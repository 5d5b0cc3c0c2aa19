"""The staff bundle pages: the list of the center's bundle cases, one bundle case (header, the
joint clock, phases, a timeline per department, who holds it up, events, notices, the action
forms) and the printable notices.

Thin: reads through `approvals.pages` / `approvals.selectors`, writes through
`approvals.services.bundle_case_act` with the version the page showed (stale: a clear
conflict message). Who sees a bundle page: `approvals.permissions.sees_bundle_case` (others
get a 404, as for a case out of scope).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from onewindow.approvals import pages, selectors, services
from onewindow.approvals import transitions as T
from onewindow.approvals.models import BundleCase, BundleNotice
from onewindow.approvals.permissions import actor_may, sees_bundle_case
from onewindow.cases import clock as case_clock
from onewindow.cases.facts import Level, status_label
from onewindow.cases.numbers import parse_case_number
from onewindow.catalog.models import BundleField
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_phone
from onewindow.web.access import staff_page
from onewindow.web.bundles.forms import BundleActionForm
from onewindow.web.cases.common import PAGE_SIZE, VIEW_CASE, days_left, not_found

OUTCOME_LABELS: dict[str, Any] = {
    "granted": gettext_lazy("granted"),
    "deemed": gettext_lazy("granted (deemed approval)"),
    "denied": gettext_lazy("denied"),
    "refused": gettext_lazy("refused"),
    "withdrawn": gettext_lazy("withdrawn"),
    "terminated": gettext_lazy("terminated"),
}
EVENT_LABELS: dict[str, Any] = {
    "accept": gettext_lazy("accepted"),
    "refuse": gettext_lazy("refused"),
    "request_correction": gettext_lazy("correction requested"),
    "receive_correction": gettext_lazy("corrected materials received"),
    "open_phase": gettext_lazy("phase opened"),
    "sub_case_decided": gettext_lazy("sub-case decided"),
    "request_extension": gettext_lazy("extension requested"),
    "approve_extension": gettext_lazy("extension approved"),
    "reject_extension": gettext_lazy("extension rejected"),
    "decide": gettext_lazy("all results in"),
    "deliver": gettext_lazy("delivered"),
}
DATE_KEYS = frozenset({"due_at", "legal_due_at", "accepted_on", "delivered_at", "issued_at"})


def _conflict() -> str:
    return _("Changed by someone else: reload the page and try again.")


def _bundle_case(request: HttpRequest, number: str) -> BundleCase | None:
    try:
        value = parse_case_number(number)
    except ValidationFailed:
        return None
    found = selectors.bundle_case_by_number(value)
    if found is None or not sees_bundle_case(request.user, found):  # type: ignore[arg-type]
        return None
    return found


def _no_bundle(request: HttpRequest, number: str) -> HttpResponse:
    return not_found(
        request, _("No bundle case with the number %(number)s in your scope.") % {"number": number[:40]}
    )


# --- the list ------------------------------------------------------------------------------------


@staff_page(VIEW_CASE)
def bundle_cases(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    status = status if status in BundleCase.Status.values else ""
    code = (request.GET.get("bundle") or "").strip()[:40]
    rows = list(pages.bundle_cases_for(user, status=status, bundle_code=code)[: PAGE_SIZE * 4])
    return render(
        request,
        "web/bundles/list.html",
        {
            "nav_active": "bundles",
            "rows": [{"bc": bc, "masked_id": mask_id_number(bc.applicant_id_number)} for bc in rows],
            "statuses": BundleCase.Status.choices,
            "bundles": list(pages.active_bundles(user.center)) if user.center_id else [],
            "status": status,
            "code": code,
        },
    )


# --- the bundle page -----------------------------------------------------------------------------


def _offered(user: Any, bc: BundleCase) -> list[str]:
    out = []
    for action in T.allowed_actions(bc.status):
        if action not in services.HANDLERS:
            continue  # not written yet: not offered
        _target, permission = T.transition_for(bc.status, action)
        if actor_may(user, bc, action, permission) is None:
            out.append(action)
    return out


def _context(
    request: HttpRequest, bc: BundleCase, *, bound: BundleActionForm | None = None, error: str = ""
) -> dict[str, Any]:
    user: Any = request.user
    now = clock.now()
    today = case_clock.local_date(now)
    forms_ = []
    for action in _offered(user, bc):
        if bound is not None and bound.action == action:
            forms_.append(bound)
        else:
            initial = {"method": bc.delivery_method} if action == T.DELIVER else None
            forms_.append(
                BundleActionForm(action=action, version=bc.version, materials=bc.materials, initial=initial)
            )
    timeline = pages.timeline(bc, now=now)
    fields = {f.key: f for f in bc.bundle.fields.all()}
    running = bc.status in (BundleCase.Status.IN_PROGRESS, BundleCase.Status.CORRECTION_IN_PROGRESS)
    notice_number = request.GET.get("notice", "")
    return {
        "nav_active": "bundles",
        "bc": bc,
        "status_label": BundleCase.Status(bc.status).label,
        "masked_id": mask_id_number(bc.applicant_id_number),
        "form_rows": [_form_row(fields.get(key), key, value) for key, value in (bc.form or {}).items()],
        "days_left": days_left(bc.due_at, today) if running else None,
        "overdue": bool(running and bc.due_at and bc.due_at < now),
        "level": Level(bc.level).label,
        "phases": list(bc.phases.order_by("position")),
        "timeline": timeline,
        "holding_up": [v for group in timeline for v in group.sub_cases if v.holding_up],
        "outcome_labels": OUTCOME_LABELS,
        "events": [
            {"event": e, "label": EVENT_LABELS.get(e.action, e.action), "status_label": _status(e.to_status)}
            for e in bc.events.order_by("seq")
        ],
        "notices": list(bc.notices.order_by("issued_at", "id")),
        "fresh_notice": bc.notices.filter(number=notice_number[:48]).first() if notice_number else None,
        "action_forms": forms_,
        "open_action": bound.action if bound is not None else request.GET.get("action", ""),
        "error": error,
    }


def _form_row(bf: BundleField | None, key: str, value: Any) -> tuple[str, str]:
    """A value of the one form as the bundle page shows it: ID numbers and phones masked."""
    if bf is None:
        return key, str(value)
    if bf.field_type == BundleField.FieldType.ID_NUMBER:
        return bf.label, mask_id_number(str(value))
    if bf.field_type == BundleField.FieldType.PHONE:
        return bf.label, mask_phone(str(value))
    return bf.label, str(value)


def _status(value: str) -> str:
    return str(BundleCase.Status(value).label) if value in BundleCase.Status.values else value


def _render(request: HttpRequest, bc: BundleCase, status: int = 200, **kwargs: Any) -> HttpResponse:
    return render(request, "web/bundles/case.html", _context(request, bc, **kwargs), status=status)


@staff_page(VIEW_CASE)
def bundle_case(request: HttpRequest, number: str) -> HttpResponse:
    bc = _bundle_case(request, number)
    if bc is None:
        return _no_bundle(request, number)
    return _render(request, bc)


@require_POST
@staff_page(VIEW_CASE)
def bundle_case_act(request: HttpRequest, number: str) -> HttpResponse:
    bc = _bundle_case(request, number)
    if bc is None:
        return _no_bundle(request, number)
    action = request.POST.get("action", "")
    if action not in T.ACTIONS or action not in services.HANDLERS:
        return _render(request, bc, 422, error=_("Unknown action."))
    form = BundleActionForm(request.POST, action=action, version=bc.version, materials=bc.materials)
    if not form.is_valid():
        if "version" in form.errors:
            return _render(request, bc, 409, error=_conflict())
        return _render(request, bc, 422, bound=form, error=_("Check the fields of this action."))
    try:
        services.bundle_case_act(
            bundle_case=bc.pk,
            action=action,
            version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
            **form.service_params(),
        )
    except Conflict:
        bc.refresh_from_db()
        return _render(request, bc, 409, error=_conflict())
    except (InvalidTransition, PermissionDenied) as exc:
        bc.refresh_from_db()
        return _render(request, bc, exc.status, error=exc.message)
    except ValidationFailed as exc:
        form.add_service_errors(exc.details, exc.message)
        return _render(request, bc, 422, bound=form, error=exc.message)
    messages.success(request, _("Done: %(action)s.") % {"action": form.label})
    url = reverse("web:bundle_case", args=[bc.number])
    notice = bc.notices.order_by("-issued_at", "-id").first()
    if action == T.DELIVER and notice is not None and notice.kind == BundleNotice.Kind.SERVICE_RECEIPT:
        return HttpResponseRedirect(reverse("web:bundle_notice", args=[bc.number, notice.number]))
    return HttpResponseRedirect(url)


# --- the notices -----------------------------------------------------------------------------------


def _as_dates(value: Any, key: str = "") -> Any:
    """The snapshot with its ISO dates read back as dates and times (for the date filter)."""
    if isinstance(value, dict):
        return {k: _as_dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_dates(v, key) for v in value]
    if key in DATE_KEYS and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return case_clock.local_date(moment) if moment.tzinfo else moment.date()
        day = parse_date(value)
        return day if day is not None else value
    return value


@staff_page(VIEW_CASE)
def bundle_notice(request: HttpRequest, number: str, notice_number: str) -> HttpResponse:
    bc = _bundle_case(request, number)
    if bc is None:
        return _no_bundle(request, number)
    notice = pages.notice_of(bc, notice_number)
    if notice is None:
        return not_found(request, _("No such notice."))
    data = _as_dates(notice.data)
    for row in data.get("results", []):
        row["outcome_label"] = OUTCOME_LABELS.get(row.get("outcome", ""), row.get("outcome", ""))
        row["status_label"] = status_label(row.get("status", "")) if row.get("status") else ""
    delivered_by = (
        bc.events.filter(action="deliver").last()
        if notice.kind == BundleNotice.Kind.SERVICE_RECEIPT
        else None
    )
    return render(
        request,
        "web/bundles/notice.html",
        {
            "bc": bc,
            "notice": notice,
            "title": BundleNotice.Kind(notice.kind).label,
            "data": data,
            "issued_on": case_clock.local_date(notice.issued_at)
            if isinstance(notice.issued_at, dt.datetime)
            else None,
            "served_by": delivered_by.actor_name if delivered_by else "",
        },
    )
