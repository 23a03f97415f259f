"""Search: the same query semantics on SQLite (FTS5) and PostgreSQL (GIN on the bigram array).

A hit is a published item whose normalised text CONTAINS the query (or a synonym of it): bigram
phrase matching on FTS5, bigram containment plus a substring recheck on PostgreSQL, a substring scan
for one-character queries. Ranking never touches every hit of a common term: candidates come
newest-first from the index (at most CANDIDATES), are ranked by title match, phrase in the title's
start and recency, and the total is a separate COUNT, estimated from a sample for a common query
on the portal (`hit_count`).
"""

import bisect
import contextlib
import functools
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from zwgk.core.db_router import read_connection as connection  # the replica on the portal's reads
from zwgk.core.models import Organisation
from zwgk.text.tokenize import normalise_for_search, query_terms

from .indexing import (
    SAMPLE_SHARES,
    TOKEN_PARTITIONS,
    TOKENS_SQL,
    facet_token,
    published_of_key,
    sample_sql,
    token_partition,
    type_codes,
)
from .models import SearchEntry, Synonym

CANDIDATES = 300
RECHECK_LIMIT = 2000  # PostgreSQL: above this many candidates, an estimated count (hit_count)
# PostgreSQL: the candidates read at a time for the substring check: the first time at least
# RECHECK_FIRST; at most RECHECK_CHUNK_MAX. The share of hits among them scales an estimated total
# (`search`): unless every candidate read was a hit, that share is read off RECHECK_CHUNK of them.
RECHECK_FIRST = 100
RECHECK_CHUNK = 400
RECHECK_CHUNK_MAX = 50_000
# Estimated totals (`hit_count(exact=False)`, shown as 约): SQLite counts a query in a sample of the
# index first, 1/64 of the entries, then 1/16, then 1/4 (without the 1/4 step a filtered query with
# 3,200–12,800 hits is counted in full, 35–60 ms for an organisation's 4-character query); with SAMPLE_MIN_HITS
# hits in it (one standard error ≈ 5 %), and its two halves agreeing within SAMPLE_AGREEMENT, the
# sample's total stands. (PostgreSQL's samples: indexing.SAMPLE_SHARES, the smaller first: SAMPLES.)
# SQLite: the count reads the newest SAMPLE_FROM hits first, the ranking window (a common query's 2,000
# newest cost a long phrase 10–15 ms of phrase checks at 450,000 items), and guesses from them.
SAMPLE_FROM = CANDIDATES
SAMPLE_STEPS = (64, 16, 4)
SAMPLE_MIN_HITS = 400
SAMPLE_AGREEMENT = 1.25
SAMPLE_SLICES = 4  # SQLite: the sample is this many rowid ranges spread evenly over the hits' span
SAMPLES = tuple((share, sample_sql(share)) for share in sorted(SAMPLE_SHARES, reverse=True))
# PostgreSQL: a plan with this many rows a month or more (hit_count's figure over the months it can
# span: a year filter's twelve, else the index's) reads its newest rows a month at a time
# (`_token_ids`), at most MONTHS_AT_MOST months before reading the rest at once: a page needs a few
# hundred candidates, so a few months at most. Unless the months a read needs cost more than reading
# all the rows at once: a month's read is a GIN pass, about MONTH_READ_ROWS rows' worth of reading all
# (2–3 ms at 450,000 items with the token table in id order, `zwgk reindex`; 0.7 µs a row). (E.g. an
# organisation's 4-character query, 8,000 candidates, 220 a month: with the table not in id order,
# four months read for 450 candidates take 28 ms; all at once, 11 ms.)
MONTHLY_ROWS = 50
MONTH_READ_ROWS = 3_000
MONTHS_AT_MOST = 12
# PostgreSQL: a plan whose rows are at least this share of the whole index (a bigram such as 工作 over
# every site: 94 % of 2,000,000 entries) reads its newest rows in id order through the primary key,
# checking each row's tokens, and stops at the page's need: about need / share rows (10 ms for 300 of
# 工作 at 2,000,000 items, where the newest month's rows through GIN, 170,000 of them, took 40–95 ms).
DENSE_SHARE = 0.5
DENSE_FROM = 100_000  # entries in the index; below, GIN's reads are small anyway
_PURE_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
_FACET_VALUE = re.compile(r"[0-9a-z]+")
TYPES = ("文章", "政策文件", "政策解读")  # the items' types; `types()` adds the sources' (互动交流)


def types() -> tuple[str, ...]:
    """Every type a hit can have (the filter's choices)."""
    return tuple(type_codes())


@dataclass
class SearchResult:
    count: int
    hits: list = field(default_factory=list)  # SearchEntry rows (the results page adds .snippet)
    query: str = ""
    approximate: bool = False  # PostgreSQL's estimate for a common 3+ character query (hit_count)
    variants: list = field(default_factory=list)  # the query and its synonyms, normalised (snippets.py)


def expansions(query: str) -> list[str]:
    """The query and its synonym variants (县发改局 → 县发展和改革局, 医保 → 医疗保险 …), normalised.
    Names are compared normalised (醫保, ＧＤＰ and gdp match 医保 and GDP); of two names of one entry
    found in the query, the one inside the other (公积金 in 住房公积金) is not replaced on its own."""
    query = normalise_for_search(query)
    variants = [query]
    # Raw SQL: the ORM took 1–3 ms a search for the table's few hundred rows, this 0.3 ms; the
    # normalised groups are computed once per content of the table.
    rows = tuple(_fetch(f"SELECT term, equivalents FROM {Synonym._meta.db_table} ORDER BY id", []))
    for names in _synonym_groups(rows):
        found = [name for name in names if name in query]
        for name in found:
            if any(name != longer and name in longer for longer in found):
                continue
            variants.extend(query.replace(name, other) for other in names if other != name)
    seen, out = set(), []
    for v in variants:
        n = normalise_for_search(v).strip()
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


@functools.lru_cache(maxsize=4)
def _synonym_groups(rows: tuple) -> tuple[tuple[str, ...], ...]:
    """The synonym table's rows (term, equivalents) as groups of normalised names, computed once per
    content of the table (a few hundred OpenCC conversions)."""
    groups = []
    for term, equivalents in rows:
        listed = [term, *Synonym(equivalents=equivalents).equivalent_list()]
        names = tuple(dict.fromkeys(n for n in (normalise_for_search(name).strip() for name in listed) if n))
        if len(names) > 1:
            groups.append(names)
    return tuple(groups)


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
    # PostgreSQL: when set, the rows are candidates (token containment, a superset) and the hits are
    # those whose entry `e` passes this condition (SQL, parameters).
    recheck: tuple[str, list] | None = None
    # What the plan was made of (PostgreSQL: the same plan in a month, `_token_ids`), and how many
    # rows it selects, when known (hit_count, maybe estimated).
    variants: list = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    rows: int | None = None
    # SQLite: the ids of the newest hits, read by the count (`_sqlite_count`); all of them when fewer
    # than SAMPLE_FROM. The first page and the ranking window come from them, not a second pass.
    newest: list | None = None
    # PostgreSQL: the ids of all the plan's token rows, in id order, when the count read them (a query
    # too rare for the sample, `hit_count`): the hits are read from them, not from GIN again.
    candidates: list | None = None
    # PostgreSQL: month (`202611`) → the ids of the plan's token rows of that month, in id order, once
    # read (`_token_ids`): the next chunk of a recheck takes them from here, not from GIN again.
    months: dict = field(default_factory=dict)
    # PostgreSQL: the publication times of the index's newest and oldest entries (local), once read.
    span: tuple | None = None
    # PostgreSQL: whether the plan's rows are most of the index (`_dense`), once worked out.
    dense: bool | None = None


def _facet_tokens(filters: dict) -> tuple[list[str], list[tuple[str, object]]] | None:
    """The filters as index tokens (`facet_terms`), plus column conditions for values no token names.
    None: a filter that matches nothing (an unknown organisation)."""
    tokens, columns = [], []
    if filters.get("type") in types():
        tokens.append(facet_token("t", filters["type"]))
    if filters.get("organisation"):
        if filters.get("organisation_pk") is None:
            return None
        tokens.append(facet_token("o", filters["organisation_pk"]))
    if str(filters.get("year", "")).isdigit():
        tokens.append(facet_token("y", int(filters["year"])))
    if str(filters.get("section", "")).isdigit():
        tokens.append(facet_token("s", int(filters["section"])))
    if filters.get("month"):
        tokens.append(facet_token("m", filters["month"]))
    if filters.get("site") and str(filters["site"]).isalnum():
        tokens.append(facet_token("h", filters["site"]))
    if filters.get("validity"):
        if _FACET_VALUE.fullmatch(filters["validity"]):
            tokens.append(facet_token("v", filters["validity"]))
        else:
            columns.append(("validity", filters["validity"]))
    return tokens, columns


def _plan(variants: list[str], filters: dict) -> _Plan | None:
    """Entries containing any variant and passing the filters. None: nothing can match."""
    if filters.get("organisation") and "organisation_pk" not in filters:
        # Once per search: PostgreSQL plans the same search again per month (`_token_ids`).
        slug = filters["organisation"]
        filters = {
            **filters,
            "organisation_pk": Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first(),
        }
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
        arrays = [_covering([token for token, single in tokens if not single]) for _, tokens in parsed]
        if all(arrays):
            plan = _postgresql_plan(parsed, arrays, facet_list, where, params)
            plan.variants, plan.filters = variants, filters
            return plan
    # A lone CJK character (or a lone one inside the query): a substring scan of the text.
    where.append("(" + " OR ".join(["e.text LIKE %s" + escape] * len(likes)) + ")")
    params.extend(likes)
    if facet_list:
        where.append(_facet_columns_sql(facet_list, params))
    return _Plan("FROM zwgk_search_searchentry e WHERE " + " AND ".join(where), params, "e.id")


def _covering(tokens: list[str]) -> list[str]:
    """PostgreSQL: the tokens GIN needs to find the candidates of a query whose hits are rechecked:
    of a run of overlapping bigrams (一般 般公 公共 共预 预算), every other one and the last (一般 公共
    预算), which still cover every character. Any subset of the tokens gives a superset of the hits,
    and the substring check keeps the hits; each bigram less is one posting list less for GIN to
    decode. A lone bigram is exact as it is and stays so."""
    kept = []
    for i, token in enumerate(tokens):
        chained = i > 0 and len(token) == len(tokens[i - 1]) == 2 and tokens[i - 1][1] == token[0]
        last = i + 1 == len(tokens) or not (
            len(tokens[i + 1]) == 2 == len(token) and token[1] == tokens[i + 1][0]
        )
        if not chained:
            start = i
        if not chained or (i - start) % 2 == 0 or last:
            kept.append(token)
    return kept


def _postgresql_plan(parsed, arrays, facet_list, where, params) -> _Plan:
    """GIN on the narrow token table narrows by token containment (filters included). One CJK bigram
    alone is exact already, and then the token table alone answers; otherwise the plan's rows are
    candidates and `recheck` (the substring, and any column filter) picks the hits out of them, a chunk
    at a time (`_rechecked_ids`), or is left out of an estimated count (`hit_count`)."""
    contains = f"{TOKENS_SQL} @> %s::text[]"
    token_where, token_params = [], []
    if len(parsed) > 1 and facet_list:
        token_where.append(contains)
        token_params.append(facet_list)
    token_where.append("(" + " OR ".join([f"({contains})"] * len(parsed)) + ")")
    token_params.extend(array + facet_list if len(parsed) == 1 else array for array in arrays)
    plan = _Plan("FROM zwgk_search_tokens t WHERE " + " AND ".join(token_where), token_params, "t.id")
    exact = all(len(tokens) == 1 and _PURE_CJK.fullmatch(variant) for variant, tokens in parsed)
    if not exact:
        # A candidate holding any variant as a substring is a hit (it holds that variant's tokens).
        # strpos, not LIKE '%…%': the same test, and 5–15 µs less a candidate for 3+ characters.
        where = [*where, "(" + " OR ".join(["strpos(e.text, %s) > 0"] * len(parsed)) + ")"]
        params = [*params, *(variant for variant, _ in parsed)]
    if where:
        plan.recheck = (" AND ".join(where), params)
    return plan


def _facet_columns_sql(facet_list, params) -> str:
    """The facet tokens as column conditions (for the substring scan)."""
    conditions = []
    for token in facet_list:
        kind, value = token[1], token[2:]
        column = {"t": "type", "o": "organisation_id", "y": "year", "s": "section_id", "v": "validity"}[kind]
        if kind == "t":
            value = {code: label for label, code in type_codes().items()}[value]
        elif kind in "oys":
            value = int(value)
        conditions.append(f"e.{column} = %s")
        params.append(value)
    return " AND ".join(conditions)


def _fetch(sql, params, many=True):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if many else cursor.fetchone()


def hit_count(plan: _Plan | None, exact: bool = True) -> tuple[int, bool]:
    """(count, approximate). With exact=False a common query's total may be an estimate: on SQLite
    from a sample of the index (`_sqlite_count`). On PostgreSQL a query the tokens do not answer
    alone (3+ characters) needs the substring check of every candidate's text: 0.6–2 s for 45,000
    candidates at 450,000 items; more than RECHECK_LIMIT candidates are counted by token containment
    instead, and `search` scales that by the share of hits among the candidates it checked."""
    if plan is None:
        return 0, False
    if not exact and connection.vendor == "sqlite":
        return _sqlite_count(plan)
    estimate = None if exact or not plan.variants else _postgresql_estimate(plan)
    if estimate is not None:
        return estimate, True
    with _postgresql_gin(), connection.cursor() as cursor:
        if not exact and plan.variants:
            # Too rare for the sample: read the ids of all its token rows, once. Each GIN query decodes
            # the posting lists of the query's bigrams about in full (a common bigram's pages all hold
            # some of the rarer rows), so the count and then the newest hits cost two of them.
            cursor.execute(f"SELECT t.id {plan.sql} ORDER BY t.id", plan.params)
            plan.candidates = [row[0] for row in cursor.fetchall()]
            if plan.recheck is None:
                return len(plan.candidates), False
            if len(plan.candidates) > RECHECK_LIMIT:
                return len(plan.candidates), True
            recheck, params = plan.recheck
            cursor.execute(
                f"SELECT count(*) FROM zwgk_search_searchentry e WHERE e.id = ANY(%s) AND {recheck}",
                [plan.candidates, *params],
            )
            return cursor.fetchone()[0], False
        if plan.recheck is None:
            cursor.execute(f"SELECT count(*) {plan.sql}", plan.params)
            return cursor.fetchone()[0], False
        recheck, params = plan.recheck
        cursor.execute(
            f"SELECT count(*) FROM zwgk_search_searchentry e WHERE e.id IN (SELECT t.id {plan.sql}) AND {recheck}",
            [*plan.params, *params],
        )
        return cursor.fetchone()[0], False


def _sqlite_count(plan: _Plan) -> tuple[int, bool]:
    """(count, approximate): a common query's total from a sample of the index.

    Counting every hit of a phrase costs 50–300 ms for 50,000–350,000 hits at 450,000 items (FTS5
    reads the position lists of each), while FTS5 seeks to a rowid range in its doclists: 1/64 of the
    index costs about 1/40 of the time, plus about a millisecond per range. The ids of the newest
    SAMPLE_FROM hits come first (all of them, exactly, for a rarer query; kept for the first page and
    the ranking window, `plan.newest`); how far back they reach gives a guess of the total, and the
    guess the share of the index to sample, so that the sample holds about 2 × SAMPLE_MIN_HITS hits.
    Rowids are sort keys (publication time): the sample is SAMPLE_SLICES ranges spread evenly from the
    newest hit to the oldest, with entry counts from FTS5's own docsize table, and the total = the
    entries of that span × the sample's hit rate. A burst of items published together (an import)
    can make one range unrepresentative: then the even and odd ranges disagree, and the next, larger
    sample (or the exact count) decides."""
    with connection.cursor() as reading, connection.cursor() as cursor:
        # No LIMIT: the newest SAMPLE_FROM first, and the same statement goes on if it has to count all.
        reading.execute(f"SELECT {plan.order} {plan.sql} ORDER BY {plan.order}", plan.params)
        plan.newest = [row[0] for row in reading.fetchmany(SAMPLE_FROM)]
        if len(plan.newest) < SAMPLE_FROM:
            return len(plan.newest), False
        low, last = plan.newest[0], plan.newest[-1]
        cursor.execute(
            "SELECT (SELECT min(id) FROM zwgk_search_fts_docsize), (SELECT max(id) FROM zwgk_search_fts_docsize)"
        )
        index_span = cursor.fetchone()
        # A guess that only decides whether any sample could hold enough hits, so by rowid width
        # (publication time): counting the entries from the newest hit to the oldest entry read all
        # the entries of a year filter's later years row by row (~6 ms at 450,000 items). A wrong
        # guess costs time, not exactness: a sample short of hits falls back to the exact count.
        most = SAMPLE_FROM * (index_span[1] + 1 - low) / max(last + 1 - low, 1)
        if most < 2 * SAMPLE_MIN_HITS * SAMPLE_STEPS[-1]:
            # Too few hits for any sample even if they reached the oldest entry (a filtered query, a
            # rarer phrase: up to ~13,000 hits): count the rest in the pass under way. A new statement
            # would seek every segment's doclists again (1.5× one count for an organisation filter).
            return SAMPLE_FROM + len(reading.fetchall()), False
        # The sample spans the hits' own time span (a year filter, a topic of some years).
        cursor.execute(f"SELECT {plan.order} {plan.sql} ORDER BY {plan.order} DESC LIMIT 1", plan.params)
        high = cursor.fetchone()[0]
        total = _sqlite_entries(cursor, low, high + 1, index_span)
        guess = SAMPLE_FROM * total / max(_sqlite_entries(cursor, low, last + 1, index_span), 1)
        step = (high - low + 1) // SAMPLE_SLICES
        for fraction in SAMPLE_STEPS:
            width = step // fraction
            if guess / fraction < 2 * SAMPLE_MIN_HITS or width < 1:
                continue  # too few hits expected in this sample: a larger one
            ranges = [low + i * step + (step - width) // 2 for i in range(SAMPLE_SLICES)]
            hits, entries = [0, 0], [0, 0]
            for i, start in enumerate(ranges):
                cursor.execute(
                    f"SELECT count(*) {plan.sql} AND {plan.order} >= %s AND {plan.order} < %s",
                    [*plan.params, start, start + width],
                )
                hits[i % 2] += cursor.fetchone()[0]
                entries[i % 2] += _sqlite_entries(cursor, start, start + width, index_span)
            if sum(hits) >= SAMPLE_MIN_HITS and all(hits) and all(entries):
                low_rate, high_rate = sorted(h / n for h, n in zip(hits, entries, strict=True))
                if high_rate <= low_rate * SAMPLE_AGREEMENT:
                    return round(total * sum(hits) / sum(entries)), True
            guess = float("inf")  # the guess was wrong: the next, larger sample
        # Exactly: the newest SAMPLE_FROM hits are counted already, FTS5 seeks past them.
        cursor.execute(f"SELECT count(*) {plan.sql} AND {plan.order} > %s", [*plan.params, last])
        return SAMPLE_FROM + cursor.fetchone()[0], False


def _postgresql_estimate(plan: _Plan) -> int | None:
    """The token table rows `plan` selects (the hits, or the candidates of a recheck), estimated from
    a sample, or None (too few in it: count them). A sample is the entries whose id hashes to 0 of its
    share (`indexing.sample_sql`), counted through their partial GIN index; the smaller sample first
    (SAMPLES): with SAMPLE_MIN_HITS hits in it, it stands. Otherwise the larger one, unless the smaller
    one's count says it would hold fewer than half of SAMPLE_MIN_HITS (a rarer query: the count that
    follows reads its rows anyway)."""
    with _postgresql_gin(), connection.cursor() as cursor:
        for i, (share, where) in enumerate(SAMPLES):
            cursor.execute(f"SELECT count(*) {plan.sql} AND {where}", plan.params)
            found = cursor.fetchone()[0]
            if found >= SAMPLE_MIN_HITS:
                return round(found * share)
            if i + 1 < len(SAMPLES) and found * share / SAMPLES[i + 1][0] < SAMPLE_MIN_HITS / 2:
                return None
    return None


def _sqlite_entries(cursor, start: int, end: int, index_span: tuple) -> int:
    """Entries with start <= rowid < end (FTS5's docsize table: one narrow row per entry), in an index
    whose rowids run from index_span[0] to index_span[1]. SQLite counts a whole table by its pages
    (3 ms at 450,000 entries) but a range row by row (20–30 ms): a range holding most of the index is
    counted as all entries less those outside it."""
    first, last = index_span
    if first is not None and (end - start) * 2 > last - first:
        cursor.execute(
            "SELECT (SELECT count(*) FROM zwgk_search_fts_docsize), "
            "(SELECT count(*) FROM zwgk_search_fts_docsize WHERE id < %s OR id >= %s)",
            [start, end],
        )
        everything, outside = cursor.fetchone()
        return everything - outside
    cursor.execute("SELECT count(*) FROM zwgk_search_fts_docsize WHERE id >= %s AND id < %s", [start, end])
    return cursor.fetchone()[0]


def hit_ids(plan: _Plan | None, offset: int = 0, limit: int | None = None) -> list[int]:
    """Entry ids of the hits, newest first (the id is the sort key: see indexing.sort_key)."""
    if plan is None:
        return []
    if plan.recheck is not None:
        return _rechecked_ids(plan, offset, limit).ids
    stop = None if limit is None else offset + limit
    if plan.newest is not None and (
        len(plan.newest) < SAMPLE_FROM or (stop is not None and stop <= SAMPLE_FROM)
    ):
        return plan.newest[offset:stop]
    if connection.vendor == "postgresql" and limit is not None:
        with _postgresql_gin(), connection.cursor() as cursor:
            return _token_ids(cursor, plan, None, offset + limit)[offset:]
    sql = f"SELECT {plan.order} {plan.sql} ORDER BY {plan.order}"  # ascending: see indexing
    params = list(plan.params)
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    if offset:
        sqlite_unlimited = limit is None and connection.vendor == "sqlite"
        sql += " LIMIT -1 OFFSET %s" if sqlite_unlimited else " OFFSET %s"
        params.append(offset)
    with _postgresql_gin():
        return [row[0] for row in _fetch(sql, params)]


# What the ranking reads of each hit in its window (`_score`): light columns, no text.
# (Not `published`: the id orders by it already, and converting 300 timestamps per search took 2 ms.)
RANKING_COLUMNS = ("id", "title", "document_number")
# SQLite: ids per `IN (…)` (a page past the ranking window ranks every hit; SQLite takes at most
# 32,766 parameters a statement).
SQLITE_IN_BATCH = 10_000


def _ranking_rows(ids: list[int]) -> list[tuple]:
    """The RANKING_COLUMNS of these entries. Raw SQL: Django's `pk__in` prepared 300 parameters one
    by one, 5 ms a search on this machine."""
    columns, rows = ", ".join(RANKING_COLUMNS), []
    if connection.vendor == "postgresql":
        return _fetch(f"SELECT {columns} FROM zwgk_search_searchentry WHERE id = ANY(%s)", [list(ids)])
    for start in range(0, len(ids), SQLITE_IN_BATCH):
        batch = list(ids[start : start + SQLITE_IN_BATCH])
        marks = ", ".join(["%s"] * len(batch))
        rows += _fetch(f"SELECT {columns} FROM zwgk_search_searchentry WHERE id IN ({marks})", batch)
    return rows


@dataclass
class _Rechecked:
    rows: list  # the hits' RANKING_COLUMNS
    found: int  # hits among the candidates read (≥ len(rows))
    checked: int  # candidates whose text was read
    exhausted: bool  # every candidate was read

    @property
    def ids(self) -> list:
        return [row[0] for row in self.rows]


def _rechecked_ids(plan: _Plan, offset: int, limit: int | None, share: bool = False) -> _Rechecked:
    """The hits among the candidates, newest first, reading candidates a chunk at a time: the
    planner, given the join, read the text of every candidate before taking the newest 300. The
    rows they are read from give the ranking's columns too (a second query for them cost 3–8 ms).
    `share`: the share of hits among the candidates is wanted too (an estimated total): unless all
    the candidates read were hits, read RECHECK_CHUNK of them at least. (A date-sorted page of a
    common long query read 400 candidates for 20 hits, each a heap fetch and a substring test.)"""
    want = None if limit is None else offset + limit
    recheck, recheck_params = plan.recheck
    columns = ", ".join(f"e.{column}" for column in RANKING_COLUMNS)
    found, checked, after = [], 0, None
    chunk = RECHECK_CHUNK_MAX if want is None else max(RECHECK_FIRST, want * 3 // 2)

    def share_unsettled():
        return share and len(found) < checked < RECHECK_CHUNK

    with _postgresql_gin(), connection.cursor() as cursor:
        while want is None or len(found) < want or share_unsettled():
            ids = _token_ids(cursor, plan, after, chunk)
            if not ids:
                return _Rechecked(found[offset:want], len(found), checked, True)
            cursor.execute(
                f"SELECT {columns} FROM zwgk_search_searchentry e WHERE e.id = ANY(%s) AND {recheck} ORDER BY e.id",
                [ids, *recheck_params],
            )
            found.extend(cursor.fetchall())
            checked, after = checked + len(ids), ids[-1]
            if len(ids) < chunk:
                return _Rechecked(found[offset:want], len(found), checked, True)
            if want is not None:
                # As many as the share of hits so far says the rest of the page needs, and a quarter
                # more (a fixed ×4 read 1,600 texts where a hundred more were missing).
                rate = max(len(found) / checked, 0.05)
                chunk = min(RECHECK_CHUNK_MAX, int(max(want - len(found), 0) / rate * 1.25) + 10)
                if share_unsettled():
                    chunk = max(chunk, RECHECK_CHUNK - checked)
    return _Rechecked(found[offset:want], len(found), checked, False)


def _token_ids(cursor, plan: _Plan, after: int | None, limit: int) -> list[int]:
    """PostgreSQL: the ids of the plan's token rows after `after`, in id order (newest first), at
    most `limit`. GIN yields its matches unordered: the newest 300 of a bigram in 400,000 items cost
    50–70 ms, all of them read and sorted. Intersected with a month's token, a few milliseconds: so a
    plan with enough rows a month (`_monthly`) reads month by month from the newest, and whatever is
    left after MONTHS_AT_MOST months at once (each month read holds all its rows: the rest are older).
    (A year filter's 16,000 candidates of a long query, read at once: 40 ms at 450,000 items.) A plan
    with fewer reads all its rows at once and keeps them (`plan.candidates`)."""
    if plan.candidates is not None:  # read by the count already
        return _listed_after(plan.candidates, after, limit)
    ids: list[int] = []
    if plan.rows is not None and plan.variants and _dense(cursor, plan):
        return _ids_in_key_order(cursor, plan, after, limit)
    if plan.rows is not None and plan.variants:
        if not _monthly(cursor, plan, limit):
            # All of them at once, kept: the next chunk of a recheck reads them from here.
            plan.candidates = _ids_after(cursor, plan, None, None)
            return _listed_after(plan.candidates, after, limit)
        for month in _months(cursor, plan, after):
            if plan.recheck is None:
                # The hits themselves: one read per search, of what the page needs (sending a common
                # bigram's month, 12,500 ids, to be kept took 3–8 ms more).
                ids += _ids_after(cursor, _in_month(plan, month), after, limit - len(ids))
            else:
                if month not in plan.months:
                    # All of the month's rows at once (a few thousand ids at most): a recheck that
                    # needs more candidates than its first chunk held read the month from GIN again (a
                    # posting list decode, 4–8 ms, in 10–20 % of the relevance searches of the benchmark).
                    plan.months[month] = _ids_after(cursor, _in_month(plan, month), None, None)
                ids += _listed_after(plan.months[month], after, limit - len(ids))
            if len(ids) >= limit:
                return ids
        after = ids[-1] if ids else after
    return ids + _ids_after(cursor, plan, after, limit - len(ids))


def _dense(cursor, plan: _Plan) -> bool:
    """Whether the plan's rows are DENSE_SHARE of the index's or more, in an index of DENSE_FROM
    entries or more (the planner's row count of the token table, kept by ANALYZE and autovacuum)."""
    if plan.dense is None:  # asked again for each chunk of a recheck
        partitions = [token_partition(n) for n in range(TOKEN_PARTITIONS)]
        cursor.execute("SELECT sum(reltuples) FROM pg_class WHERE relname = ANY(%s)", [partitions])
        entries = cursor.fetchone()[0] or 0
        plan.dense = entries >= DENSE_FROM and plan.rows >= DENSE_SHARE * entries
    return plan.dense


def _ids_in_key_order(cursor, plan: _Plan, after: int | None, limit: int) -> list[int]:
    """`_ids_after` through the primary key in id order, the tokens checked row by row, for a dense
    plan (`_dense`): it stops after `limit` hits instead of reading all of them from GIN to sort them.
    (_postgresql_gin turned index scans off for this transaction: on for this query alone.)"""
    cursor.execute("SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off")
    try:
        return _ids_after(cursor, plan, after, limit)
    finally:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on")


def _in_month(plan: _Plan, month: str) -> _Plan:
    """The same plan, for the entries of one month (`202611`) alone: its month token."""
    return _plan(plan.variants, {**plan.filters, "month": month})


def _listed_after(ids: list[int], after: int | None, limit: int) -> list[int]:
    """Of ids read already (in id order), those after `after` (all when None), at most `limit`."""
    start = 0 if after is None else bisect.bisect_right(ids, after)
    return ids[start : start + limit]


def _ids_after(cursor, plan: _Plan, after: int | None, limit: int | None) -> list[int]:
    """The ids of the plan's token rows after `after` (all when None), in id order, at most `limit`
    (all when None)."""
    sql, params = f"SELECT t.id {plan.sql}", list(plan.params)
    if after is not None:
        sql += " AND t.id > %s"
        params.append(after)
    sql += " ORDER BY t.id"
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    cursor.execute(sql, params)
    return [row[0] for row in cursor.fetchall()]


def _index_span(cursor, plan: _Plan) -> tuple | None:
    """(newest, oldest): the publication times of the index's ends, local, read once per search."""
    if plan.span is None:
        # The primary key's ends (an index scan, which _postgresql_gin switched off: allowed for this).
        cursor.execute("SET LOCAL enable_indexscan = on")
        cursor.execute(
            "SELECT (SELECT min(id) FROM zwgk_search_searchentry), (SELECT max(id) FROM zwgk_search_searchentry)"
        )
        newest_key, oldest_key = cursor.fetchone()
        cursor.execute("SET LOCAL enable_indexscan = off")
        if newest_key is None:
            return None
        plan.span = tuple(timezone.localtime(published_of_key(key)) for key in (newest_key, oldest_key))
    return plan.span


def _year(plan: _Plan) -> int | None:
    """The plan's year filter, if it has one."""
    year = str(plan.filters.get("year", ""))
    return int(year) if year.isdigit() else None


def _monthly(cursor, plan: _Plan, first: int) -> bool:
    """Whether the plan reads its newest `first` rows month by month: it has MONTHLY_ROWS rows a month
    or more over the months it can span, and the months that `first` rows are expected to take cost
    less than reading all of them at once (MONTH_READ_ROWS)."""
    if _year(plan) is not None:
        months = 12
    elif (span := _index_span(cursor, plan)) is None:
        return False
    else:
        newest, oldest = span
        months = (newest.year - oldest.year) * 12 + newest.month - oldest.month + 1
    if plan.rows < MONTHLY_ROWS * months:
        return False
    needed = -(-first * months // plan.rows)  # months, rounded up
    return (needed - 1) * MONTH_READ_ROWS < plan.rows


def _months(cursor, plan: _Plan, after: int | None):
    """The months (`202611`) to read, newest first: from the month of `after` (else the newest
    entry's, or December of a year filter), at most MONTHS_AT_MOST, none older than the oldest entry."""
    if (span := _index_span(cursor, plan)) is None:
        return
    newest, oldest = span
    start = newest if after is None else timezone.localtime(published_of_key(after))
    year, month = start.year, start.month
    if (filtered := _year(plan)) is not None and filtered < year:
        year, month = filtered, 12
    for _ in range(MONTHS_AT_MOST):
        if (year, month) < (oldest.year, oldest.month):
            return
        yield f"{year}{month:02d}"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


@contextlib.contextmanager
def _postgresql_gin():
    """PostgreSQL: read hits through the GIN index. The planner prices `@>` on the narrow token table
    by its heap (a few thousand pages) and not by the tokens it must decompress on a sequential or
    primary-key scan (15 s instead of 20–50 ms for a common bigram), and one 2-core server gains
    nothing from parallel workers on a 20 ms query. No JIT: with sequential scans off, a plan that
    must still scan one (a one-character query's substring scan, a small table in a join) is priced
    over 10^10, far past JIT's threshold, and JIT compiled it first (25–100 ms for a 450-row plan in
    EXPLAIN ANALYZE). One transaction holds the settings for a whole search (`search`): nested uses
    run inside it."""
    if connection.vendor != "postgresql" or getattr(connection, "zwgk_gin", False):
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
            "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off"
        )
        connection.zwgk_gin = True
        try:
            yield
        finally:
            connection.zwgk_gin = False


def search(
    query: str,
    *,
    type: str = "",
    organisation: str = "",
    year: str = "",
    section: str = "",
    validity: str = "",
    site: str = "",
    sort: str = "relevance",
    offset: int = 0,
    limit: int | None = 20,
    exact_count: bool = False,
) -> SearchResult:
    """One page of hits and their total. `exact_count=False` lets PostgreSQL answer a common 3+
    character query with an estimated total (`approximate`, shown as 约): see `hit_count`. `site`: the
    tree path of a site's home page, to search that site alone (本站)."""
    query = (query or "").strip()[:100]
    if not query:
        return SearchResult(0, [], query)
    variants = expansions(query)
    filters = dict(
        type=type, organisation=organisation, year=year, section=section, validity=validity, site=site
    )
    plan = _plan(variants, filters)
    with _postgresql_gin():  # (PostgreSQL: one transaction and its settings for the whole search)
        return _search(plan, query, variants, sort, offset, limit, exact_count)


def _search(plan, query, variants, sort, offset, limit, exact_count) -> SearchResult:
    count, approximate = hit_count(plan, exact=exact_count or limit is None)
    if plan is not None:
        plan.rows = count  # (PostgreSQL, with a recheck: the candidates)
    stop = None if limit is None else offset + limit
    window_stop = None if stop is None or stop > CANDIDATES else CANDIDATES
    rows = None
    if plan is not None and plan.recheck is not None:
        rechecked = _rechecked_ids(plan, 0, stop if sort == "date" else window_stop, share=approximate)
        if approximate:
            # Scale the containment count by the share of hits among the candidates read.
            count = round(count * rechecked.found / max(rechecked.checked, 1))
            if rechecked.exhausted:
                count, approximate = rechecked.found, False
        rows = rechecked.rows
    if sort == "date" or count == 0:
        ids = [row[0] for row in rows[offset:stop]] if rows is not None else hit_ids(plan, offset, limit)
    else:
        # Rank a window of the newest candidates on light columns only, then load the page of hits.
        if rows is None:
            rows = _ranking_rows(hit_ids(plan, 0, window_stop))
        rows.sort(key=lambda row: (_score(row, variants), -row[0]), reverse=True)  # ties: newest
        ids = [row[0] for row in rows[offset:stop]]
    # Not the normalised text: a page of results shows snippets of the items' own text (snippets.py).
    by_id = SearchEntry.objects.select_related("organisation").defer("terms", "text").in_bulk(ids)
    hits = [by_id[i] for i in ids]
    return SearchResult(count, hits, query, approximate, variants)


def _score(row, variants) -> tuple:
    """The rank of a hit: exact 文号, query in the title, title starting with it; then newer first
    (`search` breaks ties by the id, which is newest-first: indexing.sort_key)."""
    _, title, document_number = row
    title = title.lower()
    docno = normalise_for_search(document_number) if document_number else ""
    return (
        any(v == docno for v in variants),
        any(v in title for v in variants),
        any(title.startswith(v) for v in variants),
    )


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
