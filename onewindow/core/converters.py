"""The `<id:...>` path converter: a row id in a page's URL. Like Django's `int`, but at most 18
digits, so that every id it matches fits a 64-bit column; a longer number matches no URL (404)
instead of reaching the database as an integer it cannot store (a 500). Registered in
CoreConfig.ready()."""

from __future__ import annotations


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
