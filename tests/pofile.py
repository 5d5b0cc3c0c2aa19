"""A small reader for gettext .po files, for the translation checks (no writing)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    value = ast.literal_eval(text.strip())
    if not isinstance(value, str):  # pragma: no cover - a malformed file
        raise ValueError(text)
    return value


def parse(path: Path) -> list[Entry]:
    """The active (not obsolete) entries of a .po file, the header included (msgid "")."""
    entries: list[Entry] = []
    current = Entry()
    target: str | None = None
    started = False

    def finish() -> None:
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started and target and target != "msgctxt":
                finish()
            current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#:"):
            if started and target and target != "msgctxt":
                finish()
            current.references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = _unquote(line)
            if target == "msgid":
                current.msgid += value
            elif target == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif target == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            elif target is not None and target.startswith("msgstr"):
                current.msgstr[-1] += value
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and started and target and target.startswith("msgstr"):
            finish()
        if not started:
            current.line = number
        started = True
        target = keyword
        if keyword == "msgid":
            current.msgid = _unquote(rest)
        elif keyword == "msgctxt":
            current.msgctxt = _unquote(rest)
        elif keyword == "msgid_plural":
            current.msgid_plural = _unquote(rest)
        elif keyword.startswith("msgstr"):
            current.msgstr.append(_unquote(rest))
    finish()
    return entries
