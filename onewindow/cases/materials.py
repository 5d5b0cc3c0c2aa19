"""The materials of a case: those handed in at intake (checked against the item version's
list), the required ones missing, the one-time correction list, and corrected materials
received later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases.models import CaseMaterial
from onewindow.cases.versions import VersionSnapshot, snapshot
from onewindow.cases.work import Work
from onewindow.catalog.models import Material
from onewindow.core.errors import ValidationFailed


def resolve_material(snap: VersionSnapshot, ref: Any) -> Material | None:
    if isinstance(ref, Material):
        return snap.material_by_id.get(ref.pk)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return snap.material_by_id.get(int(ref))
    if isinstance(ref, str):
        return snap.material_by_name.get(ref.strip())
    return None


def intake_materials(snap: VersionSnapshot, materials: Iterable[dict[str, Any]]) -> list[CaseMaterial]:
    """One CaseMaterial per material of the item version (received or not), plus free-named
    extras. Material ids must belong to the item version."""
    errors: dict[str, list[str]] = {}
    given: dict[int, CaseMaterial] = {}
    extras: list[CaseMaterial] = []
    forms = set(Material.Form.values)
    for i, entry in enumerate(materials or ()):
        if not isinstance(entry, dict):
            errors[f"materials.{i}"] = [_("Expected an object with material, received, form, copies, note.")]
            continue
        ref = entry.get("material", entry.get("material_id"))
        form = str(entry.get("form") or "")
        if form and form not in forms:
            errors[f"materials.{i}.form"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(forms)}]
        try:
            copies = int(entry.get("copies") or 1)
            if copies < 1 or copies > 999:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"materials.{i}.copies"] = [_("Enter a number of copies between 1 and 999.")]
            copies = 1
        received = bool(entry.get("received", True))
        note = str(entry.get("note") or "")[:300]
        if ref not in (None, ""):
            material = resolve_material(snap, ref)
            if material is None:
                errors[f"materials.{i}.material"] = [_("This material is not on the item's list.")]
                continue
            if material.pk in given:
                errors[f"materials.{i}.material"] = [_("This material is listed twice.")]
                continue
            given[material.pk] = CaseMaterial(
                material=material,
                name=material.name,
                received=received,
                form=form or material.form,
                copies=copies,
                note=note,
                position=material.position,
            )
        else:
            name = str(entry.get("name") or "").strip()
            if not name:
                errors[f"materials.{i}.name"] = [_("Name the material or choose it from the item's list.")]
                continue
            extras.append(
                CaseMaterial(
                    name=name[:200], received=received, form=form, copies=copies, note=note, position=1000 + i
                )
            )
    if errors:
        raise ValidationFailed(_("Check the materials."), details=errors)
    rows = [
        given.get(m.pk)
        or CaseMaterial(
            material=m,
            name=m.name,
            received=False,
            form=m.form,
            copies=m.copies,
            position=m.position,
        )
        for m in snap.materials
    ]
    return rows + extras


def missing_required(snap: VersionSnapshot, rows: Iterable[CaseMaterial]) -> list[str]:
    received = {r.material_id for r in rows if r.received and r.material_id}
    return [
        m.name
        for m in snap.materials
        if m.requirement == Material.Requirement.REQUIRED and m.pk not in received
    ]


def correction_items(snap: VersionSnapshot, items: Iterable[Any], *, field_name: str) -> list[dict[str, Any]]:
    """The one-time notice's list: each item is one of the item's own materials, with a note."""
    errors: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, item in enumerate(items or ()):
        if not isinstance(item, dict):
            errors[f"{field_name}.{i}"] = [_('Expected {"material": …, "note": …}.')]
            continue
        material = resolve_material(snap, item.get("material"))
        note = str(item.get("note") or "").strip()
        if material is None:
            errors[f"{field_name}.{i}.material"] = [_("Choose a material from the item's own list.")]
        elif material.pk in seen:
            errors[f"{field_name}.{i}.material"] = [_("This material is listed twice.")]
        if not note:
            errors[f"{field_name}.{i}.note"] = [_("Say what is missing or wrong.")]
        if material is not None and note and material.pk not in seen:
            seen.add(material.pk)
            cleaned.append({"material": material.pk, "name": material.name, "note": note[:300]})
    if not cleaned and not errors:
        errors[field_name] = [_("Name at least one material to correct.")]
    if errors:
        raise ValidationFailed(_("Check the list of materials to correct."), details=errors)
    return cleaned


def check_missing_required(snap: VersionSnapshot, rows: Iterable[CaseMaterial], note: str) -> list[str]:
    """The required materials not received; ValidationFailed unless `note` explains them."""
    missing = missing_required(snap, rows)
    if missing and not note:
        raise ValidationFailed(
            _(
                "Required materials are missing: %(names)s. Ask for a correction, "
                "or explain in the note why the case is accepted without them."
            )
            % {"names": "、".join(missing)},
            code="missing_required_material",
            details={"materials": missing, "note": [_("Explain why the case is accepted anyway.")]},
        )
    return missing


def mark_received(work: Work, refs: Iterable[Any]) -> list[str]:
    """Mark the case's materials `refs` (ids or names of the item's materials) received; their
    names."""
    refs = list(refs or ())
    if not refs:
        return []
    snap = snapshot(work.case.item_version)
    rows = {r.material_id: r for r in CaseMaterial.objects.filter(case=work.case, material__isnull=False)}
    names: list[str] = []
    errors: dict[str, list[str]] = {}
    for i, ref in enumerate(refs):
        material = resolve_material(snap, ref.get("material") if isinstance(ref, dict) else ref)
        if material is None:
            errors[f"materials.{i}"] = [_("This material is not on the item's list.")]
            continue
        row = rows.get(material.pk)
        if row is None:
            work.materials.append(
                CaseMaterial(
                    case=work.case,
                    material=material,
                    name=material.name,
                    position=material.position,
                    received=True,
                )
            )
        elif not row.received:
            row.received = True
            work.change(row, "received")
        names.append(material.name)
    if errors:
        raise ValidationFailed(_("Check the materials."), details=errors)
    return names
