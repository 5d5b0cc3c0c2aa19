"""The catalog's rules, as pure functions over specs (the dict format in `spec.py`).

Each check returns a list of `RuleError(field, message)`; an empty list means the spec is valid.
`field` is a path: a key of the spec ("promised_limit"), or a key of one material, step, phase,
field or mapping numbered from 1 ("steps.2.limit_days", "fields.1.mappings.2.item_code").
The services, the workbook import and the admin all call these; nothing here reads the database:
the codes that exist are passed in as `CatalogCodes`.

The rules live in `base` (what they share), `items` and `bundles` (themes and bundles).
"""

from onewindow.catalog.rules.base import (
    CODE_RE,
    KEY_RE,
    MAX_SMALL,
    MAX_VISITS,
    CatalogCodes,
    RuleError,
    check_code,
    check_new_item_code,
    check_positions,
    check_unique_codes,
)
from onewindow.catalog.rules.bundles import check_bundle, check_theme
from onewindow.catalog.rules.items import check_item

__all__ = [
    "CODE_RE",
    "KEY_RE",
    "MAX_SMALL",
    "MAX_VISITS",
    "CatalogCodes",
    "RuleError",
    "check_bundle",
    "check_code",
    "check_item",
    "check_new_item_code",
    "check_positions",
    "check_theme",
    "check_unique_codes",
]
