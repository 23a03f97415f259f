"""Working days (spec §1.6, §8): 2025 国庆/中秋, 2026 春节, make-up Saturdays, unknown years."""

import datetime as dt

import pytest

from zwgk.core import workdays
from zwgk.core.models import CalendarDay, CalendarYear
from zwgk.core.workdays import (
    add_working_days,
    deadline,
    is_provisional,
    is_working_day,
    working_days_between,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_2025_national_day_and_mid_autumn_are_one_8_day_break():
    # spec §8.2: 国庆+中秋 10/1–10/8 off; work Sun 9/28 and Sat 10/11.
    for day in range(1, 9):
        assert not is_working_day(D(2025, 10, day))
    assert is_working_day(D(2025, 9, 28))  # Sunday, 调休上班
    assert is_working_day(D(2025, 10, 11))  # Saturday, 调休上班
    assert is_working_day(D(2025, 10, 9))


def test_2026_spring_festival_nine_days_with_two_make_up_saturdays():
    # spec §8.2 (notice of 2025-11-04): 2/15–2/23 off; work Sat 2/14 and Sat 2/28.
    for day in range(15, 24):
        assert not is_working_day(D(2026, 2, day))
    assert is_working_day(D(2026, 2, 14))
    assert is_working_day(D(2026, 2, 28))
    assert is_working_day(D(2026, 1, 4))  # Sunday after 元旦, 调休上班


def test_start_day_not_counted_and_holidays_skipped_2025_national_day():
    # Application received Thu 2025-09-25. Working days after it: 9/26 (Fri), 9/28 (Sun 调休), 9/29, 9/30,
    # then 10/9 (Thu), 10/10 (Fri), 10/11 (Sat 调休), 10/13 …
    assert add_working_days(D(2025, 9, 25), 1) == D(2025, 9, 26)
    assert add_working_days(D(2025, 9, 25), 2) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 25), 4) == D(2025, 9, 30)
    assert add_working_days(D(2025, 9, 25), 5) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 25), 7) == D(2025, 10, 11)
    # Art. 33: 20 working days.
    assert add_working_days(D(2025, 9, 25), 20) == D(2025, 10, 29)  # 10/13–10/17, 10/20–24, 10/27–29


def test_twenty_working_days_across_2026_spring_festival():
    # Received Fri 2026-02-06. Working days: 2/9–2/13 (5), 2/14 Sat (6), 2/24–2/27 (10), 2/28 Sat (11),
    # 3/2–3/6 (16), 3/9–3/12 (20).
    assert add_working_days(D(2026, 2, 6), 6) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 6), 11) == D(2026, 2, 28)
    assert add_working_days(D(2026, 2, 6), 20) == D(2026, 3, 12)
    assert working_days_between(D(2026, 2, 6), D(2026, 3, 12)) == 20


def test_zero_and_negative_counts():
    assert add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 1)
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)


def test_unknown_year_falls_back_to_monday_to_friday_and_is_provisional():
    # chinese-calendar raises NotImplementedError for 2027; we must not crash on 1 January.
    assert is_working_day(D(2027, 1, 4))  # Monday
    assert not is_working_day(D(2027, 1, 2))  # Saturday
    assert is_provisional(D(2027, 3, 1))
    result = deadline(D(2026, 12, 21), 20)
    assert result.provisional
    assert "暂定" in str(result)
    assert not deadline(D(2026, 3, 2), 20).provisional


def test_admin_entered_schedule_makes_a_year_official_and_overrides_days():
    CalendarYear.objects.create(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDay.Kind.REST, name="元旦")
    CalendarDay.objects.create(date=D(2027, 2, 6), kind=CalendarDay.Kind.WORK, name="春节调休")
    assert not is_provisional(D(2027, 6, 1))
    assert not is_working_day(D(2027, 1, 1))  # a Friday, now a holiday
    assert is_working_day(D(2027, 2, 6))  # a Saturday, now a working day


def test_override_corrects_a_known_year():
    assert is_working_day(D(2026, 3, 3))
    CalendarDay.objects.create(date=D(2026, 3, 3), kind=CalendarDay.Kind.REST, name="地方假日")
    assert not is_working_day(D(2026, 3, 3))
    CalendarDay.objects.filter(date=D(2026, 3, 3)).delete()
    assert is_working_day(D(2026, 3, 3))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()
