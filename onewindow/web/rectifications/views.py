"""The staff pages of the rectification (整改) of 差评: the worklist (open ones first, yellow and
red badges, filters by status and department), one rectification with its evaluation (masked),
its case, the timeline of its events and the form of the next action only.

Who sees them: feedback.handle_rectification or feedback.review_rectification, for the
departments of the account's data scope (another department's rectification is a 404). Plain
forms and redirects; a refused action re-renders the page (422) with what to fix.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text, mask_name
from onewindow.core.middleware import client_ip
from onewindow.feedback import rectification_selectors as selectors
from onewindow.feedback import rectification_services as services
from onewindow.feedback.models import Rectification
from onewindow.org.selectors import departments_for
from onewindow.web.access import forbidden, staff_page
from onewindow.web.cases.common import not_found

LIST_LIMIT = 300
FIELDS = ("note", "classification", "explanation", "due_date", "method", "reached")


def _not_found(request: HttpRequest) -> HttpResponse:
    return not_found(request, _("No rectification with this number in your scope."))


def _row(r: Rectification) -> dict[str, Any]:
    evaluation = r.evaluation
    return {
        "r": r,
        "case": evaluation.occasion.case,
        "text": mask_free_text(evaluation.text)[:80],
        "deadline": selectors.current_deadline(r),
    }


@staff_page()
def rectification_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not selectors.may_view(user):
        return forbidden(request)
    status = request.GET.get("status", "open")
    statuses = Rectification.Status.values
    status = status if status in statuses or status == "all" else "open"
    departments = list(departments_for(user).filter(active=True).order_by("code"))
    code = (request.GET.get("department") or "").strip()[:20]
    department = next((d for d in departments if d.code == code), None)
    qs = selectors.rectifications(
        user,
        status=status if status in statuses else "",
        open_only=status == "open",
        department_id=department.pk if department else None,
    )
    rows = [_row(r) for r in qs[:LIST_LIMIT]]
    context = {
        "nav_active": "rectifications",
        "rows": rows,
        "status": status,
        "statuses": Rectification.Status.choices,
        "departments": departments,
        "department": department,
        "limit": LIST_LIMIT,
        "rate": selectors.callback_rate(user),
    }
    return render(request, "web/rectifications/list.html", context)


def _context(request: HttpRequest, r: Rectification, **extra: Any) -> dict[str, Any]:
    evaluation = r.evaluation
    occasion = evaluation.occasion
    case = occasion.case
    actions = services.actions_for(r, request.user)
    labels = {str(i.get("code")): str(i.get("label")) for i in evaluation.template.indicators or []}
    return {
        "nav_active": "rectifications",
        "r": r,
        "evaluation": evaluation,
        "occasion": occasion,
        "case": case,
        "applicant": mask_name(case.applicant_name) if case is not None else "",
        "text": mask_free_text(evaluation.text),
        "deadline": selectors.current_deadline(r),
        "events": [
            (e, services.ACTION_LABELS.get(e.action, e.action), mask_free_text(e.note))
            for e in r.events.all()
        ],
        "tags": [labels.get(t, t) for t in evaluation.tags or []],
        "actions": actions,
        "callback_first": "callback" in actions and r.callback_at is None,
        "classify_alone": "classify" in actions and (r.callback_at is not None or not evaluation.real_name),
        "classifications": Rectification.Classification.choices,
        "methods": [(k, str(v)) for k, v in services.INFORM_METHODS.items()],
        "values": {},
        "errors": {},
        "error": "",
        **extra,
    }


@staff_page()
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        r = selectors.rectification_for(request.user, pk)
    except NotFound:
        return _not_found(request)
    return render(request, "web/rectifications/detail.html", _context(request, r))


def _params(request: HttpRequest) -> dict[str, Any]:
    values = {f: (request.POST.get(f) or "")[:3000] for f in FIELDS}
    params: dict[str, Any] = dict(values)
    params["reached"] = {"yes": True, "no": False}.get(values["reached"])
    return params


@require_POST
@staff_page()
def rectification_act(request: HttpRequest, pk: int) -> HttpResponse:
    action = (request.POST.get("action") or "")[:20]
    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = 0
    params = _params(request)
    try:
        services.rectification_act(
            rectification_id=pk,
            action=action,
            actor=request.user,
            version=version,
            client_ip=client_ip(request),
            **params,
        )
    except NotFound:
        return _not_found(request)
    except Conflict as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, reason=exc.message)
        r = selectors.rectification_for(request.user, pk)
        errors = exc.details if isinstance(exc, ValidationFailed) and isinstance(exc.details, dict) else {}
        values = {f: request.POST.get(f, "") for f in FIELDS}
        context = _context(request, r, error=exc.message, errors=errors, values=values, failed=action)
        return render(request, "web/rectifications/detail.html", context, status=422)
    else:
        messages.success(request, _("Saved: the next step is shown below."))
    return HttpResponseRedirect(reverse("web:rectification", args=[pk]))
