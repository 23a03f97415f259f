"""The rules of 意见征集, as plain functions (no request, no database).

Periods are counted as the 民法典 (Art. 201) counts them: the day the draft is published does not count,
the period runs from the next day up to and including the last day of the window.
"""

import datetime as dt
import re

from django.conf import settings

from zwgk.core.workdays import working_days_between

from .vocab import DraftKind, FeedbackStatus

RULE_MIN_DAYS = 30


def normative_min_working_days() -> int:
    """国办发〔2018〕37号 asks for 7 working days "一般" [M]: ZWGK_CONSULTATION_NORMATIVE_MIN_WORKDAYS."""
    return int(getattr(settings, "ZWGK_CONSULTATION_NORMATIVE_MIN_WORKDAYS", 7))


def window_error(kind: str, starts_on: dt.date, ends_on: dt.date) -> str:
    """Why the window [starts_on, ends_on] is too short for a draft of `kind` ("" when it is long enough).

    - 规章: 《规章制定程序条例》（2017年修订）第十五条 — the draft and its explanation are published for
      comment for at least 30 days; 重大行政决策: 《重大行政决策程序暂行条例》第十五条, the same 30 days.
    - 行政规范性文件: 《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）
      — at least 7 working days (configurable, see `normative_min_working_days`).
    """
    if ends_on < starts_on:
        return "征集截止日期不能早于开始日期。"
    if kind in (DraftKind.RULE, DraftKind.MAJOR_DECISION):
        days = (ends_on - starts_on).days
        if days < RULE_MIN_DAYS:
            source = (
                "《规章制定程序条例》第十五条"
                if kind == DraftKind.RULE
                else "《重大行政决策程序暂行条例》第十五条"
            )
            return (
                f"{DraftKind(kind).label}征求意见的期限不得少于{RULE_MIN_DAYS}日（{source}），"
                f"当前期限为{days}日。"
            )
    if kind == DraftKind.NORMATIVE:
        minimum = normative_min_working_days()
        days = working_days_between(starts_on, ends_on)
        if days < minimum:
            return (
                f"行政规范性文件征求意见的期限不得少于{minimum}个工作日（国办发〔2018〕37号），"
                f"当前期限为{days}个工作日。"
            )
    return ""


_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇两]+条)")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 一百零三 → 103 (the numbers of 第X条)."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def chinese_numeral(number: int) -> str:
    """1 → 一, 12 → 十二, 103 → 一百零三 (for 第X条; 1 to 999)."""
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    text = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += digits[ones]
    return text or "零"


def split_articles(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The draft as (preamble, [(number, "第三条", text of the article)]): an article starts on a line
    that begins with 第X条; lines before the first one (title, 章) are the preamble."""
    preamble: list[str] = []
    articles: list[list] = []
    for line in (text or "").splitlines():
        match = _ARTICLE.match(line)
        if match:
            heading = match.group(1)
            articles.append([chinese_number(heading[1:-1]), heading, line.strip()])
        elif articles:
            if line.strip():
                articles[-1][2] += "\n" + line.strip()
        elif line.strip():
            preamble.append(line.strip())
    return "\n".join(preamble), [tuple(a) for a in articles]


def closing_refusal(feedback_status: str | None) -> str:
    """A consultation is closed only with its 采纳情况 published after 三审 (《重大行政决策程序暂行条例》
    第十八条: the organ reports on the opinions and their adoption; local 重大行政决策 rules publish it)."""
    if feedback_status is None:
        return "尚未编写采纳情况，不能办结。请先编写采纳情况并提交三审。"
    if feedback_status != FeedbackStatus.PUBLISHED:
        return "采纳情况尚未经三审批准并发布，不能办结。"
    return ""
