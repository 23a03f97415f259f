"""The statutory clock (条例 Art. 30–33) against hand-computed dates across 2025 国庆/中秋 and 2026 春节."""

import datetime as dt

import pytest

from zwgk.applications.clock import ClockEvent as E
from zwgk.applications.clock import clock, due_date
from zwgk.core import workdays

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar():
    workdays.clear_cache()


def test_twenty_working_days_across_national_day_with_make_up_days():
    """Art. 33. Received Thu 2025-09-25: 9/26, 9/28 (Sun 调休), 9/29, 9/30, 10/9, 10/10, 10/11 (Sat 调休),
    10/13–17, 10/20–24, 10/27–29 → the 20th working day is 2025-10-29."""
    assert due_date(D(2025, 9, 25), []) == D(2025, 10, 29)


def test_twenty_working_days_across_spring_festival_2026():
    """Received Fri 2026-02-06: 2/9–13 (5), 2/14 Sat (6), 2/24–27 (10), 2/28 Sat (11), 3/2–6, 3/9–12 → 3/12."""
    assert due_date(D(2026, 2, 6), []) == D(2026, 3, 12)


def test_supplement_restarts_the_clock_from_receipt_of_the_supplement():
    """Art. 30: counting starts again from the day the corrected application is received."""
    events = [E("supplement_requested", D(2025, 9, 26)), E("supplement_received", D(2025, 10, 13))]
    assert due_date(D(2025, 9, 25), events) == D(2025, 11, 10)  # 20 working days after Mon 10/13


def test_supplement_notice_after_seven_working_days_is_invalid():
    """Art. 30: within 7 working days of receipt. From 9/25 the 7th working day is 10/11 (Sat 调休)."""
    due_date(D(2025, 9, 25), [E("supplement_requested", D(2025, 10, 11))])
    with pytest.raises(ValueError, match="7个工作日"):
        due_date(D(2025, 9, 25), [E("supplement_requested", D(2025, 10, 13))])


def test_supplement_notice_only_once():
    with pytest.raises(ValueError, match="一次"):
        due_date(
            D(2025, 9, 25),
            [E("supplement_requested", D(2025, 9, 26)), E("supplement_requested", D(2025, 9, 29))],
        )


def test_supplement_received_without_request_is_invalid():
    with pytest.raises(ValueError):
        due_date(D(2025, 9, 25), [E("supplement_received", D(2025, 9, 29))])


def test_third_party_pause_does_not_count():
    """Art. 32–33: paused Mon 2025-11-03, resumed Fri 11/14: 9 working days (11/4–11/14) not counted.
    Received Wed 2025-10-15 → base due 11/12 → +9 working days → 11/25."""
    assert due_date(D(2025, 10, 15), []) == D(2025, 11, 12)
    events = [E("pause_started", D(2025, 11, 3)), E("pause_ended", D(2025, 11, 14))]
    assert due_date(D(2025, 10, 15), events) == D(2025, 11, 25)


def test_pause_never_started_is_invalid_and_cannot_nest():
    with pytest.raises(ValueError, match="没有开始的暂停"):
        due_date(D(2025, 10, 15), [E("pause_ended", D(2025, 11, 14))])
    with pytest.raises(ValueError, match="尚未结束"):
        due_date(D(2025, 10, 15), [E("pause_started", D(2025, 11, 3)), E("pause_started", D(2025, 11, 4))])


def test_extension_adds_after_the_paused_deadline():
    """Art. 33: one extension ≤ 20 working days, after the (paused) deadline: 11/25 + 20 → 2025-12-23."""
    events = [
        E("pause_started", D(2025, 11, 3)),
        E("pause_ended", D(2025, 11, 14)),
        E("extended", D(2025, 11, 20), 20),
    ]
    assert due_date(D(2025, 10, 15), events) == D(2025, 12, 23)


@pytest.mark.parametrize(
    "events, message",
    [
        ([E("extended", D(2025, 10, 20), 21)], "20个工作日"),
        ([E("extended", D(2025, 10, 20), 0)], "20个工作日"),
        ([E("extended", D(2025, 10, 20), 5), E("extended", D(2025, 10, 21), 5)], "一次"),
        ([E("extended", D(2025, 11, 13), 5)], "届满前"),
    ],
)
def test_invalid_extensions(events, message):
    with pytest.raises(ValueError, match=message):
        due_date(D(2025, 10, 15), events)


def test_every_combination_supplement_pause_extension():
    """补正 restarts (pauses before it are forgotten), then a pause, then an extension."""
    events = [
        E("pause_started", D(2025, 9, 26)),
        E("pause_ended", D(2025, 9, 29)),  # before the restart: irrelevant
        E("supplement_requested", D(2025, 9, 29)),
        E("supplement_received", D(2025, 10, 13)),
        E("pause_started", D(2025, 10, 20)),
        E("pause_ended", D(2025, 10, 24)),  # 10/21–10/24: 4 days
        E("extended", D(2025, 11, 3), 10),
    ]
    # From 10/13: base 11/10; +4 → 11/14; +10 → 11/28.
    assert due_date(D(2025, 9, 25), events) == D(2025, 11, 28)


def test_clock_state_for_the_workbench():
    state = clock(D(2026, 2, 6), [], today=D(2026, 3, 2))
    assert state.due == D(2026, 3, 12) and state.days_left == 8 and not state.overdue
    late = clock(D(2026, 2, 6), [], today=D(2026, 3, 16))
    assert late.overdue and late.days_left < 0
    waiting = clock(D(2026, 2, 6), [E("supplement_requested", D(2026, 2, 9))], today=D(2026, 4, 1))
    assert waiting.waiting_for_supplement and not waiting.overdue
    paused = clock(D(2026, 3, 2), [E("pause_started", D(2026, 3, 5))], today=D(2026, 3, 12))
    assert paused.paused and paused.due == D(2026, 4, 7)  # base 3/30 + 5 working days paused (3/6–3/12)


def test_deadline_in_a_year_without_schedule_is_provisional():
    assert clock(D(2026, 12, 15), [], today=D(2026, 12, 15)).provisional
    assert not clock(D(2026, 3, 2), [], today=D(2026, 3, 2)).provisional
