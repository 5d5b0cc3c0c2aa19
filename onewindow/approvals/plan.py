"""What one applicant's bundle case is made of, read from the catalog bundle: the phases, the
items that apply to the answers (情形引导), the single form's values checked against the
bundle's fields, and the de-duplicated materials. Pure reads: the services write.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases.applicants import is_valid_mobile, is_valid_resident_id, is_valid_uscc
from onewindow.cases.versions import published_version, snapshot
from onewindow.catalog.definitions import FieldDef, ItemDef, MaterialDef, bundle_definition
from onewindow.catalog.models import Bundle, BundleField, ServiceItemVersion
from onewindow.catalog.situations import applicable_defs
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_phone
from onewindow.org.models import Center

TEXT_MAX = 500
_LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}")


@dataclass
class PlannedPhase:
    position: int
    name: str
    promised_limit: int | None
    merge_with_previous: bool
    items: list[ItemDef] = field(default_factory=list)


@dataclass
class Plan:
    bundle: Bundle
    phases: list[PlannedPhase]  # position 0: the items without a phase (a bundle without phases)
    form: dict[str, str]
    materials: list[dict[str, Any]]  # [{position, name, received, copies, items: [codes]}]
    versions: dict[str, ServiceItemVersion] = field(default_factory=dict)  # item code -> published
    item_forms: dict[str, dict[str, str]] = field(default_factory=dict)  # item code -> its fields

    @property
    def items(self) -> list[ItemDef]:
        return [bi for phase in self.phases for bi in phase.items]


def active_bundle(center: Center, code: str) -> Bundle:
    bundle = (
        Bundle.objects.select_related("lead_department", "center")
        .filter(center=center, code=str(code or "").strip(), active=True)
        .first()
    )
    if bundle is None:
        raise NotFound(
            _("No active bundle with code %(code)s at this center.") % {"code": code},
            details={"bundle_code": [_("Unknown or inactive bundle.")]},
        )
    return bundle


def build_plan(
    bundle: Bundle, *, answers: dict[str, Any], form: dict[str, Any], materials: list[Any]
) -> Plan:
    """The plan for these answers, form values and materials; one ValidationFailed naming every
    problem (answers.<key>, form.<key>, materials.<i>)."""
    errors: dict[str, list[str]] = {}
    items: list[ItemDef] = []
    definition = bundle_definition(bundle)
    try:
        items = applicable_defs(definition, {str(k): v for k, v in (answers or {}).items()})
    except ValidationFailed as exc:
        errors.update(exc.details or {})
    if not errors and not items:
        errors["answers"] = [_("These answers select no item: nothing to apply for.")]
    versions: dict[str, ServiceItemVersion] = {}
    for bundle_item in items:
        code = bundle_item.code
        try:
            versions[code] = published_version(bundle.center_id, code)
        except (NotFound, ValidationFailed):
            errors.setdefault("bundle_code", []).append(
                _(
                    "The item %(code)s of this bundle is not published or not valid today: tell the catalog "
                    "administrator."
                )
                % {"code": code}
            )
    fields = list(definition.fields)
    cleaned_form, form_errors = _clean_form(fields, form or {})
    errors.update(form_errors)
    received, material_errors = _clean_materials(definition.materials, materials or [])
    errors.update(material_errors)
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)
    phases: dict[int, PlannedPhase] = {}
    for bundle_item in items:
        phase = bundle_item.phase
        key = phase.position if phase is not None else 0
        if key not in phases:
            phases[key] = PlannedPhase(
                position=key,
                name=phase.name if phase is not None else "",
                promised_limit=phase.promised_limit if phase is not None else None,
                merge_with_previous=phase.merge_with_previous if phase is not None else False,
            )
        phases[key].items.append(bundle_item)
    ordered = [phases[k] for k in sorted(phases)]
    if ordered:
        ordered[0].merge_with_previous = False  # the first phase that applies opens at acceptance
    return Plan(
        bundle=bundle,
        phases=ordered,
        form=cleaned_form,
        materials=received,
        versions=versions,
        item_forms=_item_forms(fields, cleaned_form),
    )


def _clean_form(fields: list[FieldDef], form: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    known = {f.key for f in fields}
    for key in sorted(str(k) for k in form if str(k) not in known):
        errors[f"form.{key}"] = [_("The bundle's form has no field %(key)s.") % {"key": key}]
    for bf in fields:
        raw = form.get(bf.key)
        value = "" if raw is None else str(raw).strip()
        name = f"form.{bf.key}"
        if not value:
            if bf.required:
                errors[name] = [_("Fill in “%(label)s”.") % {"label": bf.label}]
            continue
        if len(value) > TEXT_MAX:
            errors[name] = [_("At most %(n)s characters.") % {"n": TEXT_MAX}]
            continue
        problem = _field_problem(bf, value)
        if problem:
            errors[name] = [problem]
            continue
        cleaned[bf.key] = value
    return cleaned, errors


def _field_problem(bf: FieldDef, value: str) -> str | None:
    kind = bf.field_type
    if kind == BundleField.FieldType.NUMBER and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return _("Enter a number.")
    if kind == BundleField.FieldType.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    if kind == BundleField.FieldType.CHOICE:
        choices = [c.strip() for c in bf.choices.split("|") if c.strip()]
        if value not in choices:
            return _("Choose one of: %(choices)s.") % {"choices": "、".join(choices)}
    if kind == BundleField.FieldType.ID_NUMBER and not (
        is_valid_resident_id(value.upper()) or is_valid_uscc(value.upper())
    ):
        return _("This is not a valid resident ID number or unified social credit code.")
    if kind == BundleField.FieldType.PHONE and not (
        is_valid_mobile(value) or _LANDLINE_RE.fullmatch(value.replace(" ", ""))
    ):
        return _("Enter a mobile number (11 digits) or a landline with its area code.")
    return None


def _clean_materials(
    listed: tuple[MaterialDef, ...], materials: list[Any]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The bundle's materials ticked as received: each entry names one of the bundle's list (its
    position or name), once."""
    by_position = {m.position: m for m in listed}
    by_name = {m.name: m for m in listed}
    errors: dict[str, list[str]] = {}
    chosen: dict[int, tuple[MaterialDef, int]] = {}
    for i, entry in enumerate(materials):
        ref = entry.get("material") if isinstance(entry, dict) else entry
        if isinstance(entry, dict) and entry.get("received") is False:
            continue
        found = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            found = by_position.get(int(ref))
        elif isinstance(ref, str):
            found = by_name.get(ref.strip())
        if found is None:
            errors[f"materials.{i}"] = [_("This material is not on the bundle's list.")]
            continue
        if found.position in chosen:
            errors[f"materials.{i}"] = [_("This material is listed twice.")]
            continue
        copies = entry.get("copies", found.copies) if isinstance(entry, dict) else found.copies
        try:
            copies = int(copies or found.copies)
            if not 1 <= copies <= 999:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"materials.{i}"] = [_("Enter a number of copies between 1 and 999.")]
            continue
        chosen[found.position] = (found, copies)
    received = [
        {
            "position": m.position,
            "name": m.name,
            "required": m.requirement == "required",
            "received": m.position in chosen,
            "copies": chosen[m.position][1] if m.position in chosen else m.copies,
            "items": list(m.item_codes),
        }
        for m in listed
    ]
    return received, errors


def missing_required(materials: list[dict[str, Any]], codes: set[str]) -> list[str]:
    """The required materials of the bundle's list serving an item that applies (`codes`), not
    received."""
    return [
        m["name"]
        for m in materials
        if m["required"] and not m["received"] and (not m["items"] or set(m["items"]) & codes)
    ]


def item_materials(
    materials: list[dict[str, Any]], item_code: str, version: ServiceItemVersion
) -> list[dict[str, Any]]:
    """The received materials of the bundle's list that serve `item_code`, as the item's intake
    entries: the item's own material of that name, else a named extra (the bundle's list names
    materials its own way, e.g. 身份证明 for the item's 法定代表人身份证复印件)."""
    own = snapshot(version).material_by_name
    return [
        {"material": m["name"], "copies": m["copies"], "received": True}
        if m["name"] in own
        else {"name": m["name"], "copies": m["copies"], "received": True}
        for m in materials
        if m["received"] and item_code in m["items"]
    ]


def _item_forms(fields: list[FieldDef], form: dict[str, str]) -> dict[str, dict[str, str]]:
    """The single form's values under each item's own field names (the bundle's mappings), with
    ID numbers and phones masked (the full values stay on the bundle case)."""
    out: dict[str, dict[str, str]] = {}
    for bf in fields:
        if bf.key not in form:
            continue
        value = form[bf.key]
        if bf.field_type == BundleField.FieldType.ID_NUMBER:
            value = mask_id_number(value)
        elif bf.field_type == BundleField.FieldType.PHONE:
            value = mask_phone(value)
        for code, target in bf.mappings:
            out.setdefault(code, {})[target] = value
    return out
