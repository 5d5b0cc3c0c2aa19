"""The rules of a theme spec and of a bundle spec."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from onewindow.catalog.models import BundleField, Material, Theme
from onewindow.catalog.rules.base import CODE_RE, KEY_RE, CatalogCodes, RuleError, _Checker, check_code


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
    phase_limits: list[int] = []
    phases = c.items("phases")
    for number, phase in enumerate(phases, start=1):
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
        phase_limits.append(limit or 0)
        p.boolean("merge_with_previous")
        if number == 1 and p.spec.get("merge_with_previous") is True:
            p.add(
                "merge_with_previous",
                _("Phase %(name)s is the first phase: there is no phase before it to open with.")
                % {"name": name},
            )
        c.absorb(p)
    # Merged phases run together: a group counts once, as its longest phase.
    phase_total = sum(max(phase_limits[i] for i in group) for group in phase_groups(phases))
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
            _check_key(
                f,
                "key",
                key,
                keys,
                invalid=_("Field key %(key)s is not valid: use letters, digits, '-' or '_'.") % {"key": key},
                twice=_("Field key %(key)s appears twice: keys must be unique within a bundle.")
                % {"key": key},
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
    _check_questions(c, bundle_items)
    return c.errors


def phase_groups(phases: Any) -> list[list[int]]:
    """The phases (a spec's list) in groups that open together, as 0-based indices in order: a
    phase marked `merge_with_previous` joins the group of the phase before it."""
    groups: list[list[int]] = []
    for index, phase in enumerate(phases if isinstance(phases, list | tuple) else []):
        merged = isinstance(phase, Mapping) and phase.get("merge_with_previous") is True
        if merged and groups:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _days(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def critical_path(spec: Mapping[str, Any], item_limits: Mapping[str, int]) -> int:
    """The working days a bundle (a spec: its phases and items) takes at most, end to end.

    Groups of merged phases run one after the other; the phases of a group and the items of a
    phase run in parallel. A phase's limit is its promised_limit when set, else the largest
    limit of its items; a group's limit is the largest of its phases'. The items without a phase
    form one more parallel group (its limit: the largest of their limits). `item_limits` maps an
    item code to its limit (the promised limit of its published version); an item without one
    counts as 0. Pure: nothing is read from the database (`selectors.bundle_critical_path`
    reads a stored bundle)."""
    phases = [p if isinstance(p, Mapping) else {} for p in spec.get("phases") or []]
    by_phase: dict[str, int] = {}
    loose = 0
    for entry in spec.get("items") or []:
        if not isinstance(entry, Mapping):
            continue
        limit = _days(item_limits.get(str(entry.get("item_code") or "").strip())) or 0
        phase = str(entry.get("phase") or "").strip()
        if phase:
            by_phase[phase] = max(by_phase.get(phase, 0), limit)
        else:
            loose = max(loose, limit)

    def phase_limit(phase: Mapping[str, Any]) -> int:
        own = _days(phase.get("promised_limit"))
        return own if own is not None else by_phase.get(str(phase.get("name") or "").strip(), 0)

    return sum(max(phase_limit(phases[i]) for i in group) for group in phase_groups(phases)) + loose


def bundle_warnings(spec: Any, codes: CatalogCodes) -> list[RuleError]:
    """What is allowed but likely a mistake in a *valid* bundle spec (reported, never refused):
    the phases' critical path (`critical_path`, with the items' published promised limits in
    `codes.item_limits`) longer than the bundle's promised limit."""
    if not isinstance(spec, Mapping):
        return []
    promised = _days(spec.get("promised_limit"))
    if promised is None:
        return []
    days = critical_path(spec, codes.item_limits)
    if days <= promised:
        return []
    return [
        RuleError(
            "promised_limit",
            _(
                "The phases' critical path (%(days)s working days) is longer than the bundle's "
                "promised limit (%(promised)s)."
            )
            % {"days": days, "promised": promised},
        )
    ]


def _check_key(
    checker: _Checker, field: str, value: str, seen: Counter[str], *, invalid: str, twice: str
) -> None:
    """A key (field key, question key, option value): KEY_RE's characters, unique among `seen`."""
    if not KEY_RE.match(value):
        checker.add(field, invalid)
    seen[value] += 1
    if seen[value] == 2:
        checker.add(field, twice)


def _check_questions(c: _Checker, bundle_items: Counter[str]) -> None:
    """Situation questions (情形引导): unique keys, at least two options with unique values, and
    options that select only items of the bundle."""
    keys: Counter[str] = Counter()
    for number, entry in enumerate(c.items("questions"), start=1):
        q = c.sub("questions", number, entry)
        key = q.text("key", required=True, max_length=50)
        if key:
            _check_key(
                q,
                "key",
                key,
                keys,
                invalid=_("Question key %(key)s is not valid: use letters, digits, '-' or '_'.")
                % {"key": key},
                twice=_("Question %(key)s appears twice: question keys must be unique within a bundle.")
                % {"key": key},
            )
        q.text("text", required=True, max_length=200)
        options = q.items("options")
        if len(options) < 2:
            q.add(
                "options",
                _("Question %(key)s has fewer than two options: list the answers it offers.") % {"key": key},
            )
        values: Counter[str] = Counter()
        for o_number, option in enumerate(options, start=1):
            o = q.sub("options", o_number, option)
            value = o.text("value", required=True, max_length=50)
            if value:
                _check_key(
                    o,
                    "value",
                    value,
                    values,
                    invalid=_("Option value %(value)s is not valid: use letters, digits, '-' or '_'.")
                    % {"value": value},
                    twice=_("Question %(key)s offers option %(value)s twice: option values must be unique.")
                    % {"key": key, "value": value},
                )
            o.text("label", required=True, max_length=100)
            for code in o.items("item_codes"):
                if not isinstance(code, str) or code not in bundle_items:
                    o.add(
                        "item_codes",
                        _(
                            "Question %(key)s selects item %(code)s, which is not in the bundle: "
                            "add the item first."
                        )
                        % {"key": key, "code": code},
                    )
            q.absorb(o)
        c.absorb(q)
