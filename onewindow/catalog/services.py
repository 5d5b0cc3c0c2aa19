"""Writing the catalog. Every change is validated by `rules`, written atomically and audited.

Published versions are immutable: no function here edits one. Changing an item means saving a
draft (a new version) and publishing it; the previous published version is then superseded, and
cases that point at it keep it unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from onewindow.catalog import indexing, rules
from onewindow.catalog.bundle_rows import write_bundle
from onewindow.catalog.models import (
    Bundle,
    Material,
    ProcessStep,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from onewindow.catalog.spec import (
    ITEM_VERSION_FIELDS,
    MATERIAL_FILE_KEYS,
    canonical_bundle,
    canonical_item,
    canonical_theme,
    item_spec,
    theme_spec,
)
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.org.models import Center, Department, Post, User, Window


# --- helpers --------------------------------------------------------------
def _require(actor: User | None, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(
            _("You do not have the permission %(permission)s needed for this.") % {"permission": permission}
        )


def catalog_codes(
    center: Center, *, extra_items: Iterable[str] = (), extra_themes: Iterable[str] = ()
) -> rules.CatalogCodes:
    """The codes that exist in `center`, for the rules (plus codes being imported)."""
    return rules.CatalogCodes(
        departments=dict(Department.objects.filter(center=center).values_list("code", "name")),
        windows={
            code: dept
            for code, dept in Window.objects.filter(center=center).values_list("code", "department__code")
        },
        posts=frozenset(Post.objects.values_list("code", flat=True)),
        themes=frozenset(Theme.objects.values_list("code", flat=True)) | frozenset(extra_themes),
        items=frozenset(ServiceItem.objects.filter(center=center).values_list("code", flat=True))
        | frozenset(extra_items),
        item_limits=dict(
            ServiceItem.objects.filter(center=center, published_version__isnull=False).values_list(
                "code", "published_version__promised_limit"
            )
        ),
    )


def _as_details(errors: list[rules.RuleError]) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    for error in errors:
        details.setdefault(error.field or "__all__", []).append(error.message)
    return details


def _fail(errors: list[rules.RuleError]) -> ValidationFailed:
    return ValidationFailed("; ".join(e.message for e in errors), details=_as_details(errors))


# --- items ----------------------------------------------------------------
def _material_files(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The optional file keys of each material spec (a File to store, a stored name, or
    None/False to clear); a material without them keeps the files of the material of the same
    name in the draft it replaces or the published version it copies."""
    return [
        {k: m[k] for k in MATERIAL_FILE_KEYS if k in m} if isinstance(m, Mapping) else {}
        for m in spec.get("materials") or []
    ]


def _write_draft(
    *,
    center: Center,
    spec: dict[str, Any],
    actor: User | None,
    change_note: str,
    files: list[dict[str, Any]] | None = None,
) -> tuple[ServiceItemVersion, bool]:
    """Create or replace the item's draft from a canonical, validated spec. Returns the draft and
    whether the item was created."""
    item = ServiceItem.objects.select_for_update().filter(center=center, code=spec["code"]).first()
    created = item is None
    if item is None:
        try:
            with transaction.atomic():
                item = ServiceItem.objects.create(center=center, code=spec["code"])
        except IntegrityError as exc:
            raise Conflict(
                _("Item %(code)s was created by someone else at the same moment: try again.")
                % {"code": spec["code"]}
            ) from exc
    draft = (
        ServiceItemVersion.objects.select_for_update()
        .filter(item=item, status=ServiceItemVersion.Status.DRAFT)
        .first()
    )
    before = item_spec(draft) if draft else None
    department = Department.objects.get(center=center, code=spec["department_code"])
    window = Window.objects.get(center=center, code=spec["window_code"]) if spec["window_code"] else None
    fields = {key: spec[key] for key in ITEM_VERSION_FIELDS}
    source = draft if draft is not None else item.published_version
    previous_files = (
        {m.name: {k: getattr(m, k).name for k in MATERIAL_FILE_KEYS} for m in source.materials.all()}
        if source
        else {}
    )
    if draft is None:
        number = (ServiceItemVersion.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1
        draft = ServiceItemVersion(item=item, number=number, status=ServiceItemVersion.Status.DRAFT)
        draft.created_by = actor if getattr(actor, "pk", None) else None
    else:
        draft.materials.all().delete()
        draft.steps.all().delete()
    for key, value in fields.items():
        setattr(draft, key, value)
    draft.department = department
    draft.window = window
    draft.change_note = change_note[:200]
    draft.save()
    materials = []
    for i, m in enumerate(spec["materials"], start=1):
        material = Material(version=draft, position=i, **m)
        given = files[i - 1] if files and i <= len(files) else {}
        for key in MATERIAL_FILE_KEYS:
            value = given[key] if key in given else previous_files.get(m["name"], {}).get(key, "")
            setattr(material, key, value or "")
        materials.append(material)
    for material in materials:
        material.save()  # one by one: a FileField stores an uploaded file on save
    posts = {p.code: p for p in Post.objects.filter(code__in={s["post_code"] for s in spec["steps"]})}
    ProcessStep.objects.bulk_create(
        [
            ProcessStep(
                version=draft,
                position=i,
                name=s["name"],
                kind=s["kind"],
                post=posts[s["post_code"]],
                limit_days=s["limit_days"],
                on_site=s["on_site"],
            )
            for i, s in enumerate(spec["steps"], start=1)
        ]
    )
    draft.themes.set(Theme.objects.filter(code__in=spec["themes"]))
    draft.search_text = indexing.search_text(draft, [m["name"] for m in spec["materials"]])
    draft.save(update_fields=["search_text"])
    audit.record(
        action="catalog.item.save_draft",
        obj=draft,
        before=before,
        after={**spec, "version": draft.number, "change_note": draft.change_note},
        actor=actor,
    )
    return draft, created


@transaction.atomic
def item_save_draft(
    *, center: Center, spec: Mapping[str, Any], actor: User | None = None, change_note: str = ""
) -> ServiceItemVersion:
    """Create the item if it is new, and create or replace its one draft version (with its
    materials and steps) from `spec`. Everything is validated first; nothing is written on error
    (ValidationFailed, details: field -> messages)."""
    exists = ServiceItem.objects.filter(center=center, code=spec.get("code")).exists()
    _require(actor, "catalog.change_serviceitem" if exists else "catalog.add_serviceitem")
    errors = rules.check_item(spec, catalog_codes(center))
    if errors:
        raise _fail(errors)
    draft, _created = _write_draft(
        center=center,
        spec=canonical_item(spec),
        actor=actor,
        change_note=change_note or spec.get("change_note") or "",
        files=_material_files(spec),
    )
    return draft


def _publish(
    version: ServiceItemVersion, actor: User | None, codes: rules.CatalogCodes | None = None
) -> ServiceItemVersion:
    item = (
        ServiceItem.objects.select_for_update(of=("self",)).select_related("center").get(pk=version.item_id)
    )
    version = (
        ServiceItemVersion.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=version.pk)
    )
    version.item = item
    if version.status != ServiceItemVersion.Status.DRAFT:
        raise InvalidTransition(
            _("Version %(number)s of item %(code)s is %(status)s: only a draft can be published.")
            % {"number": version.number, "code": item.code, "status": version.get_status_display()},
            details={"allowed": []},
        )
    errors = rules.check_item(item_spec(version), codes or catalog_codes(item.center))
    if errors:
        raise _fail(errors)
    previous_id = item.published_version_id
    if previous_id:
        ServiceItemVersion.objects.filter(pk=previous_id).update(status=ServiceItemVersion.Status.SUPERSEDED)
    version.status = ServiceItemVersion.Status.PUBLISHED
    version.published_at = clock.now()
    version.published_by = actor if getattr(actor, "pk", None) else None
    version.search_text = indexing.search_text(version, version.materials.values_list("name", flat=True))
    version.save(update_fields=["status", "published_at", "published_by", "search_text"])
    item.published_version = version
    item.save(update_fields=["published_version"])
    indexing.index_version(version)
    audit.record(
        action="catalog.item.publish",
        obj=version,
        before={"published_version": previous_id},
        after={"published_version": version.pk, "version": version.number},
        actor=actor,
    )
    return version


@transaction.atomic
def item_publish(*, version: ServiceItemVersion, actor: User | None = None) -> ServiceItemVersion:
    """Publish a draft: the previous published version becomes superseded and the item points at
    this one. Needs catalog.publish_serviceitem when an actor is given."""
    _require(actor, "catalog.publish_serviceitem")
    return _publish(version, actor)


@transaction.atomic
def item_discard_draft(*, version: ServiceItemVersion, actor: User | None = None) -> None:
    """Delete a draft. An item that was never published goes with its only draft."""
    _require(actor, "catalog.change_serviceitem")
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    version = ServiceItemVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ServiceItemVersion.Status.DRAFT:
        raise InvalidTransition(
            _(
                "Version %(number)s of item %(code)s is published or superseded: "
                "only a draft can be discarded."
            )
            % {"number": version.number, "code": item.code}
        )
    version.item = item
    before = item_spec(version)
    audit.record(action="catalog.item.discard_draft", obj=version, before=before, after=None, actor=actor)
    version.delete()
    if not ServiceItemVersion.objects.filter(item=item).exists():
        audit.record(action="catalog.item.delete", obj=item, before={"code": item.code}, actor=actor)
        item.delete()


@transaction.atomic
def item_new_draft(
    *, item: ServiceItem, actor: User | None = None, change_note: str = ""
) -> ServiceItemVersion:
    """A new draft that copies the published version (the way to edit a published item)."""
    _require(actor, "catalog.change_serviceitem")
    item = ServiceItem.objects.select_for_update(of=("self",)).select_related("center").get(pk=item.pk)
    if ServiceItemVersion.objects.filter(item=item, status=ServiceItemVersion.Status.DRAFT).exists():
        raise Conflict(
            _("Item %(code)s already has a draft: edit or discard that draft.") % {"code": item.code}
        )
    if item.published_version_id is None:
        raise InvalidTransition(_("Item %(code)s has no published version to copy.") % {"code": item.code})
    published = ServiceItemVersion.objects.select_related("item", "department", "window").get(
        pk=item.published_version_id
    )
    draft, _created = _write_draft(
        center=item.center, spec=item_spec(published), actor=actor, change_note=change_note
    )
    return draft


# --- themes ---------------------------------------------------------------
def _save_theme(spec: dict[str, Any], actor: User | None) -> tuple[Theme, str]:
    """Create or update a theme from a canonical spec; returns it and created/updated/unchanged."""
    theme = Theme.objects.select_for_update().filter(code=spec["code"]).first()
    if theme is not None and theme_spec(theme) == spec:
        return theme, "unchanged"
    before = theme_spec(theme) if theme else None
    outcome = "updated" if theme else "created"
    theme = theme or Theme(code=spec["code"])
    theme.name, theme.audience, theme.position = spec["name"], spec["audience"], spec["position"]
    theme.save()
    if before is not None and before["name"] != theme.name:
        indexing.reindex_theme(theme)
    audit.record(action="catalog.theme.save", obj=theme, before=before, after=spec, actor=actor)
    return theme, outcome


@transaction.atomic
def theme_save(*, spec: Mapping[str, Any], actor: User | None = None) -> Theme:
    """Create or update a theme ({"code", "name", "audience", "position"})."""
    _require(actor, "catalog.change_serviceitem")
    errors = rules.check_theme(spec)
    if errors:
        raise _fail(errors)
    theme, _outcome = _save_theme(canonical_theme(spec), actor)
    return theme


# --- bundles --------------------------------------------------------------
@transaction.atomic
def bundle_save(*, center: Center, spec: Mapping[str, Any], actor: User | None = None) -> Bundle:
    """Create a bundle, or replace it (phases, items, fields, mappings, materials) when the code
    exists in the center. Validated first; nothing is written on error."""
    exists = Bundle.objects.filter(center=center, code=spec.get("code")).exists()
    _require(actor, "catalog.change_bundle" if exists else "catalog.add_bundle")
    errors = rules.check_bundle(spec, catalog_codes(center))
    if errors:
        raise _fail(errors)
    bundle, _outcome = write_bundle(center, canonical_bundle(spec), actor)
    return bundle


# --- import ---------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    themes_created: int = 0
    themes_updated: int = 0
    themes_unchanged: int = 0
    items_created: int = 0
    items_new_versions: int = 0
    items_unchanged: int = 0
    bundles_created: int = 0
    bundles_updated: int = 0
    bundles_unchanged: int = 0
    # What was imported but is likely a mistake (rules.bundle_warnings): like the errors of
    # check_import, {"bundle": code, "index", "field", "message"}; the workbook import locates
    # them ({"sheet", "row", "column", "cell", "message", "key"}, see excel.error_report).
    warnings: tuple[dict[str, Any], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(
            self.themes_created
            + self.themes_updated
            + self.items_created
            + self.items_new_versions
            + self.bundles_created
            + self.bundles_updated
        )

    def summary(self) -> str:
        return _(
            "Themes: %(tc)s created, %(tu)s updated, %(tn)s unchanged. "
            "Items: %(ic)s created, %(iv)s new versions, %(iu)s unchanged. "
            "Bundles: %(bc)s created, %(bu)s updated, %(bn)s unchanged."
        ) % {
            "tc": self.themes_created,
            "tu": self.themes_updated,
            "tn": self.themes_unchanged,
            "ic": self.items_created,
            "iv": self.items_new_versions,
            "iu": self.items_unchanged,
            "bc": self.bundles_created,
            "bu": self.bundles_updated,
            "bn": self.bundles_unchanged,
        }


def check_import(
    *, center: Center, themes: list[Any], items: list[Any], bundles: list[Any]
) -> list[dict[str, Any]]:
    """Every error of an import, as {"theme"|"item"|"bundle": code, "index", "field", "message"}
    (index: the position in its list, from 0). Reads the database, writes nothing."""
    errors: list[dict[str, Any]] = []

    def code_of(spec: Any) -> str:
        return str(spec.get("code", "")) if isinstance(spec, Mapping) else ""

    def add(kind: str, index: int, spec: Any, field: str, message: str) -> None:
        errors.append({kind: code_of(spec), "index": index, "field": field, "message": message})

    for kind, specs, what in (
        ("theme", themes, _("themes")),
        ("item", items, _("items")),
        ("bundle", bundles, _("bundles")),
    ):
        duplicated = dict(rules.check_unique_codes([code_of(s) for s in specs if code_of(s)], what=what))
        reported: set[str] = set()
        for index, spec in enumerate(specs):
            code = code_of(spec)
            if code in duplicated and code in reported:
                add(kind, index, spec, "code", duplicated[code])
            reported.add(code)

    codes = catalog_codes(
        center,
        extra_items=[code_of(s) for s in items if code_of(s)],
        extra_themes=[code_of(s) for s in themes if code_of(s)],
    )
    for index, spec in enumerate(themes):
        for e in rules.check_theme(spec):
            add("theme", index, spec, e.field, e.message)
    for index, spec in enumerate(items):
        for e in rules.check_item(spec, codes):
            add("item", index, spec, e.field, e.message)
    for index, spec in enumerate(bundles):
        for e in rules.check_bundle(spec, codes):
            add("bundle", index, spec, e.field, e.message)
    return errors


@transaction.atomic
def catalog_import_specs(
    *,
    center: Center,
    themes: list[dict[str, Any]],
    items: list[dict[str, Any]],
    bundles: list[dict[str, Any]],
    actor: User | None = None,
    publish: bool = True,
) -> ImportResult:
    """Import themes, items and bundles, all or nothing.

    Every error is collected before failing: ValidationFailed whose details is the list of
    {"theme"|"item"|"bundle": code, "index", "field", "message"}. Idempotent: an item whose
    published version already equals its spec gets no new version; a theme or bundle equal to its
    spec is left alone. With publish=False the new versions stay drafts.
    """
    _require(actor, "catalog.import_catalog")
    errors = check_import(center=center, themes=themes, items=items, bundles=bundles)
    if errors:
        raise ValidationFailed(
            _("The catalog was not imported: %(count)s problems to fix. First: %(first)s")
            % {"count": len(errors), "first": errors[0]["message"]},
            details=errors,
        )
    counts: dict[str, int] = {}

    def bump(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    for spec in themes:
        _theme, outcome = _save_theme(canonical_theme(spec), actor)
        bump(f"themes_{outcome}")
    drafts: list[ServiceItemVersion] = []
    for spec in items:
        canonical = canonical_item(spec)
        item = (
            ServiceItem.objects.select_related(
                "published_version", "published_version__department", "published_version__window"
            )
            .filter(center=center, code=canonical["code"])
            .first()
        )
        target = item.published_version if item and publish else None
        if not publish and item is not None:
            target = ServiceItemVersion.objects.filter(
                item=item, status=ServiceItemVersion.Status.DRAFT
            ).first()
            if target is None:
                target = item.published_version
        if target is not None and item_spec(target) == canonical:
            bump("items_unchanged")
            continue
        draft, created = _write_draft(
            center=center, spec=canonical, actor=actor, change_note=str(spec.get("change_note") or "")
        )
        drafts.append(draft)
        bump("items_created" if created else "items_new_versions")
    if publish and drafts:
        # Published after every draft is written: a material may name an item of the same import.
        codes = catalog_codes(center)
        for draft in drafts:
            _publish(draft, actor, codes)
    for spec in bundles:
        _bundle, outcome = write_bundle(center, canonical_bundle(spec), actor)
        bump(f"bundles_{outcome}")
    # Checked after publishing, against the items' new promised limits.
    codes = catalog_codes(center) if bundles else rules.CatalogCodes()
    warnings = tuple(
        {"bundle": str(spec.get("code", "")), "index": n, "field": w.field, "message": w.message}
        for n, spec in enumerate(bundles)
        for w in rules.bundle_warnings(spec, codes)
    )
    result = ImportResult(**counts, warnings=warnings)
    # A person's import is always recorded; a system import that changed nothing (the demo
    # loader on every `make run`) is no change and writes nothing.
    if result.changed or actor is not None:
        audit.record(
            action="catalog.import",
            object_type="org.center",
            object_id=str(center.pk),
            object_repr=str(center),
            after={"summary": counts, "publish": publish},
            actor=actor,
        )
    return result
