"""The catalog search: the queries of the search table against the demo catalog, copied to a
center-sized catalog, next to listing the same catalog without a query (same run)."""

from __future__ import annotations

import copy
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from setup_db import best_of, django_setup

COPIES = 10  # the demo's 85 items ten times over: about the size of a city center's catalog


def load() -> object:
    from django.db import transaction

    from onewindow.catalog.services import catalog_import_specs
    from onewindow.demo import loader
    from onewindow.demo.data.org import DEMO_CENTER_CODE
    from onewindow.demo.specs import bundle_specs, item_specs, theme_specs

    counts: Counter[str] = Counter()
    with transaction.atomic():
        center = loader._load_centers(counts, counts)[DEMO_CENTER_CODE]
        loader._load_posts(counts, counts)
        departments = loader._load_departments(center, counts, counts)
        loader._load_windows(center, departments, counts, counts)
        items = item_specs()
        for n in range(1, COPIES):
            for spec in item_specs():
                spec = copy.deepcopy(spec)
                spec["code"] = f"{spec['code']}-{n}"
                items.append(spec)
        catalog_import_specs(
            center=center, themes=theme_specs(), items=items, bundles=bundle_specs(), actor=None, publish=True
        )
    return center


def main() -> None:
    django_setup()
    from onewindow.catalog import selectors
    from onewindow.catalog.models import SearchEntry
    from tests.test_search_table import TABLE

    center = load()
    queries = [q for q, _expected in TABLE]
    print(f"  catalog: {SearchEntry.objects.count():,} indexed items; {len(queries)} queries")

    def listing() -> None:
        for _q in queries:
            list(selectors.published_items(center=center))

    def search() -> None:
        for q in queries:
            selectors.search_items(q, center=center)

    selectors.search_items("营业执照", center=center)  # jieba's dictionary, once per process
    base = best_of(3, listing)
    t = best_of(3, search)
    n = len(queries)
    print(f"  baseline: list the whole catalog, no query                {base / n * 1000:8.2f} ms/query")
    print(
        f"  search (synonyms, full-text index, ranking)               {t / n * 1000:8.2f} ms/query"
        f"  ({t / base:.1f}× baseline)"
    )


if __name__ == "__main__":
    main()
