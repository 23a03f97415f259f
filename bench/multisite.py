"""Site group (集约化) figures: one site of many next to the government portal, on the same database.

    ZWGK_VAR_DIR=/tmp/var-sites zwgk demo --reset --sites 34 --articles 20000
    ZWGK_VAR_DIR=/tmp/var-sites .venv/bin/python bench/multisite.py [--runs 30]

(add DATABASE_URL=postgres://… to both for PostgreSQL). A province-sized group (500 sites / 2,000,000
items, each site 4,000) is built by `bench/monitoring.py --scales 500:2000000` in its own database, then
`zwgk reindex` on it, then this script. For a department's site and for the government
portal (the single-site figures): a column list, an item page, the 法定主动公开内容 page and its largest
category's list p50/p95 uncached (page and fragment
caches off, rendered in-process through the whole middleware stack) and rendered with the fragments and
list counts cached as in production (only the page cache off), search within the site (本站) and
across all sites (全站), the latency from publishing an item to its page and its column being on the
site's static HTML, and a full static rebuild of the site as `zwgk static rebuild` does it (fragment
caching as in production, `--workers` processes): pages per second, CPU ms per page (this process and
its workers) and the time a 10,000-page site would take. Figures only; nothing is asserted.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per figure")
    parser.add_argument("--query", default="工作", help="search query")
    parser.add_argument(
        "--rebuild-limit",
        type=int,
        default=2000,
        help="full static rebuild: render at most this many pages of a site (the rate gives a 10,000-page site)",
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="rebuild processes (default: the CPU count)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from wagtail.models import Site

    from zwgk.core.models import Organisation
    from zwgk.disclosure.models import ArticlePage, ColumnPage, DisclosureIndexPage, live_items
    from zwgk.portal import static_html
    from zwgk.portal.models import PortalSettings

    settings.ALLOWED_HOSTS = ["*"]
    fragment_seconds = settings.ZWGK_FRAGMENT_CACHE_SECONDS  # production's, for the rebuild
    # The request figures are uncached: neither pages nor fragments.
    settings.ZWGK_PAGE_CACHE_SECONDS = 0
    settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0
    settings.ZWGK_STATIC_HTML_DIR = tempfile.mkdtemp(prefix="zwgk-static-")

    site_count = Site.objects.count()
    items = live_items().count()
    print(
        f"{site_count} sites, {items} live items, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    portal = Site.objects.get(is_default_site=True)
    department = (
        Site.objects.exclude(pk=portal.pk).filter(portalsettings__archived=False).order_by("hostname").first()
    )
    if department is None:
        raise SystemExit("only one site: build the group first (zwgk demo --reset --sites 34)")

    def timed(client, host, path, runs):
        """p50 and p95 wall-clock ms, and the median CPU ms of this process (the machine is shared: its load
        stretches the wall clock, the CPU time much less)."""
        times, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, HTTP_HOST=host)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (host, path, response.status_code)
        times.sort()
        return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], statistics.median(cpu)

    rows = []
    for label, site in (("one department's site", department), ("government portal", portal)):
        client = Client()
        host = site.hostname
        column = ColumnPage.objects.live().descendant_of(site.root_page).filter(column_type="news").first()
        item = ArticlePage.objects.live().child_of(column).order_by("-first_published_at").first()
        base = site.root_page.url_path
        col_path = "/" + column.url_path[len(base) :]
        item_path = "/" + item.url_path[len(base) :]
        client.get(col_path, HTTP_HOST=host)  # warm the connection and the templates
        paths = {"column list": col_path, "item page": item_path}
        # 法定主动公开内容 (条例第二十条): the 15 categories, and the largest one's list (11 财政预决算); the sites
        # bench/monitoring.py builds have no 信息公开 section.
        section = DisclosureIndexPage.objects.live().descendant_of(site.root_page).first()
        if section:
            section_path = "/" + section.url_path[len(base) :]
            paths["法定主动公开内容"] = f"{section_path}fdzdgknr/"
            paths["category 11 list"] = f"{section_path}fdzdgknr/11/"
        paths["search 本站"] = f"/search/?q={args.query}&scope=site"
        paths["search 全站"] = f"/search/?q={args.query}&scope=all"
        figures = {name: timed(client, host, path, args.runs) for name, path in paths.items()}
        # The same pages rendered on every request (no page cache) with the fragments and counts cached as in
        # production (warmed by one request): what a page costs after a publish has invalidated its site.
        settings.ZWGK_FRAGMENT_CACHE_SECONDS = fragment_seconds
        for name, path in paths.items():
            client.get(path, HTTP_HOST=host)
            figures[f"{name} ¹"] = timed(client, host, path, args.runs)
        settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0
        # Publish an item and have its page and its column on the site's static HTML: the second of two
        # publishes (the first one in a process also loads the screening lexicon and the site's templates).
        organ = PortalSettings.for_site(site).organisation or Organisation.objects.get(parent=None)
        for _ in range(2):
            start = time.perf_counter()
            page = ArticlePage(
                title="站群基准测试信息", slug=f"bench-{time.time_ns()}", organisation=organ, live=False
            )
            column.add_child(instance=page)
            page.save_revision().publish()
            new_path = "/" + ArticlePage.objects.get(pk=page.pk).url_path[len(base) :]
            for path in (new_path, col_path):
                settings.ZWGK_PAGE_CACHE_SECONDS = 600  # the page cache writes the static file
                client.get(path, HTTP_HOST=host)
                settings.ZWGK_PAGE_CACHE_SECONDS = 0
            published = (time.perf_counter() - start) * 1000
            on_disk = static_html.served_path(host, new_path)
            assert on_disk is not None and on_disk.exists(), on_disk
            ArticlePage.objects.get(pk=page.pk).delete()
        site_pages = site.root_page.get_descendants(inclusive=True).live().public().count()
        settings.ZWGK_FRAGMENT_CACHE_SECONDS = fragment_seconds
        start, start_cpu = time.perf_counter(), _cpu()
        result = static_html.rebuild_site(site, workers=args.workers, limit=args.rebuild_limit)
        rebuild, rebuild_cpu = time.perf_counter() - start, _cpu() - start_cpu
        settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0
        assert not result.stale, "the site changed during the rebuild"
        rows.append((label, host, figures, published, result.written, rebuild, site_pages, rebuild_cpu))

    print(f"\n{'':24}" + "".join(f"{label:>32}" for label, *_ in rows))
    print(f"{'site':24}" + "".join(f"{host:>32}" for _, host, *_ in rows))
    for name in dict.fromkeys(name for _, _, fig, *_ in rows for name in fig):
        cells = "".join(
            f"{f'{fig[name][0]:.1f} / {fig[name][1]:.1f} ms (cpu {fig[name][2]:.1f})' if name in fig else '—':>32}"
            for _, _, fig, *_ in rows
        )
        print(f"{name + ' p50/p95':24}{cells}")
    print(f"{'publish → static HTML':24}" + "".join(f"{f'{r[3]:.0f} ms':>32}" for r in rows))
    print(f"{'pages of the site':24}" + "".join(f"{r[6]:>32}" for r in rows))
    print(f"{'static rebuild':24}" + "".join(f"{f'{r[4]} pages in {r[5]:.1f} s':>32}" for r in rows))
    print(f"{'  pages/s':24}" + "".join(f"{f'{r[4] / max(r[5], 1e-9):.1f}':>32}" for r in rows))
    print(f"{'  CPU ms/page':24}" + "".join(f"{f'{1000 * r[7] / max(r[4], 1):.1f}':>32}" for r in rows))
    print(
        f"{'→ 10,000 pages':24}"
        + "".join(f"{f'{10000 * r[5] / max(r[4], 1):.0f} s ({args.workers} proc.)':>32}" for r in rows)
    )
    # The machine is shared: what the CPU time per page gives on `--workers` idle cores.
    print(
        f"{'  on idle cores':24}"
        + "".join(f"{f'{10000 * r[7] / max(r[4], 1) / args.workers:.0f} s':>32}" for r in rows)
    )
    load = os.getloadavg()
    print(
        "\n¹ no page cache, fragments and list counts cached (warm) as in production; without ¹ nothing cached"
    )
    print(f"\nload average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")
    print(f"\nstatic HTML written under {settings.ZWGK_STATIC_HTML_DIR}")


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children (the rebuild's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
