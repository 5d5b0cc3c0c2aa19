"""What every public guide page shares: the center it shows, and friendly 404 pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from onewindow.core.errors import NotFound
from onewindow.org.models import Center
from onewindow.portal.centers import center_query, portal_center

GuideView = Callable[..., HttpResponseBase]


class GuideRequest(HttpRequest):
    """A public request, with the htmx details set by django-htmx's middleware."""

    htmx: HtmxDetails


def guide_render(
    request: HttpRequest, template: str, center: Center | None, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    base = {"center": center, "center_query": center_query(request, center)}
    return render(request, template, {**base, **context}, status=status)


def not_found(request: HttpRequest, center: Center | None, message: str = "") -> HttpResponse:
    return guide_render(request, "portal/404.html", center, {"message": message}, status=404)


def guide_page(view: GuideView) -> GuideView:
    """Resolve the center (`view(request, center, ...)`), show a friendly page when the guide
    has no center yet, and turn NotFound / Http404 into the guide's 404 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            center = portal_center(request)
        except Http404 as exc:
            return not_found(request, None, str(exc))
        if center is None:
            return guide_render(request, "portal/no_center.html", None, {})
        try:
            return view(request, center, *args, **kwargs)
        except (NotFound, Http404) as exc:
            return not_found(request, center, getattr(exc, "message", "") or str(exc))

    return wrapped
