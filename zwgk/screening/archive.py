"""Re-screen everything published: resumable, with progress, texts and attachments read by parallel workers.

The parent reads rounds of items straight from the item tables (title, summary, body, the attachments'
document ids — no page objects, a few queries per round), hands them to the workers, and while they
extract and scan, already reads the next round. Each round's findings are written in one transaction
that also moves the checkpoint, so a scan killed at any moment resumes after the last written round.
Workers never touch the database: they get file paths and return findings.
"""

import gc
import multiprocessing
import os
import sys
import time

from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from zwgk.disclosure.models import ITEM_TYPES, live_items

from .engine import hold_rules, rules
from .extract import FileOverLimit, UnsupportedFile, read, size_refusal
from .models import ArchiveScan, PageFinding
from .ocr import box_text, locate
from .services import findings_for_texts, item_texts, limit_finding, unreadable_finding

BATCH = 250  # items per worker task
ROUND = 2000  # items per checkpoint


def _texts(title, summary, body, documents):
    """(texts, findings about files and the body's markup, OCR spans by source): the item's own texts
    and markup findings (services.item_texts), then each attachment's text, as services.page_texts gives
    them; a file that cannot be read, or only in part, is a finding 无法读取，需人工审查 and one over a
    limit 附件超出限制 — never skipped in silence."""
    texts, problems = item_texts(title, summary, body)
    layouts = {}
    for doc_title, name, path in documents:
        source = f"附件：{doc_title}"
        try:
            size = os.path.getsize(path) if path else default_storage.size(name)
            if message := size_refusal(doc_title, size):  # judged before the file is read into memory
                raise FileOverLimit(message)
            with open(path, "rb") if path else default_storage.open(name, "rb") as handle:
                extracted = read(name, handle.read())
        except FileOverLimit as error:
            problems.append((source, limit_finding(str(error))))
            continue
        except (UnsupportedFile, OSError) as error:
            problems.append((source, unreadable_finding(str(error), doc_title)))
            continue
        texts.append((source, extracted.text))
        layouts[source] = extracted.spans
        problems += [(source, unreadable_finding(reason, doc_title)) for reason in extracted.problems]
    return texts, problems, layouts


def _scan_batch(batch):
    """Worker: [(page_id, title, summary, body, [(doc title, file name, path)])] →
    [(page_id, source, finding, context, page number, box)] (no database access)."""
    out = []
    for page_id, title, summary, body, documents in batch:
        texts, problems, layouts = _texts(title, summary, body, documents)
        for source, f, context in findings_for_texts(texts):
            page_number, box = locate(layouts.get(source, ()), f.start, f.end)
            out.append((page_id, source, f, context, page_number, box_text(box)))
        out += [(page_id, source, f, f.text, None, "") for source, f in problems]
    return out


def _local_path(name: str) -> str | None:
    try:
        return default_storage.path(name)
    except NotImplementedError:  # remote storage: the worker opens it through the storage API
        return None


def _read_round(after: int, size: int):
    """The next `size` live items after page id `after`, as worker input, in id order."""
    ids = list(live_items().filter(id__gt=after).order_by("id").values_list("id", flat=True)[:size])
    if not ids:
        return ids, []
    items: dict[int, tuple] = {}
    for model in ITEM_TYPES:
        rows = model.objects.filter(pk__in=ids).values_list("pk", "title", "summary", "body", "attachments")
        for pk, title, summary, body, attachments in rows:
            doc_ids = [
                b["value"] for b in attachments.raw_data if b.get("type") == "document" and b.get("value")
            ]
            items[pk] = (title, summary or "", str(body or ""), doc_ids)
    wanted = {d for _, _, _, doc_ids in items.values() for d in doc_ids}
    documents = {}
    if wanted:
        for pk, doc_title, name in (
            get_document_model().objects.filter(pk__in=wanted).values_list("pk", "title", "file")
        ):
            documents[pk] = (doc_title, name, _local_path(name))
    work = [
        (pk, *items[pk][:3], [documents[d] for d in items[pk][3] if d in documents])
        for pk in ids
        if pk in items
    ]
    return ids, work


_COLUMNS = ("page_id", "source", "kind", "severity", "start", "end", "text", "context", "suggestion")
_COLUMNS += ("status", "found_at", "resolution_note", "page_number", "box")


def _write_round(scan, ids, results):
    """Replace the round's open findings and move the checkpoint, in one transaction. Rows go in with
    one executemany (hundreds of thousands of findings: model instances would cost more than the scan)."""
    table = PageFinding._meta.db_table
    found_at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (pid, source[:200], f.kind, f.severity, f.start, f.end, f.text[:200], ctx[:300], f.suggestion[:200])
        + (PageFinding.Status.OPEN.value, found_at, "", page_number, box)
        for result in results
        for pid, source, f, ctx, page_number, box in result
    ]
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    with transaction.atomic():
        PageFinding.objects.filter(page_id__in=ids, status=PageFinding.Status.OPEN).delete()
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
        scan.last_page_id = ids[-1]
        scan.pages_done += len(ids)
        scan.findings += len(rows)
        scan.save()


def run_archive_scan(*, workers: int = 2, restart: bool = False, progress=None, limit: int | None = None):
    """Scan live items in id order, checkpointing after every round of ROUND items."""
    scan = None if restart else ArchiveScan.objects.filter(finished_at=None).first()
    scan = scan or ArchiveScan.objects.create()
    total = live_items().count()
    rules()  # load the lexicons (and normalisation tables) before forking, so every worker has them
    if workers > 1 and not connection.in_atomic_block:
        connections.close_all()  # children must not share the parent's database socket
    context = (
        multiprocessing.get_context("fork") if sys.platform != "win32" else multiprocessing.get_context()
    )
    pool = context.Pool(workers, initializer=hold_rules) if workers > 1 else None
    if pool is None:
        gc.freeze()  # as hold_rules does in each worker: no full collections of what is loaded now
    started = time.monotonic()

    def size():
        return ROUND if limit is None else max(0, min(ROUND, limit - scan.pages_done))

    def submit(work):
        batches = [work[i : i + BATCH] for i in range(0, len(work), BATCH)]
        if pool:
            return pool.map_async(_scan_batch, batches)
        return [_scan_batch(b) for b in batches]

    try:
        ids, work = _read_round(scan.last_page_id, size()) if size() else ([], [])
        while ids:
            pending = submit(work)
            # Read the next round while the workers scan this one.
            more = ROUND if limit is None else min(ROUND, limit - scan.pages_done - len(ids))
            next_ids, next_work = _read_round(ids[-1], more) if more > 0 else ([], [])
            results = pending.get() if pool else pending
            _write_round(scan, ids, results)
            if progress:
                progress(scan.pages_done, total, scan.findings, time.monotonic() - started)
            ids, work = next_ids, next_work
    finally:
        if pool:
            pool.close()
            pool.join()
    if limit is None or scan.pages_done < limit:
        scan.finished_at = timezone.now()
        scan.save(update_fields=["finished_at"])
    return scan
