"""Benchmark: the annual report for one organisation and for the county roll-up over many applications.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwgk_bench_reports python bench/reports.py --applications 1000000
(the database is flushed and filled: 40 organisations, 5 years). Prints build time and report times; the
baseline in the same run is the naive way — loading every application of the year into Python and counting.
Target: < 2 s per report. Not a test: nothing is asserted.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_TASKS", "immediate")
os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-reports")
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    args = parser.parse_args()
    from tests import factories
    from zwgk.applications.models import Application
    from zwgk.applications.vocab import RESULT_LABELS, ApplicantType, Channel, Status
    from zwgk.reports.annual import build_annual_report

    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(1)
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    orgs = [county] + [
        factories.organisation(parent=county, name=f"龙溪县第{i}局", slug=f"o{i}") for i in range(39)
    ]
    results = list(RESULT_LABELS)
    started = time.perf_counter()
    batch = []
    for i in range(args.applications):
        received = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        replied = received + dt.timedelta(days=rng.randint(1, 40))
        open_ = replied > dt.date(2025, 12, 31)
        batch.append(
            Application(
                organisation=rng.choice(orgs),
                number=f"B{i:08d}",
                query_code="X",
                channel=rng.choice(Channel.values),
                applicant_type=rng.choice(ApplicantType.values),
                received_on=received,
                replied_on=None if open_ else replied,
                result="" if open_ else rng.choice(results),
                status=Status.PROCESSING if open_ else Status.CLOSED,
            )
        )
        if len(batch) == 20_000:
            Application.objects.bulk_create(batch)
            batch.clear()
            print(f"\r  {i + 1}/{args.applications}", end="", flush=True)
    Application.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"\n{connection.vendor}: {args.applications} applications over {len(orgs)} organisations built in "
        f"{time.perf_counter() - started:.0f} s"
    )

    for label, org, rollup in (("one organisation", orgs[5], False), ("county roll-up", county, True)):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            build_annual_report(org, 2025, include_subtree=rollup)
            times.append(time.perf_counter() - t)
        scope = list(org.subtree()) if rollup else [org]
        t = time.perf_counter()
        rows = list(
            Application.objects.filter(organisation__in=scope).values_list(
                "received_on", "replied_on", "result", "applicant_type"
            )
        )
        counts: dict = {}
        for received, replied, result, applicant_type in rows:  # the baseline: counting in Python
            if received.year == 2025:
                counts[("new", applicant_type)] = counts.get(("new", applicant_type), 0) + 1
            if replied and replied.year == 2025:
                counts[(result, applicant_type)] = counts.get((result, applicant_type), 0) + 1
        naive = time.perf_counter() - t
        print(
            f"annual report, {label:16}: best {min(times):.3f} s (runs {', '.join(f'{x:.3f}' for x in times)}); "
            f"Python-loop baseline {naive:.3f} s ({naive / min(times):.1f}x slower)"
        )


if __name__ == "__main__":
    main()
