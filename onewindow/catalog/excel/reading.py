"""Reading a workbook: sheets, header rows and cell values parsed by column type; every problem
becomes a CellError naming its sheet (as titled in the workbook), row, column (its Chinese header)
and cell.

A sheet is found by its Chinese title or its English name, a column by its Chinese header or its
key (spaces and the width of brackets do not matter), an enumerated value by its Chinese label,
its code or its English label: workbooks exported before the headers were in Chinese import as
they did."""

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

from onewindow.catalog.excel.columns import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    LIST,
    OPT_INT,
    SHEETS,
    TEXT,
    Column,
    SheetSpec,
    normalize,
)
from onewindow.core.errors import ValidationFailed


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    message: str
    key: str | None = None  # the column's key (e.g. legal_limit), for programs

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
            "key": self.key,
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
        str(CellError(d["sheet"], d.get("row"), d.get("column"), d.get("cell"), d["message"], d.get("key")))
        for d in details
    ]


@dataclass
class Row:
    sheet: str  # the sheet's title as it is in the workbook
    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    spec: SheetSpec

    def where(self, column: str | None) -> CellError:
        """A CellError (without message) at this row and the column of key `column`."""
        if column is None or column not in self.letters:
            return CellError(self.sheet, self.number, None, None, "")
        header = self.spec.column(column).header
        return CellError(self.sheet, self.number, header, f"{self.letters[column]}{self.number}", "", column)

    def error(self, column: str | None, message: str) -> CellError:
        where = self.where(column)
        return CellError(where.sheet, where.row, where.column, where.cell, message, where.key)


_TRUE = {"true", "yes", "y", "1", "是", "t"}
_FALSE = {"false", "no", "n", "0", "否", "f"}
_LIST_SPLIT = re.compile(r"[,，;；\s]+")


def _parse(column: Column, raw: Any) -> tuple[Any, str | None]:
    """(value, error message)."""
    kind = column.kind
    if isinstance(raw, str):
        raw = raw.strip()
    empty = raw is None or raw == ""
    if kind == CHOICE:
        if empty:
            return "", None
        code = column.to_code(str(raw))
        if code is None:
            return None, _("%(value)s is not one of the values of this column: %(values)s.") % {
                "value": raw,
                "values": column.values_text(),
            }
        return code, None
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
        self.errors.append(row.error(column, message))


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
            title = next((t for t in (sheet.title, sheet.name) if t in wb.sheetnames), None)
            if title is None:
                parsed.structural = True
                parsed.errors.append(
                    CellError(
                        sheet.title,
                        None,
                        None,
                        None,
                        _("The sheet %(sheet)s is missing: add it, with the header row %(header)s.")
                        % {"sheet": sheet.title, "header": ", ".join(sheet.headers)},
                    )
                )
                continue
            sheet_rows = _read_sheet(sheet, wb[title], parsed)
            if sheet_rows is not None:
                parsed.rows[sheet.name] = sheet_rows
    finally:
        wb.close()
    return parsed


def _read_sheet(sheet: SheetSpec, ws: Any, parsed: ParsedWorkbook) -> list[Row] | None:
    """The non-empty rows of a sheet, or None when its header row is wrong."""
    title = str(ws.title)
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_name = {normalize(c.header): c.key for c in sheet.columns} | {normalize(k): k for k in sheet.keys}
    positions: dict[str, int] = {}
    header_ok = True
    for index, raw in enumerate(header):
        name = str(raw).strip() if raw is not None else ""
        if not name:
            continue
        letter = get_column_letter(index + 1)
        key = by_name.get(normalize(name))
        if key is None:
            parsed.errors.append(
                CellError(
                    title,
                    1,
                    name,
                    f"{letter}1",
                    _("Unknown column %(column)s in the header row: the columns are %(columns)s.")
                    % {"column": name, "columns": ", ".join(sheet.headers)},
                )
            )
            header_ok = False
        elif key in positions:
            parsed.errors.append(
                CellError(
                    title,
                    1,
                    sheet.column(key).header,
                    f"{letter}1",
                    _("Column %(column)s appears twice in the header row.")
                    % {"column": sheet.column(key).header},
                    key,
                )
            )
            header_ok = False
        else:
            positions[key] = index
    for col in sheet.columns:
        if col.key not in positions and not col.may_be_absent:
            parsed.errors.append(
                CellError(
                    title,
                    1,
                    col.header,
                    None,
                    _("Column %(column)s is missing from the header row (row 1): add it.")
                    % {"column": col.header},
                    col.key,
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
        row = Row(title, number, {}, letters, sheet)
        for col in sheet.columns:
            value, message = _parse(col, cells.get(col.key))  # an absent column: empty
            if message:
                parsed.error(row, col.key, message)
                parsed.bad_cells.add((title, number, col.key))
            elif col.required and value in ("", None, []):
                parsed.error(row, col.key, _("%(column)s is required: fill it in.") % {"column": col.header})
                parsed.bad_cells.add((title, number, col.key))
            row.values[col.key] = value
        out.append(row)
    return out
