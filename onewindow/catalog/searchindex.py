"""The full-text index of the published catalog, read with the database's own ranking.

`SearchEntry` rows (written with the ORM by the services on publish) hold the index terms of
an item's name and other texts (`search.index_terms`). On top of that table:

- SQLite: an FTS5 table with external content (`catalog_search_fts`, unicode61 tokenizer) kept in
  step by triggers on insert, update and delete, ranked with `bm25()`;
- PostgreSQL: a stored generated column `doc` (name terms weight A, other terms weight B, 'simple'
  configuration, no extension) with a GIN index, ranked with `ts_rank()`.

This is the only module of the catalog with raw SQL, and only because the ORM cannot say it:
FTS5's MATCH, bm25() and virtual tables have no ORM expression, and the PostgreSQL column is
outside the model (it exists on one database only, so no model field can describe it; Django's
contrib.postgres SearchVector would rebuild every vector on every query instead of using the
index). Everything here is a read, except `create_schema`/`drop_schema` for migration 0002.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from onewindow.catalog.search import QueryWord
from onewindow.core import fastsql

NAME_WEIGHT = 10.0  # bm25: a term in the name counts ten times one in the other texts
OTHER_WEIGHT = 1.0

_SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE catalog_search_fts USING fts5(
        name_terms, other_terms, content='catalog_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER catalog_search_fts_ai AFTER INSERT ON catalog_searchentry BEGIN
        INSERT INTO catalog_search_fts(rowid, name_terms, other_terms)
        VALUES (new.id, new.name_terms, new.other_terms);
    END""",
    """CREATE TRIGGER catalog_search_fts_ad AFTER DELETE ON catalog_searchentry BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, name_terms, other_terms)
        VALUES ('delete', old.id, old.name_terms, old.other_terms);
    END""",
    """CREATE TRIGGER catalog_search_fts_au AFTER UPDATE ON catalog_searchentry BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, name_terms, other_terms)
        VALUES ('delete', old.id, old.name_terms, old.other_terms);
        INSERT INTO catalog_search_fts(rowid, name_terms, other_terms)
        VALUES (new.id, new.name_terms, new.other_terms);
    END""",
    "INSERT INTO catalog_search_fts(catalog_search_fts) VALUES ('rebuild')",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalog_search_fts_ai",
    "DROP TRIGGER IF EXISTS catalog_search_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_search_fts_au",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
_PG_SCHEMA = [
    """ALTER TABLE catalog_searchentry ADD COLUMN doc tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, name_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, other_terms), 'B')) STORED""",
    "CREATE INDEX catalog_searchentry_doc ON catalog_searchentry USING gin (doc)",
]
_PG_DROP = [
    "DROP INDEX IF EXISTS catalog_searchentry_doc",
    "ALTER TABLE catalog_searchentry DROP COLUMN IF EXISTS doc",
]


def create_schema(db: BaseDatabaseWrapper) -> None:
    """Create the database's full-text part on top of catalog_searchentry (migration 0002)."""
    statements = {"sqlite": _SQLITE_SCHEMA, "postgresql": _PG_SCHEMA}.get(db.vendor, [])
    with db.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_schema(db: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP}.get(db.vendor, [])
    with db.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _fts5_query(words: Sequence[QueryWord], *, any_word: bool) -> str:
    # Terms hold only Chinese characters, ASCII letters and digits (search._RUNS): quoting them
    # is enough to keep FTS5's query syntax out.
    phrases = []
    for word in words:
        phrase = '"' + " ".join(word.terms) + '"'
        phrases.append(phrase + "*" if word.prefix else phrase)
    return (" OR " if any_word else " AND ").join(phrases)


def _tsquery(words: Sequence[QueryWord], *, any_word: bool) -> str:
    phrases = []
    for word in words:
        terms = [f"'{t}'" + (":*" if word.prefix else "") for t in word.terms]
        phrases.append("(" + " <-> ".join(terms) + ")")
    return (" | " if any_word else " & ").join(phrases)


def match(words: Sequence[QueryWord], *, any_word: bool = False) -> dict[int, float]:
    """Version id -> relevance (higher is better) of the indexed versions that match every word
    (or any word with `any_word`). Empty without words or on a database without an index."""
    if not words:
        return {}
    if connection.vendor == "sqlite":
        sql = (
            "SELECT e.version_id, bm25(catalog_search_fts, %s, %s) FROM catalog_search_fts"
            " JOIN catalog_searchentry e ON e.id = catalog_search_fts.rowid"
            " WHERE catalog_search_fts MATCH %s"
        )
        found = fastsql.rows(sql, [NAME_WEIGHT, OTHER_WEIGHT, _fts5_query(words, any_word=any_word)])
        return {int(vid): -float(score) for vid, score in found}  # bm25: lower is better
    if connection.vendor == "postgresql":
        sql = (
            "SELECT version_id, ts_rank(doc, q) FROM catalog_searchentry,"
            " to_tsquery('simple'::regconfig, %s) AS q WHERE doc @@ q"
        )
        found = fastsql.rows(sql, [_tsquery(words, any_word=any_word)])
        return {int(vid): float(score) for vid, score in found}
    return {}
