"""Reading a workbook: sheets, header rows and cell values parsed by column type; every problem
becomes a CellError naming its sheet, row, column and cell."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from onewindow.catalog.excel.columns import BOOL, DATE, INT, LIST, OPT_INT, SHEETS, TEXT, SheetSpec
from onewindow.core.errors import ValidationFailed


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
class ParsedWorkbook:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    structural: bool = False  # a sheet or a header is wrong: the rows cannot be checked as a whole
    bad_cells: set[tuple[str, int, str]] = field(default_factory=set)

    def error(self, row: Row, column: str | None, message: str) -> None:
        sheet, number, col, cell = row.where(column)
        self.errors.append(CellError(sheet, number, col, cell, message))


def read_workbook(data: bytes) -> ParsedWorkbook:
    parsed = ParsedWorkbook()
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


def _read_sheet(sheet: SheetSpec, ws: Any, parsed: ParsedWorkbook) -> list[Row] | None:
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
