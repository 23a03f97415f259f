"""Statutory rules of 主动公开 as plain functions (no requests, no ORM writes)."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError

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


def format_index_number(credit_code: str, year: int, seq: int, pattern: str | None = None) -> str:
    """索引号 from the configurable pattern (spec §7.4; default {统一社会信用代码}/{YYYY}-{NNNNN})."""
    pattern = pattern or settings.ZWGK_INDEX_NUMBER_PATTERN
    return pattern.format(credit_code=credit_code, year=year, seq=seq)


def publication_deadline(written: dt.date) -> dt.date:
    """条例 Art. 26: publish within 20 working days of the day the information was formed."""
    return add_working_days(written, settings.ZWGK_PUBLICATION_DAYS)


def is_late_publication(written: dt.date | None, published: dt.date | None) -> bool:
    """True if an item went public after its Art. 26 deadline (成文日期 + 20 working days)."""
    if not written or not published:
        return False
    if isinstance(published, dt.datetime):
        published = published.date()
    return published > publication_deadline(written)


def interpretation_due(published: dt.date) -> dt.date:
    """Interpretation due at the latest N working days after its document (spec §6.2, default 3)."""
    return add_working_days(published, settings.ZWGK_INTERPRETATION_DAYS)


def needs_interpretation_flag(published: dt.date | None, has_interpretation: bool, today: dt.date) -> bool:
    """A 行政规范性文件 goes on the 待解读 list once `interpretation_due` has passed without one."""
    if has_interpretation or not published:
        return False
    if isinstance(published, dt.datetime):
        published = published.date()
    return today > interpretation_due(published)


# 有效 → 已修订 / 已废止 / 失效 (spec §7.3). Revised and repealed documents need the document that
# caused the change; expiry (有效期届满) does not.
ALLOWED_TRANSITIONS = {
    Validity.VALID: {Validity.REVISED, Validity.REPEALED, Validity.EXPIRED},
    Validity.EXPIRED: {Validity.VALID},  # renewed after 评估 (spec §7.3: re-registered)
}
NEEDS_CAUSE = {Validity.REVISED, Validity.REPEALED}


def check_transition(old: str, new: str, has_cause: bool) -> None:
    if new not in ALLOWED_TRANSITIONS.get(old, set()):
        raise ValidationError(
            "文件有效性不能从“%(old)s”变更为“%(new)s”。",
            params={"old": Validity(old).label, "new": Validity(new).label},
        )
    if new in NEEDS_CAUSE and not has_cause:
        raise ValidationError("变更为“%(new)s”须关联引起变更的文件。", params={"new": Validity(new).label})
