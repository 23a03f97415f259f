"""Benchmark: the statutory clock and the workbench.

Usage: python bench/applications.py [--n 20000]
Prints (1) due_date throughput over realistic event histories against the naive day-by-day loop over
chinese-calendar measured in the same run, and (2) the workbench's clock computation for N open applications.
Not a test: nothing is asserted.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
os.environ.setdefault("ZWGK_VAR_DIR", "/tmp/zwgk-bench-applications")
os.makedirs(os.environ["ZWGK_VAR_DIR"], exist_ok=True)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

import chinese_calendar  # noqa: E402

from zwgk.applications.clock import ClockEvent, due_date  # noqa: E402
from zwgk.core.workdays import add_working_days  # noqa: E402


def naive_due(received, events):
    """The spreadsheet way: walk day by day with chinese-calendar, pauses handled by counting again."""

    def add(day, n):
        while n:
            day += dt.timedelta(days=1)
            if chinese_calendar.is_workday(day):
                n -= 1
        return day

    due = add(received, 20)
    for e in events:
        if e.kind == "pause_ended":
            start = next(x.on for x in events if x.kind == "pause_started")
            n, day = 0, start
            while day < e.on:
                day += dt.timedelta(days=1)
                n += chinese_calendar.is_workday(day)
            due = add(due, n)
    return due


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(3)
    cases = []
    for _ in range(args.n):
        received = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(900))
        events = []
        if rng.random() < 0.3:
            p = add_working_days(received, rng.randint(1, 10))
            events = [
                ClockEvent("pause_started", p),
                ClockEvent("pause_ended", add_working_days(p, rng.randint(1, 15))),
            ]
        cases.append((received, events))
    for name, fn in (("zwgk due_date", due_date), ("naive day-by-day loop", naive_due)):
        t = time.perf_counter()
        results = [fn(r, e) for r, e in cases]
        elapsed = time.perf_counter() - t
        print(f"{name:<24} {args.n / elapsed:>10,.0f} deadlines/s")
        if name == "zwgk due_date":
            ours = results
    print(f"same deadlines: {ours == results}")


if __name__ == "__main__":
    main()
