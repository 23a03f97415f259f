"""Re-screen only what a lexicon change can affect (issue #4), in the background.

- A word or rule added, enabled or renamed: the published items whose text contains it — found in the
  search index's normalised text with the characters allowed to be separated by spaces and punctuation,
  as the scanner allows — plus the items the index cannot answer for: those with attachments (their
  text is not indexed) and live items that are not public (not indexed).
- A word or rule removed, disabled or given another severity or correction: the items with open findings
  of it.
- A whitelisted number added: the items with open findings of that number; removed: the items whose text
  contains it, as for a new word.
Each candidate is re-screened whole (`screen_page`), so its findings are exactly what a full scan gives.
Changes made in one transaction (a 管理员 importing a word list) are collected in one LexiconRescreen
and re-screened by one background task after the commit (`queue_rescreen`).
"""

import re
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from zwgk.disclosure.models import ITEM_TYPES, live_items
from zwgk.search.models import SearchEntry
from zwgk.text.scanner import normalise_term

from .engine import clear_rules_cache, whitelist_key
from .models import LexiconRescreen, PageFinding
from .services import latest_version, screen_page

MANY_TERMS = 200  # more added words or numbers than this: every item is re-screened
SEPARATORS = r"\W*"  # what the scanner skips between characters (spaces, punctuation), on both databases


def containing_pattern(term: str) -> str | None:
    """A regular expression (Python and PostgreSQL alike) for `term` in normalised text with fillers."""
    chars = normalise_term(term)
    if not chars:
        return None
    return SEPARATORS.join(re.escape(ch) if ch.isascii() else ch for ch in chars)


def digits_pattern(value: str) -> str | None:
    """A whitelisted number as written in text: separators allowed between its characters."""
    key = whitelist_key(value)
    return r"[\s\-–—()（）]*".join(re.escape(ch) for ch in key) if key else None


def _unindexed_or_with_attachments() -> set[int]:
    """Items whose whole text the search index does not hold: unindexed, with attachments, or a draft."""
    live = set(live_items().values_list("pk", flat=True))
    indexed = set(SearchEntry.objects.values_list("page_id", flat=True))
    with_files = set()
    for model in ITEM_TYPES:
        with_files |= set(model.objects.live().exclude(attachments=[]).values_list("pk", flat=True))
    # A draft waiting for 三审 is not in the index (it holds live content) and is what gets published next.
    drafts = set()
    for model in ITEM_TYPES:
        drafts |= set(model.objects.filter(has_unpublished_changes=True).values_list("pk", flat=True))
    return (live - indexed) | (with_files & live) | drafts


def pages_containing(patterns: list[tuple[str, str]]) -> set[int]:
    """Indexed items matching any (characters, regex): a LIKE per character first (in C, and a row
    without one of them is out at once), the regex only on the rows that hold them all — on SQLite the
    regex is a Python callback, 10× slower than LIKE."""
    found: set[int] = set()
    for characters, pattern in patterns:
        rows = SearchEntry.objects.filter(page__isnull=False)  # items, not 互动交流 messages
        for ch in dict.fromkeys(characters):
            rows = rows.filter(text__contains=ch)
        found |= set(rows.filter(text__regex=pattern).values_list("page_id", flat=True))
    return found


def pages_with_findings(texts: list[str], kinds: tuple[str, ...]) -> set[int]:
    wanted = {normalise_term(t) for t in texts}
    rows = PageFinding.objects.filter(status=PageFinding.Status.OPEN, kind__in=kinds).values_list(
        "page_id", "text"
    )
    return {page_id for page_id, text in rows if normalise_term(text) in wanted}


def affected_pages(*, added=(), removed=(), whitelisted=(), unwhitelisted=()) -> set[int]:
    pages: set[int] = set()
    if removed:
        pages |= pages_with_findings(list(removed), ("sensitive_word", "expression", "typo"))
    if whitelisted:
        # The engine's own comparison, so exactly the findings the new entry silences are re-screened.
        personal = ("id_card", "mobile", "landline", "bank_card", "email", "passport")
        wanted = {whitelist_key(v) for v in whitelisted}
        rows = PageFinding.objects.filter(status=PageFinding.Status.OPEN, kind__in=personal)
        pages |= {pid for pid, text in rows.values_list("page_id", "text") if whitelist_key(text) in wanted}
    patterns = []
    for term in added:
        if pattern := containing_pattern(term):
            patterns.append((normalise_term(term), pattern))
    for value in unwhitelisted:
        if pattern := digits_pattern(value):
            patterns.append((whitelist_key(value), pattern))
    if len(patterns) > MANY_TERMS:  # a word list imported: one scan of every item beats a query per word
        return pages | set(Page.objects.type(*ITEM_TYPES).values_list("pk", flat=True))
    if patterns:
        pages |= pages_containing(patterns) | _unindexed_or_with_attachments()
    return pages


def run_rescreen(job, *, progress=None, checkpoint_every: int = 100) -> int:
    """Re-screen the items `job`'s change can affect, in page-id order, checkpointing as it goes.

    Resuming recomputes the candidates and skips those at or below `last_page_id`: the candidates of a
    removed term shrink as its findings are cleared, those of an added term do not change."""
    clear_rules_cache()  # this worker process must see the change too
    ids = sorted(
        affected_pages(
            added=job.added, removed=job.removed, whitelisted=job.whitelisted, unwhitelisted=job.unwhitelisted
        )
    )
    todo = [pk for pk in ids if pk > job.last_page_id]
    job.pages_total = job.pages_done + len(todo)
    job.save(update_fields=["pages_total"])
    for start in range(0, len(todo), checkpoint_every):
        chunk = todo[start : start + checkpoint_every]
        with transaction.atomic():
            for page in Page.objects.filter(pk__in=chunk).order_by("pk").specific():
                screen_page(latest_version(page))  # a waiting draft is what 三审 reviews next
            job.pages_done += len(chunk)
            job.last_page_id = chunk[-1]
            job.save(update_fields=["pages_done", "last_page_id"])
        if progress:
            progress(job.pages_done, job.pages_total)
    job.finished_at = timezone.now()
    job.save(update_fields=["finished_at"])
    return job.pages_done


@task()
def rescreen_after_change(job_id: int) -> int:
    """The background task the lexicon signals enqueue after commit. Returns the items re-screened."""
    job = LexiconRescreen.objects.filter(pk=job_id, finished_at=None).first()
    return run_rescreen(job) if job else 0


def queue_rescreen(**change):
    """Record the change in a LexiconRescreen row (in this transaction) and run it after the commit.
    Returns the row (the lexicon import records its audit entry against it)."""
    deferred = connection.in_atomic_block and getattr(settings, "TASKS_MODE", "") != "immediate"
    job = getattr(connection, "_zwgk_rescreen_job", None) if deferred else None
    if job is not None and not any(f is job.run for _, f, _ in connection.run_on_commit):
        job = None  # the transaction that created it was rolled back, and the job row with it
    created = job is None
    if created:
        job = LexiconRescreen.objects.create()
        job.run = partial(_run, job)
    for key, values in change.items():
        getattr(job, key).extend(v for v in values if v not in getattr(job, key))
    job.save(update_fields=["added", "removed", "whitelisted", "unwhitelisted"])
    if not deferred:
        _run(job)
    elif created:  # one job and one task per transaction, however many words it changes
        connection._zwgk_rescreen_job = job
        transaction.on_commit(job.run)
    return job


def _run(job):
    if getattr(connection, "_zwgk_rescreen_job", None) is job:
        connection._zwgk_rescreen_job = None
    rescreen_after_change.enqueue(job.pk)
