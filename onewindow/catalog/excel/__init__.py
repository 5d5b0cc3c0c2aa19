"""The catalog workbook (openpyxl): export a center's published catalog, and import one.

The workbook is in Chinese (sheet titles, headers, enumerated values, 是/否); the import also
accepts the English sheet names, column keys and codes of older workbooks. The import parses
every sheet into the spec format and calls `catalog_import_specs`: all or nothing. Every error is
reported with its sheet, row and column (its Chinese header) and cell (a missing sheet, a wrong
header, text in a number column, a value not in an enumerated column's list, a bad boolean or
date, and every rule violation mapped back to the row that caused it). An unchanged export
imports as "unchanged": no new versions. The sheets and columns are documented in
docs/catalog-workbook.md and in the 说明 sheet.

- `columns`: the sheets and their columns (one description for export and import);
- `export`: writing the workbook;
- `reading`: parsing sheets and cells, CellError;
- `importing`: building specs from the rows, locating rule errors, `catalog_import_workbook`.
"""

from onewindow.catalog.excel.columns import README_SHEET, SHEET_BY_NAME, SHEET_BY_TITLE, SHEETS
from onewindow.catalog.excel.export import catalog_export_workbook
from onewindow.catalog.excel.importing import catalog_import_workbook
from onewindow.catalog.excel.reading import CellError, error_report

__all__ = [
    "README_SHEET",
    "SHEETS",
    "SHEET_BY_NAME",
    "SHEET_BY_TITLE",
    "CellError",
    "catalog_export_workbook",
    "catalog_import_workbook",
    "error_report",
]
