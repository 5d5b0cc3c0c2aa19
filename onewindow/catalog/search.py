"""Chinese-aware catalog search.

Item texts are segmented with jieba (`lcut_for_search`, which also emits the short words
inside long ones) into `ServiceItemVersion.search_text`; a query is segmented the same way
and every query token must occur in the search text. Trigram search would miss the many
two-character Chinese words (许可, 登记, 税务); this does not.

jieba loads its dictionary (about a second) on first use, quietly, once per process.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

_lock = threading.Lock()
_ready = False

# Tokens made only of punctuation, symbols or spaces carry nothing to search for.
_NOISE = re.compile(r"^[\W_]+$", re.UNICODE)


def _jieba():  # type: ignore[no-untyped-def]
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def tokens(text: str) -> list[str]:
    """The search tokens of `text`: jieba words (and the shorter words inside them), lower-cased,
    without punctuation, in order of first appearance, without duplicates."""
    text = (text or "").strip()
    if not text:
        return []
    seen: dict[str, None] = {}
    for word in _jieba().lcut_for_search(text):
        word = word.strip().lower()
        if word and not _NOISE.match(word):
            seen.setdefault(word, None)
    return list(seen)


def search_text(texts: Iterable[str]) -> str:
    """The `search_text` of an item version: the tokens of all its texts followed by the texts
    themselves (whitespace-normalised), so that any substring of a name still matches."""
    parts = [t for t in (texts or []) if t]
    words: dict[str, None] = {}
    for part in parts:
        for word in tokens(part):
            words.setdefault(word, None)
    raw = [" ".join(part.split()).lower() for part in parts]
    return " ".join([*words, *raw])


def query_tokens(q: str | None) -> list[str]:
    """The tokens a query must all match (empty for a blank query)."""
    return tokens(q or "")
