"""Benchmark: coverage of a county's 标准目录 (26 areas, ~1,500 items) against its published content.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwgk_bench_catalog python bench/catalog.py --items 1500 --articles 100000
(the database is flushed and filled: a county with 300 columns and `--articles` live items under them).
Prints the time of `organ_coverage` for the county, and the baseline in the same run: the naive way, one
query per bound column or category of each catalogue item. Target: < 2 s. Not a test: nothing is asserted.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_TASKS", "immediate")
os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-catalog")
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

COLUMNS = 300


def build(args, rng):
    from tests import factories
    from zwgk.catalog import services, standards
    from zwgk.catalog.models import CatalogItem
    from zwgk.demo.bulk import BulkArticleWriter
    from zwgk.disclosure.models import ArticlePage, ColumnPage
    from zwgk.disclosure.vocab import StatutoryCategory

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    organs = [county] + [factories.organisation(parent=county, name=f"龙溪县第{i}局") for i in range(20)]
    home, _, _ = factories.site()
    columns = [
        home.add_child(instance=ColumnPage(title=f"栏目{i}", slug=f"c{i}", column_type="other", live=True))
        for i in range(COLUMNS)
    ]
    writer = BulkArticleWriter(rng, progress=None)
    now = timezone.now()
    categories = StatutoryCategory.values
    for i in range(args.articles):
        published = now - dt.timedelta(days=rng.randrange(3 * 365), minutes=rng.randrange(1440))
        written = timezone.localtime(published).date() - dt.timedelta(days=rng.choice((1, 3, 10, 40)))
        page = ArticlePage(
            title=f"信息{i}",
            slug=f"a{i}",
            organisation=rng.choice(organs),
            written_date=written,
            first_published_at=published,
            statutory_category=rng.choice(categories) if rng.random() < 0.3 else "",
        )
        writer.add(rng.choice(columns), page)
        if i % 10_000 == 0:
            print(f"\r  {i}/{args.articles} items", end="", flush=True)
    writer.finish()
    for area in standards.areas():
        if not area.optional:
            services.adopt_area(county, area.code)
    local = []
    n = CatalogItem.objects.filter(organisation=county).count()
    while n + len(local) < args.items:
        k = len(local) + 1
        local.append(
            CatalogItem(
                organisation=county,
                area_code=f"{(k % 26) + 1:02d}",
                area_name="本地事项",
                code=f"{(k % 26) + 1:02d}-L{k:04d}",
                level1=f"本地事项{k}",
                content="要素",
                subject="县级部门",
                channels=["政府网站"],
                audience=["全社会"],
                mode=["主动"],
                levels=["县级"],
            )
        )
    CatalogItem.objects.bulk_create(local)
    through = CatalogItem.columns.through
    bindings = []
    for item in CatalogItem.objects.filter(organisation=county):
        for column in rng.sample(columns, rng.choice((0, 1, 1, 2))):
            bindings.append(through(catalogitem_id=item.pk, columnpage_id=column.pk))
        if rng.random() < 0.2:
            item.categories = [rng.choice(categories)]
            item.save(update_fields=["categories"])
    through.objects.bulk_create(bindings)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return county


def naive(county, today, limit):
    """One query per bound source of each item (what a first version would do), for the first `limit` items."""
    from zwgk.catalog import rules
    from zwgk.catalog.models import CatalogItem
    from zwgk.disclosure.models import live_items

    statuses = {}
    for item in CatalogItem.objects.filter(organisation=county).prefetch_related("columns")[:limit]:
        newest = None
        for column in item.columns.all():
            page = live_items().child_of(column).specific().first()
            if page and (newest is None or page.first_published_at > newest.first_published_at):
                newest = page
        for category in item.categories:
            page = (
                live_items()
                .filter(
                    articlepage__statutory_category=category,
                    articlepage__organisation__path__startswith=county.path,
                )
                .specific()
                .first()
            )
            if page and (newest is None or page.first_published_at > newest.first_published_at):
                newest = page
        published = timezone.localdate(newest.first_published_at) if newest else None
        statuses[item.code] = rules.item_status(
            published,
            newest.written_date if newest else None,
            rules.deadline_working_days(item.time_limit),
            today,
        )[0]
    return statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1500, help="标准目录事项数")
    parser.add_argument("--articles", type=int, default=50_000, help="已发布信息数")
    parser.add_argument(
        "--baseline-items", type=int, default=200, help="the naive baseline runs over this many items"
    )
    args = parser.parse_args()
    from zwgk.catalog.coverage import organ_coverage

    rng = random.Random(1)
    started = time.perf_counter()
    county = build(args, rng)
    print(f"\n{connection.vendor}: built in {time.perf_counter() - started:.0f} s")
    today = timezone.localdate()
    times = []
    for _ in range(3):
        t = time.perf_counter()
        result = organ_coverage(county, today)
        times.append(time.perf_counter() - t)
    counts = result.counts()
    print(
        f"coverage of {len(result.items)} items ({counts}) over {args.articles} items in {COLUMNS} columns: "
        f"best {min(times):.3f} s, worst {max(times):.3f} s (target < 2 s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    t = time.perf_counter()
    statuses = naive(county, today, args.baseline_items)
    baseline = time.perf_counter() - t
    whole = baseline * len(result.items) / max(len(statuses), 1)
    agree = sum(1 for c in result.items if c.item.code in statuses and statuses[c.item.code] == c.status)
    print(
        f"baseline (one query per source) over {len(statuses)} items: {baseline:.3f} s, about {whole:.1f} s for "
        f"all {len(result.items)} (×{whole / min(times):.0f}); statuses agree on {agree}/{len(statuses)}"
    )


if __name__ == "__main__":
    main()
