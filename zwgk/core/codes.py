"""Identifier rules for organisations: 统一社会信用代码 (GB 32100-2015) and 网站标识码 (spec §5.1).

Pure functions, no Django models, so that screening (which must NOT flag these numbers as personal
data) and the validators share one definition.
"""

import re

from django.core.exceptions import ValidationError

# GB 32100-2015: 31 characters, the digits and the capital letters without I, O, Z, S, V.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

SITE_CODE_RE = re.compile(r"^(?:\d{10}|bm\d{8})$")


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 computed from the first 17 (GB 32100-2015 §4.2)."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """18 characters from the GB 32100 charset, 区划码 digits in places 3–8, correct check character."""
    if not isinstance(code, str) or not CREDIT_CODE_RE.match(code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def validate_credit_code(code: str) -> None:
    if len(code or "") != 18:
        raise ValidationError("统一社会信用代码应为18位，当前为%(n)d位。", params={"n": len(code or "")})
    if not CREDIT_CODE_RE.match(code):
        raise ValidationError(
            "统一社会信用代码含有不允许的字符（只能是数字和除I、O、Z、S、V以外的大写字母）。"
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError("统一社会信用代码校验位错误：第18位应为“%(c)s”。", params={"c": expected})


def validate_site_code(code: str) -> None:
    """网站标识码: 10 digits (6-digit 行政区划代码 + 4-digit sequence) or `bm` + 8 digits (spec §5.1)."""
    if code and not SITE_CODE_RE.match(code):
        raise ValidationError("网站标识码应为10位数字（地方网站）或bm加8位数字（国务院部门网站）。")
