"""The staff complaint pages: the worklist (filters: status, department, overdue; yellow/red
badges), the desk registration form, and one complaint (its fields, the complainant — in clear
only for its handlers and the supervisors —, the timeline, the forms of the actions the account
may take now, validity and the accountability record).

Plain forms and redirects (no JS needed). Every refusal is shown with what to fix; a stale
version (someone else acted first) reloads the page with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.complaints import selectors, services
from onewindow.complaints.codes import (
    ACTION_LABELS,
    REGISTER,
    STAFF_SOURCES,
    Kind,
    NotAcceptedReason,
    Satisfaction,
    Status,
)
from onewindow.complaints.models import Complaint
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.core.middleware import client_ip
from onewindow.org.models import Department, Window
from onewindow.org.selectors import departments_for
from onewindow.supervision.models import AccountabilityRecord
from onewindow.web.access import forbidden, staff_page
from onewindow.web.cases.common import not_found

NAV = "complaints"
REGISTER_FIELDS = (
    "title",
    "content",
    "kind",
    "source",
    "name",
    "phone",
    "id_number",
    "respondent_department",
    "respondent_window",
    "respondent_staff",
    "case_number",
    "department",
)


def _center_choices(user: Any) -> dict[str, Any]:
    return {
        "all_departments": list(
            Department.objects.filter(center_id=user.center_id, active=True).order_by("position", "code")
        ),
        "windows": list(Window.objects.filter(center_id=user.center_id, active=True).order_by("code")),
    }


@staff_page()
def complaint_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not selectors.may_list(user):
        return forbidden(request)
    status = (request.GET.get("status") or "").strip()
    status = status if status in Status.values or status == "open" else ""
    departments = list(departments_for(user).filter(active=True).order_by("code"))
    code = (request.GET.get("department") or "").strip()[:20]
    department = next((d for d in departments if d.code == code), None)
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.worklist(
        user, status=status, department_id=department.pk if department else None, overdue=overdue
    )
    rows = [{"c": c, "title": mask_free_text(c.title)} for c in qs[:300]]
    context = {
        "nav_active": NAV,
        "rows": rows,
        "counts": selectors.level_counts(selectors.worklist(user)),
        "statuses": Status.choices,
        "status": status,
        "departments": departments,
        "department": department,
        "overdue": overdue,
        "may_register": user.has_perm(REGISTER),
    }
    return render(request, "web/complaints/list.html", context)


def _register_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "nav_active": NAV,
        "kinds": Kind.choices,
        "sources": [(s.value, s.label) for s in STAFF_SOURCES],
        **_center_choices(request.user),
        **extra,
    }


@staff_page(REGISTER)
def complaint_new(request: HttpRequest) -> HttpResponse:
    values: dict[str, Any] = {"kind": Kind.REFERRAL, "source": "desk"}
    if request.method != "POST":
        return render(request, "web/complaints/new.html", _register_context(request, values=values))
    values = {name: (request.POST.get(name) or "")[:1200] for name in REGISTER_FIELDS}
    values["simple"] = request.POST.get("simple") == "on"
    try:
        registered = services.complaint_register(
            actor=request.user,
            simple=values["simple"] or None,
            client_ip=client_ip(request),
            **{k: v for k, v in values.items() if k != "simple"},
        )
    except DomainError as exc:
        errors = exc.details if isinstance(exc, ValidationFailed) and isinstance(exc.details, dict) else {}
        context = _register_context(request, values=values, error=exc.message, errors=errors)
        return render(request, "web/complaints/new.html", context, status=422)
    return render(
        request,
        "web/complaints/registered.html",
        {"nav_active": NAV, "c": registered.complaint, "query_code": registered.query_code},
    )


def _record(complaint: Complaint) -> AccountabilityRecord | None:
    return AccountabilityRecord.objects.filter(subject_kind="complaint", subject_ref=complaint.number).first()


def _detail_context(request: HttpRequest, c: Complaint, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    actions = services.allowed_actions(user, c)
    person = selectors.complainant(user, c)
    return {
        "nav_active": NAV,
        "c": c,
        "person": person,
        "content": c.content if person.visible else mask_free_text(c.content),
        "title": c.title if person.visible else mask_free_text(c.title),
        "events": [
            {"e": e, "label": ACTION_LABELS.get(e.action, e.action), "note": mask_free_text(e.note)}
            for e in selectors.events_of(c)
        ],
        "actions": actions,
        "action_labels": {a: ACTION_LABELS[a] for a in actions},
        "reasons": NotAcceptedReason.choices,
        "satisfactions": Satisfaction.choices,
        "all_departments": _center_choices(user)["all_departments"] if "assign" in actions else [],
        "record": _record(c),
        "errors": {},
        "values": {},
        **extra,
    }


@staff_page()
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        c = selectors.complaint_for_staff(request.user, number)
    except NotFound:
        return not_found(request, _("No complaint with this number in your scope."))
    return render(request, "web/complaints/detail.html", _detail_context(request, c))


def _params(request: HttpRequest, action: str) -> dict[str, Any]:
    post = request.POST
    text = {
        name: (post.get(name) or "")[:2100]
        for name in ("department", "handler", "reason", "reply", "answer", "note", "satisfaction", "days")
    }
    if action == "judge":
        valid = post.get("valid")
        return {
            "valid": True if valid == "yes" else False if valid == "no" else None,
            "reason": text["reason"],
            "accountability": post.get("accountability") == "on",
        }
    return text


@require_POST
@staff_page()
def complaint_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = 0
    params = _params(request, action)
    try:
        services.complaint_act(
            number=number,
            action=action,
            version=version,
            actor=request.user,
            client_ip=client_ip(request),
            **params,
        )
    except NotFound:
        return not_found(request, _("No complaint with this number in your scope."))
    except Conflict as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        c = selectors.complaint_for_staff(request.user, number)
        errors = exc.details if isinstance(exc, ValidationFailed) and isinstance(exc.details, dict) else {}
        context = _detail_context(
            request, c, error=exc.message, errors=errors, error_action=action, values=request.POST
        )
        return render(request, "web/complaints/detail.html", context, status=422)
    else:
        messages.success(request, _("Saved: %(action)s.") % {"action": ACTION_LABELS.get(action, action)})
    return HttpResponseRedirect(reverse("web:complaint", args=[number]))
