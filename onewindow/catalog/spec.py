"""The spec format: one plain dict per theme, item and bundle, shared by the services, the workbook
import/export and the demo loader.

Bundle spec keys: code, name, description, lead_department_code, promised_limit, active, phases
(name, promised_limit, merge_with_previous: opens together with the phase before, False when
absent), items, fields, materials, questions (situation questions: key, text, options of value,
label and the item_codes the option selects).

Item spec keys: code, name, kind, department_code, window_code, handling_type, legal_limit,
promised_limit, legal_basis, conditions, procedure, fees, fee_basis, contact, online_allowed,
appointment_allowed, visits_required, green_channel_eligible, deemed_approval_days,
handled_at_center, decided_at_window, valid_from, valid_to, themes, materials, steps.
Optional keys take the model defaults. See docs/domain/catalog.md for the full format.

`canonical_*` fills the defaults of a *valid* spec and normalises it so that two specs that
describe the same catalog entry compare equal; `*_spec` builds the canonical spec of stored rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from onewindow.catalog.models import Bundle, BundleField, Material, ServiceItemVersion, Theme

ITEM_TEXT_KEYS = ("legal_basis", "conditions", "procedure", "fees", "fee_basis", "contact")
ITEM_FLAG_KEYS = (
    "online_allowed",
    "appointment_allowed",
    "visits_required",
    "green_channel_eligible",
    "deemed_approval_days",
    "handled_at_center",
    "decided_at_window",
)
# The ServiceItemVersion columns an item spec carries under their own names, in form order: the
# one list the services (writing a draft), the admin (the version form) and `item_spec` use. The
# spec adds code, department_code, window_code, themes, materials and steps.
ITEM_VERSION_FIELDS = (
    "name",
    "kind",
    "handling_type",
    "legal_limit",
    "promised_limit",
    *ITEM_TEXT_KEYS,
    *ITEM_FLAG_KEYS,
    "valid_from",
    "valid_to",
)
# The Material columns a material spec carries under their own names; the files are apart
# (MATERIAL_FILE_KEYS: optional, never compared, not in the workbook).
MATERIAL_KEYS = ("name", "requirement", "condition", "form", "copies", "shared_result_item_code", "note")
MATERIAL_FILE_KEYS = ("template_file", "sample_file")
ITEM_DEFAULTS: dict[str, Any] = {
    "kind": ServiceItemVersion.Kind.LICENSE.value,
    "window_code": "",
    "legal_basis": "",
    "conditions": "",
    "procedure": "",
    "fees": "",
    "fee_basis": "",
    "contact": "",
    "online_allowed": False,
    "appointment_allowed": False,
    "visits_required": 1,
    "green_channel_eligible": False,
    "deemed_approval_days": None,
    "handled_at_center": True,
    "decided_at_window": False,
    "valid_from": None,
    "valid_to": None,
}
MATERIAL_DEFAULTS: dict[str, Any] = {
    "requirement": Material.Requirement.REQUIRED.value,
    "condition": "",
    "form": Material.Form.ORIGINAL.value,
    "copies": 1,
    "shared_result_item_code": "",
    "note": "",
}
STEP_DEFAULTS: dict[str, Any] = {"on_site": True}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _value(spec: Mapping[str, Any], key: str, defaults: Mapping[str, Any]) -> Any:
    value = spec.get(key)
    return defaults[key] if value is None and key in defaults else value


def canonical_item(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The full, normalised form of a valid item spec."""
    out: dict[str, Any] = {
        "code": _text(spec["code"]),
        "name": _text(spec["name"]),
        "kind": _value(spec, "kind", ITEM_DEFAULTS) or ITEM_DEFAULTS["kind"],
        "department_code": _text(spec["department_code"]),
        "window_code": _text(spec.get("window_code")),
        "handling_type": spec["handling_type"],
        "legal_limit": int(spec["legal_limit"]),
        "promised_limit": int(spec["promised_limit"]),
    }
    for key in ITEM_TEXT_KEYS:
        out[key] = _text(spec.get(key))
    for key in ITEM_FLAG_KEYS:
        out[key] = _value(spec, key, ITEM_DEFAULTS)
    out["valid_from"] = _date(spec.get("valid_from"))
    out["valid_to"] = _date(spec.get("valid_to"))
    out["themes"] = sorted(set(spec.get("themes") or []))
    out["materials"] = [
        {
            "name": _text(m["name"]),
            "requirement": _value(m, "requirement", MATERIAL_DEFAULTS) or MATERIAL_DEFAULTS["requirement"],
            "condition": _text(m.get("condition")),
            "form": _value(m, "form", MATERIAL_DEFAULTS) or MATERIAL_DEFAULTS["form"],
            "copies": int(_value(m, "copies", MATERIAL_DEFAULTS)),
            "shared_result_item_code": _text(m.get("shared_result_item_code")),
            "note": _text(m.get("note")),
        }
        for m in spec.get("materials") or []
    ]
    out["steps"] = [
        {
            "name": _text(s["name"]),
            "kind": s["kind"],
            "post_code": _text(s["post_code"]),
            "limit_days": int(s["limit_days"]),
            "on_site": bool(_value(s, "on_site", STEP_DEFAULTS)),
        }
        for s in spec.get("steps") or []
    ]
    return out


def item_spec(version: ServiceItemVersion) -> dict[str, Any]:
    """The canonical spec of a stored item version."""
    return {
        "code": version.item.code,
        "department_code": version.department.code,
        "window_code": version.window.code if version.window_id and version.window else "",
        **{key: getattr(version, key) for key in ITEM_VERSION_FIELDS},
        "themes": sorted(t.code for t in version.themes.all()),
        "materials": [
            {key: getattr(m, key) for key in MATERIAL_KEYS}
            for m in sorted(version.materials.all(), key=lambda m: m.position)
        ],
        "steps": [
            {
                "name": s.name,
                "kind": s.kind,
                "post_code": s.post.code,
                "limit_days": s.limit_days,
                "on_site": s.on_site,
            }
            for s in sorted(version.steps.select_related("post"), key=lambda s: s.position)
        ],
    }


def canonical_theme(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "code": _text(spec["code"]),
        "name": _text(spec["name"]),
        "audience": spec.get("audience") or Theme.Audience.BOTH.value,
        "position": int(spec.get("position") or 0),
    }


def theme_spec(theme: Theme) -> dict[str, Any]:
    return {"code": theme.code, "name": theme.name, "audience": theme.audience, "position": theme.position}


def canonical_bundle(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The full, normalised form of a valid bundle spec."""
    return {
        "code": _text(spec["code"]),
        "name": _text(spec["name"]),
        "description": _text(spec.get("description")),
        "lead_department_code": _text(spec["lead_department_code"]),
        "promised_limit": int(spec["promised_limit"]),
        "active": True if spec.get("active") is None else bool(spec["active"]),
        "phases": [
            {
                "name": _text(p["name"]),
                "promised_limit": p.get("promised_limit"),
                "merge_with_previous": bool(p.get("merge_with_previous") or False),
            }
            for p in spec.get("phases") or []
        ],
        "items": [
            {"item_code": _text(i["item_code"]), "phase": _text(i.get("phase")) or None}
            for i in spec.get("items") or []
        ],
        "fields": [
            {
                "key": _text(f["key"]),
                "label": _text(f["label"]),
                "field_type": f.get("field_type") or BundleField.FieldType.TEXT.value,
                "required": True if f.get("required") is None else bool(f["required"]),
                "choices": _text(f.get("choices")),
                "mappings": sorted(
                    (
                        {"item_code": _text(m["item_code"]), "target": _text(m["target"])}
                        for m in f.get("mappings") or []
                    ),
                    key=lambda m: m["item_code"],
                ),
            }
            for f in spec.get("fields") or []
        ],
        "materials": [
            {
                "name": _text(m["name"]),
                "requirement": m.get("requirement") or Material.Requirement.REQUIRED.value,
                "form": m.get("form") or Material.Form.ORIGINAL.value,
                "copies": int(m.get("copies") or 1),
                "item_codes": sorted(set(m.get("item_codes") or [])),
            }
            for m in spec.get("materials") or []
        ],
        "questions": [
            {
                "key": _text(q["key"]),
                "text": _text(q["text"]),
                "options": [
                    {
                        "value": _text(o["value"]),
                        "label": _text(o["label"]),
                        "item_codes": sorted(set(o.get("item_codes") or [])),
                    }
                    for o in q.get("options") or []
                ],
            }
            for q in spec.get("questions") or []
        ],
    }


def bundle_spec(bundle: Bundle) -> dict[str, Any]:
    """The canonical spec of a stored bundle."""
    return {
        "code": bundle.code,
        "name": bundle.name,
        "description": bundle.description,
        "lead_department_code": bundle.lead_department.code,
        "promised_limit": bundle.promised_limit,
        "active": bundle.active,
        "phases": [
            {"name": p.name, "promised_limit": p.promised_limit, "merge_with_previous": p.merge_with_previous}
            for p in sorted(bundle.phases.all(), key=lambda p: p.position)
        ],
        "items": [
            {"item_code": bi.item.code, "phase": bi.phase.name if bi.phase_id and bi.phase else None}
            for bi in sorted(bundle.bundle_items.select_related("item", "phase"), key=lambda b: b.position)
        ],
        "fields": [
            {
                "key": f.key,
                "label": f.label,
                "field_type": f.field_type,
                "required": f.required,
                "choices": f.choices,
                "mappings": sorted(
                    (
                        {"item_code": m.item.code, "target": m.target}
                        for m in f.mappings.select_related("item")
                    ),
                    key=lambda m: m["item_code"],
                ),
            }
            for f in sorted(bundle.fields.all(), key=lambda f: f.position)
        ],
        "materials": [
            {
                "name": m.name,
                "requirement": m.requirement,
                "form": m.form,
                "copies": m.copies,
                "item_codes": sorted(i.code for i in m.items.all()),
            }
            for m in sorted(bundle.materials.all(), key=lambda m: m.position)
        ],
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "options": [
                    {
                        "value": o.value,
                        "label": o.label,
                        "item_codes": sorted(bi.item.code for bi in o.items.select_related("item")),
                    }
                    for o in sorted(q.options.all(), key=lambda o: o.position)
                ],
            }
            for q in sorted(bundle.questions.all(), key=lambda q: q.position)
        ],
    }
