"""Finding what people mean: the published items that answer a query, best first.

1. The everyday-wording table (`synonyms`): each phrase found in the query brings its targets
   first, in the administrator's order (开饭店 -> 食品经营许可, 营业执照, 公共场所卫生许可).
2. The full-text index (`searchindex`) on the query, without filler words:
   every word must match, as a phrase of bigrams, in the name or the other texts.
3. Relevance: the exact name first (with or without its parenthesis), then names that contain
   the query (the earlier, then the shorter, the better), then names that contain every word,
   then the other texts, ordered by the database's rank (bm25 on SQLite, ts_rank on
   PostgreSQL); ties by code. When nothing matches every word, the items that have at least
   one word in their name, those with the rarer words (fewer items have them) first.

Versions published without the services (no index entry) are still found by their name, code
and department name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from onewindow.catalog import search, searchindex, synonyms
from onewindow.catalog.models import Bundle, BundleItem, SearchSynonym, ServiceItemVersion
from onewindow.org.models import Center

OTHER_TEXTS = 3  # the tier of a match outside the name


@dataclass(frozen=True)
class Found:
    """The outcome of a query: version ids best first, and the synonyms that answered."""

    ids: list[int]
    synonyms: list[SearchSynonym]
    bundle_ids: list[int] = field(default_factory=list)  # bundles a synonym named


def _published(center: Center | None) -> QuerySet[ServiceItemVersion]:
    qs = ServiceItemVersion.objects.filter(item__published_version=F("pk"))
    return qs.filter(item__center=center) if center is not None else qs


def _tier(name: str, query: str, words: Sequence[search.QueryWord]) -> tuple[int, int]:
    """(tier, position) of a name for a query (both compacted)."""
    base = search.compact(search.normalize(name).split("(")[0])
    name = search.compact(name)
    if query and query in (name, base):
        return 0, 0
    if query and query in name:
        return 1, name.index(query)
    if words and all(w.text in name for w in words):
        return 2, name.index(words[0].text)
    return OTHER_TEXTS, 0


def _unindexed(center: Center | None, words: Sequence[search.QueryWord]) -> QuerySet[ServiceItemVersion]:
    qs = _published(center).filter(item__search_entry__isnull=True)
    for word in words:
        qs = qs.filter(
            Q(name__icontains=word.text)
            | Q(item__code__icontains=word.text)
            | Q(department__name__icontains=word.text)
        )
    return qs


def _search(center: Center | None, text: str, *, any_word: bool) -> list[tuple[int, tuple[int, int]]]:
    """(version id, (tier, position)) of the matches of `text`, best first."""
    words = search.query_words(text)
    if not words:
        return []
    scores = searchindex.match(words)
    some_words = False
    weight = {w.text: 1.0 for w in words}
    if not scores and any_word and len(words) > 1:
        scores = searchindex.match(words, any_word=True)
        some_words = True
        # A rare word says more than a common one (取水 against 许可证): weigh each word by the
        # inverse of the number of items that have it (ts_rank, unlike bm25, ignores rarity).
        for word in words:
            weight[word.text] = 1.0 / max(1, len(searchindex.match([word])))
    query = search.compact(search.strip_fillers(search.normalize(text)))
    rows = list(
        _published(center).filter(pk__in=list(scores)).values_list("pk", "name", "item__code")
    ) + list(_unindexed(center, words).values_list("pk", "name", "item__code"))
    ranked = []
    for pk, name, code in rows:
        tier = _tier(name, query, words)
        hits = sum(weight[w.text] for w in words if w.text in search.compact(name))
        if some_words and not hits and pk in scores:
            continue  # matching some words only: keep the items that have one in their name
        in_name = tier[0] < OTHER_TEXTS
        score = 0.0 if in_name else -scores.get(pk, 0.0)
        ranked.append((tier, -hits, len(name) if in_name else 0, score, code, pk))
    ranked.sort()
    return [(pk, tier) for tier, _hits, _length, _score, _code, pk in ranked]


BUNDLE_PREFIX = "一件事:"  # a target naming a bundle: 一件事：企业设立登记 (after NFKC, ':')


def _bundle(center: Center | None, target: str, *, by_name: bool) -> tuple[int | None, list[int]]:
    """The bundle a target names (by code, or with `by_name` the start of its name) and its
    items' versions."""
    match = Q(code__iexact=target) | Q(name__startswith=target) if by_name else Q(code__iexact=target)
    bundles = Bundle.objects.filter(active=True).filter(match)
    if center is not None:
        bundles = bundles.filter(center=center)
    bundle = bundles.order_by("code").first()
    if bundle is None:
        return None, []
    versions = (
        BundleItem.objects.filter(bundle=bundle)
        .order_by("position")
        .values_list("item__published_version", flat=True)
    )
    return bundle.pk, [vid for vid in versions if vid is not None]


def _target_versions(center: Center | None, target: str, bundle_ids: list[int]) -> list[int]:
    """The versions a synonym's target stands for: an item by code; a bundle's items (by code,
    or 一件事：<the start of its name>; the bundle goes to `bundle_ids`); or the name matches
    of a search phrase (its first match when no name matches)."""
    target = search.normalize(target)
    named = target.startswith(BUNDLE_PREFIX)
    if named:
        target = target.removeprefix(BUNDLE_PREFIX).strip()
    else:
        by_code = list(_published(center).filter(item__code__iexact=target).values_list("pk", flat=True))
        if by_code:
            return by_code
    bundle_id, in_bundle = _bundle(center, target, by_name=named)
    if bundle_id is not None:
        bundle_ids.append(bundle_id)
        return in_bundle
    found = _search(center, target, any_word=False)
    in_name = [pk for pk, (tier, _pos) in found if tier < OTHER_TEXTS]
    return in_name or [pk for pk, _tier in found[:1]]


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def wordings(q: str | None) -> list[SearchSynonym]:
    """The everyday wordings of the synonym table in `q`, longest first; a wording inside a
    longer one that answered is not counted again."""
    rest = search.normalize(q)[:200]
    used: list[SearchSynonym] = []
    for synonym in synonyms.active_synonyms():
        if synonym.phrase and synonym.phrase in rest:
            used.append(synonym)
            rest = rest.replace(synonym.phrase, " ")
    return used


def find(q: str | None, *, center: Center | None = None) -> Found:
    """The published versions (of `center`, or every center) that answer `q`, best first."""
    text = search.normalize(q)[:200]
    if not search.compact(text):
        return Found([], [])
    ids: list[int] = []
    bundle_ids: list[int] = []
    used = wordings(text)
    for synonym in used:
        for target in synonym.target_list:
            ids.extend(_target_versions(center, target, bundle_ids))
    # Then what the query says in the catalog's own words (every word, when a synonym answered).
    found = _search(center, text, any_word=not used)
    return Found(_unique([*ids, *(pk for pk, _tier in found)]), used, _unique(bundle_ids))
