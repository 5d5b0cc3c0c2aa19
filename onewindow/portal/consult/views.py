"""The applicant's consultation pages (在线咨询): my consultations, ask a question (about an item
or a department), a thread with its replies and the follow-up form.

Asking needs a signed-in applicant (`identity.sessions.current_applicant`): others are sent to
the sign-in page with `?next=` (or told to sign in while that page does not exist).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

from onewindow.catalog import selectors as catalog_selectors
from onewindow.consultations import selectors, services
from onewindow.consultations.models import Consultation
from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.identity.sessions import Applicant, current_applicant
from onewindow.org.models import Center, Department
from onewindow.portal.views.base import guide_page, guide_render


def _sign_in_first(request: HttpRequest, center: Center) -> HttpResponse:
    try:
        signin = reverse("portal:signin")
    except NoReverseMatch:
        return guide_render(
            request, "portal/consult/signin_first.html", center, {"nav_active": "consultations"}
        )
    return HttpResponseRedirect(f"{signin}?{urlencode({'next': request.get_full_path()})}")


def _applicant(request: HttpRequest) -> Applicant | None:
    return current_applicant(request)


@guide_page
def consultations(request: HttpRequest, center: Center) -> HttpResponse:
    applicant = _applicant(request)
    if applicant is None:
        return _sign_in_first(request, center)
    rows = list(selectors.consultations_of(applicant).prefetch_related("waits")[:100])
    return guide_render(
        request, "portal/consult/list.html", center, {"nav_active": "consultations", "rows": rows}
    )


def _departments(center: Center) -> list[Department]:
    return list(Department.objects.filter(center=center, active=True).order_by("code"))


@guide_page
def consultation_new(request: HttpRequest, center: Center) -> HttpResponse:
    applicant = _applicant(request)
    if applicant is None:
        return _sign_in_first(request, center)
    source = request.POST if request.method == "POST" else request.GET
    item_code = (source.get("item") or "").strip()[:40]
    version = None
    if item_code:
        try:
            version = catalog_selectors.item_by_code(item_code, center=center)
        except NotFound:
            item_code = ""
    values = {
        "subject": (request.POST.get("subject") or "")[:300],
        "body": (request.POST.get("body") or "")[:3000],
        "department": (request.POST.get("department") or "")[:20],
    }
    errors: dict[str, Any] = {}
    message = ""
    if request.method == "POST":
        try:
            consultation = services.consultation_ask(
                applicant=applicant,
                subject=values["subject"],
                body=values["body"],
                item_code=item_code,
                department_code="" if item_code else values["department"],
                center=center,
            )
        except ValidationFailed as exc:
            errors, message = exc.details or {}, exc.message
        else:
            url = reverse("portal:consultation", args=[consultation.pk])
            return HttpResponseRedirect(url + _query(request))
    context = {
        "nav_active": "consultations",
        "version": version,
        "item_code": item_code,
        "departments": [] if version else _departments(center),
        "values": values,
        "errors": errors,
        "message": message,
    }
    return guide_render(request, "portal/consult/new.html", center, context, status=422 if errors else 200)


def _query(request: HttpRequest) -> str:
    code = (request.GET.get("center") or "").strip()
    return f"?{urlencode({'center': code})}" if code else ""


@guide_page
def consultation(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    applicant = _applicant(request)
    if applicant is None:
        return _sign_in_first(request, center)
    error = ""
    if request.method == "POST":
        try:
            services.consultation_follow_up(
                consultation_id=pk, applicant=applicant, body=(request.POST.get("body") or "")[:3000]
            )
        except NotFound:
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(reverse("portal:consultation", args=[pk]) + _query(request))
    found = selectors.consultation_of(applicant, pk)
    apply_allowed = bool(
        found.item is not None
        and found.item.published_version is not None
        and found.item.published_version.online_allowed
    )
    return guide_render(
        request,
        "portal/consult/thread.html",
        center,
        {
            "nav_active": "consultations",
            "c": found,
            "closed": found.status == Consultation.Status.CLOSED,
            "apply_allowed": apply_allowed,
            "error": error,
        },
        status=422 if error else 200,
    )
