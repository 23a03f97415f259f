"""Keep the index in step with publishing: index on publish (through the task queue), drop at once on
unpublish or delete. Only live, public (no view restriction), 主动公开 items are ever indexed.

An entry's id is its sort key, smallest for the newest (`sort_key`): newest first is `ORDER BY id`,
which FTS5 walks in its own rowid order, so a first page of
date-sorted hits never sorts all hits. Ascending, not `published`-ascending ids read `DESC`: SQLite
3.40's FTS5 dropped 0.03–0.1 % of a phrase's hits when walking a large index in descending rowid order
(measured at 450,000 items, bench/search.py), while ascending order and COUNT agree. `zwgk reindex` writes entries in batches
(`rows_for`, `insert_rows`): one query per batch for the items, none per page.
"""

import datetime as dt
import re

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page, Site

from zwgk.core.cache import bump
from zwgk.core.models import Organisation
from zwgk.core.tasks import enqueue_after_commit
from zwgk.disclosure.models import ITEM_TYPES, LiveDocumentUse, PolicyDocumentPage
from zwgk.text.html import html_to_text
from zwgk.text.tokenize import distinct_terms, normalise_for_search, normalised_terms

from . import sources
from .models import SearchEntry

TYPE_LABELS = {"articlepage": "文章", "policydocumentpage": "政策文件", "interpretationpage": "政策解读"}
# On PostgreSQL the tokens live in a narrow table of their own (migration 0004), hash-partitioned on
# the entry id into TOKEN_PARTITIONS tables, each with its GIN index (migration 0008): their GIN
# indexes and heaps are all a count reads. `zwgk reindex` drops the indexes for a bulk load and builds
# them at the end, one per partition at the same time: PostgreSQL 15 builds a GIN index in one process,
# and at 450,000 items one build took 144 s where the two halves side by side took 77 s.
TOKEN_PARTITIONS = 2
GIN_INDEX = "zwgk_search_tokens_gin"


def token_partition(n: int) -> str:
    return f"zwgk_search_tokens_p{n}"


def gin_index(n: int, sample: int = 0) -> str:
    """The name of partition `n`'s GIN index: of all its rows, or (`sample`, a share in SAMPLE_SHARES)
    of its sample entries alone (`sample_sql`)."""
    prefix = {0: "", SAMPLE_SHARE: "sample_"}.get(sample, f"sample{sample}_")
    return f"{GIN_INDEX}_{prefix}p{n}"


def gin_indexes() -> list[tuple[int, int]]:
    """(partition, sample) of every GIN index on the token table: the full ones first."""
    return [(n, sample) for sample in (0, *SAMPLE_SHARES) for n in range(TOKEN_PARTITIONS)]


def gin_sql(n: int, sample: int = 0) -> str:
    """The GIN index of token partition `n` (`sample`: of its sample entries alone, `sample_sql`), on
    the token array in the "C" collation: GIN compares its keys byte by byte instead of through the
    database's collation (C.UTF-8 here: glibc's strcoll), and the index built in 153 s instead of
    220 s at 450,000 items. A query must spell the expression the same way to use the index
    (`TOKENS_SQL`), and the predicate as `sample_sql` does."""
    return (
        f"CREATE INDEX IF NOT EXISTS {gin_index(n, sample)} ON {token_partition(n)} "
        "USING gin ((string_to_array(terms, ' ')) COLLATE \"C\")"
        + (f" WHERE (hashint8(id) & {sample - 1}) = 0" if sample else "")
    )


# PostgreSQL: the token array of token row `t` as the GIN index holds it (gin_sql), for `… @> %s::text[]`.
TOKENS_SQL = "(string_to_array(t.terms, ' ') COLLATE \"C\")"


TYPE_CODES = {"文章": "a", "政策文件": "p", "政策解读": "i"}


def type_codes() -> dict[str, str]:
    """Every entry type and its token letter: the items' and the registered sources' (互动交流)."""
    return {**TYPE_CODES, **{source.label: source.code for source in sources.registered()}}


def facet_token(kind: str, value) -> str:
    """A filter value as an index token (`_ta`, `_o12`, `_y2025`, `_s7`, `_vvalid`). The query
    tokenizer never yields `_`, so no query matches one; FTS5 keeps `_` in tokens (tokenchars)."""
    return f"_{kind}{(TYPE_CODES.get(value) or type_codes()[value]) if kind == 't' else value}"


def facet_terms(fields: dict) -> list[str]:
    """The entry's filter values as tokens: the filters run inside the FTS5/GIN index."""
    tokens = [facet_token("t", fields["type"]), facet_token("y", fields["year"])]
    if fields["organisation_id"]:
        tokens.append(facet_token("o", fields["organisation_id"]))
    if fields["section_id"]:
        tokens.append(facet_token("s", fields["section_id"]))
    if fields["validity"] and fields["validity"].isascii() and fields["validity"].isalnum():
        tokens.append(facet_token("v", fields["validity"].lower()))
    return tokens


# PostgreSQL: an estimated total counts the hits among the entries whose id hashes to 0 of a share
# (`sample_sql`), through a partial GIN index of those entries alone (`gin_sql(n, share)`): its
# posting lists are 1/share of the full ones. A sample bucket marked by a token per entry
# (`_z0`…) made GIN decode the bigrams' full posting lists for the bucket's rows, which lie on every
# page of a common bigram's list (7–15 ms per count, 1–3 ms with the partial index). Three samples,
# each within the one before: 1 in 16, 1 in 256 and 1 in 4,096. At 450,000 items the 1/16 sample of
# 政务 holds 28,000 of its rows, and checking each costs 13 ms; the 1/256 one holds 1,700 (2 ms),
# still enough for a common query (query.py). At 2,000,000 items the 1/256 sample of 工作 holds 7,300
# rows (30–58 ms, a heap page each), the 1/4,096 one about 450.
SAMPLE_SHARE = 16
SMALL_SAMPLE_SHARE = 256
TINY_SAMPLE_SHARE = 4096
SAMPLE_SHARES = (SAMPLE_SHARE, SMALL_SAMPLE_SHARE, TINY_SAMPLE_SHARE)


def sample_sql(share: int) -> str:
    """The sample of 1 in `share` entries, spelled as its partial index's predicate."""
    return f"(hashint8(t.id) & {share - 1}) = 0"


SAMPLE_SQL = sample_sql(SAMPLE_SHARE)


_PLAIN_SLUG = re.compile(r"[A-Za-z0-9_.~-]+")
_PAGE_ID_BITS = 31  # Wagtail page ids are 32-bit signed integers
_MAX_PAGE_ID = (1 << _PAGE_ID_BITS) - 1
_MAX_SECONDS = (1 << 32) - 1  # 2106


def sort_key(published, page_id: int) -> int:
    """The entry id, as one positive signed 64-bit integer: ascending = newer first, then the higher
    page id first (published in the same second)."""
    seconds = min(_MAX_SECONDS, max(0, int(published.timestamp())))
    return ((_MAX_SECONDS - seconds) << _PAGE_ID_BITS) | (_MAX_PAGE_ID - page_id)


# A source's objects (sources.Source: 互动交流 …) share the sort key's low 31 bits with the pages:
# the top one marks an object, then its id and its source's number (2 bits). A page id at or past 2^30
# (a billion pages) would share keys with objects; an object id must stay below 2^28.
OBJECT_BASE = 1 << 30
_OBJECT_ID_MAX = (1 << 28) - 1


def object_key(published, source: "sources.Source", object_id: int) -> int:
    """The entry id of a source's object: `sort_key` with a page id no page has."""
    if not 0 < object_id <= _OBJECT_ID_MAX:
        raise ValueError(f"object id {object_id} out of the index's range")
    return sort_key(published, OBJECT_BASE | object_id << 2 | source.number)


def published_of_key(key: int):
    """The publication time a sort key holds (to the second), as an aware datetime."""
    return dt.datetime.fromtimestamp(_MAX_SECONDS - (key >> _PAGE_ID_BITS), dt.UTC)


def month_token(published) -> str:
    """PostgreSQL: the publication month as a token (`_m202611`, local time): GIN cannot return the
    newest hits of a common term without reading all of them, a month at a time it can (query.py)."""
    local = timezone.localtime(published)
    return facet_token("m", f"{local.year}{local.month:02d}")


# What an index entry is made of (entry_fields): loading only these, and no Wagtail `.specific()`
# chunking, halves the time spent per item.
FIELDS = (
    "id", "title", "slug", "url_path", "path", "depth", "live", "locale_id", "first_published_at",
    "body", "summary", "keywords", "document_number", "index_number", "organisation_id", "disclosure_mode",
)  # fmt: skip


def load_items(ids, types=None) -> list:
    """The items with these page ids, as their specific models (the index fields only), with their
    发布机构: one query per item type (only those of `types`, labels as TYPE_LABELS's, when given: a
    page of search hits is mostly 文章) and one for the organisations."""
    pages = []
    for model in ITEM_TYPES:
        if types is not None and TYPE_LABELS[model._meta.model_name] not in types:
            continue
        fields = FIELDS + (("validity",) if model is PolicyDocumentPage else ())
        pages.extend(model.objects.filter(id__in=ids).only(*fields))
    pages.sort(key=lambda page: page.pk)
    organisations = Organisation.objects.in_bulk(
        {getattr(page, "organisation_id", None) for page in pages} - {None}
    )
    for page in pages:
        if getattr(page, "organisation_id", None) in organisations:
            page.organisation = organisations[page.organisation_id]
    return pages


def is_public(page) -> bool:
    return (
        page.live
        and getattr(page, "disclosure_mode", "active") == "active"
        and not page.get_view_restrictions().exists()
    )


def original_text(page) -> str:
    """What an entry's `text` is made of, as written (title and metadata, a line break, the body's
    text): `entry_fields` normalises it for the index, result snippets show it (snippets.py)."""
    body = html_to_text(str(getattr(page, "body", "") or ""))
    org = getattr(page, "organisation", None)
    meta = " ".join(
        filter(
            None,
            [
                page.title,
                getattr(page, "document_number", ""),
                getattr(page, "index_number", ""),
                org.name if org else "",
                org.short_name if org else "",
                getattr(page, "summary", ""),
                getattr(page, "keywords", ""),
            ],
        )
    )
    return meta + "\n" + body


# The attachments' text an entry holds at most (characters, all the item's attachments together):
# a 500-page PDF is about a million characters. Past it an attachment's text is not searched.
ATTACHMENT_CHARS = 1_000_000


def live_attachments(page_ids) -> dict[int, list[tuple[int, str]]]:
    """page id → [(document id, text)] of the documents each live page uses (LiveDocumentUse: a
    document is public only while a live page uses it) whose text has been read (sources.
    attachment_texts), in document id order. One query for the uses, one for the texts."""
    uses = list(
        LiveDocumentUse.objects.filter(page_id__in=list(page_ids), page__live=True)
        .order_by("page_id", "document_id")
        .values_list("page_id", "document_id")
    )
    if not uses:
        return {}
    texts = sources.attachment_texts(sorted({document for _, document in uses}))
    found: dict[int, list[tuple[int, str]]] = {}
    for page_id, document_id in uses:
        if texts.get(document_id):
            found.setdefault(page_id, []).append((document_id, texts[document_id]))
    return found


def attachments_text(attachments) -> str:
    """The attachments' texts as an entry holds them (normalised, each on lines of its own, at most
    ATTACHMENT_CHARS in all)."""
    parts, left = [], ATTACHMENT_CHARS
    for _, text in attachments or ():
        if left <= 0:
            break
        parts.append(normalise_for_search(text[:left]))
        left -= len(text)
    return "".join("\n" + part for part in parts)


def entry_fields(page, section=None, url=None, attachments=None) -> dict:
    """The index row of `page` (a specific item). `section` (the page id of the item's top-level
    section) and `url` save queries when the caller knows them. `attachments`: [(document id, text)]
    of the documents the live item uses (`live_attachments`), folded into its text: a hit in an
    attachment is a hit of the item (one result per item, its ranking and filters unchanged)."""
    text = normalise_for_search(original_text(page)) + attachments_text(attachments)
    org = getattr(page, "organisation", None)
    if section is None:
        ancestors = page.get_ancestors()
        section = (ancestors[2] if len(ancestors) > 2 else page.get_parent()).pk
    published = page.first_published_at or timezone.now()
    fields = dict(
        id=sort_key(published, page.pk),
        url=(page.url or "") if url is None else url,
        title=page.title,
        type=TYPE_LABELS.get(page._meta.model_name, "文章"),
        organisation_id=org.pk if org else None,
        section_id=section,
        published=published,
        year=timezone.localtime(published).year,
        validity=getattr(page, "validity", ""),
        document_number=getattr(page, "document_number", ""),
        text=text,
    )
    # The text is normalised already: tokenise it as it is, then add the filter tokens, with the
    # item's site (its home page's tree path, no query: 本站 search on a site-group installation).
    facets = [*facet_terms(fields), facet_token("h", page.path[: page.steplen * 2])]
    fields["terms"] = _terms(text, facets, published)
    return fields


def _terms(text: str, facets: list[str], published) -> str:
    """The entry's index tokens: its normalised text's and its filter tokens."""
    if connection.vendor == "sqlite":
        # FTS5 matches a phrase of bigrams: every token in text order, and the runs kept apart.
        return " ".join([normalised_terms(text, boundaries=True), *facets])
    # PostgreSQL checks the substring instead, and GIN holds a set of tokens: each one once, sorted
    # in the "C" collation's (code point) order. The GIN build sorts and de-duplicates each row's
    # tokens; presorted, its sort takes one pass, and at 450,000 items a partition's index built in
    # 36 s instead of 85 s (a third of the tokens were repeats). SQLite: rowid ranges for months.
    tokens = distinct_terms(text)
    tokens.update(facets)
    tokens.add(month_token(published))
    return " ".join(sorted(tokens))


@transaction.atomic
def index_page(page) -> SearchEntry | None:
    """(Re)index one page; removes it when it is not (or no longer) public."""
    page = page.specific
    remove_page(page.pk)
    if not is_public(page):
        return None
    attachments = live_attachments([page.pk]).get(page.pk)
    entry = SearchEntry(page_id=page.pk, **entry_fields(page, attachments=attachments))
    _insert([entry])
    return entry


def rows_for(pages, *, restricted_paths=(), site_root_paths=None) -> list[dict]:
    """The index rows (`entry_fields` plus `page_id`) of the public pages of a batch of specific item
    pages (`zwgk reindex`): the part of indexing that needs no write, so it runs in worker processes.

    `restricted_paths`: the paths of pages with a view restriction (their subtrees are not public)."""
    sections = _sections(pages)
    urls = _Urls(site_root_paths)
    attachments = live_attachments([page.pk for page in pages])
    rows = []
    for page in pages:
        if not page.live or getattr(page, "disclosure_mode", "active") != "active":
            continue
        if any(page.path.startswith(path) for path in restricted_paths):
            continue
        fields = entry_fields(
            page, sections[page.pk], url=urls.url(page), attachments=attachments.get(page.pk)
        )
        rows.append(dict(fields, page_id=page.pk, source="", object_id=None))
    return rows


def object_rows(source: "sources.Source", ids: list[int]) -> list[dict]:
    """The index rows of a source's public objects among `ids` (as `rows_for` gives the pages')."""
    site = _default_site_token()
    rows = []
    for row in source.rows(list(ids)):
        published = row["published"]
        text = normalise_for_search(row["original"])
        fields = dict(
            id=object_key(published, source, row["id"]),
            page_id=None,
            source=source.name,
            object_id=row["id"],
            url=row["url"],
            title=row["title"][:255],
            type=source.label,
            organisation_id=row.get("organisation_id"),
            section_id=None,
            published=published,
            year=timezone.localtime(published).year,
            validity="",
            document_number=row.get("document_number", "")[:60],
            text=text,
        )
        facets = facet_terms(fields) + ([site] if site else [])
        fields["terms"] = _terms(text, facets, published)
        rows.append(fields)
    return rows


def _default_site_token() -> str | None:
    """A source's objects belong to the default site (the portal that serves 互动交流): its `_h` token,
    so a 本站 search there finds them."""
    path = Site.objects.filter(is_default_site=True).values_list("root_page__path", flat=True).first()
    return facet_token("h", path[: Page.steplen * 2]) if path else None


@transaction.atomic
def index_object(name: str, object_id: int) -> SearchEntry | None:
    """(Re)index one object of the source `name`; removes it when it is not (or no longer) public."""
    remove_object(name, object_id)
    source = sources.get(name)
    rows = object_rows(source, [object_id]) if source else []
    if not rows:
        return None
    _write([entry_values(row) for row in rows])
    return SearchEntry.objects.filter(pk=rows[0]["id"]).first()


def remove_object(name: str, object_id: int) -> None:
    _remove(SearchEntry.objects.filter(source=name, object_id=object_id))


def pages_using(document_ids) -> list[int]:
    """The live pages that use these documents (LiveDocumentUse)."""
    uses = LiveDocumentUse.objects.filter(document_id__in=list(document_ids), page__live=True)
    return sorted(set(uses.values_list("page_id", flat=True)))


def reindex_pages(page_ids) -> int:
    """Queue the re-indexing of these pages (the text of a document they use was read, or dropped);
    returns how many."""
    for page_id in page_ids:
        enqueue_after_commit(index_page_task, page_id)
    return len(page_ids)


def reindex_pages_using(document_ids) -> int:
    return reindex_pages(pages_using(document_ids))


def entry_values(row: dict) -> tuple:
    """A row of `rows_for` as the values of the entry's columns (`_COLUMNS`), ready to write: the
    worker processes of `zwgk reindex` prepare them, and the writing process only writes."""
    if connection.vendor == "sqlite":
        row = {**row, "published": connection.ops.adapt_datetimefield_value(row["published"])}
    return tuple(row[name] for name in _COLUMNS)


def entry_id(values: tuple) -> int:
    """The id (sort key) of an entry as `entry_values` gives it."""
    return values[_ID]


def insert_rows(values: list[tuple], *, full_text: bool = True) -> int:
    """Write entries (`entry_values`, items not in the index yet); returns how many. SQLite:
    `full_text=False` leaves their FTS5 rows to a later `insert_full_text` in the same transaction."""
    _write(values, full_text=full_text)
    return len(values)


def full_text_rows(values: list[tuple]) -> list[tuple[int, str]]:
    """The (id, terms) of entries as `entry_values` gives them, for `insert_full_text`."""
    return [(row[_ID], row[_TERMS]) for row in values]


def insert_full_text(rows: list[tuple[int, str]]) -> None:
    """SQLite: the FTS5 rows (id, terms) of entries written with `full_text=False`, at once, in
    ascending rowid order: FTS5 flushes its pending terms to a new segment whenever a rowid is lower
    than the previous one, so unsorted ids wrote a segment per row and spent their time merging them
    (1.9 ms a row at 450,000 items; sorted, 0.23 ms)."""
    with connection.cursor() as cursor:
        cursor.cursor.executemany("INSERT INTO zwgk_search_fts(rowid, terms) VALUES (?, ?)", sorted(rows))


class _Urls:
    """`page.url` for a batch: Wagtail reverses a route per page (~1 ms); siblings share the URL of
    their parent, so one `page.url` per parent gives the prefix of the others'."""

    def __init__(self, site_root_paths):
        self.site_root_paths = site_root_paths
        self.prefixes = {}  # parent url_path → URL prefix of its children

    def url(self, page):
        if self.site_root_paths is not None:
            page._wagtail_cached_site_root_paths = self.site_root_paths
        tail = page.slug + "/"
        if not (_PLAIN_SLUG.fullmatch(page.slug) and page.url_path.endswith(tail)):
            return page.url or ""  # a slug the URL would percent-encode: ask Wagtail
        key = (page.url_path[: -len(tail)], page.locale_id)
        prefix = self.prefixes.get(key)
        if prefix is None:
            url = page.url or ""
            if not url.endswith(tail):
                return url
            prefix = self.prefixes[key] = url[: -len(tail)]
        return prefix + tail


def _sections(pages) -> dict:
    """page id → id of its section: the depth-3 ancestor (root › home › section), else its parent."""
    steplen = Page.steplen
    wanted = {p.pk: (p.path[: 3 * steplen] if p.depth > 3 else p.path[:-steplen]) for p in pages}
    ids = dict(Page.objects.filter(path__in=set(wanted.values())).values_list("path", "pk"))
    return {pk: ids.get(path) for pk, path in wanted.items()}


_COLUMNS = (
    "id", "page_id", "source", "object_id", "url", "title", "type", "organisation_id", "section_id",
    "published", "year", "validity", "document_number", "text", "terms",
)  # fmt: skip


_ID, _TERMS = _COLUMNS.index("id"), _COLUMNS.index("terms")


def _insert(entries) -> None:
    _write([entry_values({name: getattr(entry, name) for name in _COLUMNS}) for entry in entries])


def _write(values: list[tuple], full_text: bool = True) -> None:
    if not values:
        return
    if connection.vendor == "postgresql":
        # COPY: a third of the time of INSERT … VALUES for rows this wide. The tokens go to their
        # own table (see TOKEN_PARTITIONS), not twice.
        with connection.cursor() as cursor:
            columns = ", ".join(_COLUMNS)
            with cursor.cursor.copy(f"COPY zwgk_search_searchentry ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row((*row[:_TERMS], "", *row[_TERMS + 1 :]))
            with cursor.cursor.copy("COPY zwgk_search_tokens (id, terms) FROM STDIN") as copy:
                for row in values:
                    copy.write_row((row[_ID], row[_TERMS]))
        return
    # The DB-API cursor, not Django's: with DEBUG on, Django quotes every parameter of every query for
    # its query log (a third of the time of a reindex, and the log held megabytes of entry text).
    with connection.cursor() as cursor:
        cursor.cursor.executemany(
            f"INSERT INTO zwgk_search_searchentry ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            values,
        )
    if full_text:
        insert_full_text(full_text_rows(values))


def _fts_delete(rows):
    """External-content FTS5 forgets a row only when told its old tokens."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO zwgk_search_fts(zwgk_search_fts, rowid, terms) VALUES ('delete', %s, %s)", rows
        )


def remove_page(page_id: int) -> None:
    _remove(SearchEntry.objects.filter(page_id=page_id))


def _remove(entries) -> None:
    rows = list(entries.values_list("pk", "terms"))
    if not rows:
        return
    if connection.vendor == "sqlite":
        _fts_delete(rows)
    SearchEntry.objects.filter(pk__in=[pk for pk, _ in rows]).delete()


@task()
def index_page_task(page_id: int):
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        remove_page(page_id)
    else:
        index_page(page)
    # The search pages and their choices (年份, 栏目) are cached under the all-sites generation, which
    # the publish moved before this task, run from the queue, wrote the entry: move it again, so that
    # a search in between does not keep the old index on show. The sites' own pages stay.
    bump(sites=())
