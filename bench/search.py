"""Benchmark: zwgk search against a substring scan (recall) and Wagtail's built-in search, same run.

Usage (SQLite):     python bench/search.py --docs 20000
       (PostgreSQL): DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwgk_bench python bench/search.py
Builds its own database (ZWGK_VAR_DIR=/tmp/zwgk-bench-search by default; the PostgreSQL database is
flushed), N synthetic documents from ../shared/corpus, indexes them, then prints index build time and
size, p50/p95/p99 per query length with and without a filter, recall against `LIKE '%q%'` over the same
normalised text, and Wagtail's database backend over the same pages. Not a test: nothing is asserted.
"""

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-search")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_TASKS", "immediate")
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def build(n, rng):
    from wagtail.models import Page

    from tests import factories
    from zwgk.disclosure.demo_content import corpus_sentences
    from zwgk.disclosure.models import ArticlePage
    from zwgk.search.indexing import entry_fields
    from zwgk.search.models import SearchEntry

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    orgs = [factories.organisation(name=f"龙溪县测试局{i}", slug=f"b{i}") for i in range(10)]
    home, column, library = factories.site()
    sentences = corpus_sentences()
    t = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            body = "".join(rng.choice(sentences) for _ in range(12))
            page = ArticlePage(
                title=rng.choice(sentences)[:30],
                organisation=rng.choice(orgs),
                body=f"<p>{body}</p>",
                live=True,
                slug=f"d{i}",
            )
            column.add_child(instance=page)
            if i % 2000 == 0:
                print(f"  pages {i}/{n}", flush=True)
    build_pages = time.perf_counter() - t
    t = time.perf_counter()
    pages = list(ArticlePage.objects.live().select_related("organisation"))
    with transaction.atomic():
        entries = [SearchEntry(page_id=p.pk, **entry_fields(p)) for p in pages]
        SearchEntry.objects.bulk_create(entries, batch_size=2000)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('rebuild')")
    index_s = time.perf_counter() - t
    return build_pages, index_s, sentences, Page


def index_size():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'zwgk_search%'")
        else:
            cursor.execute("SELECT pg_total_relation_size('zwgk_search_searchentry')")
        return (cursor.fetchone()[0] or 0) / 1024 / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=40, help="queries per length")
    args = parser.parse_args()
    rng = random.Random(11)
    from zwgk.search.models import SearchEntry
    from zwgk.search.query import search
    from zwgk.text.tokenize import normalise_for_search

    print(f"database: {connection.vendor}; building {args.docs} documents …")
    build_pages, index_s, sentences, Page = build(args.docs, rng)
    print(
        f"pages built in {build_pages:.1f} s; search index built in {index_s:.1f} s, size {index_size():.1f} MB"
    )
    queries = {}
    for length in (2, 3, 4, 6):
        picks = []
        while len(picks) < args.queries:
            s = normalise_for_search(rng.choice(sentences))
            i = rng.randrange(0, max(1, len(s) - length))
            q = s[i : i + length]
            if len(q) == length and all("\u4e00" <= c <= "\u9fff" for c in q):
                picks.append(q)
        queries[length] = picks
    org = "b3"
    print(
        f"{'length':>6} {'filter':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'recall':>7}  wagtail p50 ms  wagtail recall"
    )
    for length, picks in queries.items():
        for filtered in (False, True):
            times, found, expected_total, w_times, w_found = [], 0, 0, [], 0
            for q in picks:
                kwargs = {"organisation": org} if filtered else {}
                t = time.perf_counter()
                result = search(q, limit=20, **kwargs)
                times.append(time.perf_counter() - t)
                all_ids = {h.page_id for h in search(q, limit=None, **kwargs).hits}
                like = SearchEntry.objects.filter(text__contains=q)
                if filtered:
                    like = like.filter(organisation__slug=org)
                expected = set(like.values_list("page_id", flat=True))
                expected_total += len(expected)
                found += len(all_ids & expected)
                assert result.count == len(all_ids)
                if not filtered:
                    t = time.perf_counter()
                    wagtail_hits = {p.pk for p in Page.objects.live().search(q)}
                    w_times.append(time.perf_counter() - t)
                    w_found += len(wagtail_hits & expected)
            recall = found / expected_total if expected_total else 1.0
            wagtail = (
                f"{statistics.median(w_times) * 1000:14.1f} {w_found / expected_total if expected_total else 1:15.3f}"
                if w_times
                else ""
            )
            print(
                f"{length:>6} {'org' if filtered else '-':>7} {percentile(times, 50):8.1f} {percentile(times, 95):8.1f} "
                f"{percentile(times, 99):8.1f} {recall:7.3f}  {wagtail}"
            )


if __name__ == "__main__":
    main()
