"""The procedure text (办理流程) against the process template (the steps and their limits).

The service guide shows both: the text an administrator wrote, and the table of steps. They must
not silently disagree, so publishing (and saving a draft) refuses a text that gives a step a
different limit than the template, or that gives the limits of some steps and leaves others
out (`mismatches`, called by `rules`). A step's limit is read where the text writes a step's
name followed by a parenthesis: 审查(3个工作日), 受理（当场）, 决定(2个工作日,部门办理).
`describe` writes the text from the steps, for an administrator who wants one that agrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_LIMIT = r"\s*[(（]\s*(?:(当场|即时|即办)|(\d+)\s*个?\s*工作日)[^()（）]{0,20}[)）]?"


@dataclass(frozen=True)
class Step:
    name: str
    limit_days: int
    on_site: bool = True


def _limit(days: int) -> str:
    if days == 0:
        return _("same day")
    return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}


def mentions(text: str, names: Sequence[str]) -> list[tuple[str, int, str]]:
    """(step name, days, the words of the text) for each limit the text gives a step of `names`:
    the name (the longest that fits) followed by a parenthesis with the limit."""
    wanted = sorted({n for n in names if n}, key=len, reverse=True)
    if not wanted:
        return []
    pattern = re.compile("(" + "|".join(re.escape(n) for n in wanted) + ")" + _LIMIT)
    found = []
    for match in pattern.finditer(text or ""):
        days = 0 if match.group(2) else int(match.group(3))
        found.append((match.group(1), days, match.group(0)))
    return found


def mismatches(text: str, steps: Sequence[Step]) -> list[str]:
    """Why `text` disagrees with `steps` (empty when it agrees or gives no step limit)."""
    given = mentions(text, [s.name for s in steps])
    if not given:
        return []
    problems = []
    expected: dict[str, list[int]] = {}
    for step in steps:
        expected.setdefault(step.name, []).append(step.limit_days)
    seen: dict[str, int] = {}
    for name, days, words in given:
        limits = expected[name]
        index = seen.get(name, 0)
        seen[name] = index + 1
        limit = limits[min(index, len(limits) - 1)]
        if days != limit:
            problems.append(
                _(
                    "The procedure text says “%(words)s”, but step %(name)s has a limit of %(limit)s: "
                    "change the text or the step so that they agree."
                )
                % {"words": words, "name": name, "limit": _limit(limit)}
            )
    missing = [s.name for s in steps if s.name not in seen]
    if missing:
        problems.append(
            _(
                "The procedure text gives the limits of some steps but not of %(names)s: "
                "give the limit of every step, or of none."
            )
            % {"names": "、".join(f"“{name}”" for name in missing)}
        )
    if problems:
        problems.append(_("A text that agrees with the steps: %(text)s") % {"text": describe(steps)})
    return problems


def describe(steps: Sequence[Step]) -> str:
    """A procedure text that agrees with `steps`, e.g.
    申请 → 受理（当场） → 审查（3个工作日，部门办理） → 办结送达。"""
    parts = []
    for step in steps:
        limit = "当场" if step.limit_days == 0 else f"{step.limit_days}个工作日"
        where = "" if step.on_site else "，部门办理"
        parts.append(f"{step.name}（{limit}{where}）")
    return "申请 → " + " → ".join(parts) + " → 办结送达。"
