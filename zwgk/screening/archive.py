"""Re-screen everything published: resumable, with progress, texts scanned by parallel workers."""

import multiprocessing
import sys
import time

from django.db import connection, connections, transaction
from django.utils import timezone

from .engine import rules, scan_text
from .models import ArchiveScan, PageFinding
from .services import CONTEXT, page_texts

BATCH = 200


def _scan_batch(batch):
    """Worker: [(page_id, [(source, text)])] → [(page_id, source, finding, context)] (no database access)."""
    out = []
    for page_id, texts in batch:
        for source, text in texts:
            for f in scan_text(text):
                out.append(
                    (page_id, source, f, text[max(0, f.start - CONTEXT) : f.end + CONTEXT].replace("\n", " "))
                )
    return out


def run_archive_scan(*, workers: int = 2, restart: bool = False, progress=None, limit: int | None = None):
    """Scan live items page by page in id order, checkpointing after every batch."""
    from zwgk.disclosure.models import live_items

    scan = None if restart else ArchiveScan.objects.filter(finished_at=None).first()
    scan = scan or ArchiveScan.objects.create()
    pages = live_items().order_by("id")
    total = pages.count()
    rules()  # load the lexicons before forking, so every worker has them
    if workers > 1 and not connection.in_atomic_block:
        connections.close_all()  # children must not share the parent's database socket
    context = (
        multiprocessing.get_context("fork") if sys.platform != "win32" else multiprocessing.get_context()
    )
    pool = context.Pool(workers) if workers > 1 else None
    started = time.monotonic()
    try:
        while True:
            chunk = list(pages.filter(id__gt=scan.last_page_id)[: BATCH * max(1, workers)])
            if not chunk or (limit is not None and scan.pages_done >= limit):
                break
            texts = [(p.pk, page_texts(p)) for p in chunk]
            batches = [texts[i : i + BATCH // 4 or 1] for i in range(0, len(texts), BATCH // 4 or 1)]
            results = pool.map(_scan_batch, batches) if pool else [_scan_batch(b) for b in batches]
            with transaction.atomic():
                ids = [p.pk for p in chunk]
                PageFinding.objects.filter(page_id__in=ids, status=PageFinding.Status.OPEN).delete()
                rows = [
                    PageFinding(
                        page_id=pid,
                        source=source[:200],
                        kind=f.kind,
                        severity=f.severity,
                        start=f.start,
                        end=f.end,
                        text=f.text[:200],
                        context=ctx[:300],
                        suggestion=f.suggestion[:200],
                    )
                    for result in results
                    for pid, source, f, ctx in result
                ]
                PageFinding.objects.bulk_create(rows)
                scan.last_page_id = chunk[-1].pk
                scan.pages_done += len(chunk)
                scan.findings += len(rows)
                scan.save()
            if progress:
                progress(scan.pages_done, total, scan.findings, time.monotonic() - started)
    finally:
        if pool:
            pool.close()
            pool.join()
    if limit is None or scan.pages_done < limit:
        scan.finished_at = timezone.now()
        scan.save(update_fields=["finished_at"])
    return scan
