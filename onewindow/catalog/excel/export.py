"""Writing the catalog workbook: a center's published catalog, its themes and bundles."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from onewindow.catalog import selectors
from onewindow.catalog.excel.columns import (
    BOOL,
    CHOICE,
    FALSE_TEXT,
    README_SHEET,
    SHEET_BY_NAME,
    SHEETS,
    TRUE_TEXT,
    TYPE_LABELS,
    Column,
)
from onewindow.catalog.models import Bundle, Theme
from onewindow.catalog.spec import bundle_spec, item_spec, theme_spec
from onewindow.org.models import Center


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


def _workbook_value(column: Column, value: Any) -> Any:
    """A spec value as the workbook shows it: enumerated codes as their Chinese labels, booleans
    as 是/否."""
    if column.kind == CHOICE and value:
        return column.to_cell(str(value))
    if column.kind == BOOL and isinstance(value, bool):
        return TRUE_TEXT if value else FALSE_TEXT
    return value


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
            rows["bundle_phases"].append([code, p["name"], p["promised_limit"], p["merge_with_previous"]])
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
        for q in b["questions"]:
            for o in q["options"]:
                rows["bundle_questions"].append(
                    [code, q["key"], q["text"], o["value"], o["label"], ",".join(o["item_codes"])]
                )
    return rows


def catalog_export_workbook(*, center: Center) -> bytes:
    """The center's published catalog, its themes and bundles as an .xlsx workbook."""
    wb = Workbook(write_only=True)
    readme = wb.create_sheet(README_SHEET)
    for letter, width in zip("ABCDEFG", (18, 24, 24, 22, 8, 60, 60), strict=True):
        readme.column_dimensions[letter].width = width
    readme.append(
        [_cell(readme, _("The catalog workbook of %(center)s") % {"center": center.name}, bold=True)]
    )
    for line in (
        _(
            "Every sheet below is required on import; "
            "the first row of each sheet is its header of fixed column names."
        ),
        _(
            "Enumerated columns take one of the values listed (in Chinese); yes/no columns take 是 or 否. "
            "Older workbooks with English sheet names, column keys and codes are accepted too."
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
            for h in (_("sheet"), _("column"), _("key"), _("type"), _("required"), _("meaning"), _("values"))
        ]
    )
    for sheet in SHEETS:
        readme.append(
            [
                _cell(readme, sheet.title, bold=True),
                None,
                _cell(readme, sheet.name),
                None,
                None,
                _cell(readme, str(sheet.meaning)),
            ]
        )
        for col in sheet.columns:
            readme.append(
                [
                    _cell(readme, sheet.title),
                    _cell(readme, col.header),
                    _cell(readme, col.key),
                    _cell(readme, str(TYPE_LABELS[col.kind])),
                    _cell(readme, _("yes") if col.required else ""),
                    _cell(readme, str(col.meaning)),
                    _cell(readme, col.values_text() if col.kind == CHOICE else ""),
                ]
            )
    rows = _rows(center)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.title)
        for n, col in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = max(12, 2 * len(col.header) + 4)
        ws.append([_cell(ws, header, bold=True) for header in sheet.headers])
        for row in rows[sheet.name]:
            ws.append([_cell(ws, _workbook_value(col, v)) for col, v in zip(sheet.columns, row, strict=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
