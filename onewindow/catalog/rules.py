"""The catalog's rules, as pure functions over specs (the dict format in `spec.py`).

Each check returns a list of `RuleError(field, message)`; an empty list means the spec is valid.
`field` is a path: a key of the spec ("promised_limit"), or a key of one material, step, phase,
field or mapping numbered from 1 ("steps.2.limit_days", "fields.1.mappings.2.item_code").
The services, the workbook import and the admin all call these; nothing here reads the database:
the codes that exist are passed in as `CatalogCodes`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from onewindow.catalog.models import BundleField, Material, ProcessStep, ServiceItemVersion, Theme

MAX_SMALL = 32767
MAX_VISITS = 5
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class RuleError:
    field: str
    message: str


@dataclass(frozen=True)
class CatalogCodes:
    """The codes that exist in a center (plus those being imported with the spec)."""

    departments: Mapping[str, str] = field(default_factory=dict)  # code -> name
    windows: Mapping[str, str | None] = field(default_factory=dict)  # code -> department code
    posts: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()


class _Checker:
    """Collects errors for one spec, with typed getters that report wrong types once."""

    def __init__(self, spec: Any, prefix: str = "") -> None:
        self.spec: Mapping[str, Any] = spec if isinstance(spec, Mapping) else {}
        self.prefix = prefix
        self.errors: list[RuleError] = []

    def add(self, key: str, message: str) -> None:
        self.errors.append(RuleError(f"{self.prefix}{key}", message))

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.spec.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(key, _("%(field)s must be text.") % {"field": key})
            return ""
        value = value.strip()
        if required and not value:
            self.add(key, _("%(field)s is required: fill it in.") % {"field": key})
        if max_length is not None and len(value) > max_length:
            self.add(
                key,
                _("%(field)s is %(length)s characters long: at most %(max)s are allowed.")
                % {"field": key, "length": len(value), "max": max_length},
            )
        return value

    def integer(
        self, key: str, *, required: bool = False, minimum: int = 0, default: int | None = None
    ) -> int | None:
        value = self.spec.get(key, default)
        if value is None:
            if required:
                self.add(key, _("%(field)s is required: enter a whole number.") % {"field": key})
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                key, _("%(field)s must be a whole number, not %(value)s.") % {"field": key, "value": value}
            )
            return None
        if value < minimum or value > MAX_SMALL:
            self.add(
                key,
                _("%(field)s is %(value)s: it must be between %(min)s and %(max)s.")
                % {"field": key, "value": value, "min": minimum, "max": MAX_SMALL},
            )
            return None
        return value

    def boolean(self, key: str) -> None:
        value = self.spec.get(key)
        if value is not None and not isinstance(value, bool):
            self.add(
                key, _("%(field)s must be true or false, not %(value)s.") % {"field": key, "value": value}
            )

    def choice(self, key: str, choices: Iterable[str], *, default: str | None = None) -> str | None:
        value = self.spec.get(key, default)
        allowed = list(choices)
        if value is None or value == "":
            if default is None:
                self.add(
                    key,
                    _("%(field)s is required: use one of %(choices)s.")
                    % {"field": key, "choices": ", ".join(allowed)},
                )
            return default
        if value not in allowed:
            self.add(
                key,
                _("Unknown %(field)s %(value)s: use one of %(choices)s.")
                % {"field": key, "value": value, "choices": ", ".join(allowed)},
            )
            return None
        return str(value)

    def date(self, key: str) -> dt.date | None:
        value = self.spec.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(
            key, _("%(field)s must be a date (YYYY-MM-DD), not %(value)s.") % {"field": key, "value": value}
        )
        return None

    def items(self, key: str) -> list[Any]:
        value = self.spec.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(key, _("%(field)s must be a list.") % {"field": key})
            return []
        return list(value)

    def sub(self, key: str, number: int, spec: Any) -> _Checker:
        child = _Checker(spec, f"{self.prefix}{key}.{number}.")
        if not isinstance(spec, Mapping):
            self.add(
                f"{key}.{number}",
                _("Entry %(number)s of %(field)s must be a mapping.") % {"number": number, "field": key},
            )
        return child

    def absorb(self, child: _Checker) -> None:
        self.errors.extend(child.errors)


def check_code(code: Any) -> list[RuleError]:
    """An item or bundle code: letters, digits, '.', '-', '_' (it appears in URLs), at most 40."""
    if not isinstance(code, str) or not code.strip():
        return [RuleError("code", _("code is required: fill it in."))]
    if not CODE_RE.match(code) or len(code) > 40:
        return [
            RuleError(
                "code",
                _(
                    "Code %(code)s is not valid: use at most 40 letters, digits, '.', '-' or '_', "
                    "starting with a letter or digit."
                )
                % {"code": code},
            )
        ]
    return []


def check_positions(positions: list[int], *, what: str) -> str | None:
    """Positions must run 1, 2, 3 … in some order, without gaps or repeats; the message or None.
    (Specs are ordered lists, so this applies where positions are typed in: the admin.)"""
    if sorted(positions) != list(range(1, len(positions) + 1)):
        return _("The %(what)s positions must run 1, 2, 3 … without gaps or repeats: found %(found)s.") % {
            "what": what,
            "found": ", ".join(str(p) for p in positions),
        }
    return None


def check_new_item_code(code: str, existing: Iterable[str]) -> str | None:
    """A new item's code must not be taken in its center."""
    if code in set(existing):
        return _(
            "Code %(code)s is already used by an item of this center: codes must be unique within a "
            "center; edit that item (a new draft) instead."
        ) % {"code": code}
    return None


def check_unique_codes(codes: Iterable[str], *, what: str) -> list[tuple[str, str]]:
    """(code, message) for every code that appears more than once."""
    counts = Counter(codes)
    return [
        (
            code,
            _("Code %(code)s is used by %(count)s %(what)s: codes must be unique within a center.")
            % {"code": code, "count": n, "what": what},
        )
        for code, n in counts.items()
        if n > 1
    ]


def check_item(spec: Any, codes: CatalogCodes) -> list[RuleError]:
    """Every rule for one item spec."""
    c = _Checker(spec)
    if not isinstance(spec, Mapping):
        return [RuleError("", _("An item spec must be a mapping."))]
    c.errors.extend(check_code(spec.get("code")))
    own_code = spec.get("code")
    c.text("name", required=True, max_length=200)
    c.choice("kind", ServiceItemVersion.Kind.values, default=ServiceItemVersion.Kind.LICENSE)

    department = c.text("department_code", required=True)
    if department and department not in codes.departments:
        c.add(
            "department_code",
            _("Unknown department %(code)s: use the code of a department of this center.")
            % {"code": department},
        )
    window = c.text("window_code")
    if window:
        if window not in codes.windows:
            c.add(
                "window_code",
                _("Unknown window %(code)s: use the code of a window of this center, or leave it empty.")
                % {"code": window},
            )
        elif codes.windows[window] not in (None, department):
            c.add(
                "window_code",
                _(
                    "Window %(window)s belongs to department %(other)s: choose a window of department "
                    "%(department)s or a general window."
                )
                % {"window": window, "other": codes.windows[window], "department": department},
            )

    handling = c.choice("handling_type", ServiceItemVersion.HandlingType.values)
    legal = c.integer("legal_limit", required=True)
    promised = c.integer("promised_limit", required=True)
    if legal is not None and promised is not None and promised > legal:
        c.add(
            "promised_limit",
            _(
                "Promised limit %(promised)s exceeds the legal limit %(legal)s: "
                "the promised limit must not exceed the legal limit."
            )
            % {"promised": promised, "legal": legal},
        )
    for key in ("legal_basis", "conditions", "procedure", "fees", "fee_basis"):
        c.text(key)
    c.text("contact", max_length=200)
    c.text("change_note", max_length=200)
    for key in (
        "online_allowed",
        "appointment_allowed",
        "green_channel_eligible",
        "handled_at_center",
        "decided_at_window",
    ):
        c.boolean(key)
    visits = c.integer("visits_required", default=1)
    if visits is not None and visits > MAX_VISITS:
        c.add(
            "visits_required",
            _("On-site visits required is %(visits)s: it must be between 0 and %(max)s.")
            % {"visits": visits, "max": MAX_VISITS},
        )
    if spec.get("deemed_approval_days") is not None:
        deemed = spec.get("deemed_approval_days")
        if isinstance(deemed, int) and not isinstance(deemed, bool) and deemed < 1:
            c.add(
                "deemed_approval_days",
                _(
                    "Deemed approval after %(days)s days: it must be at least 1 working day, "
                    "or empty for no deemed approval."
                )
                % {"days": deemed},
            )
        else:
            c.integer("deemed_approval_days", minimum=1)
    valid_from = c.date("valid_from")
    valid_to = c.date("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        c.add(
            "valid_to",
            _(
                "Valid to %(to)s is before valid from %(from)s: "
                "the end date must not be before the start date."
            )
            % {"to": valid_to.isoformat(), "from": valid_from.isoformat()},
        )
    for number, theme in enumerate(c.items("themes"), start=1):
        if not isinstance(theme, str) or theme not in codes.themes:
            c.add(
                f"themes.{number}",
                _("Unknown theme %(code)s: create the theme first or remove it from the item.")
                % {"code": theme},
            )

    _check_materials(c, own_code, codes)
    _check_steps(c, handling, promised, codes)
    return c.errors


def _check_materials(c: _Checker, own_code: Any, codes: CatalogCodes) -> None:
    materials = c.items("materials")
    names: Counter[str] = Counter()
    for number, material in enumerate(materials, start=1):
        m = c.sub("materials", number, material)
        name = m.text("name", required=True, max_length=200)
        if name:
            names[name] += 1
            if names[name] == 2:
                m.add(
                    "name",
                    _("Material %(name)s appears twice: material names must be unique within an item.")
                    % {"name": name},
                )
        m.choice("requirement", Material.Requirement.values, default=Material.Requirement.REQUIRED)
        m.text("condition", max_length=200)
        m.choice("form", Material.Form.values, default=Material.Form.ORIGINAL)
        copies = m.spec.get("copies", 1)
        if isinstance(copies, int) and not isinstance(copies, bool) and copies < 1:
            m.add(
                "copies",
                _("Material %(name)s has %(copies)s copies: copies must be at least 1.")
                % {"name": name, "copies": copies},
            )
        else:
            m.integer("copies", minimum=1, default=1)
        shared = m.text("shared_result_item_code", max_length=40)
        if shared:
            if shared == own_code:
                m.add(
                    "shared_result_item_code",
                    _("Material %(name)s cannot be satisfied by the result of its own item %(code)s.")
                    % {"name": name, "code": shared},
                )
            elif shared not in codes.items:
                m.add(
                    "shared_result_item_code",
                    _(
                        "Material %(name)s is satisfied by the result of item %(code)s, which does not "
                        "exist: use the code of an existing item."
                    )
                    % {"name": name, "code": shared},
                )
        m.text("note", max_length=300)
        c.absorb(m)


def _check_steps(c: _Checker, handling: str | None, promised: int | None, codes: CatalogCodes) -> None:
    steps = c.items("steps")
    if not steps:
        c.add("steps", _("The process template has no step: add at least one step (e.g. 受理)."))
        return
    total = 0
    kinds: Counter[str] = Counter()
    for number, step in enumerate(steps, start=1):
        s = c.sub("steps", number, step)
        name = s.text("name", required=True, max_length=50)
        kind = s.choice("kind", ProcessStep.Kind.values)
        if kind:
            kinds[kind] += 1
        post = s.text("post_code", required=True)
        if post and post not in codes.posts:
            s.add("post_code", _("Unknown post %(code)s: use the code of an existing post.") % {"code": post})
        days = s.integer("limit_days", required=True)
        s.boolean("on_site")
        if days is not None:
            total += days
            if handling == ServiceItemVersion.HandlingType.INSTANT and days > 0:
                s.add(
                    "limit_days",
                    _(
                        "Step %(number)s (%(name)s) has a limit of %(days)s days: every step of an instant "
                        "item must have limit 0, because it is decided in one sitting."
                    )
                    % {"number": number, "name": name, "days": days},
                )
        c.absorb(s)
    if handling == ServiceItemVersion.HandlingType.INSTANT:
        if promised:
            c.add(
                "promised_limit",
                _(
                    "An instant item is decided in one sitting: "
                    "its promised limit must be 0, not %(promised)s."
                )
                % {"promised": promised},
            )
    elif promised is not None and total > promised:
        c.add(
            "steps",
            _(
                "The steps add up to %(total)s working days, more than the promised limit %(promised)s: "
                "shorten the steps or raise the promised limit."
            )
            % {"total": total, "promised": promised},
        )
    decide = kinds[ProcessStep.Kind.DECIDE]
    if (
        handling in (ServiceItemVersion.HandlingType.PROMISED, ServiceItemVersion.HandlingType.JOINT)
        and decide != 1
    ):
        c.add(
            "steps",
            _(
                "A promised or joint item needs exactly one decision step (kind decide); "
                "this one has %(count)s."
            )
            % {"count": decide},
        )
    if handling == ServiceItemVersion.HandlingType.REPORTED and not (
        decide or kinds[ProcessStep.Kind.REPORT]
    ):
        c.add("steps", _("A reported item needs a report or decision step (kind report or decide)."))


def check_theme(spec: Any) -> list[RuleError]:
    if not isinstance(spec, Mapping):
        return [RuleError("", _("A theme spec must be a mapping."))]
    c = _Checker(spec)
    code = c.text("code", required=True, max_length=30)
    if code and not CODE_RE.match(code):
        c.add(
            "code",
            _(
                "Code %(code)s is not valid: "
                "use letters, digits, '.', '-' or '_', starting with a letter or digit."
            )
            % {"code": code},
        )
    c.text("name", required=True, max_length=50)
    c.choice("audience", Theme.Audience.values, default=Theme.Audience.BOTH)
    c.integer("position", default=0)
    return c.errors


def check_bundle(spec: Any, codes: CatalogCodes) -> list[RuleError]:
    """Every rule for one bundle spec. `codes.items` are the item codes that exist."""
    if not isinstance(spec, Mapping):
        return [RuleError("", _("A bundle spec must be a mapping."))]
    c = _Checker(spec)
    c.errors.extend(check_code(spec.get("code")))
    c.text("name", required=True, max_length=200)
    c.text("description")
    lead = c.text("lead_department_code", required=True)
    if lead and lead not in codes.departments:
        c.add(
            "lead_department_code",
            _("Unknown department %(code)s: use the code of a department of this center.") % {"code": lead},
        )
    promised = c.integer("promised_limit", required=True)
    c.boolean("active")

    phase_names: Counter[str] = Counter()
    phase_total = 0
    for number, phase in enumerate(c.items("phases"), start=1):
        p = c.sub("phases", number, phase)
        name = p.text("name", required=True, max_length=50)
        if name:
            phase_names[name] += 1
            if phase_names[name] == 2:
                p.add(
                    "name",
                    _("Phase %(name)s appears twice: phase names must be unique within a bundle.")
                    % {"name": name},
                )
        limit = p.integer("promised_limit")
        phase_total += limit or 0
        c.absorb(p)
    if promised is not None and phase_total > promised:
        c.add(
            "phases",
            _(
                "The phases add up to %(total)s working days, more than the bundle's promised limit "
                "%(promised)s: shorten the phases or raise the bundle's limit."
            )
            % {"total": phase_total, "promised": promised},
        )

    bundle_items: Counter[str] = Counter()
    entries = c.items("items")
    if not entries:
        c.add("items", _("The bundle has no item: add the items it groups."))
    for number, entry in enumerate(entries, start=1):
        i = c.sub("items", number, entry)
        code = i.text("item_code", required=True)
        if code:
            bundle_items[code] += 1
            if code not in codes.items:
                i.add(
                    "item_code",
                    _("Unknown item %(code)s: use the code of an existing item.") % {"code": code},
                )
            elif bundle_items[code] == 2:
                i.add(
                    "item_code",
                    _("Item %(code)s appears twice in the bundle: list each item once.") % {"code": code},
                )
        phase = i.spec.get("phase")
        if phase not in (None, "") and phase not in phase_names:
            i.add(
                "phase",
                _("Unknown phase %(phase)s: use the name of one of the bundle's phases, or leave it empty.")
                % {"phase": phase},
            )
        c.absorb(i)

    keys: Counter[str] = Counter()
    for number, entry in enumerate(c.items("fields"), start=1):
        f = c.sub("fields", number, entry)
        key = f.text("key", required=True, max_length=50)
        if key:
            if not KEY_RE.match(key):
                f.add(
                    "key",
                    _("Field key %(key)s is not valid: use letters, digits, '-' or '_'.") % {"key": key},
                )
            keys[key] += 1
            if keys[key] == 2:
                f.add(
                    "key",
                    _("Field key %(key)s appears twice: keys must be unique within a bundle.") % {"key": key},
                )
        f.text("label", required=True, max_length=100)
        field_type = f.choice("field_type", BundleField.FieldType.values, default=BundleField.FieldType.TEXT)
        f.boolean("required")
        choices = f.text("choices", max_length=500)
        if field_type == BundleField.FieldType.CHOICE and not choices:
            f.add("choices", _("Field %(key)s is a choice: list its choices separated by |.") % {"key": key})
        mapped: Counter[str] = Counter()
        for m_number, mapping in enumerate(f.items("mappings"), start=1):
            m = f.sub("mappings", m_number, mapping)
            item_code = m.text("item_code", required=True)
            m.text("target", required=True, max_length=100)
            if item_code:
                mapped[item_code] += 1
                if item_code not in bundle_items:
                    m.add(
                        "item_code",
                        _(
                            "Field %(key)s maps to item %(code)s, which is not in the bundle: "
                            "add the item first."
                        )
                        % {"key": key, "code": item_code},
                    )
                elif mapped[item_code] == 2:
                    m.add(
                        "item_code",
                        _("Field %(key)s maps to item %(code)s twice: one mapping per item.")
                        % {"key": key, "code": item_code},
                    )
            f.absorb(m)
        c.absorb(f)

    names: Counter[str] = Counter()
    for number, entry in enumerate(c.items("materials"), start=1):
        m = c.sub("materials", number, entry)
        name = m.text("name", required=True, max_length=200)
        if name:
            names[name] += 1
            if names[name] == 2:
                m.add(
                    "name",
                    _("Material %(name)s appears twice: the bundle's material list is de-duplicated.")
                    % {"name": name},
                )
        m.choice("requirement", Material.Requirement.values, default=Material.Requirement.REQUIRED)
        m.choice("form", Material.Form.values, default=Material.Form.ORIGINAL)
        copies = m.spec.get("copies", 1)
        if isinstance(copies, int) and not isinstance(copies, bool) and copies < 1:
            m.add(
                "copies",
                _("Material %(name)s has %(copies)s copies: copies must be at least 1.")
                % {"name": name, "copies": copies},
            )
        else:
            m.integer("copies", minimum=1, default=1)
        served = m.items("item_codes")
        if not served:
            m.add(
                "item_codes",
                _("Material %(name)s serves no item: list the items it serves.") % {"name": name},
            )
        for code in served:
            if code not in bundle_items:
                m.add(
                    "item_codes",
                    _("Material %(name)s serves item %(code)s, which is not in the bundle.")
                    % {"name": name, "code": code},
                )
        c.absorb(m)
    return c.errors
