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

from zwgk.text.tokenize import normalise_for_search, query_terms

from .indexing import TYPE_CODES, facet_token
from .models import SearchEntry, Synonym

CANDIDATES = 300
_PURE_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
_FACET_VALUE = re.compile(r"[0-9a-z]+")
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


def _like(variant: str) -> str:
    return "%" + variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class _Plan:
    """SQL for the hits: `FROM … WHERE …` with its parameters, and the column that orders them."""

    sql: str
    params: list
    order: str


def _facet_tokens(filters: dict) -> tuple[list[str], list[tuple[str, object]]] | None:
    """The filters as index tokens (`facet_terms`), plus column conditions for values no token names.
    None: a filter that matches nothing (an unknown organisation)."""
    tokens, columns = [], []
    if filters.get("type") in TYPES:
        tokens.append(facet_token("t", filters["type"]))
    if filters.get("organisation"):
        from zwgk.core.models import Organisation

        org_id = (
            Organisation.objects.filter(slug=filters["organisation"]).values_list("pk", flat=True).first()
        )
        if org_id is None:
            return None
        tokens.append(facet_token("o", org_id))
    if str(filters.get("year", "")).isdigit():
        tokens.append(facet_token("y", int(filters["year"])))
    if str(filters.get("section", "")).isdigit():
        tokens.append(facet_token("s", int(filters["section"])))
    if filters.get("validity"):
        if _FACET_VALUE.fullmatch(filters["validity"]):
            tokens.append(facet_token("v", filters["validity"]))
        else:
            columns.append(("validity", filters["validity"]))
    return tokens, columns


def _plan(variants: list[str], filters: dict) -> _Plan | None:
    """Entries containing any variant and passing the filters. None: nothing can match."""
    facets = _facet_tokens(filters)
    if facets is None:
        return None
    facet_list, columns = facets
    parsed = [(v, query_terms(v)) for v in variants]
    parsed = [(v, tokens) for v, tokens in parsed if tokens]
    if not parsed:
        return None
    likes = [_like(v) for v, _ in parsed]
    where, params = [], []
    for column, value in columns:
        where.append(f"e.{column} = %s")
        params.append(value)
    escape = " ESCAPE '\\'" if connection.vendor == "sqlite" else ""  # PostgreSQL: \ by default
    if connection.vendor == "sqlite":
        phrases = [_fts_phrase(tokens) for _, tokens in parsed]
        lone = any(p is None or (len(t) == 1 and t[0][1]) for p, (_, t) in zip(phrases, parsed, strict=True))
        if not lone:
            # FTS5 finds the hits (and applies the filters as tokens), newest first = rowid order.
            match = " OR ".join(f"({p})" for p in phrases)
            if facet_list:
                match = f"({match}) AND " + " AND ".join(f'"{t}"' for t in facet_list)
            if all(_PURE_CJK.fullmatch(v) for v, _ in parsed) and not where:
                # A bigram phrase is exact for CJK text: the FTS table alone answers.
                return _Plan("FROM zwgk_search_fts f WHERE zwgk_search_fts MATCH %s", [match], "f.rowid")
            if not all(_PURE_CJK.fullmatch(v) for v, _ in parsed):
                # Digits, Latin letters, punctuation: tokens drop separators, so check the substring.
                where.append("(" + " OR ".join(["e.text LIKE %s" + escape] * len(likes)) + ")")
                params.extend(likes)
            return _Plan(
                "FROM zwgk_search_fts f CROSS JOIN zwgk_search_searchentry e ON e.id = f.rowid "
                "WHERE zwgk_search_fts MATCH %s AND " + " AND ".join(where),
                [match, *params],
                "f.rowid",
            )
    else:
        arrays = [[token for token, single in tokens if not single] for _, tokens in parsed]
        if all(arrays):
            # GIN narrows by token containment (filters included); the substring check is exact.
            # One CJK bigram alone is exact already: no text to read.
            per_variant = []
            for (variant, tokens), array, like in zip(parsed, arrays, likes, strict=True):
                exact = len(tokens) == 1 and _PURE_CJK.fullmatch(variant)
                condition = "string_to_array(e.terms, ' ') @> %s::text[]"
                args = [array + facet_list if len(parsed) == 1 else array]
                if not exact:
                    condition += " AND e.text LIKE %s"
                    args.append(like)
                per_variant.append((condition, args))
            if len(parsed) > 1 and facet_list:
                where.append("string_to_array(e.terms, ' ') @> %s::text[]")
                params.append(facet_list)
            where.append("(" + " OR ".join(f"({c})" for c, _ in per_variant) + ")")
            for _, args in per_variant:
                params.extend(args)
            return _Plan("FROM zwgk_search_searchentry e WHERE " + " AND ".join(where), params, "e.id")
    # A lone CJK character (or a lone one inside the query): a substring scan of the text.
    where.append("(" + " OR ".join(["e.text LIKE %s" + escape] * len(likes)) + ")")
    params.extend(likes)
    if facet_list:
        where.append(_facet_columns_sql(facet_list, params))
    return _Plan("FROM zwgk_search_searchentry e WHERE " + " AND ".join(where), params, "e.id")


def _facet_columns_sql(facet_list, params) -> str:
    """The facet tokens as column conditions (for the substring scan)."""
    conditions = []
    for token in facet_list:
        kind, value = token[1], token[2:]
        column = {"t": "type", "o": "organisation_id", "y": "year", "s": "section_id", "v": "validity"}[kind]
        if kind == "t":
            value = {code: label for label, code in TYPE_CODES.items()}[value]
        elif kind in "oys":
            value = int(value)
        conditions.append(f"e.{column} = %s")
        params.append(value)
    return " AND ".join(conditions)


def _fetch(sql, params, many=True):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if many else cursor.fetchone()


def hit_count(plan: _Plan | None) -> int:
    return _fetch(f"SELECT count(*) {plan.sql}", plan.params, many=False)[0] if plan else 0


def hit_ids(plan: _Plan | None, offset: int = 0, limit: int | None = None) -> list[int]:
    """Entry ids of the hits, newest first (the id is the sort key: see indexing.sort_key)."""
    if plan is None:
        return []
    sql = f"SELECT {plan.order} {plan.sql} ORDER BY {plan.order}"  # ascending: see indexing
    params = list(plan.params)
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    if offset:
        sqlite_unlimited = limit is None and connection.vendor == "sqlite"
        sql += " LIMIT -1 OFFSET %s" if sqlite_unlimited else " OFFSET %s"
        params.append(offset)
    return [row[0] for row in _fetch(sql, params)]


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
    filters = dict(type=type, organisation=organisation, year=year, section=section, validity=validity)
    plan = _plan(variants, filters)
    count = hit_count(plan)
    stop = None if limit is None else offset + limit
    if sort == "date" or count == 0:
        ids = hit_ids(plan, offset, limit)
    else:
        # Rank a window of the newest candidates on light columns only, then load the page of hits.
        window = hit_ids(plan, 0, None if stop is None or stop > CANDIDATES else CANDIDATES)
        rows = list(
            SearchEntry.objects.filter(pk__in=window).values_list(
                "pk", "title", "document_number", "published"
            )
        )
        rows.sort(key=lambda row: (_score(row, variants), -row[0]), reverse=True)  # ties: newest
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
