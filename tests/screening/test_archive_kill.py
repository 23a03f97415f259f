"""Issue #4: `zwgk screen-archive` killed midway (SIGKILL, no clean-up) resumes where its last checkpoint
left it, and the finished scan holds every finding exactly once. Runs on SQLite and PostgreSQL."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from zwgk.demo.bulk import BulkArticleWriter
from zwgk.disclosure.models import ArticlePage
from zwgk.screening.archive import ROUND
from zwgk.screening.models import ArchiveScan, PageFinding

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
PAGES = 2 * ROUND + ROUND // 2  # three checkpoints: killed after the first, two left


def database_url() -> str:
    """The test database, for a separate `zwgk` process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def screen_archive(*args) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database_url(), ZWGK_TASKS="immediate")
    code = "import sys; from zwgk.cli import main; sys.argv[0] = 'zwgk'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "screen-archive", "--workers", "1", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_archive_scan_resumes_after_being_killed():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    writer = BulkArticleWriter(random.Random(1))
    now = timezone.now()
    for i in range(PAGES):
        page = ArticlePage(
            title=f"低保对象公示{i}",
            slug=f"gs{i}",
            organisation=org,
            body=f"<p>联系人：王老师，手机1391234{i:04d}。</p>",
            first_published_at=now,
            written_date=now.date(),
        )
        writer.add(column, page)
    writer.finish()

    process = screen_archive()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        scan = ArchiveScan.objects.order_by("-pk").first()
        if scan and scan.pages_done:  # the first checkpoint is committed: kill it without warning
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the scan finished before it could be killed"
    interrupted = ArchiveScan.objects.get()
    assert interrupted.finished_at is None and 0 < interrupted.pages_done < PAGES

    resumed = screen_archive()
    out, _ = resumed.communicate(timeout=600)
    assert resumed.returncode == 0 and "完成" in out
    scan = ArchiveScan.objects.get()  # the same scan, continued — not a new one from the start
    assert scan.pk == interrupted.pk and scan.finished_at and scan.pages_done == PAGES
    mobiles = PageFinding.objects.filter(kind="mobile", status="open")
    assert mobiles.count() == PAGES  # one per item: nothing lost, nothing counted twice
    assert mobiles.values("page_id").distinct().count() == PAGES
