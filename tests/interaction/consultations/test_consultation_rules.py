"""The window rules (《规章制定程序条例》第十五条; 国办发〔2018〕37号) and the articles of a draft."""

import datetime as dt

import pytest
from django.test import override_settings

from zwgk.interaction.consultations.rules import chinese_number, split_articles, window_error

D = dt.date


def test_rule_needs_30_days_art_15():
    """规章: at least 30 days (《规章制定程序条例》第十五条), counted from the day after publication."""
    error = window_error("rule", D(2026, 3, 1), D(2026, 3, 30))
    assert "不得少于30日" in error and "第十五条" in error and "29日" in error
    assert window_error("rule", D(2026, 3, 1), D(2026, 3, 31)) == ""
    assert "30日" in window_error("major_decision", D(2026, 3, 1), D(2026, 3, 20))


@pytest.mark.django_db
def test_normative_needs_7_working_days_across_national_day_2025():
    """行政规范性文件: at least 7 working days (国办发〔2018〕37号). Published Mon 29 Sep 2025: 30 Sep, 9, 10,
    11 (Saturday, a make-up working day), 13, 14 Oct make 6; 15 Oct is the 7th. Calendar days would be 16."""
    error = window_error("normative", D(2025, 9, 29), D(2025, 10, 14))
    assert "不得少于7个工作日" in error and "国办发〔2018〕37号" in error and "6个工作日" in error
    assert window_error("normative", D(2025, 9, 29), D(2025, 10, 15)) == ""


@pytest.mark.django_db
@override_settings(ZWGK_CONSULTATION_NORMATIVE_MIN_WORKDAYS=10)
def test_normative_minimum_is_a_setting():
    """The 7 working days are [M] in the spec: ZWGK_CONSULTATION_NORMATIVE_MIN_WORKDAYS."""
    assert "不得少于10个工作日" in window_error("normative", D(2025, 9, 29), D(2025, 10, 15))


def test_other_kinds_have_no_minimum_but_end_after_start():
    assert window_error("other", D(2026, 3, 1), D(2026, 3, 2)) == ""
    assert window_error("other", D(2026, 3, 2), D(2026, 3, 1)) == "征集截止日期不能早于开始日期。"


def test_articles_are_numbered_from_their_chinese_headings():
    assert [chinese_number(t) for t in ("一", "十", "十二", "二十", "一百零三", "两")] == [
        1,
        10,
        12,
        20,
        103,
        2,
    ]
    preamble, articles = split_articles("某某办法\n第一章　总则\n第一条　甲。\n　续行。\n第十二条　乙。")
    assert preamble == "某某办法\n第一章　总则"
    assert articles == [(1, "第一条", "第一条　甲。\n续行。"), (12, "第十二条", "第十二条　乙。")]
