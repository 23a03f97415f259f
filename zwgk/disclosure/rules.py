"""Statutory rules of 主动公开 as plain functions (no requests, no ORM writes)."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from zwgk.core.workdays import add_working_days

from .vocab import Validity

# GB/T 9704-2012 文号: 机关代字 + 〔年份〕 + 序号 + 号, six-sided brackets, no leading zero (spec §7.3).
DOCUMENT_NUMBER_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z]+〔(\d{4})〕([1-9]\d*)号$")


def validate_document_number(value: str) -> None:
    """文号 must read like 国办发〔2017〕47号 (spec §7.3); empty means 无文号."""
    if not value:
        return
    if DOCUMENT_NUMBER_RE.match(value):
        return
    if re.search(r"[\[\]【】（）()]", value):
        raise ValidationError("文号的年份应使用六角括号〔〕，如：龙政办〔2024〕3号。")
    if re.search(r"〔\d{4}〕0\d*号$", value):
        raise ValidationError("文号的序号不编虚位（不加前导0），如：龙政办〔2024〕3号。")
    if "第" in value:
        raise ValidationError("文号的序号前不加“第”字，如：龙政办〔2024〕3号。")
    raise ValidationError("文号格式应为“发文机关代字〔年份〕序号号”，如：龙政办〔2024〕3号。")


def validate_registration_number(value: str) -> None:
    """登记号 / 统一登记编号 of a 规范性文件 (spec §7.3: provinces that register them use their own pattern,
    e.g. 沪府规〔2024〕3号): checked against ZWGK_REGISTRATION_NUMBER_PATTERN (a regular expression; empty:
    any text) [M]."""
    pattern = settings.ZWGK_REGISTRATION_NUMBER_PATTERN
    if value and pattern and not re.fullmatch(pattern, value):
        example = settings.ZWGK_REGISTRATION_NUMBER_EXAMPLE
        raise ValidationError(
            "登记号格式不符合本省规定" + (f"，如：{example}" if example else "") + "。",
        )


def format_index_number(credit_code: str, year: int, seq: int, pattern: str | None = None) -> str:
    """索引号 from the configurable pattern (spec §7.4; default {统一社会信用代码}/{YYYY}-{NNNNN})."""
    pattern = pattern or settings.ZWGK_INDEX_NUMBER_PATTERN
    return pattern.format(credit_code=credit_code, year=year, seq=seq)


def publication_deadline(written: dt.date) -> dt.date:
    """条例 Art. 26: publish within 20 working days of the day the information was formed."""
    return add_working_days(written, settings.ZWGK_PUBLICATION_DAYS)


def _local_date(value: dt.date) -> dt.date:
    """A publication time's day where the portal is (Asia/Shanghai): the database returns times in UTC,
    and an item published at 07:00 in Beijing was published on the previous day in UTC."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def is_late_publication(written: dt.date | None, published: dt.date | None) -> bool:
    """True if an item went public after its Art. 26 deadline (成文日期 + 20 working days)."""
    if not written or not published:
        return False
    published = _local_date(published)
    return published > publication_deadline(written)


def interpretation_due(published: dt.date) -> dt.date:
    """Interpretation due at the latest N working days after its document (spec §6.2, default 3)."""
    return add_working_days(published, settings.ZWGK_INTERPRETATION_DAYS)


def needs_interpretation_flag(published: dt.date | None, has_interpretation: bool, today: dt.date) -> bool:
    """A 行政规范性文件 goes on the 待解读 list once `interpretation_due` has passed without one."""
    if has_interpretation or not published:
        return False
    published = _local_date(published)
    return today > interpretation_due(published)


# 有效 → 已修订 / 已废止 / 失效 (spec §7.3). Revised and repealed documents need the document that
# caused the change; expiry (有效期届满) does not.
ALLOWED_TRANSITIONS = {
    Validity.VALID: {Validity.REVISED, Validity.REPEALED, Validity.EXPIRED},
    Validity.EXPIRED: {Validity.VALID},  # renewed after 评估 (spec §7.3: re-registered)
}
NEEDS_CAUSE = {Validity.REVISED, Validity.REPEALED}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months: the same day of the month, or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def review_months() -> int:
    return settings.ZWGK_POLICY_REVIEW_MONTHS


def review_opens_on(expiry: dt.date, months: int | None = None) -> dt.date:
    """The day a document's 有效期评估 falls due: `months` before 有效期至 (spec §7.3, the 山东 rule: evaluate
    six months before expiry; ZWGK_POLICY_REVIEW_MONTHS [M])."""
    return add_months(expiry, -(review_months() if months is None else months))


def lapses_on(expiry: dt.date) -> dt.date:
    """A document is in force through its 有效期至 and 失效 from the next day (spec §7.3: 自动失效)."""
    return expiry + dt.timedelta(days=1)


def check_transition(old: str, new: str, has_cause: bool) -> None:
    if new not in ALLOWED_TRANSITIONS.get(old, set()):
        raise ValidationError(
            "文件有效性不能从“%(old)s”变更为“%(new)s”。",
            params={"old": Validity(old).label, "new": Validity(new).label},
        )
    if new in NEEDS_CAUSE and not has_cause:
        raise ValidationError("变更为“%(new)s”须关联引起变更的文件。", params={"new": Validity(new).label})


def in_force_on(changes, expiry_date: dt.date | None, day: dt.date) -> bool:
    """Was a document in force (现行有效) on `day`? 年报表二 counts them on 31 December (spec §2.2, §7.3).

    `changes`: its lifecycle as (changed_on, new_validity) pairs. The last change on or before `day`
    decides (修订, 废止, 失效 end it; a renewal after lapsing, 失效 → 有效, brings it back). A document
    past its 有效期至 is not in force even before the daily task has recorded its lapse (spec §7.3:
    expired without renewal ⇒ 自动失效); a renewal moves 有效期至 on.
    """
    last = None
    for changed_on, new_validity in sorted(changes, key=lambda change: change[0]):
        if changed_on <= day:
            last = new_validity
    if last is not None and last != Validity.VALID:
        return False
    return not (expiry_date is not None and expiry_date < day)
