"""Importing a workbook: the parsed rows become theme, item and bundle specs, checked by the
rules; each rule error is traced back to the row and column that caused it. All or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from onewindow.catalog import services
from onewindow.catalog.excel.columns import SHEET_BY_NAME, sheet_position
from onewindow.catalog.excel.reading import ParsedWorkbook, Row, read_workbook
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.org.models import Center, User


@dataclass
class _ItemSource:
    row: Row
    materials: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)


@dataclass
class _BundleSource:
    row: Row
    phases: list[Row] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    fields: list[Row] = field(default_factory=list)
    mappings: dict[str, list[Row]] = field(default_factory=dict)
    materials: list[Row] = field(default_factory=list)
    # {question key: its option rows}, in the order of the sheet
    questions: dict[str, list[Row]] = field(default_factory=dict)


def _drop_none(values: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: values[k] for k in keys if values.get(k) is not None}


def _build(
    parsed: ParsedWorkbook,
) -> tuple[list[dict], list[dict], list[dict], list[_ItemSource], list[_BundleSource]]:
    rows = parsed.rows
    item_sources: list[_ItemSource] = []
    by_item: dict[str, _ItemSource] = {}
    for row in rows.get("items", []):
        src = _ItemSource(row)
        item_sources.append(src)
        by_item.setdefault(row.values["code"], src)

    def attach(sheet: str, key: str, target: Callable[[_ItemSource], list[Row]]) -> None:
        for row in rows.get(sheet, []):
            code = row.values[key]
            if not code:
                continue
            if code not in by_item:
                if "items" in rows:
                    parsed.error(
                        row,
                        key,
                        _("Item %(code)s is not in the items sheet: add the item there or fix the code.")
                        % {"code": code},
                    )
                continue
            target(by_item[code]).append(row)

    attach("materials", "item_code", lambda s: s.materials)
    attach("steps", "item_code", lambda s: s.steps)

    items: list[dict] = []
    item_keys = [k for k in SHEET_BY_NAME["items"].keys if k != "themes"]
    for src in item_sources:
        spec = _drop_none(src.row.values, item_keys)
        spec["themes"] = src.row.values.get("themes") or []
        spec["materials"] = [_drop_none(r.values, SHEET_BY_NAME["materials"].keys[1:]) for r in src.materials]
        spec["steps"] = [_drop_none(r.values, SHEET_BY_NAME["steps"].keys[1:]) for r in src.steps]
        for key in ("legal_limit", "promised_limit"):
            spec.setdefault(key, None)
        items.append(spec)

    themes = [_drop_none(r.values, SHEET_BY_NAME["themes"].keys) for r in rows.get("themes", [])]

    bundle_sources: list[_BundleSource] = []
    by_bundle: dict[str, _BundleSource] = {}
    for row in rows.get("bundles", []):
        bsrc = _BundleSource(row)
        bundle_sources.append(bsrc)
        by_bundle.setdefault(row.values["code"], bsrc)

    def bundle_of(row: Row) -> _BundleSource | None:
        code = row.values["bundle_code"]
        if not code:
            return None
        if code not in by_bundle:
            if "bundles" in rows:
                parsed.error(
                    row,
                    "bundle_code",
                    _("Bundle %(code)s is not in the bundles sheet: add the bundle there or fix the code.")
                    % {"code": code},
                )
            return None
        return by_bundle[code]

    for sheet, attr in (
        ("bundle_phases", "phases"),
        ("bundle_items", "items"),
        ("bundle_fields", "fields"),
        ("bundle_materials", "materials"),
    ):
        for row in rows.get(sheet, []):
            found = bundle_of(row)
            if found is not None:
                getattr(found, attr).append(row)
    for row in rows.get("bundle_field_mappings", []):
        found = bundle_of(row)
        if found is None:
            continue
        key = row.values["field_key"]
        if key and key not in {f.values["key"] for f in found.fields}:
            parsed.error(
                row,
                "field_key",
                _("Field %(key)s is not a field of bundle %(bundle)s in the bundle_fields sheet.")
                % {"key": key, "bundle": found.row.values["code"]},
            )
            continue
        found.mappings.setdefault(key, []).append(row)
    for row in rows.get("bundle_questions", []):
        found = bundle_of(row)
        if found is not None:
            found.questions.setdefault(row.values["question_key"], []).append(row)

    bundles: list[dict] = []
    for bsrc in bundle_sources:
        spec = _drop_none(bsrc.row.values, SHEET_BY_NAME["bundles"].keys)
        spec.setdefault("promised_limit", None)
        spec["phases"] = [
            {k: r.values.get(k) for k in ("name", "promised_limit", "merge_with_previous")}
            for r in bsrc.phases
        ]
        spec["items"] = [
            {"item_code": r.values["item_code"], "phase": r.values["phase"] or None} for r in bsrc.items
        ]
        spec["fields"] = [
            {
                **_drop_none(r.values, SHEET_BY_NAME["bundle_fields"].keys[1:]),
                "mappings": [
                    {"item_code": m.values["item_code"], "target": m.values["target"]}
                    for m in bsrc.mappings.get(r.values["key"], [])
                ],
            }
            for r in bsrc.fields
        ]
        spec["materials"] = [
            _drop_none(r.values, SHEET_BY_NAME["bundle_materials"].keys[1:]) for r in bsrc.materials
        ]
        spec["questions"] = [
            {
                "key": key,
                "text": options[0].values["question"],
                "options": [
                    {
                        "value": r.values["value"],
                        "label": r.values["label"],
                        "item_codes": r.values.get("item_codes") or [],
                    }
                    for r in options
                ],
            }
            for key, options in bsrc.questions.items()
        ]
        bundles.append(spec)
    return themes, items, bundles, item_sources, bundle_sources


def _locate(
    error: dict[str, Any],
    themes_rows: list[Row],
    items: list[_ItemSource],
    bundles: list[_BundleSource],
) -> tuple[Row, str | None]:
    """The row and column a rule error (from check_import) comes from."""
    index = error["index"]
    parts = error["field"].split(".") if error["field"] else []
    if "theme" in error:
        return themes_rows[index], (parts[0] if parts else None)
    if "item" in error:
        src = items[index]
        if not parts:
            return src.row, None
        head = parts[0]
        if head in ("materials", "steps"):
            rows = src.materials if head == "materials" else src.steps
            if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) <= len(rows):
                return rows[int(parts[1]) - 1], parts[2]
            return (rows[0], "item_code") if rows else (src.row, "code")
        return src.row, head
    bsrc = bundles[index]
    if not parts:
        return bsrc.row, None
    head = parts[0]
    if head == "questions" and len(parts) >= 3 and parts[1].isdigit():
        question_rows = list(bsrc.questions.values())[int(parts[1]) - 1]
        if (
            len(parts) >= 5
            and parts[2] == "options"
            and parts[3].isdigit()
            and int(parts[3]) <= len(question_rows)
        ):
            return question_rows[int(parts[3]) - 1], parts[4]
        column = {"key": "question_key", "text": "question"}.get(parts[2], "question_key")
        return question_rows[0], column
    if head in ("phases", "items", "fields", "materials"):
        rows = getattr(bsrc, head)
        if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) <= len(rows):
            row = rows[int(parts[1]) - 1]
            if head == "fields" and parts[2] == "mappings" and len(parts) >= 5:
                mapping_rows = bsrc.mappings.get(row.values["key"], [])
                if parts[3].isdigit() and int(parts[3]) <= len(mapping_rows):
                    return mapping_rows[int(parts[3]) - 1], parts[4]
            return row, parts[2]
        if head == "phases" and rows:
            return rows[0], "promised_limit"
        return (rows[0], "bundle_code") if rows else (bsrc.row, "code")
    return bsrc.row, head


def _repeated_indices(themes: list[dict], items: list[dict], bundles: list[dict]) -> set[tuple[str, int]]:
    """(kind, index) of every row whose code already appeared above it in its sheet."""
    out: set[tuple[str, int]] = set()
    for kind, specs in (("theme", themes), ("item", items), ("bundle", bundles)):
        seen: set[Any] = set()
        for index, spec in enumerate(specs):
            code = spec.get("code")
            if code and code in seen:
                out.add((kind, index))
            seen.add(code)
    return out


def catalog_import_workbook(
    *, center: Center, data: bytes, actor: User | None = None
) -> services.ImportResult:
    """Import a catalog workbook (all or nothing). On any error raises ValidationFailed whose
    details is the list of {"sheet", "row", "column", "cell", "message"} for every error found.
    The result's warnings (what was imported but likely is a mistake) are in the same form."""
    if actor is not None and not actor.has_perm("catalog.import_catalog"):
        raise PermissionDenied(_("You do not have the permission to import the catalog."))
    parsed = read_workbook(data)
    themes, items, bundles, item_sources, bundle_sources = _build(parsed)
    errors = list(parsed.errors)
    rule_errors = (
        []
        if parsed.structural
        else services.check_import(center=center, themes=themes, items=items, bundles=bundles)
    )
    theme_rows = parsed.rows.get("themes", [])
    repeated = _repeated_indices(themes, items, bundles)
    for rule_error in rule_errors:
        kind = next(k for k in ("theme", "item", "bundle") if k in rule_error)
        if (kind, rule_error["index"]) in repeated and rule_error["field"] != "code":
            continue  # a repeated code: only the repetition is reported for that row
        row, column = _locate(rule_error, theme_rows, item_sources, bundle_sources)
        if column is not None and (row.sheet, row.number, column) in parsed.bad_cells:
            continue  # already reported as an unreadable cell
        errors.append(row.error(column, rule_error["message"]))
    if errors:
        unique = list(dict.fromkeys(errors))
        unique.sort(key=lambda e: (sheet_position(e.sheet), e.row or 0))
        raise ValidationFailed(
            _("The workbook was not imported: %(count)s problems to fix. First: %(first)s")
            % {"count": len(unique), "first": str(unique[0])},
            details=[e.as_dict() for e in unique],
        )
    result = services.catalog_import_specs(
        center=center, themes=themes, items=items, bundles=bundles, actor=actor, publish=True
    )
    # Warnings (imported all the same) are located like the errors: sheet, row and column.
    located = []
    for warning in result.warnings:
        row, column = _locate(warning, theme_rows, item_sources, bundle_sources)
        located.append(row.error(column, warning["message"]).as_dict())
    return replace(result, warnings=tuple(located))
