"""Thresholds of the 19号 indicators and the probers' knobs, each a `ZWGK_MONITOR_*` / `ZWGK_LINKCHECK_*` setting.

Defaults are 国办秘函〔2019〕19号's numbers (spec §5.2); the 扣分 points are [M] in the spec and therefore
settings too. Each value is read from Django settings first (tests override them there), then from the
environment, then the default; docs/monitoring.md lists them with their source.
"""

import os

from django.conf import settings

DEFAULTS = {
    # 站点无法访问 (19号: ≥ 20 visits a day for a week, 15 s timeout, veto at ≥ 5 % failures)
    "ZWGK_MONITOR_PROBE_TIMEOUT": 15.0,
    "ZWGK_MONITOR_PROBE_SAMPLE": 5,
    "ZWGK_MONITOR_UNREACHABLE_PERCENT": 5.0,
    "ZWGK_MONITOR_UNREACHABLE_WINDOW_DAYS": 7,
    # 首页不更新 (2 weeks) and 栏目不更新 by column type (动态要闻 2 weeks, 通知公告/政策文件 6 months, others 1 year)
    "ZWGK_MONITOR_HOME_STALE_DAYS": 14,
    "ZWGK_MONITOR_NEWS_STALE_DAYS": 14,
    "ZWGK_MONITOR_NOTICE_STALE_DAYS": 183,
    "ZWGK_MONITOR_OTHER_STALE_DAYS": 365,
    "ZWGK_MONITOR_STALE_COLUMNS": 5,
    "ZWGK_MONITOR_LONG_STALE_COLUMNS": 10,
    "ZWGK_MONITOR_BLANK_COLUMNS": 5,
    # 互动回应差: a valid message unanswered for more than 3 months
    "ZWGK_MONITOR_UNANSWERED_DAYS": 90,
    # 政务新媒体: no update for 2 weeks; an offered 互动 with no reply for 3 months
    "ZWGK_MONITOR_NEWMEDIA_STALE_DAYS": 14,
    "ZWGK_MONITOR_NEWMEDIA_INTERACTION_DAYS": 90,
    # 扣分 points [M] (2017 普查 values where known): per occurrence, capped per indicator
    "ZWGK_MONITOR_POINTS_HOME_DEAD_LINK": 1.0,
    "ZWGK_MONITOR_POINTS_DEAD_LINK": 0.1,
    "ZWGK_MONITOR_CAP_DEAD_LINKS": 10.0,
    "ZWGK_MONITOR_POINTS_POLICY_STALE": 5.0,
    "ZWGK_MONITOR_POINTS_MISSING_INTERPRETATION": 1.0,
    "ZWGK_MONITOR_CAP_MISSING_INTERPRETATION": 10.0,
    "ZWGK_MONITOR_POINTS_NO_ERROR_REPORT": 2.0,
    "ZWGK_MONITOR_POINTS_NO_IPV6": 3.0,
    # 互动交流 扣分 [M] (19号 扣分指标 互动交流·政务咨询: 答复时限, 办结; points unverified, spec §11.5), over the
    # messages received within the year before the check (19号's window) whose reply was due by today
    "ZWGK_MONITOR_INTERACTION_WINDOW_DAYS": 365,
    "ZWGK_MONITOR_POINTS_LATE_REPLY": 0.5,
    "ZWGK_MONITOR_CAP_LATE_REPLY": 5.0,
    "ZWGK_MONITOR_INTERACTION_MIN_COMPLETION": 90.0,
    "ZWGK_MONITOR_POINTS_LOW_COMPLETION": 3.0,
    "ZWGK_MONITOR_INTERACTION_AVG_REPLY_DAYS": 10,
    "ZWGK_MONITOR_POINTS_SLOW_REPLY": 2.0,
    # 办事/互动 statistics not refreshed [M]: columns whose title names them, updated at least quarterly
    "ZWGK_MONITOR_SERVICE_STATS_COLUMNS": "办件统计,办件公示,办事统计,办件数据,政务服务数据",
    "ZWGK_MONITOR_INTERACTION_STATS_COLUMNS": "留言统计,留言办理情况,咨询统计,互动数据,信件统计",
    "ZWGK_MONITOR_STATS_STALE_DAYS": 92,
    "ZWGK_MONITOR_POINTS_STATS_STALE": 2.0,
    # 政务新媒体 扣分 [M] (19号 新媒体 扣分指标: 更新频率, 互动回应, 账号管理; 国办发〔2018〕123号 开设备案)
    "ZWGK_MONITOR_NEWMEDIA_MIN_POSTS": 4,
    "ZWGK_MONITOR_NEWMEDIA_POSTS_WINDOW_DAYS": 30,
    "ZWGK_MONITOR_POINTS_NEWMEDIA_FEW_POSTS": 5.0,
    "ZWGK_MONITOR_NEWMEDIA_REPLY_DAYS": 30,
    "ZWGK_MONITOR_POINTS_NEWMEDIA_SLOW_REPLY": 5.0,
    "ZWGK_MONITOR_POINTS_NEWMEDIA_REGISTER": 2.0,
    # IPv6: whether the sites must answer over IPv6 (the prober records whether they do)
    "ZWGK_MONITOR_IPV6_REQUIRED": True,
    # Early warning at these fractions of each threshold
    "ZWGK_MONITOR_WARN_LEVELS": "0.5,0.8",
    # Link checker: concurrency overall and per host, timeout, user agent, recheck period
    "ZWGK_LINKCHECK_CONCURRENCY": 100,
    "ZWGK_LINKCHECK_PER_HOST": 8,
    "ZWGK_LINKCHECK_TIMEOUT": 15.0,
    "ZWGK_LINKCHECK_USER_AGENT": "zwgk-linkcheck/1.0 (+government site link check)",
}


def get(name: str):
    """The setting `name`: Django settings, then the environment (cast to the default's type), then the default."""
    default = DEFAULTS[name]
    if hasattr(settings, name):
        return getattr(settings, name)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def warn_levels() -> tuple[float, float]:
    """(0.5, 0.8) by default: the 50 % and 80 % early-warning fractions (spec §12)."""
    low, high = (float(x) for x in str(get("ZWGK_MONITOR_WARN_LEVELS")).split(","))
    return low, high
