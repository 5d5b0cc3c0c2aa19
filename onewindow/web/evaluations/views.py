"""The staff evaluation pages (feedback.view_evaluations): the list with its filters and the
rates on top (未评率, 满意率, 差评 count), one evaluation, the 差评 queue with each
rectification's status; the phone call-back entry (feedback.record_callback).

Every read is limited to the account's data scope (feedback.staff_selectors); names and free
text are masked in lists. The window evaluators' page is in devices.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text, mask_name
from onewindow.feedback import staff_selectors as selectors
from onewindow.feedback.codes import Channel, Level, TemplateKind
from onewindow.feedback.models import Evaluation, Rectification
from onewindow.feedback.services import active_template, evaluation_submit
from onewindow.org.selectors import departments_for
from onewindow.web.access import staff_page
from onewindow.web.cases.common import not_found

VIEW = selectors.VIEW
CALLBACK = "feedback.record_callback"
LIST_LIMIT = 200
STATUS_LABELS = dict(Rectification.Status.choices)


def rectification_url(pk: int) -> str:
    try:
        return reverse("web:rectification", args=[pk])
    except NoReverseMatch:  # the rectification pages are another part of issue 15
        return f"/staff/rectifications/{pk}/"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _filters(request: HttpRequest) -> tuple[selectors.EvaluationFilters, dict[str, Any]]:
    """The filters of the query string (anything not ours is ignored) and the form's values."""
    user: Any = request.user
    get = request.GET
    departments = list(departments_for(user).filter(active=True).order_by("code"))
    windows = list(selectors.windows_for(user))
    department = next((d for d in departments if d.code == get.get("department")), None)
    window = next((w for w in windows if w.code == get.get("window")), None)
    level = get.get("level") or ""
    channel = get.get("channel") or ""
    voided = get.get("voided") or ""
    f = selectors.EvaluationFilters(
        date_from=_date(get.get("from")),
        date_to=_date(get.get("to")),
        level=level if level in Level.values else "",
        bad_only=get.get("bad") == "1",
        channel=channel if channel in Channel.values else "",
        department_id=department.pk if department else None,
        window_id=window.pk if window else None,
        voided=voided if voided in ("yes", "no") else "",
    )
    form = {
        "departments": departments,
        "windows": windows,
        "department": department,
        "window": window,
        "levels": Level.choices,
        "channels": Channel.choices,
        "f": f,
    }
    return f, form


def _row(e: Evaluation) -> dict[str, Any]:
    case = e.occasion.case
    rectification = getattr(e, "rectification", None) if e.bad else None
    return {
        "e": e,
        "case_number": case.display_number if case is not None else e.occasion.ticket,
        "applicant": mask_name(case.applicant_name) if case is not None else "",
        "item": selectors.item_name(e.occasion),
        "text": mask_free_text(e.text)[:80],
        "tags": _tag_labels(e),
        "rectification": rectification,
        "rectification_url": rectification_url(rectification.pk) if rectification is not None else "",
        "rectification_status": STATUS_LABELS.get(rectification.status, "")
        if rectification is not None
        else "",
    }


def _tag_labels(e: Evaluation) -> list[str]:
    labels = {str(i["code"]): str(i["label"]) for i in (e.template.indicators if e.template_id else [])}
    return [labels.get(t, t) for t in e.tags]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@staff_page(VIEW)
def evaluation_list(request: HttpRequest) -> HttpResponse:
    f, form = _filters(request)
    rows = list(selectors.evaluation_list(request.user, f).select_related("template")[: LIST_LIMIT + 1])
    rates = selectors.rates(request.user, f)
    context = {
        "nav_active": "evaluations",
        "rows": [_row(e) for e in rows[:LIST_LIMIT]],
        "more": len(rows) > LIST_LIMIT,
        "rates": rates,
        "unevaluated_rate": _percent(rates.unevaluated_rate),
        "satisfied_rate": _percent(rates.satisfied_rate),
        **form,
    }
    return render(request, "web/evaluations/list.html", context)


@staff_page(VIEW)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        e = selectors.evaluation_for_staff(request.user, pk)
    except NotFound:
        return not_found(request, _("No such evaluation in your scope."))
    context = {"nav_active": "evaluations", **_row(e), "text": mask_free_text(e.text)}
    return render(request, "web/evaluations/detail.html", context)


@staff_page(VIEW)
def bad_queue(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.bad_queue(request.user).select_related("template")[:LIST_LIMIT])
    context = {"nav_active": "evaluations_bad", "rows": [_row(e) for e in rows]}
    return render(request, "web/evaluations/bad.html", context)


# --- phone call-back ----------------------------------------------------------------------------


@staff_page(CALLBACK)
def callback(request: HttpRequest) -> HttpResponse:
    """Find a case's open occasions by its number, then enter what the applicant said on the
    phone (channel phone; who called defaults to the account's name)."""
    user: Any = request.user
    source = request.POST if request.method == "POST" else request.GET
    number = (source.get("number") or "").strip()[:40]
    case = selectors.callback_case(user, number) if number else None
    occasions = selectors.callback_occasions(user, case) if case is not None else []
    values: dict[str, Any] = {
        "occasion": source.get("occasion") or "",
        "level": source.get("level") or "",
        "tags": source.getlist("tags")[:10],
        "text": (source.get("text") or "")[:500],
        "caller": (source.get("caller") or user.display_name)[:60],
    }
    error = ""
    errors: dict[str, Any] = {}
    if number and case is None:
        errors["number"] = [_("No case with this number in your scope: check the case or receipt number.")]
    if request.method == "POST" and case is not None:
        chosen = next((o for o in occasions if str(o.pk) == values["occasion"]), None)
        if chosen is None:
            errors["occasion"] = [_("Choose the service the applicant is rating.")]
            error = _("Check the call-back record.")
        elif not values["caller"].strip():
            errors["caller"] = [_("Enter who called the applicant.")]
            error = _("Check the call-back record.")
        else:
            try:
                evaluation_submit(
                    occasion=chosen,
                    level=values["level"],
                    tags=values["tags"],
                    text=values["text"],
                    channel=Channel.PHONE,
                    recorded_by=user,
                    caller=values["caller"].strip(),
                )
            except ValidationFailed as exc:
                error, errors = exc.message, dict(exc.details or {})
            except DomainError as exc:  # already evaluated, closed (409)
                error = exc.message
            else:
                messages.success(request, _("Call-back evaluation recorded."))
                return HttpResponseRedirect(reverse("web:evaluation_callback"))
    try:
        indicators = active_template(TemplateKind.OFFLINE).indicators
    except NotFound:
        indicators = []
    context = {
        "nav_active": "evaluation_callback",
        "number": number,
        "case": case,
        "applicant": mask_name(case.applicant_name) if case is not None else "",
        "occasions": [(o, selectors.item_name(o)) for o in occasions],
        "levels": Level.choices,
        "indicators": indicators,
        "values": values,
        "error": error,
        "errors": errors,
    }
    status = 422 if (error or errors) and request.method == "POST" else 200
    return render(request, "web/evaluations/callback.html", context, status=status)
