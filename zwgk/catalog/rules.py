"""The rules of the 标准目录's coverage: 公开时限 and 应公开未公开.

A 标准目录 item is 已公开 when content bound to it is live and its newest content went public within the
item's 公开时限; 超期 when that newest content went public after the time limit (or, for an item with an
update cycle, is older than the cycle); 未公开 when nothing is bound or nothing bound is live.
(国办发〔2019〕54号; 条例 Art. 26; spec §4.3: 应公开未公开 = catalogue entries with no item in the
expected period.)
"""

import datetime as dt
import re

from zwgk.core.workdays import add_working_days

PUBLISHED, OVERDUE, MISSING = "published", "overdue", "missing"
STATUS_LABELS = {PUBLISHED: "已公开", OVERDUE: "超期", MISSING: "未公开"}
DEFAULT_DEADLINE_DAYS = 20  # 条例 Art. 26

_WORKING_DAYS = re.compile(r"(\d+)\s*个工作日")
_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "二十": 20,
}
_CN_WORKING_DAYS = re.compile(r"(?<![一二三四五六七八九十])(二十|十|[一二三四五六七八九])\s*个工作日")


def deadline_working_days(time_limit: str) -> int:
    """Working days the 公开时限 allows from the day the information is formed or changed.

    “信息形成或者变更之日起20个工作日内” → 20, “7个工作日” → 7; a text without a number of working
    days (“及时公开”) falls back to 条例 Art. 26: 20 working days from formation.
    """
    match = _WORKING_DAYS.search(time_limit or "")
    if match:
        return int(match.group(1))
    match = _CN_WORKING_DAYS.search(time_limit or "")
    if match:
        return _CN_DIGITS[match.group(1)]
    return DEFAULT_DEADLINE_DAYS


def publication_due(formed: dt.date, days: int) -> dt.date:
    """The last day content formed on `formed` may go public (条例 Art. 26 working-day count)."""
    return add_working_days(formed, days)


def item_status(
    latest_published: dt.date | None,
    latest_formed: dt.date | None,
    deadline_days: int,
    today: dt.date,
    update_cycle_days: int | None = None,
    due: dt.date | None = None,
) -> tuple[str, str]:
    """(status, reason in Chinese) of one 标准目录 item from its newest bound content.

    - no content → 未公开 (应公开未公开);
    - newest content went public later than its 公开时限 after its 成文日期 → 超期;
    - an update cycle is set and the newest content is older than it → 超期 (内容未按周期更新);
    - otherwise 已公开. Content without a 成文日期 is judged by its publication alone.
    """
    if latest_published is None:
        return MISSING, "未绑定栏目或绑定的栏目、类别中没有已发布的信息"
    if latest_formed is not None and latest_published > (
        due or publication_due(latest_formed, deadline_days)
    ):
        return OVERDUE, f"最新信息晚于公开时限（成文后{deadline_days}个工作日）发布"
    if update_cycle_days and (today - latest_published).days > update_cycle_days:
        return OVERDUE, f"最新信息已超过更新周期（{update_cycle_days}天）未更新"
    return PUBLISHED, ""


def percentage(published: int, total: int) -> float:
    """Share of adopted items 已公开, to one decimal (0 for a catalogue without items)."""
    return round(100.0 * published / total, 1) if total else 0.0
