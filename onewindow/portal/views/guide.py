"""The service guide (办事指南): browse by department, theme and bundle; search; one item."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from onewindow.catalog import selectors as catalog_selectors
from onewindow.core.errors import ValidationFailed
from onewindow.online import bundles as online_bundles
from onewindow.org.models import Center
from onewindow.portal.views.base import GuideRequest, guide_page, guide_render

MAX_QUERY = 100


@guide_page
def home(request: HttpRequest, center: Center) -> HttpResponse:
    context = {
        "departments": [
            (dept, n) for dept, n in catalog_selectors.departments_with_counts(center=center) if n
        ],
        "themes": [(theme, n) for theme, n in catalog_selectors.themes_with_counts(center=center) if n],
        "bundles": list(catalog_selectors.bundles(center=center)),
    }
    return guide_render(request, "portal/home.html", center, context)


@guide_page
def search(request: GuideRequest, center: Center) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    found = catalog_selectors.search_items(q, center=center) if q else None
    context = {
        "q": q,
        "items": found.items if found else [],
        "synonyms": found.wordings if found else [],
        "bundles": found.bundles if found else [],
    }
    template = "portal/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#search_results"
    return guide_render(request, template, center, context)


@guide_page
def department(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    found = [(d, n) for d, n in catalog_selectors.departments_with_counts(center=center) if d.code == code]
    if not found:
        raise Http404(_("There is no department with code %(code)s at this center.") % {"code": code[:40]})
    items = catalog_selectors.published_items(center=center, department_code=code)
    return guide_render(
        request, "portal/department.html", center, {"department": found[0][0], "items": items}
    )


@guide_page
def theme(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    found = [t for t, _n in catalog_selectors.themes_with_counts(center=center) if t.code == code]
    if not found:
        raise Http404(_("There is no theme with code %(code)s.") % {"code": code[:40]})
    try:
        items = list(catalog_selectors.published_items(center=center, theme_code=code))
    except ValidationFailed as exc:
        raise Http404(exc.message) from exc
    return guide_render(request, "portal/theme.html", center, {"theme": found[0], "items": items})


@guide_page
def item(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    version = catalog_selectors.item_by_code(code, center=center)
    return guide_render(request, "portal/item.html", center, {"version": version})


@guide_page
def item_print(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    version = catalog_selectors.item_by_code(code, center=center)
    return guide_render(request, "portal/item_print.html", center, {"version": version})


@guide_page
def bundle(request: HttpRequest, center: Center, code: str) -> HttpResponse:
    found = catalog_selectors.bundle_by_code(code, center=center)
    bundle_items = list(found.bundle_items.all())
    phases = [(phase, [bi for bi in bundle_items if bi.phase_id == phase.pk]) for phase in found.phases.all()]
    unphased = [bi for bi in bundle_items if bi.phase_id is None]
    context = {
        "bundle": found,
        "bundle_items": bundle_items,
        "phases": phases,
        "unphased": unphased,
        "fields": list(found.fields.all()),
        "materials": list(found.materials.all()),
        "online_allowed": online_bundles.online_allowed(found),
    }
    return guide_render(request, "portal/bundle.html", center, context)
