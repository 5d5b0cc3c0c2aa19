"""What every catalog rule uses: `RuleError`, `CatalogCodes`, the spec checker and the code
and position checks."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_SMALL = 32767
MAX_VISITS = 5
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class RuleError:
    field: str
    message: str


@dataclass(frozen=True)
class CatalogCodes:
    """The codes that exist in a center (plus those being imported with the spec)."""

    departments: Mapping[str, str] = field(default_factory=dict)  # code -> name
    windows: Mapping[str, str | None] = field(default_factory=dict)  # code -> department code
    posts: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()
    # item code -> the promised limit of its published version (for warnings, not errors)
    item_limits: Mapping[str, int] = field(default_factory=dict)


class _Checker:
    """Collects errors for one spec, with typed getters that report wrong types once."""

    def __init__(self, spec: Any, prefix: str = "") -> None:
        self.spec: Mapping[str, Any] = spec if isinstance(spec, Mapping) else {}
        self.prefix = prefix
        self.errors: list[RuleError] = []

    def add(self, key: str, message: str) -> None:
        self.errors.append(RuleError(f"{self.prefix}{key}", message))

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.spec.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(key, _("%(field)s must be text.") % {"field": key})
            return ""
        value = value.strip()
        if required and not value:
            self.add(key, _("%(field)s is required: fill it in.") % {"field": key})
        if max_length is not None and len(value) > max_length:
            self.add(
                key,
                _("%(field)s is %(length)s characters long: at most %(max)s are allowed.")
                % {"field": key, "length": len(value), "max": max_length},
            )
        return value

    def integer(
        self, key: str, *, required: bool = False, minimum: int = 0, default: int | None = None
    ) -> int | None:
        value = self.spec.get(key, default)
        if value is None:
            if required:
                self.add(key, _("%(field)s is required: enter a whole number.") % {"field": key})
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                key, _("%(field)s must be a whole number, not %(value)s.") % {"field": key, "value": value}
            )
            return None
        if value < minimum or value > MAX_SMALL:
            self.add(
                key,
                _("%(field)s is %(value)s: it must be between %(min)s and %(max)s.")
                % {"field": key, "value": value, "min": minimum, "max": MAX_SMALL},
            )
            return None
        return value

    def boolean(self, key: str) -> None:
        value = self.spec.get(key)
        if value is not None and not isinstance(value, bool):
            self.add(
                key, _("%(field)s must be true or false, not %(value)s.") % {"field": key, "value": value}
            )

    def choice(self, key: str, choices: Iterable[str], *, default: str | None = None) -> str | None:
        value = self.spec.get(key, default)
        allowed = list(choices)
        if value is None or value == "":
            if default is None:
                self.add(
                    key,
                    _("%(field)s is required: use one of %(choices)s.")
                    % {"field": key, "choices": ", ".join(allowed)},
                )
            return default
        if value not in allowed:
            self.add(
                key,
                _("Unknown %(field)s %(value)s: use one of %(choices)s.")
                % {"field": key, "value": value, "choices": ", ".join(allowed)},
            )
            return None
        return str(value)

    def date(self, key: str) -> dt.date | None:
        value = self.spec.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(
            key, _("%(field)s must be a date (YYYY-MM-DD), not %(value)s.") % {"field": key, "value": value}
        )
        return None

    def items(self, key: str) -> list[Any]:
        value = self.spec.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(key, _("%(field)s must be a list.") % {"field": key})
            return []
        return list(value)

    def sub(self, key: str, number: int, spec: Any) -> _Checker:
        child = _Checker(spec, f"{self.prefix}{key}.{number}.")
        if not isinstance(spec, Mapping):
            self.add(
                f"{key}.{number}",
                _("Entry %(number)s of %(field)s must be a mapping.") % {"number": number, "field": key},
            )
        return child

    def absorb(self, child: _Checker) -> None:
        self.errors.extend(child.errors)


def check_code(code: Any) -> list[RuleError]:
    """An item or bundle code: letters, digits, '.', '-', '_' (it appears in URLs), at most 40."""
    if not isinstance(code, str) or not code.strip():
        return [RuleError("code", _("code is required: fill it in."))]
    if not CODE_RE.match(code) or len(code) > 40:
        return [
            RuleError(
                "code",
                _(
                    "Code %(code)s is not valid: use at most 40 letters, digits, '.', '-' or '_', "
                    "starting with a letter or digit."
                )
                % {"code": code},
            )
        ]
    return []


def check_positions(positions: list[int], *, what: str) -> str | None:
    """Positions must run 1, 2, 3 … in some order, without gaps or repeats; the message or None.
    (Specs are ordered lists, so this applies where positions are typed in: the admin.)"""
    if sorted(positions) != list(range(1, len(positions) + 1)):
        return _("The %(what)s positions must run 1, 2, 3 … without gaps or repeats: found %(found)s.") % {
            "what": what,
            "found": ", ".join(str(p) for p in positions),
        }
    return None


def check_new_item_code(code: str, existing: Iterable[str]) -> str | None:
    """A new item's code must not be taken in its center."""
    if code in set(existing):
        return _(
            "Code %(code)s is already used by an item of this center: codes must be unique within a "
            "center; edit that item (a new draft) instead."
        ) % {"code": code}
    return None


def check_unique_codes(codes: Iterable[str], *, what: str) -> list[tuple[str, str]]:
    """(code, message) for every code that appears more than once."""
    counts = Counter(codes)
    return [
        (
            code,
            _("Code %(code)s is used by %(count)s %(what)s: codes must be unique within a center.")
            % {"code": code, "count": n, "what": what},
        )
        for code, n in counts.items()
        if n > 1
    ]
