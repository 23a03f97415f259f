"""rules.py: 公开时限 in working days and each item's status (条例 Art. 26; spec §4.3)."""

import datetime as dt

import pytest

from zwgk.catalog import rules
from zwgk.core.workdays import add_working_days

pytestmark = pytest.mark.django_db  # the holiday calendar's overrides live in the database


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("信息形成或者变更之日起20个工作日内", 20),
        ("作出决定之日起7个工作日内", 7),
        ("关联规范性文件公开3个工作日内", 3),
        ("公示五个工作日", 5),
        ("形成之日起二十个工作日内", 20),
        ("及时公开", rules.DEFAULT_DEADLINE_DAYS),
        ("十五个工作日内", rules.DEFAULT_DEADLINE_DAYS),  # not parsed: the 条例's 20 working days
    ],
)
def test_deadline_working_days(text, days):
    assert rules.deadline_working_days(text) == days


TODAY = dt.date(2026, 12, 1)


def test_nothing_published_is_missing():
    assert rules.item_status(None, None, 20, TODAY)[0] == rules.MISSING


def test_published_within_the_time_limit():
    formed = dt.date(2026, 11, 2)
    on_time = add_working_days(formed, 20)
    assert rules.item_status(on_time, formed, 20, TODAY)[0] == rules.PUBLISHED


def test_published_one_working_day_late_is_overdue():
    formed = dt.date(2026, 11, 2)
    late = add_working_days(formed, 21)
    status, reason = rules.item_status(late, formed, 20, TODAY)
    assert status == rules.OVERDUE
    assert "20个工作日" in reason


def test_a_shorter_time_limit_is_applied():
    formed = dt.date(2026, 11, 2)
    assert rules.item_status(add_working_days(formed, 8), formed, 7, TODAY)[0] == rules.OVERDUE


def test_an_update_cycle_makes_stale_content_overdue():
    published = TODAY - dt.timedelta(days=400)
    assert rules.item_status(published, None, 20, TODAY)[0] == rules.PUBLISHED
    assert rules.item_status(published, None, 20, TODAY, update_cycle_days=366)[0] == rules.OVERDUE


def test_percentage():
    assert rules.percentage(1, 3) == 33.3
    assert rules.percentage(0, 0) == 0.0
