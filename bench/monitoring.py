"""Benchmark: every 19号 indicator of every site (zwgk/monitoring/indicators.py) at growing sizes.

Usage: python bench/monitoring.py [--scales 4:5000,34:45000]   (DATABASE_URL=postgres://… for PostgreSQL)
       python bench/monitoring.py --existing   (times the database as it is, e.g. `zwgk demo --sites 34 --articles 450000`)
For each scale it builds, in a fresh database, that many sites (each its organ, home page and 12 columns of
every 栏目类型, two of them blank) with that many live articles spread over them and the last two years
(zwgk/demo/bulk.py's writer; titles and bodies drawn from the demo's corpus sentences, so that the same
database, reindexed, serves bench/multisite.py's search at that size), a week of hourly probes per site and a few dead links, then times
`all_reports()` — the `zwgk monitor --json` computation — and prints seconds per site and per 10,000 items
next to the smaller scale's. Not a test: nothing is asserted.
"""

import argparse
import datetime as dt
import os
import random
import re
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-monitoring")
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Collection, Locale, Page, Site  # noqa: E402

from zwgk.core.models import Organisation  # noqa: E402
from zwgk.demo.bulk import BATCH_SIZE, BulkArticleWriter  # noqa: E402
from zwgk.demo.content import ContentGenerator  # noqa: E402
from zwgk.demo.people import make_credit_code  # noqa: E402
from zwgk.disclosure.models import ArticlePage, ColumnPage, HomePage  # noqa: E402
from zwgk.disclosure.setup import ROOT_TITLE, install_defaults  # noqa: E402
from zwgk.monitoring.indicators import all_reports  # noqa: E402
from zwgk.monitoring.models import Link, LinkUse, NewMediaAccount, Probe, url_hash  # noqa: E402
from zwgk.portal.models import PortalSettings  # noqa: E402

TEXTS = 5000  # distinct (title, body) pairs the articles are drawn from


def texts(rng: random.Random) -> list[tuple[str, str]]:
    """Titles and bodies of real government sentences (the demo's corpus): a title is a sentence's first
    clause, a body the demo's paragraphs (`ContentGenerator.paragraphs`)."""
    today = dt.date.today()
    gen = ContentGenerator(rng, {}, today, today)
    return [
        (re.split(r"[，。；：]", rng.choice(gen.sentences))[0][:40], gen.paragraphs()) for _ in range(TEXTS)
    ]


COLUMNS = [("news", 4), ("notice", 2), ("policy", 2), ("personnel", 1), ("planning", 1), ("other", 2)]


def build(sites: int, items: int, rng: random.Random) -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    # flush emptied what Wagtail's migrations created: the locale, the root collection and page
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Collection.add_root(name="Root")
    root = Page.add_root(instance=Page(title=ROOT_TITLE, slug="root", live=True))
    install_defaults()
    now = timezone.now()
    per_site = items // sites
    plan = []
    for s in range(sites):
        organ = Organisation.objects.create(
            name=f"基准机关{s}", slug=f"bench{s}", credit_code=make_credit_code(rng)
        )
        home = root.add_child(instance=HomePage(title=f"基准网站{s}", slug=f"site{s}", live=True))
        if s == 0:
            Site.objects.filter(is_default_site=True).delete()
        site = Site.objects.create(hostname=f"s{s}.bench.test", root_page=home, is_default_site=s == 0)
        # Every site names its organ (门户网站设置), as `zwgk site create` and the demo's sites do.
        PortalSettings.objects.create(site=site, site_name=f"基准网站{s}", organisation=organ)
        columns = []
        for kind, count in COLUMNS:
            for c in range(count):
                columns.append(
                    home.add_child(
                        instance=ColumnPage(
                            title=f"{kind}{c}", slug=f"{kind}{c}", column_type=kind, live=True
                        )
                    )
                )
        plan.append((organ, columns[:-2]))  # the last two columns stay blank
        Probe.objects.bulk_create(
            [
                Probe(
                    site=site,
                    url=f"http://s{s}.bench.test/",
                    checked_at=now - dt.timedelta(hours=h),
                    ok=rng.random() > 0.04,
                    is_home=True,
                    ipv6=True,
                    has_error_report_link=True,
                )
                for h in range(7 * 24)
            ]
        )
        links = [
            Link(
                url=f"http://x{s}.test/{k}",
                url_hash=url_hash(f"http://x{s}.test/{k}"),
                host=f"x{s}.test",
                ok=k % 10 != 0,
                last_checked=now,
            )
            for k in range(50)
        ]
        Link.objects.bulk_create(links)
        LinkUse.objects.bulk_create(
            [
                LinkUse(link=link, site=site, on_home=k < 5)
                for k, link in enumerate(Link.objects.filter(host=f"x{s}.test"))
            ]
        )
        NewMediaAccount.objects.create(
            organisation=organ, name=f"基准{s}", platform="wechat", account_id=f"b{s}", sponsor="基准"
        )
    pool = texts(rng)
    writer = BulkArticleWriter(  # after the tree above: it numbers pages from the last id
        rng, total=items, progress=_progress
    )
    for organ, filled in plan:
        for n in range(per_site):
            when = now - dt.timedelta(days=rng.random() ** 2 * 730)
            title, body = rng.choice(pool)
            writer.add(
                rng.choice(filled),
                ArticlePage(
                    title=title,
                    slug=f"i{n}",
                    organisation=organ,
                    body=body,
                    first_published_at=when,
                    last_published_at=when,
                ),
            )
    writer.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _progress(label: str, done: int, total: int) -> None:
    """The writer's progress, every 100,000 items (a 2,000,000-item build takes a while)."""
    if done % 100_000 < BATCH_SIZE or done == total:
        print(f"  {time.strftime('%H:%M:%S')} {label} {done}/{total}", file=sys.stderr, flush=True)


class _QueryCounter(list):
    """An execute wrapper that counts the queries (Django's query log keeps only the last 9,000)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(1)
        return execute(sql, params, many, context)


def time_existing(runs: int) -> None:
    """Time `all_reports()` on the database as it is: wall and CPU seconds and the number of queries."""
    from zwgk.disclosure.models import live_items

    sites, items = Site.objects.count(), live_items().count()
    for run in range(runs):
        queries = _QueryCounter()
        started, started_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(queries):
            reports = all_reports()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        vetoed = sum(1 for r in reports if r["vetoed"])
        print(
            f"run {run + 1}: {sites} sites / {items} live items: all indicators in {elapsed:.2f} s "
            f"(CPU of this process {cpu:.2f} s, {len(queries)} queries; {len(reports)} objects, {vetoed} vetoed; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="4:5000,34:45000")
    parser.add_argument("--existing", action="store_true", help="time the database as it is; build nothing")
    parser.add_argument("--runs", type=int, default=2, help="with --existing: how many timed runs")
    args = parser.parse_args()
    rng = random.Random(19)
    print(f"database: {connection.vendor}")
    if args.existing:
        time_existing(args.runs)
        return
    previous = None
    for scale in args.scales.split(","):
        sites, items = (int(x) for x in scale.split(":"))
        started = time.perf_counter()
        build(sites, items, rng)
        built = time.perf_counter() - started
        started = time.perf_counter()
        reports = all_reports()
        elapsed = time.perf_counter() - started
        vetoed = sum(1 for r in reports if r["vetoed"])
        line = (
            f"{sites:>4} sites / {items:>7} items: all indicators in {elapsed:6.2f} s "
            f"({elapsed / sites * 1000:6.0f} ms per site, {elapsed / items * 10000:5.2f} s per 10,000 items; "
            f"{len(reports)} objects, {vetoed} vetoed; built in {built:.0f} s; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        if previous:
            line += f"; ×{elapsed / previous[0]:.1f} time for ×{items / previous[1]:.1f} items"
        print(line, flush=True)
        previous = (elapsed, items)


if __name__ == "__main__":
    main()
