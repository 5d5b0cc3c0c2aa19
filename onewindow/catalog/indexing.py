"""Keeping the search index in step with the published catalog (called by the services when a
version is published, and by migration 0002 for what was published before it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F

from onewindow.catalog import search
from onewindow.catalog.models import SearchEntry, ServiceItemVersion, Theme


def other_texts(version: ServiceItemVersion, material_names: Iterable[str]) -> list[str]:
    """The texts of a version searched besides its name: code, department, themes, conditions
    and material names."""
    return [
        version.item.code,
        version.department.name,
        *(theme.name for theme in version.themes.all()),
        version.conditions,
        *material_names,
    ]


def search_text(version: ServiceItemVersion, material_names: Iterable[str]) -> str:
    """The index terms of everything searched in a version (kept in `search_text`)."""
    return search.index_terms([version.name, *other_texts(version, material_names)])


def index_version(version: ServiceItemVersion) -> SearchEntry:
    """Point the item's search entry at `version` (its newly published version)."""
    names = list(version.materials.order_by("position").values_list("name", flat=True))
    entry, _created = SearchEntry.objects.update_or_create(
        item_id=version.item_id,
        defaults={
            "version": version,
            "name_terms": search.index_terms([version.name]),
            "other_terms": search.index_terms(other_texts(version, names)),
        },
    )
    return entry


def reindex_theme(theme: Theme) -> None:
    """Index again the published items of a renamed theme."""
    versions = ServiceItemVersion.objects.filter(item__published_version=F("pk"), themes=theme)
    for version in versions.select_related("item", "department"):
        index_version(version)


def reindex_department(department_id: int) -> None:
    """Index again the published items of a department (its name is part of their entries)."""
    versions = ServiceItemVersion.objects.filter(item__published_version=F("pk"), department_id=department_id)
    for version in versions.select_related("item", "department"):
        index_version(version)


def on_department_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of org.Department (connected in CatalogConfig.ready): a renamed department's
    items are found by its new name at once. The org app may not import the catalog (layers),
    so the catalog listens."""
    if not created:
        reindex_department(instance.pk)


@transaction.atomic
def reindex_all() -> int:
    """Rebuild every item's search entry from its published version (after a department or
    theme was renamed, or a change of the index terms); returns how many were written."""
    versions = ServiceItemVersion.objects.filter(item__published_version=F("pk")).select_related(
        "item", "department"
    )
    count = 0
    for version in versions.prefetch_related("themes"):
        index_version(version)
        count += 1
    SearchEntry.objects.exclude(version__in=versions).delete()  # unpublished or gone
    return count
