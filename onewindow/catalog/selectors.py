"""Reading the catalog. Public reads (service guide, API) see published versions only.

`center` arguments accept a `Center`, a center code, or None (every center).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, When
from django.utils.translation import gettext as _

from onewindow.catalog import finder, rules
from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleItem,
    BundleMaterial,
    Material,
    ProcessStep,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.org.models import Center, Department


def _center(center: Center | str | None) -> Center | None:
    if center is None or isinstance(center, Center):
        return center
    found = Center.objects.filter(code=center).first()
    if found is None:
        raise ValidationFailed(
            _("Unknown center %(code)s.") % {"code": center},
            code="unknown_filter",
            details={"center": [_("Unknown center %(code)s.") % {"code": center}]},
        )
    return found


def _published() -> QuerySet[ServiceItemVersion]:
    return ServiceItemVersion.objects.filter(item__published_version=F("pk"))


def published_items(
    *,
    center: Center | str | None = None,
    department_code: str | None = None,
    theme_code: str | None = None,
    handling_type: str | None = None,
    q: str | None = None,
) -> QuerySet[ServiceItemVersion]:
    """The published version of every item, ordered by department position then code, or with
    `q` by relevance (best first).

    Filters left empty are not applied; an unknown department, theme or handling type raises
    ValidationFailed (code "unknown_filter"). `q` is the catalog search of `finder.find`: the
    everyday-wording table, then the full-text index, filler words ignored.
    """
    resolved = _center(center)
    qs = _published().select_related("item", "department", "item__center", "window")
    errors: dict[str, list[str]] = {}
    if resolved is not None:
        qs = qs.filter(item__center=resolved)
    if department_code:
        departments = Department.objects.filter(code=department_code)
        if resolved is not None:
            departments = departments.filter(center=resolved)
        if not departments.exists():
            errors["department"] = [_("Unknown department %(code)s.") % {"code": department_code}]
        qs = qs.filter(department__code=department_code)
    if theme_code:
        if not Theme.objects.filter(code=theme_code).exists():
            errors["theme"] = [_("Unknown theme %(code)s.") % {"code": theme_code}]
        qs = qs.filter(themes__code=theme_code)
    if handling_type:
        if handling_type not in ServiceItemVersion.HandlingType.values:
            errors["handling_type"] = [
                _("Unknown handling type %(value)s: use one of %(choices)s.")
                % {"value": handling_type, "choices": ", ".join(ServiceItemVersion.HandlingType.values)}
            ]
        qs = qs.filter(handling_type=handling_type)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, code="unknown_filter", details=errors)
    if q and q.strip():
        ids = finder.find(q, center=resolved).ids
        if not ids:
            return qs.none()
        rank = Case(*(When(pk=pk, then=i) for i, pk in enumerate(ids)), output_field=IntegerField())
        return qs.filter(pk__in=ids).order_by(rank)
    return qs.order_by("department__position", "department__code", "item__code")


@dataclass(frozen=True)
class SearchResult:
    """What `search_items` found: the items best first, the everyday wordings of the synonym
    table that answered (“开饭店”), and the bundles they named (开公司 -> 企业设立 bundle)."""

    items: list[ServiceItemVersion]
    wordings: list[str]
    bundles: list[Bundle]


def search_items(q: str | None, *, center: Center | str | None = None) -> SearchResult:
    """The published versions that answer `q`, best first, with the everyday wordings and
    bundles behind them (for the hints above the results)."""
    found = finder.find(q, center=_center(center))
    versions = (
        _published().filter(pk__in=found.ids).select_related("item", "department", "item__center", "window")
    )
    by_pk = {v.pk: v for v in versions}
    bundles = {b.pk: b for b in Bundle.objects.filter(pk__in=found.bundle_ids, active=True)}
    return SearchResult(
        items=[by_pk[pk] for pk in found.ids if pk in by_pk],
        wordings=[s.phrase for s in found.synonyms],
        bundles=[bundles[pk] for pk in found.bundle_ids if pk in bundles],
    )


def search_wordings(q: str | None) -> list[str]:
    """The everyday wordings (开饭店) a query is read as, for the hint above the results."""
    return [s.phrase for s in finder.wordings(q)]


def item_by_code(code: str, *, center: Center | str | None = None) -> ServiceItemVersion:
    """The published version of the item `code`, with materials, steps (and their posts) and
    themes prefetched. Raises NotFound when there is no such item or it is not published."""
    qs = (
        _published()
        .filter(item__code=code)
        .select_related("item", "department", "item__center", "window")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("position")),
            Prefetch("steps", queryset=ProcessStep.objects.select_related("post").order_by("position")),
            "themes",
        )
    )
    resolved = _center(center)
    if resolved is not None:
        qs = qs.filter(item__center=resolved)
    version = qs.order_by("item__center__code").first()
    if version is None:
        raise NotFound(_("No published service item with code %(code)s.") % {"code": code})
    return version


def item_for_edit(code: str, *, center: Center | str) -> ServiceItem:
    """The item `code` of a center, published or not (for staff). Raises NotFound."""
    resolved = _center(center)
    item = (
        ServiceItem.objects.select_related("published_version", "center")
        .filter(center=resolved, code=code)
        .first()
    )
    if item is None:
        raise NotFound(_("No service item with code %(code)s.") % {"code": code})
    return item


def item_versions(item: ServiceItem) -> QuerySet[ServiceItemVersion]:
    """Every version of `item`, newest first."""
    return (
        ServiceItemVersion.objects.filter(item=item)
        .select_related("item", "department", "created_by", "published_by")
        .order_by("-number")
    )


def item_draft(item: ServiceItem) -> ServiceItemVersion | None:
    """The item's draft version, if it has one."""
    return (
        ServiceItemVersion.objects.filter(item=item, status=ServiceItemVersion.Status.DRAFT)
        .prefetch_related("materials", "steps", "themes")
        .first()
    )


def themes_with_counts(*, center: Center | str | None = None) -> list[tuple[Theme, int]]:
    """Every theme with the number of published items (of `center`) under it, in theme order."""
    published = _published()
    resolved = _center(center)
    if resolved is not None:
        published = published.filter(item__center=resolved)
    counts = dict(
        published.filter(themes__isnull=False)
        .values_list("themes")
        .annotate(n=Count("pk", distinct=True))
        .values_list("themes", "n")
    )
    return [(theme, counts.get(theme.pk, 0)) for theme in Theme.objects.order_by("position", "code")]


def departments_with_counts(*, center: Center | str) -> list[tuple[Department, int]]:
    """The active departments of `center` with their number of published items."""
    resolved = _center(center)
    departments = Department.objects.filter(center=resolved, active=True).annotate(
        n=Count(
            "item_versions",
            filter=Q(item_versions__item__published_version=F("item_versions__pk")),
            distinct=True,
        )
    )
    return [(dept, dept.n) for dept in departments.order_by("position", "code")]


@dataclass(frozen=True)
class ItemCompression:
    code: str
    name: str
    department_name: str
    legal_limit: int
    promised_limit: int
    ratio: float | None


@dataclass(frozen=True)
class CatalogCompression:
    """压缩率 over a center's published catalog. `ratio` is 1 − Σpromised ÷ Σlegal over the items
    with a legal limit above 0; `mean_ratio` the plain mean of those items' ratios."""

    items: list[ItemCompression]
    total_legal: int
    total_promised: int
    ratio: float | None
    mean_ratio: float | None


def catalog_compression(*, center: Center | str) -> CatalogCompression:
    rows = published_items(center=center)
    items = [
        ItemCompression(
            code=v.item.code,
            name=v.name,
            department_name=v.department.name,
            legal_limit=v.legal_limit,
            promised_limit=v.promised_limit,
            ratio=v.compression,
        )
        for v in rows
    ]
    counted = [i for i in items if i.legal_limit > 0]
    total_legal = sum(i.legal_limit for i in counted)
    total_promised = sum(i.promised_limit for i in counted)
    ratios = [i.ratio for i in counted if i.ratio is not None]
    return CatalogCompression(
        items=items,
        total_legal=total_legal,
        total_promised=total_promised,
        ratio=(1 - total_promised / total_legal) if total_legal else None,
        mean_ratio=(sum(ratios) / len(ratios)) if ratios else None,
    )


def bundles(*, center: Center | str | None = None) -> QuerySet[Bundle]:
    """The active bundles, with their lead department, ordered by code."""
    qs = Bundle.objects.filter(active=True).select_related("lead_department", "center")
    resolved = _center(center)
    if resolved is not None:
        qs = qs.filter(center=resolved)
    return qs.annotate(item_count=Count("bundle_items", distinct=True)).order_by("center__code", "code")


def _bundle_prefetches() -> list[Any]:
    return [
        "phases",
        Prefetch(
            "bundle_items",
            queryset=BundleItem.objects.select_related(
                "item", "item__published_version", "item__published_version__department", "phase"
            ).order_by("position"),
        ),
        Prefetch(
            "fields",
            queryset=BundleField.objects.order_by("position").prefetch_related("mappings__item"),
        ),
        Prefetch(
            "materials",
            queryset=BundleMaterial.objects.order_by("position").prefetch_related("items"),
        ),
    ]


def bundle_by_code(code: str, *, center: Center | str | None = None, active_only: bool = True) -> Bundle:
    """The bundle `code` with phases, items, single-form fields with their mappings, and
    materials prefetched. Raises NotFound."""
    qs = Bundle.objects.filter(code=code).select_related("lead_department", "center")
    if active_only:
        qs = qs.filter(active=True)
    resolved = _center(center)
    if resolved is not None:
        qs = qs.filter(center=resolved)
    bundle = qs.prefetch_related(*_bundle_prefetches()).order_by("center__code").first()
    if bundle is None:
        raise NotFound(_("No bundle with code %(code)s.") % {"code": code})
    return bundle


def bundle_critical_path(bundle: Bundle) -> int:
    """The working days a stored bundle takes at most, end to end (`rules.critical_path`: merged
    phases count once, a phase without a promised limit takes its items' largest), with the
    promised limits of the items' published versions. Two queries at most (phases are taken
    from a prefetch when there is one)."""
    phases = sorted(bundle.phases.all(), key=lambda p: p.position)
    names = {p.pk: p.name for p in phases}
    rows = BundleItem.objects.filter(bundle=bundle).values_list(
        "item__code", "phase_id", "item__published_version__promised_limit"
    )
    limits: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    for code, phase_id, limit in rows:
        items.append({"item_code": code, "phase": names.get(phase_id)})
        if limit is not None:
            limits[code] = limit
    spec = {
        "phases": [
            {"name": p.name, "promised_limit": p.promised_limit, "merge_with_previous": p.merge_with_previous}
            for p in phases
        ],
        "items": items,
    }
    return rules.critical_path(spec, limits)
