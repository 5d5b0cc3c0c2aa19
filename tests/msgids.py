"""The messages the code marks for translation, found without GNU gettext: gettext calls with a
literal text in Python, {% translate %} and {% blocktranslate %} in templates (the same msgids
`makemessages` writes)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

Key = tuple[str | None, str]  # (msgctxt, msgid)

_PLAIN = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
_CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_msgids(path: Path) -> Iterator[tuple[Key, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in _PLAIN and node.args and (text := _text(node.args[0])):
            yield (None, text), node.lineno
        elif name in _CONTEXT and len(node.args) >= 2:
            context, text = _text(node.args[0]), _text(node.args[1])
            if context is not None and text:
                yield (context, text), node.lineno


_QUOTED = r"(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)')"
_TRANSLATE = re.compile(r"\{%-?\s*(?:translate|trans)\s+" + _QUOTED + r"(?P<rest>[^%]*)%\}")
_BLOCK = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.S,
)
_CONTEXT_ARG = re.compile(r"context\s+" + _QUOTED)
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\'", "'")


def _block_msgid(body: str, trimmed: bool) -> str:
    text = body.replace("%", "%%")
    text = _VARIABLE.sub(lambda m: f"%({m.group(1)})s", text)
    if trimmed:
        text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text


def template_msgids(path: Path) -> Iterator[tuple[Key, int]]:
    source = path.read_text(encoding="utf-8")
    for match in _TRANSLATE.finditer(source):
        text = _unescape(match.group(1) if match.group(1) is not None else match.group(2))
        context = _CONTEXT_ARG.search(match.group("rest"))
        ctx = _unescape(context.group(1) or context.group(2)) if context else None
        if text:
            yield (ctx, text), source.count("\n", 0, match.start()) + 1
    for match in _BLOCK.finditer(source):
        args = match.group("args")
        context = _CONTEXT_ARG.search(args)
        ctx = _unescape(context.group(1) or context.group(2)) if context else None
        body = re.split(r"\{%\s*plural\s*%\}", match.group("body"))[0]
        text = _block_msgid(body, "trimmed" in args.split())
        if text.strip():
            yield (ctx, text), source.count("\n", 0, match.start()) + 1


def code_msgids(root: Path) -> Iterator[tuple[Key, str]]:
    """Every (msgctxt, msgid) under `root` with where it is, tests and migrations left out."""
    for path in sorted(root.rglob("*")):
        if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            found = python_msgids(path)
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            found = template_msgids(path)
        else:
            continue
        for key, line in found:
            yield key, f"{path.relative_to(root.parent)}:{line}"
