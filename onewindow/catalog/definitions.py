"""A bundle's definition as plain frozen data — its situation questions, items and phases, the
single form's fields with their mappings, the de-duplicated materials — read in one go and kept
per process, keyed by the bundle's id and `updated_at`.

Every change to a bundle goes through `services.bundle_save` (the admin too), which saves the
bundle row and so moves `updated_at` in the same transaction as its parts: a definition read
for an older `updated_at` is never used again. The cache spares a bundle intake nine queries and
their row building (about 4 ms of a 20 ms bundle intake of five items, docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from onewindow.catalog.models import Bundle

CACHE_SIZE = 64


@dataclass(frozen=True)
class PhaseDef:
    position: int
    name: str
    promised_limit: int | None
    merge_with_previous: bool


@dataclass(frozen=True)
class ItemDef:
    pk: int  # the BundleItem's
    code: str  # the service item's
    position: int
    phase: PhaseDef | None


@dataclass(frozen=True)
class OptionDef:
    value: str
    label: str
    item_pks: frozenset[int]


@dataclass(frozen=True)
class QuestionDef:
    key: str
    text: str
    options: tuple[OptionDef, ...]


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    field_type: str
    required: bool
    choices: str
    mappings: tuple[tuple[str, str], ...]  # (item code, field name in the item's application)


@dataclass(frozen=True)
class MaterialDef:
    position: int
    name: str
    requirement: str
    form: str
    copies: int
    item_codes: tuple[str, ...]


@dataclass(frozen=True)
class BundleDefinition:
    bundle_id: int
    updated_at: dt.datetime
    questions: tuple[QuestionDef, ...]
    items: tuple[ItemDef, ...]
    fields: tuple[FieldDef, ...]
    materials: tuple[MaterialDef, ...]


_lock = threading.Lock()
_cache: OrderedDict[tuple[int, dt.datetime], BundleDefinition] = OrderedDict()


def forget() -> None:
    with _lock:
        _cache.clear()


def bundle_definition(bundle: Bundle) -> BundleDefinition:
    """The definition of `bundle` as of its `updated_at` (read once per process)."""
    key = (bundle.pk, bundle.updated_at)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    definition = _read(bundle)
    with _lock:
        _cache[key] = definition
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return definition


def _read(bundle: Bundle) -> BundleDefinition:
    phases = {
        p.pk: PhaseDef(p.position, p.name, p.promised_limit, p.merge_with_previous)
        for p in bundle.phases.all()
    }
    items = tuple(
        ItemDef(bi.pk, bi.item.code, bi.position, phases.get(bi.phase_id) if bi.phase_id else None)
        for bi in bundle.bundle_items.select_related("item").order_by("position", "pk")
    )
    questions = tuple(
        QuestionDef(
            q.key,
            q.text,
            tuple(
                OptionDef(o.value, o.label, frozenset(bi.pk for bi in o.items.all())) for o in q.options.all()
            ),
        )
        for q in bundle.questions.prefetch_related("options__items")
    )
    fields = tuple(
        FieldDef(
            f.key,
            f.label,
            f.field_type,
            f.required,
            f.choices,
            tuple((m.item.code, m.target) for m in f.mappings.all()),
        )
        for f in bundle.fields.prefetch_related("mappings__item")
    )
    materials = tuple(
        MaterialDef(
            m.position,
            m.name,
            m.requirement,
            m.form,
            m.copies,
            tuple(sorted(it.code for it in m.items.all())),
        )
        for m in bundle.materials.prefetch_related("items")
    )
    return BundleDefinition(bundle.pk, bundle.updated_at, questions, items, fields, materials)
