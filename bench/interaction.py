"""Benchmark: 互动交流 at county-to-city scale.

Usage: python bench/interaction.py [--messages 100000] [--organs 20] [--requests 200]
       DATABASE_URL=postgres://…/zwgk_bench_interaction python bench/interaction.py
Builds (once; --rebuild to start again) 100,000 messages over 20 organs and their boxes, two thirds answered
and published, then measures uncached (the portal's page cache off, as bench/portal.py's "uncached"): the
public list (留言选登, random pages and box filters), a public message page, and the statistics of one organ
for one year (by month). Prints p50/p95 and, as baselines of the same run, /robots.txt through the same
middleware (the machine's floor for any request) and the public list with no fragment cache at all (its
count over every published row on each request, as the first request after a publication does).
Not a test.
"""

import argparse
import datetime as dt
import os
import random
import statistics as stats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-interaction")
os.environ["ZWGK_PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders its page
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from zwgk.core.models import Organisation  # noqa: E402
from zwgk.interaction.models import Box, Message  # noqa: E402
from zwgk.interaction.rules import due_date  # noqa: E402
from zwgk.interaction.services import fingerprint  # noqa: E402
from zwgk.interaction.stats import statistics  # noqa: E402
from zwgk.interaction.vocab import BoxKind, Status  # noqa: E402

SUBJECTS = [
    "低保申请条件咨询",
    "小区路灯不亮",
    "建议增设公交站点",
    "学校划片范围",
    "餐馆油烟扰民",
    "医保异地备案",
]
KINDS = [BoxKind.CONSULT, BoxKind.COMPLAINT, BoxKind.SUGGESTION, BoxKind.DEPARTMENT]


def build(n_messages, n_organs, rng):
    with transaction.atomic():
        Message.objects.all().delete()
        Box.objects.all().delete()
        Organisation.objects.filter(slug__startswith="bench").exclude(slug="bench0").delete()
        Organisation.objects.filter(slug="bench0").delete()
        root = Organisation.objects.create(
            name="基准县人民政府", slug="bench0", credit_code="11360000MB0000000X"
        )
        organs = [root] + [
            Organisation.objects.create(
                parent=root, name=f"基准县部门{i}", slug=f"bench{i}", credit_code=f"11360000MB{i:07d}X"
            )
            for i in range(1, n_organs)
        ]
        boxes = [
            Box.objects.create(organisation=organ, kind=kind, name=f"{organ.name}{kind.label}")
            for organ in organs
            for kind in KINDS
        ]
    today = dt.date(2026, 11, 30)
    batch = []
    started = time.monotonic()
    for i in range(n_messages):
        box = rng.choice(boxes)
        received = today - dt.timedelta(days=rng.randrange(0, 3 * 365))
        answered = rng.random() < 0.9 and received < today - dt.timedelta(days=10)
        due = due_date(received, box.period)
        subject = f"{rng.choice(SUBJECTS)}{i}"
        content = f"我是张{i % 97}，电话139{rng.randrange(10**7, 10**8)}，{subject}，请予答复。" * 3
        published = answered and rng.random() < 0.75
        reply = f"网友您好：关于“{subject}”，经核实已处理。" * 4
        batch.append(
            Message(
                box=box,
                organisation=box.organisation,
                number=f"LY-BENCH-{i:07d}",
                received_on=received,
                name=f"张{i % 97}",
                phone="13900000000",
                subject=subject,
                content=content,
                wants_public=published,
                fingerprint=fingerprint(subject, content),
                status=Status.ANSWERED if answered else Status.PROCESSING,
                reply_days=box.period,
                due_on=due,
                reply=reply if answered else "",
                answered_on=min(today, due + dt.timedelta(days=rng.choice([-2, -1, 0, 0, 3])))
                if answered
                else None,
                published=published,
                public_subject=subject if published else "",
                public_content=content.replace("13900000000", "139****0000") if published else "",
                public_reply=reply if published else "",
                published_on=due if published else None,
                rating=rng.choice(["", "", "satisfied", "fair", "dissatisfied"]) if answered else "",
            )
        )
        if len(batch) == 5000:
            Message.objects.bulk_create(batch)
            batch = []
    if batch:
        Message.objects.bulk_create(batch)
    print(f"built {n_messages} messages over {n_organs} organs in {time.monotonic() - started:.0f} s")


def settle():
    """What a live database has after autovacuum: statistics and, on PostgreSQL, the visibility map that
    lets the public list's partial index answer its page of ids without reading the rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE interaction_message" if connection.vendor == "postgresql" else "ANALYZE"
        )


def timed(fns, repeat):
    """p50/p95 in ms of each function, the functions interleaved (a load spike on the shared machine
    hits every one of them alike, so their ratios hold)."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, samples in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
    result = []
    for samples in times:
        samples.sort()
        result.append((stats.median(samples), samples[int(len(samples) * 0.95) - 1]))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--organs", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    rng = random.Random(5)
    call_command("migrate", verbosity=0)
    if args.rebuild or Message.objects.filter(number__startswith="LY-BENCH-").count() != args.messages:
        build(args.messages, args.organs, rng)
    settle()
    client = Client()
    box_ids = list(Box.objects.values_list("pk", flat=True))
    pages = Message.objects.filter(published=True).count() // 20
    numbers = list(Message.objects.filter(published=True).values_list("number", flat=True)[:5000])

    def list_page():
        params = {"page": rng.randrange(1, min(pages, 500) + 1)}
        if rng.random() < 0.5:
            params = {"box": rng.choice(box_ids), "page": rng.randrange(1, 6)}
        assert client.get("/hudong/liuyan/gongkai/", params).status_code == 200

    def message_page():
        assert client.get(f"/hudong/liuyan/gongkai/{rng.choice(numbers)}/").status_code == 200

    organ = Organisation.objects.get(slug="bench1")

    def organ_year():
        statistics(
            Message.objects.filter(organisation=organ), dt.date(2025, 1, 1), dt.date(2025, 12, 31), "month"
        )

    def floor():
        assert client.get("/robots.txt").status_code == 200

    def list_without_fragment_cache():
        with override_settings(ZWGK_FRAGMENT_CACHE_SECONDS=0):
            list_page()

    cache.clear()
    timed([list_page], 5)  # warm the connection and templates
    print(f"{connection.vendor}, {args.messages} messages ({pages * 20} published), {args.organs} organs")
    labels = (
        ("floor: /robots.txt", floor),
        ("public list", list_page),
        ("public list, no count cache", list_without_fragment_cache),
        ("message page", message_page),
    )
    results = dict(
        zip([label for label, _ in labels], timed([fn for _, fn in labels], args.requests), strict=True)
    )
    results["statistics one organ-year"] = timed([organ_year], 20)[0]
    floor_p95 = results["floor: /robots.txt"][1]
    for label, (p50, p95) in results.items():
        ratio = "" if label.startswith("floor") else f"   p95 {p95 / floor_p95:5.1f}x floor"
        print(f"{label:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{ratio}")
    uncached = results["public list, no count cache"][1]
    print(
        f"public list p95 with the count cached per generation: {results['public list'][1] / uncached:.2f}x "
        "of the list counting on every request"
    )


if __name__ == "__main__":
    main()
