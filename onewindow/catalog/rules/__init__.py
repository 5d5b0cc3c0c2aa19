"""The catalog's rules, as pure functions over specs (the dict format in `spec.py`).

Each check returns a list of `RuleError(field, message)`; an empty list means the spec is valid.
`field` is a path: a key of the spec ("promised_limit"), or a key of one material, step, phase,
field or mapping numbered from 1 ("steps.2.limit_days", "fields.1.mappings.2.item_code").
The services, the workbook import and the admin all call these; nothing here reads the database:
the codes that exist are passed in as `CatalogCodes`.

The rules live in `base` (what they share), `items` and `bundles` (themes and bundles).

Warnings: `bundle_warnings` returns, in the same `RuleError` form, what a valid bundle spec may
do but likely should not (its phases' critical path longer than its promised limit). They never
refuse a save: the import lists them in `ImportResult.warnings`, the admin shows them as warning
messages after the save.
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
from onewindow.catalog.rules.bundles import (
    bundle_warnings,
    check_bundle,
    check_theme,
    critical_path,
    phase_groups,
)
from onewindow.catalog.rules.items import check_item

__all__ = [
    "CODE_RE",
    "KEY_RE",
    "MAX_SMALL",
    "MAX_VISITS",
    "CatalogCodes",
    "RuleError",
    "bundle_warnings",
    "check_bundle",
    "check_code",
    "check_item",
    "check_new_item_code",
    "check_positions",
    "check_theme",
    "check_unique_codes",
    "critical_path",
    "phase_groups",
]
