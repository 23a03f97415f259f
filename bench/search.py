"""Benchmark: zwgk search against a substring scan (recall) and Wagtail's built-in search, same run.

Usage:
  python bench/search.py --build 450000        # zwgk demo --reset --articles N (bulk writer), then measure
  python bench/search.py                       # measure the existing demo database
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwgk_search_bench python bench/search.py …

The database is the one ZWGK_VAR_DIR / DATABASE_URL name (SQLite default: /tmp/zwgk-bench-search).
`--build` replaces its content; the demo's prose comes from ../shared/corpus (`--corpus`). The index
is rebuilt with `zwgk reindex --restart` unless `--no-reindex`. Printed: index build time, rate and
size; p50/p95/p99 of the first results page with its total count, per query length (2, 3, 4, 6+
characters), filter (none, organisation, type, year) and sort (relevance, date); the median hit
count and how many totals were estimated (约, PostgreSQL); recall against `LIKE '%q%'` over the same
normalised text, with the estimates' error; Wagtail's database search backend
over the same queries on a sample of the pages (its index is built for the sample only). Not a
test: nothing is asserted; a recall below 1 or a count that differs from the hits is printed.
`--repeat K` times each search K times and keeps the best (a machine whose neighbours vary); the
machine's speed is printed first, as the time of a plain Python loop.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-search")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_TASKS", "immediate")
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

LENGTHS = ("2", "3", "4", "6+")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def find_corpus(explicit):
    """../shared/corpus next to the checkout, or next to the repository for a worktree in wt/."""
    candidates = [Path(explicit)] if explicit else [p / "shared" / "corpus" for p in ROOT.parents]
    return next((c for c in candidates if c.is_dir() and any(c.glob("*.txt"))), None)


def build(n, corpus):
    from zwgk.demo import content as demo_content

    if corpus:
        demo_content.CORPUS_DIR = corpus  # the demo reads BASE_DIR/../shared/corpus by default
    print(f"corpus: {demo_content.CORPUS_DIR} ({len(demo_content.corpus_sentences())} sentences)")
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command("demo", reset=True, articles=n, stdout=io.StringIO())
    print(f"zwgk demo --articles {n}: {time.perf_counter() - t:.0f} s")


def reindex():
    from zwgk.search.models import SearchEntry

    t = time.perf_counter()
    out = io.StringIO()
    call_command("reindex", restart=True, stdout=out, stderr=io.StringIO())
    seconds = time.perf_counter() - t
    n = SearchEntry.objects.count()
    print(f"zwgk reindex --restart: {n} entries in {seconds:.1f} s = {n / seconds:.0f} documents/s")
    print(f"  of which 互动交流 messages: {SearchEntry.objects.exclude(source='').count()}")
    print(f"  its steps: {out.getvalue().strip()}")


def sizes():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name LIKE 'zwgk_search_fts%', SUM(pgsize) FROM dbstat "
                "WHERE name LIKE 'zwgk_search_%' GROUP BY 1"
            )
            parts = dict(cursor.fetchall())
            index, table = parts.get(1, 0), parts.get(0, 0)
        else:
            # The token table's partitions (heap, out-of-line tokens) and their GIN indexes are the
            # full-text structure.
            cursor.execute(
                "SELECT (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('zwgk_search_tokens')),"
                " pg_total_relation_size('zwgk_search_searchentry')"
            )
            index, table = cursor.fetchone()
    mb = 1024 * 1024
    print(
        f"index size: full-text structure {index / mb:.0f} MB, entries (text, tokens, btree) {table / mb:.0f} MB"
    )


def pick_queries(per_length, rng):
    """Substrings of indexed texts: pure CJK, 2, 3, 4 and 6–12 characters."""
    from zwgk.search.models import SearchEntry

    top = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first()
    low = SearchEntry.objects.order_by("id").values_list("id", flat=True).first()
    texts = []
    while len(texts) < 200:  # (ordered: without it PostgreSQL may take any row past the id, by heap order)
        row = (
            SearchEntry.objects.filter(id__gte=rng.randint(low, top))
            .order_by("id")
            .values_list("text", flat=True)[:1]
        )
        texts.extend(row)
    queries = {}
    for label in LENGTHS:
        picks = []
        while len(picks) < per_length:
            text = rng.choice(texts)
            length = rng.randint(6, 12) if label == "6+" else int(label)
            i = rng.randrange(0, max(1, len(text) - length))
            q = text[i : i + length]
            if len(q) == length and all("\u4e00" <= c <= "\u9fff" for c in q) and q not in picks:
                picks.append(q)
        queries[label] = picks
    return queries


def filter_values():
    from zwgk.core.models import Organisation
    from zwgk.search.models import SearchEntry

    years = sorted(SearchEntry.objects.values_list("year", flat=True).distinct())
    orgs = list(
        Organisation.objects.filter(pk__in=SearchEntry.objects.values("organisation_id")).order_by("pk")
    )
    return {
        "-": {},
        "org": {"organisation": orgs[len(orgs) // 2].slug},
        "type": {"type": "政策文件"},
        "year": {"year": str(years[len(years) // 2])},
    }


def machine_speed() -> float:
    """Seconds for ten million steps of a Python loop: figures from machines (or hours) whose speed
    differs compare through it (0.3–2.1 s on the machines measured so far, 0.7–2.1 s within one session)."""
    t = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - t


def latency(queries, filters, repeat=1):
    import gc

    from zwgk.search.query import search

    search("政务公开")  # loads what a search needs (synonyms, OpenCC), as a worker's first request did
    gc.freeze()  # as zwgk/wsgi.py does in every server worker: no full collections of startup objects
    print(
        f"\n{'length':>6} {'filter':>6} {'sort':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'hits p50':>9} {'约':>3}"
    )
    table = {}
    for label, picks in queries.items():
        for name, kwargs in filters.items():
            for sort in ("relevance", "date"):
                times, counts, approximate = [], [], 0
                for q in picks:
                    best = float("inf")
                    for _ in range(repeat):  # the best of `repeat`: this machine's neighbours vary
                        t = time.perf_counter()
                        result = search(q, limit=20, sort=sort, **kwargs)
                        best = min(best, time.perf_counter() - t)
                    times.append(best)
                    counts.append(result.count)
                    approximate += result.approximate
                table[label, name, sort] = times
                print(
                    f"{label:>6} {name:>6} {sort:>9} {percentile(times, 50):8.1f} {percentile(times, 95):8.1f} "
                    f"{percentile(times, 99):8.1f} {max(times) * 1000:8.1f} {sorted(counts)[len(counts) // 2]:9d} {approximate:4d}",
                    flush=True,
                )
    every = [t for times in table.values() for t in times]
    for sort in ("relevance", "date"):
        times = [t for (_, _, s), ts in table.items() if s == sort for t in ts]
        print(
            f"all {sort:>9}: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, p99 {percentile(times, 99):.1f} ms"
        )
    print(f"all queries: p95 {percentile(every, 95):.1f} ms over {len(every)} searches")


def recall(queries, filters, per_length):
    """Every hit set against `LIKE '%q%'` over the same normalised text (one scan per query)."""
    from zwgk.search.models import SearchEntry
    from zwgk.search.query import _plan, expansions, hit_count, hit_ids, search

    print(f"\nrecall against LIKE '%q%' ({per_length} queries per length, every filter)")
    org_slugs = dict(SearchEntry.objects.values_list("organisation_id", "organisation__slug").distinct())
    for label, picks in queries.items():
        found = expected_total = extra = mismatched = 0
        errors = []
        t_like = 0.0
        for q in picks[:per_length]:
            t = time.perf_counter()
            rows = list(
                SearchEntry.objects.filter(text__contains=q).values_list(
                    "id", "organisation_id", "type", "year"
                )
            )
            t_like += time.perf_counter() - t
            for kwargs in filters.values():
                expected = {
                    i
                    for i, org, type_, year in rows
                    if org_slugs.get(org) == kwargs.get("organisation", org_slugs.get(org))
                    and type_ == kwargs.get("type", type_)
                    and str(year) == kwargs.get("year", str(year))
                }
                plan = _plan(expansions(q), {"type": "", "organisation": "", "year": "", **kwargs})
                ids = set(hit_ids(plan))
                mismatched += hit_count(plan, exact=True)[0] != len(ids)
                shown = search(q, limit=20, **kwargs)  # the results page's total (PostgreSQL: may be 约)
                if shown.approximate and expected:
                    errors.append(abs(shown.count - len(expected)) / len(expected))
                expected_total += len(expected)
                found += len(ids & expected)
                extra += len(ids - expected)
        value = found / expected_total if expected_total else 1.0
        print(
            f"{label:>6}: recall {value:.4f} ({found}/{expected_total}), hits not containing the query {extra}, "
            f"count≠hits {mismatched}; LIKE scan {t_like / min(per_length, len(picks)) * 1000:.0f} ms/query"
        )
        if errors:
            errors.sort()
            print(
                f"        estimated totals (约): {len(errors)} of {len(picks[:per_length]) * len(filters)}, error "
                f"median {errors[len(errors) // 2]:.1%}, max {errors[-1]:.1%}"
            )


def wagtail_peer(queries, sample):
    """Wagtail's own database backend (the peer), indexed for a sample of the pages."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from zwgk.disclosure.models import ArticlePage
    from zwgk.search.models import SearchEntry

    backend = get_search_backend()
    ids = list(ArticlePage.objects.live().order_by("-id").values_list("id", flat=True)[:sample])
    t = time.perf_counter()
    have = set(
        IndexEntry.objects.filter(object_id__in=[str(i) for i in ids]).values_list("object_id", flat=True)
    )
    todo = [i for i in ids if str(i) not in have]
    for start in range(0, len(todo), 1000):
        backend.add_bulk(ArticlePage, list(ArticlePage.objects.filter(id__in=todo[start : start + 1000])))
    print(
        f"\nWagtail database backend ({type(backend).__module__}), {len(ids)} newest pages "
        f"(indexed {len(todo)} in {time.perf_counter() - t:.0f} s):"
    )
    sample_ids = set(ids)
    print(f"{'length':>6} {'p50 ms':>8} {'p95 ms':>8} {'recall':>8}")
    for label, picks in queries.items():
        times, found, expected_total = [], 0, 0
        for q in picks:
            expected = (
                set(SearchEntry.objects.filter(text__contains=q).values_list("page_id", flat=True))
                & sample_ids
            )
            t = time.perf_counter()
            hits = {p.pk for p in Page.objects.live().filter(id__in=ids).search(q)[:20]}
            times.append(time.perf_counter() - t)
            all_hits = {p.pk for p in Page.objects.live().filter(id__in=ids).search(q)}
            found += len(all_hits & expected)
            expected_total += len(expected)
            del hits
        value = found / expected_total if expected_total else 1.0
        print(f"{label:>6} {percentile(times, 50):8.1f} {percentile(times, 95):8.1f} {value:8.4f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=int, metavar="N", help="zwgk demo --reset --articles N first")
    parser.add_argument("--corpus", help="directory of the demo prose (default: ../shared/corpus)")
    parser.add_argument("--no-reindex", action="store_true", help="measure the index as it is")
    parser.add_argument("--queries", type=int, default=40, help="queries per length")
    parser.add_argument(
        "--recall-queries", type=int, default=10, help="queries per length checked against LIKE"
    )
    parser.add_argument(
        "--wagtail-sample", type=int, default=20000, help="pages indexed by Wagtail (0: skip)"
    )
    parser.add_argument("--filters", default="-,org,type,year", help="filters to time, comma-separated")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each search this many times and keep the best"
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; load {os.getloadavg()[0]:.2f}")
    print(f"machine: 10,000,000 Python loop steps in {machine_speed():.2f} s")
    if args.build:
        build(args.build, find_corpus(args.corpus))
    else:
        call_command("migrate", verbosity=0)
    if not args.no_reindex:
        reindex()
    sizes()
    rng = random.Random(args.seed)
    queries = pick_queries(args.queries, rng)
    filters = {k: v for k, v in filter_values().items() if k in args.filters.split(",")}
    print(f"filters: {filters}; load {os.getloadavg()[0]:.2f}")
    latency(queries, filters, args.repeat)
    if args.recall_queries:
        recall(queries, filters, args.recall_queries)
    if args.wagtail_sample:
        wagtail_peer(queries, args.wagtail_sample)
    print(f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
