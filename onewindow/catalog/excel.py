"""The catalog workbook (openpyxl): export a center's published catalog, and import one.

The import parses every sheet into the spec format and calls `catalog_import_specs`: all or
nothing. Every error is reported with its sheet, row and column (a missing sheet, a wrong header,
text in a number column, a bad boolean or date, and every rule violation mapped back to the row
that caused it). An unchanged export imports as "unchanged": no new versions.
The sheets and columns are documented in docs/catalog-workbook.md and in the 说明 sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from onewindow.catalog import selectors, services
from onewindow.catalog.models import Bundle, Theme
from onewindow.catalog.spec import bundle_spec, item_spec, theme_spec
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.org.models import Center

README_SHEET = "说明"

TEXT, INT, OPT_INT, BOOL, DATE, LIST = "text", "int", "opt_int", "bool", "date", "list"
TYPE_LABELS: dict[str, Promise] = {
    TEXT: gettext_lazy("text"),
    INT: gettext_lazy("whole number"),
    OPT_INT: gettext_lazy("whole number or empty"),
    BOOL: gettext_lazy("TRUE or FALSE"),
    DATE: gettext_lazy("date (YYYY-MM-DD) or empty"),
    LIST: gettext_lazy("codes separated by commas"),
}


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    meaning: Promise
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str
    meaning: Promise
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def _c(key: str, kind: str, meaning: Promise, required: bool = False) -> Column:
    return Column(key, kind, meaning, required)


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "items",
        gettext_lazy("Service items: one row per item (its published version)."),
        (
            _c(
                "code",
                TEXT,
                gettext_lazy("Item code, unique within the center (letters, digits, . - _)."),
                True,
            ),
            _c("name", TEXT, gettext_lazy("Item name (事项名称)."), True),
            _c(
                "kind",
                TEXT,
                gettext_lazy(
                    "Kind: license, public_service, confirmation, registration, filing, other_power."
                ),
            ),
            _c("department_code", TEXT, gettext_lazy("Code of the responsible department (实施部门)."), True),
            _c(
                "window_code",
                TEXT,
                gettext_lazy("Code of the accepting window; empty: the department's windows."),
            ),
            _c(
                "handling_type",
                TEXT,
                gettext_lazy("Handling type: instant (即办件), promised (承诺件), reported, joint."),
                True,
            ),
            _c("legal_limit", INT, gettext_lazy("Legal limit in working days (法定时限)."), True),
            _c(
                "promised_limit",
                INT,
                gettext_lazy("Promised limit in working days (承诺时限); 0 for instant items."),
                True,
            ),
            _c("legal_basis", TEXT, gettext_lazy("Legal basis (法定依据).")),
            _c("conditions", TEXT, gettext_lazy("Application conditions (申请条件).")),
            _c("procedure", TEXT, gettext_lazy("Procedure (办理程序).")),
            _c("fees", TEXT, gettext_lazy("Fees (收费标准); empty or 不收费 when free.")),
            _c("fee_basis", TEXT, gettext_lazy("Fee basis (收费依据).")),
            _c("contact", TEXT, gettext_lazy("Contact (咨询电话).")),
            _c("online_allowed", BOOL, gettext_lazy("Online application allowed.")),
            _c("appointment_allowed", BOOL, gettext_lazy("Appointment allowed.")),
            _c(
                "visits_required",
                INT,
                gettext_lazy("On-site visits required, 0 to 5 (0 = 零跑腿, 1 = 最多跑一次)."),
            ),
            _c("green_channel_eligible", BOOL, gettext_lazy("Green channel eligible (绿色通道).")),
            _c(
                "deemed_approval_days",
                OPT_INT,
                gettext_lazy("Deemed approval after this many overdue working days; empty: none."),
            ),
            _c("handled_at_center", BOOL, gettext_lazy("Handled at the center (进驻中心).")),
            _c("decided_at_window", BOOL, gettext_lazy("Decided at the window (窗口授权).")),
            _c("valid_from", DATE, gettext_lazy("Valid from.")),
            _c("valid_to", DATE, gettext_lazy("Valid to.")),
            _c("themes", LIST, gettext_lazy("Theme codes, separated by commas.")),
        ),
    ),
    SheetSpec(
        "materials",
        gettext_lazy("Materials (申报材料): one row per material, in order, under the item's code."),
        (
            _c("item_code", TEXT, gettext_lazy("Code of the item (from the items sheet)."), True),
            _c("name", TEXT, gettext_lazy("Material name, unique within the item."), True),
            _c("requirement", TEXT, gettext_lazy("required or conditional.")),
            _c("condition", TEXT, gettext_lazy("When a conditional material is required.")),
            _c("form", TEXT, gettext_lazy("original, copy, original_and_copy or electronic.")),
            _c("copies", INT, gettext_lazy("Number of copies, at least 1.")),
            _c(
                "shared_result_item_code",
                TEXT,
                gettext_lazy("Code of an item whose result can stand in (资料共享)."),
            ),
            _c("note", TEXT, gettext_lazy("Note.")),
        ),
    ),
    SheetSpec(
        "steps",
        gettext_lazy("Process template (办理流程): one row per step, in order, under the item's code."),
        (
            _c("item_code", TEXT, gettext_lazy("Code of the item (from the items sheet)."), True),
            _c("name", TEXT, gettext_lazy("Step name, e.g. 受理, 审查, 决定."), True),
            _c(
                "kind", TEXT, gettext_lazy("accept, review, approve, decide, certify, report or other."), True
            ),
            _c("post_code", TEXT, gettext_lazy("Code of the post that handles the step (岗位)."), True),
            _c("limit_days", INT, gettext_lazy("Step limit in working days."), True),
            _c("on_site", BOOL, gettext_lazy("Done at the center (TRUE) or back in the department (FALSE).")),
        ),
    ),
    SheetSpec(
        "themes",
        gettext_lazy("Browsing themes (主题)."),
        (
            _c("code", TEXT, gettext_lazy("Theme code."), True),
            _c("name", TEXT, gettext_lazy("Theme name."), True),
            _c("audience", TEXT, gettext_lazy("person, enterprise or both.")),
            _c("position", INT, gettext_lazy("Display order.")),
        ),
    ),
    SheetSpec(
        "bundles",
        gettext_lazy("Bundles (一件事 / 并联审批主题): one row per bundle."),
        (
            _c("code", TEXT, gettext_lazy("Bundle code, unique within the center."), True),
            _c("name", TEXT, gettext_lazy("Bundle name."), True),
            _c("description", TEXT, gettext_lazy("Description.")),
            _c("lead_department_code", TEXT, gettext_lazy("Code of the lead department (牵头部门)."), True),
            _c("promised_limit", INT, gettext_lazy("The bundle's promised limit in working days."), True),
            _c("active", BOOL, gettext_lazy("Active (offered to applicants).")),
        ),
    ),
    SheetSpec(
        "bundle_phases",
        gettext_lazy("Phases of a bundle, in order (e.g. 立项, 用地, 规划, 施工, 验收)."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("name", TEXT, gettext_lazy("Phase name, unique within the bundle."), True),
            _c(
                "promised_limit",
                OPT_INT,
                gettext_lazy("The phase's promised limit in working days; may be empty."),
            ),
        ),
    ),
    SheetSpec(
        "bundle_items",
        gettext_lazy("The items of a bundle, in order."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("item_code", TEXT, gettext_lazy("Code of the item."), True),
            _c("phase", TEXT, gettext_lazy("Name of the phase the item belongs to; empty: none.")),
        ),
    ),
    SheetSpec(
        "bundle_fields",
        gettext_lazy("Fields of the bundle's single form (一表制), in order."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c(
                "key",
                TEXT,
                gettext_lazy("Field key (letters, digits, - and _), unique within the bundle."),
                True,
            ),
            _c("label", TEXT, gettext_lazy("Field label shown to the applicant."), True),
            _c("field_type", TEXT, gettext_lazy("text, number, date, choice, id_number or phone.")),
            _c("required", BOOL, gettext_lazy("Required.")),
            _c("choices", TEXT, gettext_lazy("For a choice field: the choices separated by |.")),
        ),
    ),
    SheetSpec(
        "bundle_field_mappings",
        gettext_lazy("Where a single-form field lands in each item's application."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("field_key", TEXT, gettext_lazy("Key of the field (from bundle_fields)."), True),
            _c("item_code", TEXT, gettext_lazy("Code of an item of the bundle."), True),
            _c("target", TEXT, gettext_lazy("Name of the field in that item's application."), True),
        ),
    ),
    SheetSpec(
        "bundle_materials",
        gettext_lazy("The bundle's de-duplicated material list."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("name", TEXT, gettext_lazy("Material name, unique within the bundle."), True),
            _c("requirement", TEXT, gettext_lazy("required or conditional.")),
            _c("form", TEXT, gettext_lazy("original, copy, original_and_copy or electronic.")),
            _c("copies", INT, gettext_lazy("Number of copies, at least 1.")),
            _c(
                "item_codes",
                LIST,
                gettext_lazy("Codes of the items this material serves, separated by commas."),
                True,
            ),
        ),
    ),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}


# --- export ---------------------------------------------------------------
def _cell(ws: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if value is None or isinstance(value, bool | int | float | dt.date):
        cell = WriteOnlyCell(ws, value=value)
    else:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _rows(center: Center) -> dict[str, list[list[Any]]]:
    rows: dict[str, list[list[Any]]] = {s.name: [] for s in SHEETS}
    versions = selectors.published_items(center=center).prefetch_related("themes", "materials", "steps__post")
    for version in versions:
        spec = item_spec(version)
        rows["items"].append(
            [
                ",".join(spec["themes"]) if c.key == "themes" else spec[c.key]
                for c in SHEET_BY_NAME["items"].columns
            ]
        )
        for m in spec["materials"]:
            rows["materials"].append([spec["code"], *[m[k] for k in SHEET_BY_NAME["materials"].keys[1:]]])
        for s in spec["steps"]:
            rows["steps"].append([spec["code"], *[s[k] for k in SHEET_BY_NAME["steps"].keys[1:]]])
    for theme in Theme.objects.order_by("position", "code"):
        t = theme_spec(theme)
        rows["themes"].append([t[k] for k in SHEET_BY_NAME["themes"].keys])
    bundles = Bundle.objects.filter(center=center).select_related("lead_department").order_by("code")
    for bundle in bundles.prefetch_related("phases", "fields", "materials__items"):
        b = bundle_spec(bundle)
        rows["bundles"].append([b[k] for k in SHEET_BY_NAME["bundles"].keys])
        code = b["code"]
        for p in b["phases"]:
            rows["bundle_phases"].append([code, p["name"], p["promised_limit"]])
        for i in b["items"]:
            rows["bundle_items"].append([code, i["item_code"], i["phase"] or ""])
        for f in b["fields"]:
            rows["bundle_fields"].append([code, *[f[k] for k in SHEET_BY_NAME["bundle_fields"].keys[1:]]])
            for m in f["mappings"]:
                rows["bundle_field_mappings"].append([code, f["key"], m["item_code"], m["target"]])
        for m in b["materials"]:
            rows["bundle_materials"].append(
                [code, m["name"], m["requirement"], m["form"], m["copies"], ",".join(m["item_codes"])]
            )
    return rows


def catalog_export_workbook(*, center: Center) -> bytes:
    """The center's published catalog, its themes and bundles as an .xlsx workbook."""
    wb = Workbook(write_only=True)
    readme = wb.create_sheet(README_SHEET)
    readme.column_dimensions["A"].width = 24
    readme.column_dimensions["B"].width = 26
    readme.column_dimensions["C"].width = 22
    readme.column_dimensions["D"].width = 8
    readme.column_dimensions["E"].width = 80
    readme.append(
        [_cell(readme, _("The catalog workbook of %(center)s") % {"center": center.name}, bold=True)]
    )
    for line in (
        _(
            "Every sheet below is required on import; "
            "the first row of each sheet is its header of fixed keys."
        ),
        _("Rows of the materials, steps and bundle sheets are in order: their order is the position."),
        _("An import is all or nothing: any error and nothing is written; the error report names the cell."),
        _("Importing an unchanged export creates nothing: items whose published version is equal are kept."),
    ):
        readme.append([_cell(readme, line)])
    readme.append([])
    readme.append(
        [
            _cell(readme, h, bold=True)
            for h in (_("sheet"), _("column"), _("type"), _("required"), _("meaning"))
        ]
    )
    for sheet in SHEETS:
        readme.append(
            [_cell(readme, sheet.name, bold=True), None, None, None, _cell(readme, str(sheet.meaning))]
        )
        for col in sheet.columns:
            readme.append(
                [
                    _cell(readme, sheet.name),
                    _cell(readme, col.key),
                    _cell(readme, str(TYPE_LABELS[col.kind])),
                    _cell(readme, _("yes") if col.required else ""),
                    _cell(readme, str(col.meaning)),
                ]
            )
    rows = _rows(center)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        for n, col in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = max(12, len(col.key) + 4)
        ws.append([_cell(ws, key, bold=True) for key in sheet.keys])
        for row in rows[sheet.name]:
            ws.append([_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- import: parsing ------------------------------------------------------
@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
        }

    def __str__(self) -> str:
        if self.row is None:
            return _("Sheet %(sheet)s: %(message)s") % {"sheet": self.sheet, "message": self.message}
        if self.column is None:
            return _("Sheet %(sheet)s, row %(row)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s (cell %(cell)s): %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
        }


def error_report(details: Iterable[dict[str, Any]]) -> list[str]:
    """Readable lines of an import's error details (the list in ValidationFailed.details)."""
    return [
        str(CellError(d["sheet"], d.get("row"), d.get("column"), d.get("cell"), d["message"]))
        for d in details
    ]


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]

    def where(self, column: str | None) -> tuple[str, int, str | None, str | None]:
        if column is None or column not in self.letters:
            return self.sheet, self.number, None, None
        return self.sheet, self.number, column, f"{self.letters[column]}{self.number}"


_TRUE = {"true", "yes", "y", "1", "是", "t"}
_FALSE = {"false", "no", "n", "0", "否", "f"}
_LIST_SPLIT = re.compile(r"[,，;；\s]+")


def _parse(kind: str, raw: Any) -> tuple[Any, str | None]:
    """(value, error message)."""
    if isinstance(raw, str):
        raw = raw.strip()
    empty = raw is None or raw == ""
    if kind == TEXT:
        if empty:
            return "", None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, dt.datetime | dt.date):
            return raw.isoformat()[:10], None
        return str(raw), None
    if kind in (INT, OPT_INT):
        if empty:
            return None, None
        if isinstance(raw, bool):
            return None, _("Expected a whole number, found %(value)s.") % {"value": raw}
        if isinstance(raw, int):
            return raw, None
        if isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        if isinstance(raw, str) and re.fullmatch(r"[+-]?\d+", raw):
            return int(raw), None
        return None, _("Expected a whole number, found %(value)s.") % {"value": raw}
    if kind == BOOL:
        if empty:
            return None, None
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).strip().lower()
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw), None
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, _("Expected TRUE or FALSE (or 是/否), found %(value)s.") % {"value": raw}
    if kind == DATE:
        if empty:
            return None, None
        if isinstance(raw, dt.datetime):
            return raw.date(), None
        if isinstance(raw, dt.date):
            return raw, None
        try:
            return dt.date.fromisoformat(str(raw).strip()[:10]), None
        except ValueError:
            return None, _("Expected a date like 2026-01-31, found %(value)s.") % {"value": raw}
    if kind == LIST:
        if empty:
            return [], None
        return [part for part in _LIST_SPLIT.split(str(raw)) if part], None
    raise ValueError(kind)


@dataclass
class _Parsed:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    structural: bool = False  # a sheet or a header is wrong: the rows cannot be checked as a whole
    bad_cells: set[tuple[str, int, str]] = field(default_factory=set)

    def error(self, row: Row, column: str | None, message: str) -> None:
        sheet, number, col, cell = row.where(column)
        self.errors.append(CellError(sheet, number, col, cell, message))


def _read_sheets(data: bytes) -> _Parsed:
    parsed = _Parsed()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationFailed(
            _("The file is not an Excel workbook (.xlsx): export the catalog workbook and start from it."),
            code="invalid_workbook",
            details=[
                CellError("", None, None, None, _("The file is not an Excel workbook (.xlsx).")).as_dict()
            ],
        ) from exc
    try:
        for sheet in SHEETS:
            if sheet.name not in wb.sheetnames:
                parsed.structural = True
                parsed.errors.append(
                    CellError(
                        sheet.name,
                        None,
                        None,
                        None,
                        _("The sheet %(sheet)s is missing: add it, with the header row %(header)s.")
                        % {"sheet": sheet.name, "header": ", ".join(sheet.keys)},
                    )
                )
                continue
            sheet_rows = _read_sheet(sheet, wb[sheet.name], parsed)
            if sheet_rows is not None:
                parsed.rows[sheet.name] = sheet_rows
    finally:
        wb.close()
    return parsed


def _read_sheet(sheet: SheetSpec, ws: Any, parsed: _Parsed) -> list[Row] | None:
    """The non-empty rows of a sheet, or None when its header row is wrong."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[str, int] = {}
    header_ok = True
    for index, raw in enumerate(header):
        name = str(raw).strip() if raw is not None else ""
        if not name:
            continue
        letter = get_column_letter(index + 1)
        if name not in sheet.keys:
            parsed.errors.append(
                CellError(
                    sheet.name,
                    1,
                    name,
                    f"{letter}1",
                    _("Unknown column %(column)s in the header row: the columns are %(columns)s.")
                    % {"column": name, "columns": ", ".join(sheet.keys)},
                )
            )
            header_ok = False
        elif name in positions:
            parsed.errors.append(
                CellError(
                    sheet.name,
                    1,
                    name,
                    f"{letter}1",
                    _("Column %(column)s appears twice in the header row.") % {"column": name},
                )
            )
            header_ok = False
        else:
            positions[name] = index
    for key in sheet.keys:
        if key not in positions:
            parsed.errors.append(
                CellError(
                    sheet.name,
                    1,
                    key,
                    None,
                    _("Column %(column)s is missing from the header row (row 1): add it.") % {"column": key},
                )
            )
            header_ok = False
    if not header_ok:
        parsed.structural = True
        return None
    letters = {key: get_column_letter(i + 1) for key, i in positions.items()}
    out: list[Row] = []
    for number, values in enumerate(rows, start=2):
        cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        row = Row(sheet.name, number, {}, letters)
        for col in sheet.columns:
            value, message = _parse(col.kind, cells[col.key])
            if message:
                parsed.error(row, col.key, message)
                parsed.bad_cells.add((sheet.name, number, col.key))
            elif col.required and value in ("", None, []):
                parsed.error(row, col.key, _("%(column)s is required: fill it in.") % {"column": col.key})
                parsed.bad_cells.add((sheet.name, number, col.key))
            row.values[col.key] = value
        out.append(row)
    return out


# --- import: building specs and locating errors ----------------------------
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


def _drop_none(values: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: values[k] for k in keys if values.get(k) is not None}


def _build(
    parsed: _Parsed,
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

    bundles: list[dict] = []
    for bsrc in bundle_sources:
        spec = _drop_none(bsrc.row.values, SHEET_BY_NAME["bundles"].keys)
        spec.setdefault("promised_limit", None)
        spec["phases"] = [
            {"name": r.values["name"], "promised_limit": r.values["promised_limit"]} for r in bsrc.phases
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


def catalog_import_workbook(*, center: Center, data: bytes, actor: Any = None) -> services.ImportResult:
    """Import a catalog workbook (all or nothing). On any error raises ValidationFailed whose
    details is the list of {"sheet", "row", "column", "cell", "message"} for every error found."""
    if actor is not None and not actor.has_perm("catalog.import_catalog"):
        raise PermissionDenied(_("You do not have the permission to import the catalog."))
    parsed = _read_sheets(data)
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
        sheet, number, col, cell = row.where(column)
        errors.append(CellError(sheet, number, col, cell, rule_error["message"]))
    if errors:
        unique = list(dict.fromkeys(errors))
        unique.sort(
            key=lambda e: (
                [s.name for s in SHEETS].index(e.sheet) if e.sheet in SHEET_BY_NAME else -1,
                e.row or 0,
            )
        )
        raise ValidationFailed(
            _("The workbook was not imported: %(count)s problems to fix. First: %(first)s")
            % {"count": len(unique), "first": str(unique[0])},
            details=[e.as_dict() for e in unique],
        )
    return services.catalog_import_specs(
        center=center, themes=themes, items=items, bundles=bundles, actor=actor, publish=True
    )
