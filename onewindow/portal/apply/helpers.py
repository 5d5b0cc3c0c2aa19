"""What the item and bundle application pages share: sign-in required (`applicant_page`), the
way back to the application page, the domain's errors as messages, the applicant block shown
with its ID numbers masked."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import NoReverseMatch, reverse

from onewindow.core.errors import DomainError
from onewindow.core.masking import mask_id_number
from onewindow.identity.sessions import current_applicant
from onewindow.online.models import OnlineApplication
from onewindow.org.models import Center
from onewindow.portal.views.base import guide_page, guide_render

View = Callable[..., HttpResponseBase]


def signin_url(request: HttpRequest) -> str | None:
    try:
        url = reverse("portal:signin")
    except NoReverseMatch:  # the sign-in pages are not installed
        return None
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def applicant_page(view: View) -> View:
    """Sign-in required: otherwise to portal:signin with ?next= (a page saying so without it)."""

    @wraps(view)
    def wrapped(request: HttpRequest, center: Center, *args: Any, **kwargs: Any) -> HttpResponseBase:
        applicant = current_applicant(request)
        if applicant is None:
            url = signin_url(request)
            if url is not None:
                return HttpResponseRedirect(url)
            return guide_render(request, "portal/apply/signin_needed.html", center, {}, status=403)
        return view(request, center, applicant, *args, **kwargs)

    return guide_page(wrapped)


def _back(
    request: HttpRequest, application: OnlineApplication | int, anchor: str = ""
) -> HttpResponseRedirect:
    pk = application if isinstance(application, int) else application.pk
    query = request.GET.urlencode()
    return HttpResponseRedirect(
        reverse("portal:application", args=[pk]) + (f"?{query}" if query else "") + anchor
    )


def _errors(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)
    details = exc.details if isinstance(exc.details, dict) else {}
    for problems in details.values():
        for problem in problems if isinstance(problems, list) else [problems]:
            if isinstance(problem, str) and problem != exc.message:
                messages.error(request, problem)


def _shown(subject: dict[str, str], agent: dict[str, str] | None) -> dict[str, Any]:
    """The applicant block as shown on a page: ID numbers masked."""
    shown: dict[str, Any] = {**subject, "id_number": mask_id_number(subject["id_number"])}
    if subject["kind"] == "enterprise":
        shown["id_number"] = subject["id_number"]  # a credit code is public
    shown["agent"] = {**agent, "id_number": mask_id_number(agent["id_number"])} if agent else None
    return shown
