"""Search: the same query semantics on SQLite (FTS5) and PostgreSQL (GIN on the bigram array).

A hit is a published item whose normalised text CONTAINS the query (or a synonym of it): bigram
phrase matching on FTS5, bigram containment plus a substring recheck on PostgreSQL, a substring scan
for one-character queries. Ranking never touches every hit of a common term: candidates come
newest-first from the index (at most CANDIDATES), are ranked by title match, phrase in the title's
start and recency, and the total is a separate COUNT.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from zwgk.text.tokenize import normalise_for_search, query_terms

from .models import SearchEntry, Synonym

CANDIDATES = 300
_PURE_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
TYPES = ("文章", "政策文件", "政策解读")


@dataclass
class SearchResult:
    count: int
    hits: list = field(default_factory=list)  # SearchEntry rows with .snippet
    query: str = ""


def expansions(query: str) -> list[str]:
    """The query and its synonym variants (县发改局 → 县发展和改革局 …), normalised."""
    variants = [query]
    for synonym in Synonym.objects.all():
        names = [synonym.term, *synonym.equivalent_list()]
        for name in names:
            if name and name in query:
                variants.extend(query.replace(name, other) for other in names if other != name)
    seen, out = set(), []
    for v in variants:
        n = normalise_for_search(v).strip()
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


def _fts_phrase(tokens) -> str | None:
    """FTS5 phrase of the query tokens; None when a lone CJK character sits inside the query."""
    parts = []
    for i, (token, single) in enumerate(tokens):
        if single and i != len(tokens) - 1:
            return None
        parts.append('"' + token.replace('"', '""') + '"' + ("*" if single else ""))
    return " + ".join(parts)


def _matching_ids(variants: list[str]) -> Q:
    """Entries containing any variant: index lookup narrowed, then the exact substring check."""
    condition = Q(pk__in=[])
    for variant in variants:
        tokens = query_terms(variant)
        if not tokens:
            continue
        if connection.vendor == "sqlite":
            phrase = _fts_phrase(tokens)
            lone_char = len(tokens) == 1 and tokens[0][1]
            if phrase is None or lone_char:
                condition |= Q(text__contains=variant)  # one CJK character: substring fallback
            elif _PURE_CJK.fullmatch(variant):
                condition |= Q(pk__in=_FtsIds(phrase))  # a bigram phrase is exact for CJK text
            else:
                # Digits, Latin letters and punctuation: tokens drop separators, so check the substring.
                condition |= Q(pk__in=_FtsIds(phrase), text__contains=variant)
        else:
            bigrams = [token for token, single in tokens if not single]
            if bigrams:
                condition |= Q(pk__in=_PgIds(bigrams), text__contains=variant)
            else:
                condition |= Q(text__contains=variant)
    return condition


class _FtsIds:
    """Lazy subquery `SELECT rowid FROM zwgk_search_fts WHERE … MATCH` usable in pk__in."""

    def __init__(self, phrase):
        self.phrase = phrase

    def resolve_expression(self, *args, **kwargs):
        from django.db.models.expressions import RawSQL

        return RawSQL(
            "SELECT rowid FROM zwgk_search_fts WHERE zwgk_search_fts MATCH %s", [self.phrase]
        ).resolve_expression(*args, **kwargs)


class _PgIds:
    def __init__(self, bigrams):
        self.bigrams = bigrams

    def resolve_expression(self, *args, **kwargs):
        from django.db.models.expressions import RawSQL

        return RawSQL(
            "SELECT id FROM zwgk_search_searchentry WHERE string_to_array(terms, ' ') @> %s::text[]",
            [self.bigrams],
        ).resolve_expression(*args, **kwargs)


def search(
    query: str,
    *,
    type: str = "",
    organisation: str = "",
    year: str = "",
    section: str = "",
    validity: str = "",
    sort: str = "relevance",
    offset: int = 0,
    limit: int | None = 20,
) -> SearchResult:
    query = (query or "").strip()[:100]
    if not query:
        return SearchResult(0, [], query)
    variants = expansions(query)
    entries = SearchEntry.objects.filter(_matching_ids(variants))
    if type in TYPES:
        entries = entries.filter(type=type)
    if organisation:
        entries = entries.filter(organisation__slug=organisation)
    if str(year).isdigit():
        entries = entries.filter(year=int(year))
    if str(section).isdigit():
        entries = entries.filter(section_id=int(section))
    if validity:
        entries = entries.filter(validity=validity)
    count = entries.count()
    newest = entries.order_by("-published", "-id")
    stop = None if limit is None else offset + limit
    if sort == "date":
        ids = list(newest.values_list("pk", flat=True)[offset:stop])
    else:
        # Rank a window of the newest candidates on light columns only, then load the page of hits.
        window = newest if stop is None or stop > CANDIDATES else newest[:CANDIDATES]
        rows = list(window.values_list("pk", "title", "document_number", "published"))
        rows.sort(key=lambda row: _score(row, variants), reverse=True)
        ids = [row[0] for row in rows[offset:stop]]
    by_id = SearchEntry.objects.select_related("organisation").defer("terms").in_bulk(ids)
    hits = [by_id[i] for i in ids]
    for hit in hits:
        hit.snippet = snippet(hit.text, variants)
    return SearchResult(count, hits, query)


def _score(row, variants) -> tuple:
    _, title, document_number, published = row
    title = title.lower()
    docno = normalise_for_search(document_number) if document_number else ""
    return (
        any(v == docno for v in variants),
        any(v in title for v in variants),
        any(title.startswith(v) for v in variants),
        published,
    )


def snippet(text: str, variants: list[str], width: int = 60) -> list[tuple[str, bool]]:
    """[(fragment, highlighted)] around the first occurrence, for the template to mark up safely."""
    body = text.split("\n", 1)[-1] if "\n" in text else text
    for source in (body, text):
        for v in variants:
            i = source.find(v)
            if i >= 0:
                start = max(0, i - width // 2)
                piece = source[start : start + width + len(v)]
                parts = re.split(f"({re.escape(v)})", piece)
                return [(p, p == v) for p in parts if p]
    return [(body[:width], False)]


def suggest(prefix: str, limit: int = 8) -> list[str]:
    prefix = normalise_for_search(prefix).strip()
    if len(prefix) < 1:
        return []
    titles = (
        SearchEntry.objects.filter(title__icontains=prefix)
        .order_by("-published")
        .values_list("title", flat=True)
    )
    return list(dict.fromkeys(titles[: limit * 3]))[:limit]
