"""Formatting filters of cases and notices: `{% load case_format %}`.

* `cn_date`: a date in the Chinese form used under a seal, 2026-12-07 → "2026年12月7日"
  (always Chinese: notices are Chinese documents).
* `doc_date`: the same in Chinese, ISO (2026-12-07) in another language: dates in a notice's text.
* `time_limit`: the promised limit of a case or an item version, "5 个工作日", or "当场办结" for
  an instant item (即办件: handling type instant, or a promised limit of 0 days).
  `{{ version|time_limit:"promised" }}` says "承诺 5 个工作日".
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from onewindow.core import dates
from onewindow.core.dates import as_date

register = template.Library()


@register.filter
def cn_date(value: Any) -> str:
    """2026-12-07 → "2026年12月7日"; anything that is not a date is shown as it is."""
    return dates.cn_date(value)


def is_instant(obj: Any) -> bool:
    """Whether `obj` (a Case, a ServiceItemVersion or a notice snapshot dict) is an instant item."""
    if isinstance(obj, dict):
        if obj.get("is_instant") or obj.get("handling_type") == "instant":
            return True
        limit = obj.get("promised_limit")
    else:
        if getattr(obj, "is_instant", False) or getattr(obj, "handling_type", None) == "instant":
            return True
        limit = getattr(obj, "promised_limit", None)
    return limit is not None and str(limit) == "0"


@register.filter
def time_limit(obj: Any, style: str = "") -> str:
    """The promised limit of `obj` in words; "当场办结" (completed on the spot) for an instant item."""
    if is_instant(obj):
        return _("Completed on the spot")
    days = obj.get("promised_limit") if isinstance(obj, dict) else getattr(obj, "promised_limit", None)
    if days is None:
        return "—"
    n = int(days)
    if style == "promised":
        return ngettext("promised %(days)s working day", "promised %(days)s working days", n) % {"days": n}
    return ngettext("%(days)s working day", "%(days)s working days", n) % {"days": n}


@register.filter
def instant(obj: Any) -> bool:
    """`{% if version|instant %}`: whether `obj` is an instant item (即办件)."""
    return is_instant(obj)


@register.filter
def doc_date(value: Any) -> str:
    """A date in a document's text: the Chinese form (2026年12月7日) in Chinese, ISO otherwise."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    if (get_language() or "").lower().startswith("zh"):
        return cn_date(day)
    return day.isoformat()
