"""`zwgk reindex`: rebuild the search index from every published item (progress bar, resumable)."""

import collections
import contextlib
import itertools
import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from zwgk.core.cache import bump
from zwgk.core.progress import ProgressLine
from zwgk.disclosure.models import ITEM_TYPES
from zwgk.search import sources
from zwgk.search.indexing import (
    TOKEN_PARTITIONS,
    _fts_delete,
    entry_id,
    entry_values,
    full_text_rows,
    gin_index,
    gin_indexes,
    gin_sql,
    insert_full_text,
    insert_rows,
    load_items,
    object_key,
    object_rows,
    rows_for,
    sort_key,
    token_partition,
)
from zwgk.search.models import SearchEntry

BULK_LOAD = 10_000  # on PostgreSQL, more items than this to index: build the GIN indexes at the end
FTS_HASHSIZE = 1024 * 1024 * 1024
# Rows per write transaction (on SQLite, one FTS5 segment each): enough for the load to make at most
# FTS_CRISISMERGE segments, FTS5 merging them into one as the last one is written, within these bounds
# (FTS5 holds a transaction's terms in memory: ~600 MB for 30,000 demo items).
WRITE_ROWS = 10_000
WRITE_ROWS_MAX = 30_000
FTS_AUTOMERGE = 16
FTS_CRISISMERGE = 16  # FTS5's default
PARALLEL_FROM = 20_000  # more items than this to index: tokenise in worker processes


class Command(BaseCommand):
    help = "重建全文检索索引（可中断后继续；--restart 从头开始）"
    # progress(done, total, message): the back office's 后台任务 page follows a run through it.
    stealth_options = ("progress",)

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help="清空索引后从头重建")
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--optimize",
            action="store_true",
            help="SQLite：把全文索引合并为一段（查询更快；大量重建后自动进行）",
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="分词进程数（默认：大量重建时 2 个，否则不另开进程）"
        )

    def handle(self, *args, **opts):
        if connection.vendor == "sqlite":
            # Debian builds SQLite with secure_delete on: every page the restart frees, and every
            # page an FTS5 merge frees, was overwritten with zeros first (the restart of a full index
            # took ~230 s). The index holds published text only; FAST still zeroes within a page.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete = FAST")
        phases = {}  # what each step took, printed at the end (seconds)
        if opts["restart"]:
            with _timed(phases, "清空"):
                _empty_index()
        # Resume: items already indexed are skipped (the index follows publishing from then on).
        # Each batch commits on its own, so an interrupted run keeps what it wrote.
        restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        root_paths = Site.get_site_root_paths()
        pages = Page.objects.live().type(*ITEM_TYPES).order_by("id")
        # The registered sources' public objects (互动交流 messages …), written after the items.
        objects = _source_todo()
        total = pages.count() + sum(count for _, _, count in objects)
        done = SearchEntry.objects.count()
        bulk = total - done > BULK_LOAD
        from_empty = done == 0  # then written in id order (_todo_batches), else added to what is there
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
            # Ahead enough for the workers to go on while the writer adds a transaction's FTS5 rows.
            results = _bounded(pool, batches, ahead=4 * workers)
        else:
            _worker_init(restricted, root_paths)
            results = map(_worker_rows, batches)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and bulk:
                # Filling a GIN index row by row costs ~3 ms a row; building it at the end, seconds.
                # Until then (and after an interruption, until the run resumes) search scans the table.
                for n, sample in gin_indexes():
                    cursor.execute(f"DROP INDEX IF EXISTS {gin_index(n, sample)}")
            elif connection.vendor == "sqlite":
                _prepare_fts(cursor)
        started, written = time.monotonic(), 0
        line = ProgressLine(self.stderr)
        try:
            batches_written = _write_transactions(results, _write_rows(total - done))
            for source, todo, _ in objects:
                batches_written = itertools.chain(
                    batches_written,
                    _write_transactions(_object_batches(source, todo, opts["batch"]), WRITE_ROWS),
                )
            for count in batches_written:
                written += count
                done += count
                line.update(done, total)
                if opts.get("progress"):
                    opts["progress"](
                        min(done, total), total, f"已写入索引 {min(done, total)} 条（{line.rate:.0f} 条/秒）"
                    )
        finally:
            if workers > 1:
                pool.terminate()
        line.end()
        # (SQLite: FTS5 merges the load's segments as the last transaction commits, within 写入.)
        phases["写入"] = time.monotonic() - started
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if bulk and not from_empty:
                    with _timed(phases, "按编号重排"):
                        _cluster_token_partitions(cursor)
                with _timed(phases, "建索引"):
                    _build_gin_indexes(cursor)
            elif bulk or opts["optimize"]:
                with _timed(phases, "合并全文索引"):
                    _merge_segments(cursor)
            with _timed(phases, "统计"):
                # Planner statistics (and on PostgreSQL the visibility map), for the token table too:
                # on PostgreSQL the counts read its GIN index and heap.
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
                if connection.vendor == "sqlite" and bulk and not connection.in_atomic_block:
                    # The load went through the write-ahead log, whose file keeps the size of the
                    # largest transaction (the FTS5 merge: 3.4 GB at 450,000 items) until a checkpoint
                    # truncates it, which a server with steady readers may not reach on its own.
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if written or opts["restart"]:
            # Cached search pages (under the generation every change moves) show the new index; the
            # sites' own pages and static HTML do not depend on it and stay.
            bump(sites=())
        spent = "，".join(f"{name} {seconds:.0f} 秒" for name, seconds in phases.items() if seconds >= 0.5)
        self.stdout.write(
            f"检索索引已就绪：{SearchEntry.objects.count()} 条" + (f"（{spent}）" if spent else "") + "。"
        )


def _empty_index():
    """`--restart`: delete every entry (and on SQLite its FTS5 rows)."""
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


@contextlib.contextmanager
def _timed(phases: dict, name: str):
    started = time.monotonic()
    try:
        yield
    finally:
        phases[name] = time.monotonic() - started


def _gin_build_memory_mb() -> int:
    """Memory for building the GIN index: the build sorts every (token, row) pair, and at 450,000
    items it took 390 s with 256 MB and 266 s with 1 GB. A quarter of the machine's memory, between
    256 MB and 1 GB (the database server is assumed to be on this machine or one like it)."""
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 256
    return max(256, min(1024, total_mb // 4))


def _side_by_side(cursor, work, jobs):
    """Run `work(cursor, *job)` for each job, two at a time on a connection each (a 2-core server:
    PostgreSQL builds an index or rewrites a table in one process), or one after the other inside a
    test's transaction (one connection). Each connection sorts in its share of the build memory
    (`_gin_build_memory_mb`), at least 256 MB."""
    if not jobs:
        return
    at_once = 1 if connection.in_atomic_block else min(2, len(jobs))
    memory = f"SET maintenance_work_mem = '{max(256, _gin_build_memory_mb() // at_once)}MB'"
    if at_once <= 1:
        cursor.execute(memory)
        for job in jobs:
            work(cursor, *job)
        return

    def in_thread(*job):
        try:  # Django gives each thread its own connection; closed after each job.
            with connection.cursor() as own:
                own.execute(memory)
                work(own, *job)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(in_thread, *job) for job in jobs]:
            future.result()


def _cluster_token_partitions(cursor):
    """After a bulk load that added to entries already there (a resumed run), rewrite each token
    partition in id order (newest first: indexing.sort_key), before its GIN indexes are built; a load
    into an empty index writes in that order (`_todo_batches`). GIN lists a token's rows in heap
    order, and a month's reads (query._token_ids) intersect a common bigram's list with the month's
    token: with the month's rows together in the heap, GIN skips to them and reads a few pages, where
    rows in publishing order (page ids) lay on every page. At 450,000 demo items: a month
    of 公开工作, 5,500 rows, 20 ms → 3.6 ms; an organisation's month of 人民监督 2–3 ms against
    18–23 ms for all its rows.
    Publishing later adds the newest entries at the end of the heap, together again."""
    _side_by_side(cursor, _cluster_token_partition, [(token_partition(n),) for n in range(TOKEN_PARTITIONS)])


def _cluster_token_partition(cursor, table: str):
    cursor.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary",
        [table],
    )
    key = cursor.fetchone()[0]
    cursor.execute(f"CLUSTER {table} USING {key}")


def _build_gin_indexes(cursor):
    """Build the token partitions' GIN indexes that are missing (dropped by this run or an interrupted
    earlier one; each partition's full index and the partial ones of its samples), two at a
    time, one database connection each: PostgreSQL 15 builds a GIN index in one process, so one
    build left a core of a 2-core server idle (450,000 items: 144 s for one index over all tokens,
    77 s for the two halves at once)."""
    missing = []
    for n, sample in gin_indexes():  # the full indexes first, side by side
        cursor.execute("SELECT to_regclass(%s)", [gin_index(n, sample)])
        if cursor.fetchone()[0] is None:
            missing.append((n, sample))
    _side_by_side(cursor, _build_gin_index, missing)


def _build_gin_index(cursor, n: int, sample: int):
    cursor.execute(gin_sql(n, sample))


def _write_rows(todo: int) -> int:
    """Rows per write transaction for `todo` items (see WRITE_ROWS)."""
    return max(WRITE_ROWS, min(WRITE_ROWS_MAX, -(-todo // FTS_CRISISMERGE)))


def _prepare_fts(cursor):
    # A batch dirties thousands of pages across the entries' B-trees; SQLite's default 2 MB cache
    # spilled them to the WAL and read them back mid-transaction.
    cursor.execute("PRAGMA cache_size = -262144")
    # FTS5 writes its pending terms out as a new segment whenever they pass `hashsize` (1 MB by
    # default, ~150 items here): a batch then made a dozen segments for automerge to merge again
    # (3 ms an item at 60,000 items). 1 GB holds a write transaction (WRITE_ROWS_MAX): one segment
    # each, freed at the commit.
    _fts_setting(cursor, "hashsize", FTS_HASHSIZE)
    # Incremental merging at FTS5's default (merge 4 segments of a level) took most of the load time
    # once the index outgrew the page cache. At 16 a level's segments are merged by FTS5's "crisis
    # merge" (all of a level at once, when it holds FTS_CRISISMERGE) before automerge starts on them.
    _fts_setting(cursor, "automerge", FTS_AUTOMERGE)


def _fts_setting(cursor, name: str, value: int):
    """An FTS5 configuration option, stored with the index (it holds for later writes too)."""
    cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts, rank) VALUES (%s, %s)", [name, value])


def _fts_segments(cursor) -> int:
    cursor.execute("SELECT count(DISTINCT segid) FROM zwgk_search_fts_idx")
    return cursor.fetchone()[0]


def _merge_segments(cursor):
    """Merge the FTS5 index into one segment. A query seeks every segment's doclists: at 450,000
    items one segment answered the benchmark's queries in p95 35 ms where the 16 segments the load
    would leave took 55 ms. FTS5's 'optimize' command does this too, but ran for more
    than 20 minutes over 8 segments here; its crisis merge (a level holding `crisismerge` segments is
    merged at once when a write adds one) merged the same 8 in 52 s. So: crisismerge 2 and a write,
    the newest entry's tokens deleted and written again, which cascades up the levels to one segment."""
    if _fts_segments(cursor) <= 1:
        return
    cursor.execute("SELECT id, terms FROM zwgk_search_searchentry ORDER BY id LIMIT 1")
    row = cursor.fetchone()

    # The merge happens where FTS5 writes the pending row out, at the end of the transaction (or
    # savepoint): the setting is put back after it.
    _fts_setting(cursor, "crisismerge", 2)
    try:
        with transaction.atomic():
            _fts_delete([row])
            cursor.execute("INSERT INTO zwgk_search_fts(rowid, terms) VALUES (%s, %s)", row)
    finally:
        _fts_setting(cursor, "crisismerge", FTS_CRISISMERGE)


def _todo_batches(pages, size):
    """Page ids to index, a batch at a time, in the order of their entries' ids (newest first,
    `indexing.sort_key`), skipping what is indexed already (resume). Written in that order, the
    entries are appended to their tables instead of inserted all over them: SQLite's entry table
    grows at its end (its inserts were a third of the writer's time, in page id order), each FTS5
    segment holds a range of rowids, and PostgreSQL's token heap comes out in id order, as its GIN
    indexes want it (`_cluster_token_partitions`); at 450,000 items SQLite's reindex took 185 s
    instead of 242 s in page id order. A worker reads a batch in this order as fast as in page id order
    (~0.25 ms an item, the database in the page cache). Both id lists are read once, up front: a query
    per batch ran in the writing process, between its writes (15 % of its time)."""
    indexed = set(SearchEntry.objects.values_list("page_id", flat=True))
    now = timezone.now()  # an item without a publication time is indexed as published now
    todo = sorted(
        (sort_key(published or now, pk), pk)
        for pk, published in pages.values_list("id", "first_published_at").iterator(chunk_size=20_000)
        if pk not in indexed
    )
    del indexed
    for start in range(0, len(todo), size):
        yield [pk for _, pk in todo[start : start + size]]


def _source_todo() -> list[tuple]:
    """(source, [(entry id, object id)] not indexed yet in id order, how many are public) of each
    registered source (sources.Source)."""
    todo = []
    for source in sources.registered():
        public = list(source.public())
        indexed = set(SearchEntry.objects.filter(source=source.name).values_list("object_id", flat=True))
        ids = sorted((object_key(published, source, pk), pk) for pk, published in public if pk not in indexed)
        todo.append((source, ids, len(public)))
    return todo


def _object_batches(source, todo, size):
    """A source's objects as `entry_values` rows, a batch at a time, in id order (`_todo_batches`)."""
    for start in range(0, len(todo), size):
        rows = object_rows(source, [pk for _, pk in todo[start : start + size]])
        yield sorted((entry_values(row) for row in rows), key=entry_id)


def _write_transactions(results, size):
    """Write the workers' batches (`entry_values` rows) in transactions of at least `size` rows (the
    last one smaller), yielding each batch's count once it is written. A batch is written as it
    arrives, while the workers prepare the next ones; on SQLite the FTS5 rows of the transaction go in
    last, all at once, in rowid order (`insert_full_text`): one segment per transaction. (Collecting a
    transaction's batches first and writing them at once left the workers idle meanwhile: they got
    ahead by a few batches only, and the load ran at the speed of the two taking turns.)"""
    results = iter(results)
    while True:
        written, full_text = 0, []
        with transaction.atomic():
            for values in results:
                written += insert_rows(values, full_text=False)
                if connection.vendor == "sqlite":
                    full_text.extend(full_text_rows(values))
                yield len(values)
                if written >= size:
                    break
            if full_text:
                insert_full_text(full_text)
        if not written:
            return


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
    rows = rows_for(
        load_items(ids), restricted_paths=_worker["restricted"], site_root_paths=_worker["root_paths"]
    )
    return sorted((entry_values(row) for row in rows), key=entry_id)  # in id order: _todo_batches
