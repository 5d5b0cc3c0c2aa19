"""Chinese-aware search text: what the search index stores and what a query asks for.

Chinese has no spaces, and the two-character words (许可, 登记, 税务) are the most common, so
the index stores the character **bigrams** of every run of Chinese characters (食品经营 -> 食品
品经 经营) plus the run's last character, and the lower-cased ASCII words (codes, numbers). Any
substring of two characters or more of an indexed text is then a phrase of adjacent bigrams,
found by SQLite FTS5 (unicode61 tokenizer) and by PostgreSQL's 'simple' tsvector alike, with no
extension and no dictionary (see `searchindex`).

A query is normalised (NFKC, lower case), cleared of filler words (办理, 申请, 怎么办, 如何 …)
and cut into words with jieba; each word becomes one phrase that must match (`QueryWord`).
jieba loads its dictionary (about a second) on first use, quietly, once per process.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
_ready = False

# Filler words of everyday questions: they say how someone asks, not what for. Longest first,
# so that 怎么办理 goes before 怎么 and 办理.
FILLER_WORDS = sorted(
    {
        "怎么办理",
        "如何办理",
        "怎样办理",
        "在哪里办",
        "在哪办",
        "去哪里办",
        "去哪办",
        "需要什么材料",
        "要什么材料",
        "需要哪些材料",
        "要带什么",
        "怎么办",
        "怎么弄",
        "怎么",
        "如何",
        "怎样",
        "在哪里",
        "在哪儿",
        "在哪",
        "哪里",
        "去哪",
        "需要",
        "什么",
        "哪些",
        "办理",
        "申请",
        "申办",
        "我要",
        "我想",
        "想要",
        "请问",
        "流程",
        "手续",
        "一下",
    },
    key=lambda w: (-len(w), w),
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def _jieba() -> Any:
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def normalize(text: str | None) -> str:
    """Full-width forms to half-width (NFKC), lower case, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def compact(text: str | None) -> str:
    """`normalize` without anything but Chinese characters, letters and digits (for comparing a
    query with a name: 居民身份证申领(首次申领) -> 居民身份证申领首次申领)."""
    return "".join(_RUNS.findall(normalize(text)))


def strip_fillers(text: str, *, keep_all_fillers: bool = True) -> str:
    """`text` (normalised) without the filler words; unchanged when nothing else would be left
    (empty instead with keep_all_fillers=False)."""
    stripped = text
    for word in FILLER_WORDS:
        stripped = stripped.replace(word, " ")
    stripped = " ".join(stripped.split())
    if compact(stripped) or not keep_all_fillers:
        return stripped
    return text


def _run_terms(run: str) -> list[str]:
    if not _IS_CJK.match(run):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_terms(texts: Iterable[str | None]) -> str:
    """The index text of `texts`: bigrams of the Chinese runs (and each run's last character),
    ASCII words, space-separated, the texts one after another."""
    out: list[str] = []
    for text in texts:
        for run in _RUNS.findall(normalize(text)):
            out.extend(_run_terms(run))
    return " ".join(out)


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: `text` as typed (normalised), `terms` the index terms that must be
    adjacent (a phrase); `prefix`: a single Chinese character, matched as the start of a term."""

    text: str
    terms: tuple[str, ...]
    prefix: bool = False


def _words_of_run(run: str) -> list[str]:
    if not _IS_CJK.match(run):
        return [run]
    return [w for w in (w.strip() for w in _jieba().lcut(run)) if w]


def query_words(q: str | None) -> list[QueryWord]:
    """The words a query must all match (empty for a blank query). Filler words go; single
    characters are kept only when the query has nothing longer."""
    text = strip_fillers(normalize(q))
    words: list[QueryWord] = []
    for run in _RUNS.findall(text):
        for part in _words_of_run(run):
            if _IS_CJK.match(part) and len(part) > 1:
                terms = tuple(part[i : i + 2] for i in range(len(part) - 1))
                words.append(QueryWord(part, terms))
            elif _IS_CJK.match(part):
                words.append(QueryWord(part, (part,), prefix=True))
            else:
                words.append(QueryWord(part, (part,)))
    long = [w for w in words if not w.prefix]
    seen: dict[str, QueryWord] = {}
    for found in long or words:
        seen.setdefault(found.text, found)
    return list(seen.values())
