"""Pure rules of 主动公开: 文号 format, 索引号 format, Art. 26 lateness, 待解读, lifecycle transitions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zwgk.disclosure import rules
from zwgk.disclosure.vocab import Validity

D = dt.date


@pytest.mark.parametrize(
    "number", ["国办发〔2017〕47号", "国办公开办函〔2021〕30号", "龙政办〔2024〕3号", ""]
)
def test_document_number_gb_t_9704_accepted(number):
    """spec §7.3: 代字 + 〔年份〕 + 序号 + 号."""
    rules.validate_document_number(number)


@pytest.mark.parametrize(
    "number, message",
    [
        ("龙政办[2024]3号", "六角括号"),
        ("龙政办（2024）3号", "六角括号"),
        ("龙政办【2024】3号", "六角括号"),
        ("龙政办〔2024〕03号", "前导0"),
        ("龙政办〔2024〕第3号", "第"),
        ("龙政办2024年3号", "格式"),
    ],
)
def test_document_number_rejections_explain_in_chinese(number, message):
    with pytest.raises(ValidationError) as e:
        rules.validate_document_number(number)
    assert message in e.value.messages[0]


def test_index_number_default_pattern():
    """spec §7.4: {统一社会信用代码}/{YYYY}-{5 digits}."""
    assert rules.format_index_number("11441700007280420Y", 2021, 50) == "11441700007280420Y/2021-00050"


def test_index_number_pattern_is_configurable():
    assert (
        rules.format_index_number("X", 2020, 140, pattern="{credit_code}/{year}11-{seq:05d}")
        == "X/202011-00140"
    )


@pytest.mark.django_db
def test_late_publication_art_26_counts_working_days_across_national_day():
    """Art. 26: publish within 20 working days. Formed 2025-09-25 → deadline 2025-10-29 (国庆 8 days off)."""
    assert rules.publication_deadline(D(2025, 9, 25)) == D(2025, 10, 29)
    assert not rules.is_late_publication(D(2025, 9, 25), D(2025, 10, 29))
    assert rules.is_late_publication(D(2025, 9, 25), D(2025, 10, 30))
    assert not rules.is_late_publication(None, D(2025, 10, 30))
    # Published at 07:00 in Beijing on the 30th: 23:00 UTC on the 29th, and late all the same.
    morning = dt.datetime(2025, 10, 29, 23, 0, tzinfo=dt.UTC)
    assert rules.is_late_publication(D(2025, 9, 25), morning)


@pytest.mark.django_db
def test_interpretation_flag_after_three_working_days():
    """spec §6.2: interpretation at the latest 3 working days after the document (2026 春节 in between)."""
    published = D(2026, 2, 12)  # Thu; working days after: 2/13, 2/14 (Sat, 调休), 2/24
    assert rules.interpretation_due(published) == D(2026, 2, 24)
    assert not rules.needs_interpretation_flag(published, False, D(2026, 2, 24))
    assert rules.needs_interpretation_flag(published, False, D(2026, 2, 25))
    assert not rules.needs_interpretation_flag(published, True, D(2026, 3, 25))


def test_lifecycle_transitions():
    """spec §7.3: 有效 → 已修订 / 已废止 / 失效; 修订 and 废止 need the causing document."""
    rules.check_transition(Validity.VALID, Validity.REVISED, has_cause=True)
    rules.check_transition(Validity.VALID, Validity.REPEALED, has_cause=True)
    rules.check_transition(Validity.VALID, Validity.EXPIRED, has_cause=False)
    with pytest.raises(ValidationError, match="关联"):
        rules.check_transition(Validity.VALID, Validity.REPEALED, has_cause=False)
    with pytest.raises(ValidationError):
        rules.check_transition(Validity.REPEALED, Validity.VALID, has_cause=False)
    with pytest.raises(ValidationError):
        rules.check_transition(Validity.REVISED, Validity.REPEALED, has_cause=True)


def test_demo_expiry_dates_survive_29_february():
    """`zwgk demo --articles 450000` crashed on a policy written on 29 February (no such day 3 years on)."""
    from zwgk.demo.content import years_later

    assert years_later(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert years_later(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert years_later(dt.date(2025, 6, 30), 5) == dt.date(2030, 6, 30)
