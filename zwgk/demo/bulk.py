"""Bulk creation of live articles for city-scale demo data (`zwgk demo --articles 450000`).

`parent.add_child()` costs ~27 ms per page (tree locking, revisions, signals, search index), so
450,000 items would take hours. This writer inserts the same rows Wagtail would, in batches:

- `wagtailcore_page`: treebeard materialised path (4-character base-36 steps after the parent's
  last child), `depth`, `url_path`, content type, default locale, a fresh `translation_key`,
  `live=True` with the historical publication time; the parent's `numchild` is updated at the end;
- `disclosure_articlepage`: the child row sharing the page id (multi-table inheritance);
- 索引号: issued per (organisation, year) in creation order exactly as `numbering.next_index_number`
  would, formatted by `rules.format_index_number`, and `IndexSequence.last_value` is advanced so
  that the next item published through the back office continues the sequence without a gap;
- 超期发布 from `rules.is_late_publication`.

Rows are not added to Wagtail's search index (the search app builds its own index with
`zwgk reindex`) and get no revisions, like pages imported from an old system.
"""

import uuid
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from wagtail.models import Locale, Page

from zwgk.core.cache import bump
from zwgk.core.models import Organisation
from zwgk.disclosure import rules
from zwgk.disclosure.models import ArticlePage, IndexSequence

BATCH_SIZE = 2000


class BulkArticleWriter:
    """Collects unsaved ArticlePage instances and writes them live under their parent in batches."""

    def __init__(self, rng, batch_size=BATCH_SIZE, progress=None, total=0):
        self.model = ArticlePage
        self.rng = rng  # for translation keys: deterministic for a given seed
        self.batch_size = batch_size
        self.progress = progress
        self.total = total
        self.done = 0
        self.pending = []
        self.content_type_id = ContentType.objects.get_for_model(ArticlePage).pk
        self.locale_id = Locale.get_default().pk
        self.next_id = (Page.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.children = {}  # parent pk -> [parent, last step used, number added]
        self.sequences = {(s.organisation_id, s.year): s.last_value for s in IndexSequence.objects.all()}
        self.credit_codes = {}
        self.page_fields = Page._meta.local_concrete_fields
        self.item_fields = ArticlePage._meta.local_concrete_fields
        self.analysed = 0  # rows written when the tables were last analysed (PostgreSQL)

    def add(self, parent, page):
        """Queue `page` (an unsaved ArticlePage with slug, organisation and dates) under `parent`."""
        slot = self.children.get(parent.pk)
        if slot is None:
            last = parent.get_last_child()
            last_step = Page._str2int(last.path[-Page.steplen :]) if last else 0
            slot = self.children[parent.pk] = [parent, last_step, 0]
        slot[1] += 1
        slot[2] += 1
        page.id = page.page_ptr_id = self.next_id
        self.next_id += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, slot[1])
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type_id = self.content_type_id
        page.locale_id = self.locale_id
        page.translation_key = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.last_published_at = page.last_published_at or page.first_published_at
        published = timezone.localtime(page.first_published_at).date()
        page.index_number = self.index_number(page.organisation_id, published.year)
        page.published_late = _is_late(page.written_date, published)
        self.pending.append(page)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def index_number(self, organisation_id, year):
        """The next 索引号 of the organisation in that year, as `numbering.next_index_number` issues it."""
        key = (organisation_id, year)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        if organisation_id not in self.credit_codes:
            self.credit_codes[organisation_id] = Organisation.objects.get(pk=organisation_id).credit_code
        return rules.format_index_number(self.credit_codes[organisation_id], year, self.sequences[key])

    def flush(self):
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        with transaction.atomic():
            _insert(Page, rows, self.page_fields)
            _insert(self.model, rows, self.item_fields)
        self.done += len(rows)
        if self.done >= 2 * self.analysed:
            self.analyse()
        if self.progress:
            self.progress("信息（批量）", self.done, self.total)

    def analyse(self):
        """PostgreSQL: fresh planner statistics each time the rows written double. The foreign-key check
        of every new item row on its page row (deferred to the commit) runs a plan the session made
        when the page table was small: a sequential scan, each batch's commit slower than the last
        (250 items/s after 60,000 in `zwgk demo --articles 450000`). ANALYZE makes the session plan it
        again, with the primary key."""
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Page._meta.db_table}, {self.model._meta.db_table}")
        self.analysed = self.done

    def vacuum(self):
        """PostgreSQL: VACUUM ANALYZE the tables written, as autovacuum does some time after a load. The
        visibility map it sets lets the portal's counts (a column's drafts, a category's items) read
        their indexes alone: counting category 11's 71,000 items took 224 ms before, 6 ms after."""
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Page._meta.db_table}, {self.model._meta.db_table}")

    def finish(self):
        """Write what is left, the parents' child counts and the 索引号 counters."""
        self.flush()
        with transaction.atomic():
            for parent, _, added in self.children.values():
                Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + added)
                parent.numchild += added
            for (organisation_id, year), last_value in self.sequences.items():
                IndexSequence.objects.update_or_create(
                    organisation_id=organisation_id, year=year, defaults={"last_value": last_value}
                )
            _reset_sequence(Page)
        self.vacuum()
        bump()  # no page signals were sent: the portal's cached pages are out of date
        return self.done


@lru_cache(maxsize=65536)
def _is_late(written, published):
    return rules.is_late_publication(written, published)


def _insert(model, objs, fields):
    """A multi-row INSERT of `fields` of `objs` (explicit ids), in chunks the database accepts."""
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    manager = model._base_manager
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, using=connection.alias)


def _reset_sequence(model):
    """After explicit ids, PostgreSQL's id sequence must move past them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
