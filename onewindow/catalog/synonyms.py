"""The everyday-wording table of the search (开饭店 -> 食品经营许可, 营业执照, 公共场所卫生许可):
validated, saved and audited here; read by `finder`.

A synonym's phrase is matched inside the normalised query (longest phrases first); each target
is an item code, a bundle code or 一件事：and the start of a bundle's name (the bundle's
items, in order, and a link to the bundle), or a search phrase (its best matches by name).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.catalog import search
from onewindow.catalog.models import SearchSynonym
from onewindow.catalog.synonym_defaults import DEFAULT_SYNONYMS
from onewindow.core import audit
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.org.models import User

PERMISSION = "catalog.change_serviceitem"
MAX_TARGETS = 10
MAX_TARGET_LENGTH = 60


def check_synonym(spec: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field -> messages of what is wrong with a synonym spec (phrase, targets, active)."""
    errors: dict[str, list[str]] = {}
    phrase = search.normalize(str(spec.get("phrase") or ""))
    if not search.compact(phrase):
        errors["phrase"] = [_("Enter the everyday wording, e.g. 开饭店.")]
    elif len(phrase) > 30:
        errors["phrase"] = [_("The everyday wording has at most 30 characters.")]
    targets = [t.strip() for t in str(spec.get("targets") or "").splitlines() if t.strip()]
    if not targets:
        errors["targets"] = [_("Enter at least one item code, bundle or search phrase, one per line.")]
    elif len(targets) > MAX_TARGETS:
        errors["targets"] = [_("At most %(n)s lines.") % {"n": MAX_TARGETS}]
    else:
        for line in targets:
            if len(line) > MAX_TARGET_LENGTH or not search.compact(line):
                errors["targets"] = [
                    _("Line “%(line)s” must be a code or a phrase of at most %(n)s characters.")
                    % {"line": line[:MAX_TARGET_LENGTH], "n": MAX_TARGET_LENGTH}
                ]
                break
    return errors


def _canonical(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "phrase": search.normalize(str(spec.get("phrase") or "")),
        "targets": "\n".join(t.strip() for t in str(spec.get("targets") or "").splitlines() if t.strip()),
        "active": bool(spec.get("active", True)),
    }


def _require(actor: User | None) -> None:
    if actor is not None and not actor.has_perm(PERMISSION):
        raise PermissionDenied(
            _("You do not have the permission %(permission)s needed for this.") % {"permission": PERMISSION}
        )


@transaction.atomic
def synonym_save(
    *, spec: Mapping[str, Any], synonym: SearchSynonym | None = None, actor: User | None = None
) -> SearchSynonym:
    """Create a synonym, or change `synonym`, from `spec`; audited. ValidationFailed (details:
    field -> messages) on bad input or a phrase that already exists."""
    _require(actor)
    errors = check_synonym(spec)
    data = _canonical(spec)
    clash = SearchSynonym.objects.filter(phrase=data["phrase"])
    if synonym is not None:
        clash = clash.exclude(pk=synonym.pk)
    if not errors and clash.exists():
        errors["phrase"] = [_("“%(phrase)s” is already in the table.") % {"phrase": data["phrase"]}]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], details=errors)
    before = None
    if synonym is None:
        synonym = SearchSynonym()
    else:
        synonym = SearchSynonym.objects.select_for_update().get(pk=synonym.pk)
        before = {"phrase": synonym.phrase, "targets": synonym.targets, "active": synonym.active}
    for key, value in data.items():
        setattr(synonym, key, value)
    synonym.save()
    audit.record(action="catalog.synonym.save", obj=synonym, before=before, after=data, actor=actor)
    return synonym


@transaction.atomic
def synonym_delete(*, synonym: SearchSynonym, actor: User | None = None) -> None:
    """Remove a synonym from the table; audited."""
    _require(actor)
    before = {"phrase": synonym.phrase, "targets": synonym.targets, "active": synonym.active}
    audit.record(action="catalog.synonym.delete", obj=synonym, before=before, actor=actor)
    synonym.delete()


def seed_default_synonyms() -> int:
    """Add the rows of `synonym_defaults` whose phrase is not in the table yet (what migration
    0003 does; for an emptied database); returns how many were added."""
    added = 0
    for phrase, targets in DEFAULT_SYNONYMS.items():
        _synonym, created = SearchSynonym.objects.get_or_create(
            phrase=phrase, defaults={"targets": "\n".join(targets)}
        )
        added += created
    return added


def active_synonyms() -> list[SearchSynonym]:
    """The active synonyms, longest phrase first."""
    found = list(SearchSynonym.objects.filter(active=True))
    return sorted(found, key=lambda s: (-len(s.phrase), s.phrase))
