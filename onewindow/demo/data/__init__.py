"""The demo center's data as plain literal structures.

`org` holds the center hierarchy, departments, windows and posts; `accounts` the staff; `themes`,
`items_*` and `bundles*` the catalog in the spec format of
`onewindow.catalog.services.catalog_import_specs`. Everything here is fictional: names, phone
numbers (the 000-12345 range) and addresses. Nothing here may be loaded into a production install.
"""

from __future__ import annotations

from onewindow.demo.data.bundles import BUNDLES
from onewindow.demo.data.items_construction import ITEMS as CONSTRUCTION_ITEMS
from onewindow.demo.data.items_enterprise import ITEMS as ENTERPRISE_ITEMS
from onewindow.demo.data.items_public import ITEMS as PUBLIC_ITEMS
from onewindow.demo.data.themes import THEMES

ITEMS: list[dict] = [*ENTERPRISE_ITEMS, *CONSTRUCTION_ITEMS, *PUBLIC_ITEMS]

__all__ = ["BUNDLES", "ITEMS", "THEMES"]
