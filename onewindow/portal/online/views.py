"""My cases (我的办件): the signed-in applicant's applications and cases, one case's progress,
notices (as a page and as PDF), messages, and withdrawing with a confirmation.

Every page needs a signed-in applicant (`identity.sessions.current_applicant`); without one it
sends them to the sign-in page with ?next= back here. What the applicant sees is decided in one
place, `onewindow.online.my_cases` (shared with the API): a case they may not see is a 404, the
same answer as a number that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.cases import notice_pdf
from onewindow.cases.facts import step_status_label
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.feedback.links import case_occasions
from onewindow.identity.sessions import Applicant, current_applicant
from onewindow.online import my_cases
from onewindow.org.models import Center
from onewindow.portal.progress.views import EVENT_LABELS
from onewindow.portal.views.base import guide_page, guide_render

REASON_MAX = 500


def signin_url(request: HttpRequest) -> str | None:
    """The sign-in page with ?next= back to this page, or None while there is no sign-in page."""
    try:
        url = reverse("portal:signin")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def applicant_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """`view(request, center, applicant, ...)` for a signed-in applicant; otherwise the sign-in
    page (or, without one, a page saying to sign in, 403)."""

    @guide_page
    @wraps(view)
    def wrapped(request: HttpRequest, center: Center, *args: Any, **kwargs: Any) -> HttpResponseBase:
        applicant = current_applicant(request)
        if applicant is None:
            url = signin_url(request)
            if url is not None:
                return HttpResponseRedirect(url)
            return guide_render(request, "portal/online/signin_needed.html", center, {}, status=403)
        return view(request, center, applicant, *args, **kwargs)

    return wrapped


@applicant_page
def my_case_list(request: HttpRequest, center: Center, applicant: Applicant) -> HttpResponse:
    tab = request.GET.get("tab") or ""
    rows = my_cases.my_cases(applicant)
    counts = {t: 0 for t in my_cases.TABS}
    for row in rows:
        counts[row.tab] += 1
    if tab not in my_cases.TABS:  # the first tab with something in it, else "in progress"
        tab = next((t for t in (my_cases.IN_PROGRESS, my_cases.SUBMITTED, my_cases.DRAFTS) if counts[t]), "")
        tab = tab or my_cases.IN_PROGRESS
    tabs = [(t, my_cases.TAB_LABELS[t], counts[t]) for t in my_cases.TABS]
    context = {
        "nav_active": "my_cases",
        "applicant": applicant,
        "tab": tab,
        "tabs": tabs,
        "rows": [r for r in rows if r.tab == tab],
        "verified": my_cases.verified_id_number(applicant) is not None,
    }
    return guide_render(request, "portal/online/my_cases.html", center, context)


@applicant_page
def my_case_detail(request: HttpRequest, center: Center, applicant: Applicant, number: str) -> HttpResponse:
    found = my_cases.my_case(applicant, number)
    context = {
        "nav_active": "my_cases",
        "mine": found,
        "case": found.case,
        "progress": found.progress,
        "events": [(at, EVENT_LABELS.get(action, action)) for at, action, _s in found.progress.events]
        if found.progress
        else [],
        "steps": [(s, step_status_label(s.status)) for s in found.progress.steps] if found.progress else [],
        "notices": [(n, notice_pdf.title(n)) for n in found.notices],
        # each service occasion's evaluation state and its “评价” link (issue 15)
        "occasions": case_occasions(found.case.pk),
    }
    return guide_render(request, "portal/online/my_case.html", center, context)


@applicant_page
def my_notice(
    request: HttpRequest, center: Center, applicant: Applicant, number: str, notice_number: str
) -> HttpResponse:
    notice = my_cases.my_notice(applicant, number, notice_number)
    content = notice_pdf.notice_content(notice, request=request)
    context = {"nav_active": "my_cases", "notice": notice, "content": content, "case": notice.case}
    return guide_render(request, "portal/online/notice.html", center, context)


@applicant_page
def my_notice_download(
    request: HttpRequest, center: Center, applicant: Applicant, number: str, notice_number: str
) -> HttpResponse:
    notice = my_cases.my_notice(applicant, number, notice_number)
    return pdf_response(notice_pdf.notice_pdf(notice, request=request), notice_pdf.filename(notice))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type=notice_pdf.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@applicant_page
def my_case_withdraw(request: HttpRequest, center: Center, applicant: Applicant, number: str) -> HttpResponse:
    """GET: the confirmation (what withdrawing means, the reason); POST: withdraw."""
    found = my_cases.my_case(applicant, number)
    case = found.case
    errors: dict[str, Any] = {}
    reason = ""
    status = 200
    if request.method == "POST":
        reason = (request.POST.get("reason") or "").strip()[:REASON_MAX]
        try:
            my_cases.my_case_withdraw(
                applicant=applicant,
                number=case.display_number,
                version=_int(request.POST.get("version")),
                reason=reason,
            )
        except ValidationFailed as exc:
            errors = {"message": exc.message, "reason": _("Say why you withdraw the application.")}
            status = 422
        except (Conflict, InvalidTransition, PermissionDenied) as exc:
            errors = {"message": exc.message}
            status = 409 if isinstance(exc, Conflict) else 422
        else:
            messages.success(request, _("The application has been withdrawn."))
            url = reverse("portal:my_case", args=[case.display_number])
            query = f"?center={request.GET['center']}" if request.GET.get("center") else ""
            return HttpResponseRedirect(url + query)
    context = {
        "nav_active": "my_cases",
        "mine": found,
        "case": case,
        "reason": reason,
        "errors": errors,
        "reason_max": REASON_MAX,
    }
    return guide_render(request, "portal/online/withdraw.html", center, context, status=status)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
