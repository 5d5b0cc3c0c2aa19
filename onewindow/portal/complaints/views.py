"""The public complaint pages: submit a complaint (anonymous allowed) → its number and query
code, shown once; follow it with the number and the code (the same "not found" for any wrong
input; the complainant's name masked). Both rate-limited per address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from onewindow.complaints import intake, selectors, services
from onewindow.core import ratelimit
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.middleware import client_ip
from onewindow.org.models import Center
from onewindow.portal.views.base import guide_page, guide_render

FIELDS = ("title", "content", "respondent", "name", "phone")
LOOKUP_RATE_KEY = "complaint-lookup:{ip}"  # the same budget as the API's lookup
LOOKUP_WINDOW_SECONDS = 60


@guide_page
def complaint_submit(request: HttpRequest, center: Center) -> HttpResponse:
    values = {name: (request.POST.get(name) or "")[:1100] for name in FIELDS}
    context: dict[str, Any] = {"nav_active": "complaints", "values": values, "errors": {}, "message": ""}
    if request.method != "POST":
        return guide_render(request, "portal/complaints/submit.html", center, context)
    ip = client_ip(request)
    try:
        intake.check_public_rate(ip)
        registered = services.complaint_submit_public(center=center, client_ip=ip, **values)
    except DomainError as exc:
        context["message"] = exc.message
        context["errors"] = (
            exc.details if isinstance(exc, ValidationFailed) and isinstance(exc.details, dict) else {}
        )
        return guide_render(request, "portal/complaints/submit.html", center, context, status=exc.status)
    context.update(registered=registered.complaint, query_code=registered.query_code)
    return guide_render(request, "portal/complaints/submitted.html", center, context)


@guide_page
def complaint_follow(request: HttpRequest, center: Center) -> HttpResponse:
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()[:40]
    context: dict[str, Any] = {"nav_active": "complaints", "number": number, "result": None, "message": ""}
    status = 200
    if request.method == "POST":
        code = (request.POST.get("code") or "").strip()[:16]
        if not ratelimit.check_rate(
            key=LOOKUP_RATE_KEY.format(ip=client_ip(request)),
            limit=intake.lookups_per_minute(),
            window_seconds=LOOKUP_WINDOW_SECONDS,
        ):
            status = 429
            context["message"] = _("Too many lookups from your address. Wait a minute and try again.")
        else:
            found = selectors.public_lookup(number, code)
            if found is None:
                status = 404
                context["message"] = intake.not_found_message()
            context["result"] = found
    return guide_render(request, "portal/complaints/follow.html", center, context, status=status)
