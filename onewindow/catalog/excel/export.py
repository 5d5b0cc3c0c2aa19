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
from onewindow.catalog.excel.columns import README_SHEET, SHEET_BY_NAME, SHEETS, TYPE_LABELS
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
