"""Working days (工作日) for every statutory clock (spec §1.6, §8).

A working day is Monday–Friday that is not a statutory rest day, plus the weekend make-up days
(调休上班) the State Council announces. Sources, strongest first:

1. `CalendarDay` rows entered by a 管理员 (corrections, regional holidays, a new year's notice);
2. chinese-calendar, which knows 2004–2026 and raises NotImplementedError for other years;
3. Monday–Friday, for a year nobody has entered yet. Such a year is *provisional*: deadlines that
   touch it are flagged, never silently trusted (spec §8.4), and nothing crashes on 1 January.

Counting convention (spec §1.6 [M]): the start day is not counted; `add_working_days(start, n)` is
the n-th working day after `start`. `ZWGK_COUNT_START_DAY = True` counts the start day if it is a
working day.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.conf import settings

from .models import CalendarDay, CalendarYear

_lock = threading.Lock()


@dataclass(frozen=True)
class YearTable:
    year: int
    rest: frozenset  # weekdays that are rest days
    work: frozenset  # weekend days that are working days
    official: bool  # False: Monday–Friday fallback, deadlines are provisional


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def year_table(year: int) -> YearTable:
    """The calendar of one year, merged from the package and the back-office overrides.

    Cached per process and refreshed every minute, so a change made in the back office reaches
    every worker process of a multi-process server within a minute (and this process at once).
    """
    return _year_table(year, int(time.monotonic() // 60))


@lru_cache(maxsize=128)
def _year_table(year: int, _minute: int) -> YearTable:
    rest: set[dt.date] = set()
    work: set[dt.date] = set()
    official = _package_knows(year)
    if official:
        rest = {d for d in chinese_calendar.holidays if d.year == year and d.weekday() < 5}
        work = {d for d in chinese_calendar.workdays if d.year == year and d.weekday() >= 5}
    if CalendarYear.objects.filter(year=year).exists():
        official = True
    for day in CalendarDay.objects.filter(date__year=year):
        if day.kind == CalendarDay.Kind.REST:
            work.discard(day.date)
            if day.date.weekday() < 5:
                rest.add(day.date)
        else:
            rest.discard(day.date)
            if day.date.weekday() >= 5:
                work.add(day.date)
    return YearTable(year, frozenset(rest), frozenset(work), official)


def clear_cache() -> None:
    """Forget cached years; called when a 管理员 changes the calendar."""
    with _lock:
        _year_table.cache_clear()


def is_working_day(day: dt.date) -> bool:
    """True if `day` is a 工作日 (spec §8: Mon–Fri minus holidays, plus 调休上班 weekend days)."""
    table = year_table(day.year)
    if day in table.work:
        return True
    if day in table.rest:
        return False
    return day.weekday() < 5


def is_provisional(day: dt.date) -> bool:
    """True if `day`'s year has no official schedule yet (Monday–Friday fallback)."""
    return not year_table(day.year).official


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the start day itself not counted; spec §1.6, §8.4).

    n = 0 returns `start` unchanged. Negative n counts backwards.
    """
    if isinstance(start, dt.datetime):
        start = start.date()
    if getattr(settings, "ZWGK_COUNT_START_DAY", False) and n > 0 and is_working_day(start):
        n -= 1
        if n == 0:
            return start
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after `start` up to and including `end` (negative if end < start)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    count = 0
    day = lo
    while day < hi:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


@dataclass(frozen=True)
class Deadline:
    """A computed due date and whether it rests on a year without an official schedule."""

    due: dt.date
    provisional: bool

    def __str__(self):
        return self.due.isoformat() + ("（暂定）" if self.provisional else "")


def deadline(start: dt.date, n: int) -> Deadline:
    """`add_working_days` plus the provisional flag for every year the count passed through."""
    due = add_working_days(start, n)
    years = range(min(start.year, due.year), max(start.year, due.year) + 1)
    return Deadline(due, any(is_provisional(dt.date(y, 1, 1)) for y in years))


def unofficial_years(around: dt.date | None = None) -> list[int]:
    """Years near `around` (this year and next) whose schedule still has to be entered."""
    around = around or dt.date.today()
    return [y for y in (around.year, around.year + 1) if is_provisional(dt.date(y, 1, 1))]
