"""Every message a user can see is translated, in clean Chinese, and services raise translated
errors (gettext at raise time: the API and the pages show `exc.message` as it is)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

from tests.msgids import code_msgids, template_msgids
from tests.pofile import Entry, parse

ROOT = Path(__file__).resolve().parent.parent / "onewindow"
PO_FILES = sorted(ROOT.rglob("locale/zh_Hans/LC_MESSAGES/django.po"))

HAN = r"\u3400-\u9fff"
FULL_WIDTH_PUNCT = "，。；：、！？（）《》…—"  # not the quotes: “holidays:” quotes a Latin word
CHINESE = f"[{HAN}{FULL_WIDTH_PUNCT}]"
ASCII_PUNCT = r"[,;:!?()]"
# An ASCII sign touching a Chinese character or sign ("受理," "（见附件)" "办结."); ASCII runs such as
# 2026-03-06T17:30:00+08:00, e.g. or /api/v1/docs between two Latin characters stay allowed.
ASCII_IN_CHINESE = re.compile(
    f"(?<={CHINESE}){ASCII_PUNCT}|{ASCII_PUNCT}(?={CHINESE})|(?<=[{HAN}])\\.(?=$|\\s|{CHINESE})"
)
# Arguments of the yesno filter ("yes,no") are lists, not prose.
FILTER_ARGUMENTS = re.compile(r"^\w+(,\w+)+$")
DOUBLED = re.compile("[，。；：、！？]{2}|，”|；”")


def _label(path: Path, entry: Entry) -> str:
    return f"{path.relative_to(ROOT.parent)}:{entry.line} {entry.msgid[:60]!r}"


def _entries() -> list[tuple[Path, Entry]]:
    return [(path, entry) for path in PO_FILES for entry in parse(path) if entry.msgid]


def test_there_are_catalogs_to_check():
    assert len(PO_FILES) >= 10
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES


def test_every_entry_has_a_translation():
    missing = [_label(path, e) for path, e in _entries() if not e.translated]
    assert not missing, "untranslated or fuzzy entries:\n" + "\n".join(missing)


def test_every_message_marked_in_the_code_has_a_chinese_translation():
    """gettext calls and template tags: the msgid is translated in one of the catalogs (Django
    merges them), so no English text shows on a Chinese page."""
    translated = {entry.key for _path, entry in _entries() if entry.translated}
    missing = sorted(f"{where} {key[1][:70]!r}" for key, where in code_msgids(ROOT) if key not in translated)
    assert not missing, "add these to the app's django.po and compile it:\n" + "\n".join(missing)


def test_the_template_reader_finds_blocks_with_variables(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% translate "Save" %} {% translate \'Back\' context "nav" %}\n'
        "{% blocktranslate trimmed with n=x %}\n  Hello {{ n }},\n  50%\n{% endblocktranslate %}"
        "{% blocktranslate count c=k %}{{ c }} item{% plural %}{{ c }} items{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert [key for key, _line in template_msgids(page)] == [
        (None, "Save"),
        ("nav", "Back"),
        (None, "Hello %(n)s, 50%%"),
        (None, "%(c)s item"),
    ]


def test_chinese_punctuation_is_full_width_and_never_doubled():
    bad = []
    for path, entry in _entries():
        if FILTER_ARGUMENTS.match(entry.msgid):
            continue
        for text in entry.msgstr:
            if ASCII_IN_CHINESE.search(text):
                bad.append(f"ASCII punctuation in Chinese: {_label(path, entry)} -> {text!r}")
            if DOUBLED.search(text):
                bad.append(f"doubled punctuation: {_label(path, entry)} -> {text!r}")
    assert not bad, "\n".join(bad)


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\(\w+\)[sdr]|\{\w*\}")
    bad = []
    for path, entry in _entries():
        wanted = sorted(set(placeholder.findall(entry.msgid_plural or entry.msgid)))
        for text in entry.msgstr:
            if sorted(set(placeholder.findall(text))) != wanted and "%" in entry.msgid:
                bad.append(f"{_label(path, entry)} -> {text!r}")
    assert not bad, "placeholders differ:\n" + "\n".join(bad)


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalog_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"run msgfmt -o django.mo django.po in {po.parent}"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse(po):
        if not entry.msgid or not entry.translated or entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if compiled._catalog.get(key) != entry.msgstr[0]:  # type: ignore[attr-defined]
            stale.append(_label(po, entry))
    assert not stale, f"{mo} is out of date (msgfmt -o django.mo django.po):\n" + "\n".join(stale[:20])


ERRORS = {
    "DomainError",
    "ValidationFailed",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "InvalidTransition",
    "NotAuthenticated",
    "RateLimited",
    "InvalidCredentials",
    "AccountLocked",
}


def _literal(node: ast.AST) -> bool:
    """An English text written in place, not passed through gettext."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search("[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _literal(node.left)
    return False


def _untranslated_raises(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in ERRORS:
            continue
        texts = list(node.exc.args)
        for keyword in node.exc.keywords:
            if keyword.arg == "details" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    texts.extend(value.elts if isinstance(value, ast.List) else [value])
        found += [f"{path.relative_to(ROOT.parent)}:{node.lineno}" for text in texts if _literal(text)]
    for node in ast.walk(tree):  # JSON error bodies written by hand: {"code": ..., "message": "..."}
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "message" and _literal(value):
                    found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_domain_errors_are_raised_with_translated_messages():
    sources = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    bad = [where for path in sources for where in _untranslated_raises(path)]
    assert not bad, "wrap the message in gettext (_()):\n" + "\n".join(bad)
