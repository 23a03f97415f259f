"""Benchmark: statutory-clock arithmetic (`add_working_days`) against calling chinese-calendar directly.

Usage: ZWGK_VAR_DIR=/tmp/bench zwgk migrate && python bench/workdays.py [--n 20000]
Prints calls/s of zwgk's cached year tables and of the package's `is_workday` loop (the baseline),
measured in the same run. Not a test: nothing is asserted.
"""

import argparse
import datetime as dt
import os
import random
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
import django  # noqa: E402

django.setup()

import chinese_calendar  # noqa: E402

from zwgk.core.workdays import add_working_days  # noqa: E402


def baseline(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(1)
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900)) for _ in range(args.n)]
    results = {}
    for name, fn in (("zwgk add_working_days", add_working_days), ("chinese_calendar loop", baseline)):
        fn(starts[0], 20)  # warm caches
        t = time.perf_counter()
        out = [fn(s, 20) for s in starts]
        elapsed = time.perf_counter() - t
        results[name] = (elapsed, out)
        print(f"{name:<24} {args.n / elapsed:>10,.0f} deadlines/s  ({elapsed * 1e6 / args.n:.1f} µs each)")
    (a, out_a), (b, out_b) = results.values()
    print(f"same results: {out_a == out_b};  speed ratio zwgk/baseline: {b / a:.2f}x")


if __name__ == "__main__":
    main()
