"""The hall's notices (web:hall_notices, hall.manage_hall): the list of the center's notices with
a form to add one, editing and deleting; the services say what to fix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.core import clock
from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.hall import notices as services
from onewindow.web.access import forbidden, staff_page

MANAGE_HALL = services.MANAGE_HALL


def _form(request: HttpRequest) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The posted fields, parsed; a field that cannot be read gets a message."""
    post = request.POST
    errors: dict[str, list[str]] = {}
    days: dict[str, dt.date | None] = {}
    for key in ("starts_on", "ends_on"):
        value = (post.get(key) or "").strip()[:10]
        try:
            days[key] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            days[key] = None
            errors[key] = [_("Enter a day as YYYY-MM-DD.")]
    position_text = (post.get("position") or "0").strip()[:6]
    position = int(position_text) if position_text.isdigit() else -1
    return {
        "text": (post.get("text") or "")[:2000],
        "position": position,
        "active": post.get("active") == "1",
        **days,
    }, errors


def _raw(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "text": (post.get("text") or "")[:2000],
        "position": (post.get("position") or "")[:6],
        "active": post.get("active") == "1",
        "starts_on": (post.get("starts_on") or "")[:10],
        "ends_on": (post.get("ends_on") or "")[:10],
    }


def _page(
    request: HttpRequest, *, form: dict[str, Any], errors: dict[str, list[str]], status: int = 200
) -> HttpResponse:
    user: Any = request.user
    today = clock.today()
    rows = [
        {
            "n": n,
            "shown": n.active
            and (n.starts_on is None or n.starts_on <= today)
            and (n.ends_on is None or n.ends_on >= today),
        }
        for n in services.notices_of_center(user.center_id)
    ]
    return render(
        request,
        "web/hall_figures/notices.html",
        {
            "nav_active": "hall_notices",
            "rows": rows,
            "form": form,
            "errors": errors,
            "text_max": services.TEXT_MAX,
        },
        status=status,
    )


@staff_page(MANAGE_HALL)
def notices(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.center_id is None:
        return forbidden(request, reason=_("Your account belongs to no service center."))
    empty = {"text": "", "position": "0", "active": True, "starts_on": "", "ends_on": ""}
    if request.method != "POST":
        return _page(request, form=empty, errors={})
    fields, errors = _form(request)
    if not errors:
        try:
            services.hall_notice_create(center=user.center, actor=user, **fields)
        except ValidationFailed as exc:
            errors = exc.details or {}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The notice was added; the hall's screens show it."))
            return HttpResponseRedirect(reverse("web:hall_notices"))
    else:
        messages.error(request, _("The notice was not saved: correct the marked fields."))
    return _page(request, form=_raw(request), errors=errors, status=422)


@staff_page(MANAGE_HALL)
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        notice = services.notice_of_center(user.center_id, pk)
    except NotFound as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("web:hall_notices"))
    form: dict[str, Any] = {
        "text": notice.text,
        "position": str(notice.position),
        "active": notice.active,
        "starts_on": notice.starts_on.isoformat() if notice.starts_on else "",
        "ends_on": notice.ends_on.isoformat() if notice.ends_on else "",
    }
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        fields, errors = _form(request)
        form, status = _raw(request), 422
        if not errors:
            try:
                services.hall_notice_update(notice=notice, actor=user, **fields)
            except ValidationFailed as exc:
                errors = exc.details or {}
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(reverse("web:hall_notices"))
            else:
                messages.success(request, _("The notice was saved."))
                return HttpResponseRedirect(reverse("web:hall_notices"))
        else:
            messages.error(request, _("The notice was not saved: correct the marked fields."))
    return render(
        request,
        "web/hall_figures/notice_edit.html",
        {
            "nav_active": "hall_notices",
            "notice": notice,
            "form": form,
            "errors": errors,
            "text_max": services.TEXT_MAX,
        },
        status=status,
    )


@require_POST
@staff_page(MANAGE_HALL)
def notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        notice = services.notice_of_center(user.center_id, pk)
        services.hall_notice_delete(notice=notice, actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The notice was deleted."))
    return HttpResponseRedirect(reverse("web:hall_notices"))
