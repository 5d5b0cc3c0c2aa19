"""docs/domain/cases.md shows the state table as it is in transitions.py."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from onewindow.cases import transitions as T


def test_the_documented_table_is_the_table() -> None:
    text = (Path(settings.BASE_DIR) / "docs" / "domain" / "cases.md").read_text(encoding="utf-8")
    documented: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in text.splitlines():
        match = re.match(r"^\| `(\w+)` \| ([\w, ]+) \| ([\w ()]+) \| (.+) \|$", line)
        if not match or match.group(1) not in T.ACTIONS:
            continue
        action, sources, targets, permission = match.groups()
        for source in (s.strip() for s in sources.split(",")):
            to = (
                (source,)
                if targets.strip() == "(unchanged)"
                else tuple(t.strip() for t in targets.split(" or "))
            )
            documented[(source, action)] = to
            perm = T.TABLE[(source, action)].permission if (source, action) in T.TABLE else "?"
            assert (perm or "system") in permission, (source, action)
    assert documented == {key: t.targets for key, t in T.TABLE.items()}
