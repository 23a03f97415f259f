"""The 19号 rules as plain functions (国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》, spec §5.2 and §12)."""

import datetime as dt

from zwgk.disclosure.vocab import ColumnType

from . import conf

OK, WARN50, WARN80, FAIL = "ok", "warn50", "warn80", "fail"


def status_for(value, threshold, *, beyond: bool = False) -> str:
    """fail at the threshold (19号's line; `beyond`: only past it, as for "not updated for 2 weeks"),
    warn80 / warn50 from 80 % / 50 % of it (spec §12: zwgk's early warning). A value of None (not
    measured) is ok: the indicator's note says why."""
    if value is None:
        return OK
    low, high = conf.warn_levels()
    if value > threshold or (value == threshold and not beyond):
        return FAIL
    if value >= high * threshold:
        return WARN80
    if value >= low * threshold:
        return WARN50
    return OK


def status_at_least(value, floor) -> str:
    """For a minimum (posts a month): fail below `floor`; warn80 / warn50 while the value is still within
    20 % / 50 % above it (the same early margins as `status_for`, measured upwards). None: ok."""
    if value is None:
        return OK
    low, high = conf.warn_levels()
    if value < floor:
        return FAIL
    if value < floor * (2 - high):
        return WARN80
    if value < floor * (2 - low):
        return WARN50
    return OK


def status_rate_floor(rate, floor) -> str:
    """For a minimum rate in % (办结率 ≥ 90): judged on what is missing (未办结 share) against what the line
    allows (100 − floor), so the warnings come at 50 % / 80 % of the allowed shortfall. None: ok."""
    if rate is None:
        return OK
    return status_for(round(100.0 - rate, 1), round(100.0 - floor, 1), beyond=True)


def column_period_days(column_type: str) -> int:
    """19号 栏目不更新: 动态、要闻类 2 weeks; 通知公告、政策文件类 6 months; 人事、规划计划 and others 1 year."""
    if column_type == ColumnType.NEWS:
        return conf.get("ZWGK_MONITOR_NEWS_STALE_DAYS")
    if column_type in (ColumnType.NOTICE, ColumnType.POLICY):
        return conf.get("ZWGK_MONITOR_NOTICE_STALE_DAYS")
    return conf.get("ZWGK_MONITOR_OTHER_STALE_DAYS")


def days_since(moment: dt.datetime | dt.date | None, today: dt.date) -> int | None:
    """Days from the last update to `today`; None when nothing was ever published (19号: items without a
    publication time count as not updated)."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        moment = moment.date()
    return (today - moment).days


def is_stale(days: int | None, period: int) -> bool:
    """A column (or home page, or account) with nothing new within its period, or nothing at all."""
    return days is None or days > period


def unreachable_share(failures: int, total: int) -> float | None:
    """19号 站点无法访问: the share (%) of a week's probes that failed to open within 15 s."""
    if total == 0:
        return None
    return round(100.0 * failures / total, 2)


def score(deductions: list[float]) -> float:
    """19号 扣分指标: 100 points minus the deductions (each already capped at its own weight)."""
    return round(max(0.0, 100.0 - sum(deductions)), 1)


def verdict(vetoed: bool, points: float) -> str:
    """19号: any 单项否决 ⇒ 不合格; otherwise < 60 points ⇒ 不合格."""
    if vetoed:
        return "不合格（单项否决）"
    return "合格" if points >= 60 else "不合格（得分低于60分）"
