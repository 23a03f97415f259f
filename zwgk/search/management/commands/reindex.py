"""`zwgk reindex`: rebuild the search index from every published item (progress bar, resumable)."""

import collections
import multiprocessing
import time

from django.core.management.base import BaseCommand
from django.db import connection, connections

BULK_LOAD = 10_000  # on PostgreSQL, more items than this to index: build the GIN index at the end
FTS_HASHSIZE = 256 * 1024 * 1024
WRITE_ROWS = 10_000  # rows per write transaction: on SQLite, one FTS5 segment each
FTS_AUTOMERGE = 16
PARALLEL_FROM = 20_000  # more items than this to index: tokenise in worker processes


class Command(BaseCommand):
    help = "重建全文检索索引（可中断后继续；--restart 从头开始）"

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help="清空索引后从头重建")
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--optimize", action="store_true", help="SQLite：重建后把全文索引合并为一段（查询更快，耗时较长）"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="分词进程数（默认：大量重建时 2 个，否则不另开进程）"
        )

    def handle(self, *args, **opts):
        from django.db import transaction
        from wagtail.models import Page, PageViewRestriction, Site

        from zwgk.disclosure.models import ArticlePage, InterpretationPage, PolicyDocumentPage
        from zwgk.search.indexing import GIN_INDEX, GIN_SQL, insert_rows
        from zwgk.search.models import SearchEntry

        if connection.vendor == "sqlite":
            # Debian builds SQLite with secure_delete on: every page the restart frees, and every
            # page an FTS5 merge frees, was overwritten with zeros first (the restart of a full index
            # took ~230 s). The index holds published text only; FAST still zeroes within a page.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete = FAST")
        if opts["restart"]:
            # Raw SQL: a model delete sends signals, so Django first loaded all 450,000 entries.
            outside_transaction = not connection.in_atomic_block
            # With foreign keys on, SQLite deletes a child table (the entries reference pages) row by
            # row, updating its six indexes, instead of dropping its pages. Deleting children cannot
            # break a constraint. (A PRAGMA inside a transaction is ignored, so a test's transaction
            # keeps the slow path.)
            keys_off = connection.vendor == "sqlite" and outside_transaction
            if keys_off:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA foreign_keys = OFF")
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    if connection.vendor == "postgresql" and outside_transaction:
                        cursor.execute("TRUNCATE zwgk_search_tokens, zwgk_search_searchentry")
                    else:  # (a test's transaction holds deferred FK checks: no TRUNCATE there)
                        cursor.execute("DELETE FROM zwgk_search_tokens")
                        cursor.execute("DELETE FROM zwgk_search_searchentry")
                    if connection.vendor == "sqlite":
                        cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('delete-all')")
            finally:
                if keys_off:
                    with connection.cursor() as cursor:
                        cursor.execute("PRAGMA foreign_keys = ON")
        # Resume: items already indexed are skipped (the index follows publishing from then on).
        # Each batch commits on its own, so an interrupted run keeps what it wrote.
        restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        root_paths = Site.get_site_root_paths()
        pages = Page.objects.live().type(ArticlePage, PolicyDocumentPage, InterpretationPage).order_by("id")
        total = pages.count()
        done = SearchEntry.objects.count()
        bulk = total - done > BULK_LOAD
        workers = opts["workers"]
        if workers is None:
            workers = 2 if total - done > PARALLEL_FROM else 1
        if connection.in_atomic_block:
            workers = 1  # worker processes would not see this transaction's rows (tests)
        batches = _todo_batches(pages, opts["batch"])
        if workers > 1:
            # Loading and tokenising take about as long as writing: worker processes do that for
            # the next batches while this one writes. Forked with no database connection open, so
            # each opens its own (closing an inherited one would end the parent's session).
            connections.close_all()
            pool = multiprocessing.get_context("fork").Pool(
                workers, initializer=_worker_init, initargs=(restricted, root_paths)
            )
            results = _bounded(pool, batches, ahead=2 * workers)
        else:
            _worker_init(restricted, root_paths)
            results = map(_worker_rows, batches)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and bulk:
                # Filling a GIN index row by row costs ~3 ms a row; building it at the end, seconds.
                # Until then (and after an interruption, until the run resumes) search scans the table.
                cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            elif connection.vendor == "sqlite":
                _prepare_fts(cursor)
        started, written = time.monotonic(), 0
        try:
            for rows in _grouped(results, WRITE_ROWS):
                with transaction.atomic():
                    count = insert_rows(rows)
                written += count
                done += count
                rate = written / max(time.monotonic() - started, 1e-6)
                bar = "#" * int(30 * min(done, total) / total) if total else ""
                self.stderr.write(f"\r[{bar:<30}] {min(done, total)}/{total}（{rate:.0f} 条/秒）", ending="")
        finally:
            if workers > 1:
                pool.terminate()
        self.stderr.write("")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT to_regclass(%s)", [GIN_INDEX])
                if cursor.fetchone()[0] is None:  # dropped by this run or an interrupted earlier one
                    cursor.execute(f"SET maintenance_work_mem = '{_gin_build_memory_mb()}MB'")
                    cursor.execute(GIN_SQL)
            elif opts["optimize"]:
                # One segment: queries about 1.5× faster than over the merged levels automerge leaves,
                # but at 450,000 items it ran for more than 13 minutes on this machine's disk.
                cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('optimize')")
            # Planner statistics (and on PostgreSQL the visibility map), for the token table too: on
            # PostgreSQL the counts read its GIN index and heap.
            tables = ["zwgk_search_searchentry"]
            if connection.vendor == "postgresql":
                tables.append("zwgk_search_tokens")
            command = (
                "VACUUM ANALYZE"
                if connection.vendor == "postgresql" and not connection.in_atomic_block
                else "ANALYZE"
            )
            for table in tables:
                cursor.execute(f"{command} {table}")
        self.stdout.write(f"检索索引已就绪：{SearchEntry.objects.count()} 条。")


# What an index entry is made of (indexing.entry_fields): loading only these, and no Wagtail
# `.specific()` chunking, halves the time spent per item.
FIELDS = (
    "id", "title", "slug", "url_path", "path", "depth", "live", "locale_id", "first_published_at",
    "body", "summary", "keywords", "document_number", "index_number", "organisation_id", "disclosure_mode",
)  # fmt: skip


def _load(ids):
    """The items with these page ids, as their specific models (the index fields only)."""
    from zwgk.disclosure.models import ArticlePage, InterpretationPage, PolicyDocumentPage

    pages = []
    for model in (ArticlePage, PolicyDocumentPage, InterpretationPage):
        fields = FIELDS + (("validity",) if model is PolicyDocumentPage else ())
        pages.extend(model.objects.filter(id__in=ids).only(*fields))
    pages.sort(key=lambda page: page.pk)
    _attach_organisations(pages)
    return pages


def _attach_organisations(pages):
    """One query for the batch's 发布机构 instead of one per page."""
    from zwgk.core.models import Organisation

    ids = {getattr(p, "organisation_id", None) for p in pages} - {None}
    organisations = Organisation.objects.in_bulk(ids)
    for page in pages:
        if getattr(page, "organisation_id", None) in organisations:
            page.organisation = organisations[page.organisation_id]


def _gin_build_memory_mb() -> int:
    """Memory for building the GIN index: the build sorts every (token, row) pair, and at 450,000
    items it took 390 s with 256 MB and 266 s with 1 GB. A quarter of the machine's memory, between
    256 MB and 1 GB (the database server is assumed to be on this machine or one like it)."""
    import os

    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 256
    return max(256, min(1024, total_mb // 4))


def _prepare_fts(cursor):
    # A batch dirties thousands of pages across the entries' B-trees; SQLite's default 2 MB cache
    # spilled them to the WAL and read them back mid-transaction.
    cursor.execute("PRAGMA cache_size = -262144")
    # FTS5 writes its pending terms out as a new segment whenever they pass `hashsize` (1 MB by
    # default, ~150 items here): a batch then made a dozen segments for automerge to merge again
    # (3 ms an item at 60,000 items). 256 MB holds a write transaction (WRITE_ROWS): one segment each,
    # freed at the commit.
    cursor.execute(
        "INSERT INTO zwgk_search_fts(zwgk_search_fts, rank) VALUES ('hashsize', %s)", [FTS_HASHSIZE]
    )
    # Incremental merging: off for the load, the one 'optimize' at the end over a few hundred segments
    # ran for more than 25 minutes at 450,000 items; at FTS5's default (merge 4 segments of a level)
    # merging took most of the load time once the index outgrew the page cache. 16 merges each row
    # about half as often, for a few more segments per query.
    cursor.execute(
        "INSERT INTO zwgk_search_fts(zwgk_search_fts, rank) VALUES ('automerge', %s)", [FTS_AUTOMERGE]
    )


def _todo_batches(pages, size):
    """Page ids to index, a batch at a time in page id order (reading items in the order they are
    stored: newest-first order read them scattered and took 3× as long), skipping what is indexed
    already (resume)."""
    from zwgk.search.models import SearchEntry

    last_id = 0
    while True:
        ids = list(pages.filter(id__gt=last_id).values_list("id", flat=True)[:size])
        if not ids:
            return
        last_id = ids[-1]
        indexed = set(SearchEntry.objects.filter(page_id__in=ids).values_list("page_id", flat=True))
        todo = [pk for pk in ids if pk not in indexed]
        if todo:
            yield todo


def _grouped(results, size):
    """The workers' batches joined into transactions of at least `size` rows (the last one smaller)."""
    group = []
    for rows in results:
        group.extend(rows)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _bounded(pool, batches, ahead):
    """`pool.imap` with at most `ahead` batches in flight: imap would read every batch at once and
    pile up results faster than they are written."""
    pending = collections.deque()
    for ids in batches:
        pending.append(pool.apply_async(_worker_rows, (ids,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


_worker = {}


def _worker_init(restricted, root_paths):
    _worker.update(restricted=restricted, root_paths=root_paths)


def _worker_rows(ids):
    from zwgk.search.indexing import rows_for

    return rows_for(_load(ids), restricted_paths=_worker["restricted"], site_root_paths=_worker["root_paths"])
