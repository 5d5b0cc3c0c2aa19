"""The staff catalog pages: the published items of the user's center with their limits and
compression, filters, and one item's detail."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.web.access import StaffRequest, forbidden, staff_page

PERMISSION = "catalog.view_serviceitem"


def _no_center(request: HttpRequest) -> HttpResponse:
    return forbidden(request, reason=_("Your account is not attached to a service center."))


@staff_page(PERMISSION)
def catalog(request: StaffRequest) -> HttpResponse:
    center = request.user.center
    if center is None:
        return _no_center(request)
    filters = {
        "department_code": (request.GET.get("department") or "").strip(),
        "handling_type": (request.GET.get("handling_type") or "").strip(),
        "q": (request.GET.get("q") or "").strip()[:100],
    }
    error = ""
    try:
        items = list(catalog_selectors.published_items(center=center, **filters))
    except ValidationFailed as exc:
        items, error = [], exc.message
    # the everyday wordings the query was read as (开饭店 → …), as the public guide says them
    wordings = catalog_selectors.search_wordings(filters["q"]) if filters["q"] else []
    context = {
        "nav_active": "catalog",
        "items": items,
        "wordings": wordings,
        "filters": filters,
        "filtered": any(filters.values()),
        "error": error,
        "departments": catalog_selectors.departments_with_counts(center=center),
        "handling_types": ServiceItemVersion.HandlingType.choices,
        "compression": catalog_selectors.catalog_compression(center=center),
    }
    template = "web/catalog.html"
    if request.htmx and not request.htmx.boosted:
        template += "#catalog_results"
    return render(request, template, context)


@staff_page(PERMISSION)
def item_detail(request: StaffRequest, code: str) -> HttpResponse:
    center = request.user.center
    if center is None:
        return _no_center(request)
    try:
        version = catalog_selectors.item_by_code(code, center=center)
    except NotFound as exc:
        return render(request, "web/404.html", {"message": exc.message, "nav_active": "catalog"}, status=404)
    return render(request, "web/item_detail.html", {"nav_active": "catalog", "version": version})
