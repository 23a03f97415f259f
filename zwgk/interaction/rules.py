"""The rules of 留言办理 as plain functions: reply periods, the one clock, the 19号 veto line.

国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》, 单项否决 “互动回应差”: a site fails if it has no usable
interaction channel, or if any valid message was left unanswered for more than 3 months within the year.
The reply periods per kind of box are local rules ([M]: ZWGK_INTERACTION_REPLY_DAYS, each box may differ).
"""

import calendar
import datetime as dt

from django.conf import settings

from zwgk.core.workdays import add_working_days, working_days_between

# [M] Reply periods in working days by kind of box (咨询 3, 投诉 and 建议 13, 网站纠错 3 per the provincial rules).
DEFAULT_REPLY_DAYS = {
    "leader": 13,
    "department": 13,
    "consult": 3,
    "complaint": 13,
    "suggestion": 13,
    "error": 3,
}
VETO_MONTHS = 3  # 19号: any valid message unanswered for more than 3 months → 单项否决
ALERT_MONTHS = 2  # alert the organ's leader and the 管理员 a month before the veto line


def default_reply_days(kind: str) -> int:
    """The configured reply period for a kind of box ([M], ZWGK_INTERACTION_REPLY_DAYS)."""
    configured = getattr(settings, "ZWGK_INTERACTION_REPLY_DAYS", {}) or {}
    return int(configured.get(kind, DEFAULT_REPLY_DAYS.get(kind, 13)))


def due_date(received_on: dt.date, reply_days: int, extension_days: int = 0) -> dt.date:
    """The reply is due `reply_days` working days after the day the message was received (that day not
    counted), plus an approved 延期. One clock: 分办/转办 to another organ never restarts it."""
    return add_working_days(received_on, reply_days + extension_days)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (31 January + 1 month = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def past_veto_line(received_on: dt.date, today: dt.date) -> bool:
    """19号 单项否决: unanswered for more than 3 calendar months at `today`."""
    return today > add_months(received_on, VETO_MONTHS)


def past_alert_line(received_on: dt.date, today: dt.date) -> bool:
    """Unanswered for 2 months: the organ's leader and the 管理员 are alerted."""
    return today >= add_months(received_on, ALERT_MONTHS)


def reply_working_days(received_on: dt.date, answered_on: dt.date) -> int:
    """Working days the reply took (the receipt day not counted)."""
    return max(working_days_between(received_on, answered_on), 0)


def max_extension_days(reply_days: int) -> int:
    """[M] A 延期 adds at most the box's own reply period again (one extension, with its reason)."""
    return reply_days
