"""The catalog as a case sees it: the published item versions (immutable once published, so each
process keeps them a while) and their snapshot of steps and materials.

Caches behave the same under tests as in production; a test that needs them empty (its rolled
back rows may come back under the same ids) calls `clear_cache()`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from onewindow.catalog.models import Material, ProcessStep, ServiceItem, ServiceItemVersion
from onewindow.core import clock, fastsql
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.org.models import Center

VERSION_CACHE_SECONDS = 60.0  # published versions never change; names of related rows rarely do
_MAX_CACHED = 5000


@dataclass(frozen=True)
class VersionSnapshot:
    """The steps and materials of one item version."""

    version_id: int
    steps: tuple[ProcessStep, ...]
    materials: tuple[Material, ...]
    material_by_id: dict[int, Material]
    material_by_name: dict[str, Material]


_lock = threading.Lock()
_snapshots: dict[tuple[int, str], VersionSnapshot] = {}
_versions: dict[int, tuple[float, ServiceItemVersion]] = {}


def clear_cache() -> None:
    """Forget every cached version and snapshot of this process."""
    with _lock:
        _snapshots.clear()
        _versions.clear()


def snapshot(version: ServiceItemVersion) -> VersionSnapshot:
    """Steps and materials of a version: read once per process unless it is a draft (published
    versions never change). Keyed by id and creation time, so an id reused after a rollback is
    not mixed up."""
    key = (version.pk, version.created_at.isoformat() if version.created_at else "")
    found = _snapshots.get(key)
    if found is not None:
        return found
    steps = tuple(ProcessStep.objects.filter(version_id=version.pk).order_by("position"))
    materials = tuple(Material.objects.filter(version_id=version.pk).order_by("position"))
    snap = VersionSnapshot(
        version_id=version.pk,
        steps=steps,
        materials=materials,
        material_by_id={m.pk: m for m in materials},
        material_by_name={m.name: m for m in materials},
    )
    if version.status != ServiceItemVersion.Status.DRAFT:
        with _lock:
            if len(_snapshots) > _MAX_CACHED:
                _snapshots.clear()
            _snapshots[key] = snap
    return snap


def cached_version(version_id: int, *, published: bool = False) -> ServiceItemVersion | None:
    """Item version `version_id` with its item, center and department (None if absent, or not
    published when `published`). Each process keeps them for VERSION_CACHE_SECONDS (drafts are
    never kept)."""
    cached = _versions.get(version_id)
    if cached is not None and time.monotonic() - cached[0] < VERSION_CACHE_SECONDS:
        return cached[1]
    query = ServiceItemVersion.objects.select_related("item", "item__center", "department")
    if published:
        query = query.filter(status=ServiceItemVersion.Status.PUBLISHED)
    version = query.filter(pk=version_id).first()
    if version is not None and version.status != ServiceItemVersion.Status.DRAFT:
        with _lock:
            if len(_versions) > _MAX_CACHED:
                _versions.clear()
            _versions[version_id] = (time.monotonic(), version)
    return version


def version_by_id(version_id: int) -> ServiceItemVersion:
    """A case's item version (see `cached_version`)."""
    version = cached_version(version_id)
    if version is None:  # pragma: no cover - cases protect their version
        raise NotFound(_("No such item version."))
    return version


_PUBLISHED_VERSION_ID = (
    f'SELECT "published_version_id" FROM "{ServiceItem._meta.db_table}" '  # noqa: S608
    'WHERE "center_id" = %s AND "code" = %s'
)


def published_version(center: Center | int, item_code: str) -> ServiceItemVersion:
    """The item's current published version, valid today (NotFound, ValidationFailed). One
    small query finds its id; the version itself comes from the cache."""
    center_id = center if isinstance(center, int) else center.pk
    # a plain SELECT: building the ORM query cost a fifth of an intake (docs/benchmarks.md)
    found = fastsql.rows(_PUBLISHED_VERSION_ID, [center_id, str(item_code or "").strip()])
    version_id = found[0][0] if found else None
    version = cached_version(version_id, published=True) if version_id is not None else None
    if version is None:
        raise NotFound(
            _("No published service item with code %(code)s at this center.") % {"code": item_code},
            details={"item_code": [_("Unknown or unpublished item.")]},
        )
    today = clock.today()
    if (version.valid_from and version.valid_from > today) or (version.valid_to and version.valid_to < today):
        raise ValidationFailed(
            _("This service item is not valid today."),
            code="item_not_valid",
            details={"item_code": [_("Outside the item's validity dates.")]},
        )
    return version
