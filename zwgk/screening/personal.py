"""Personal information in text: ID numbers, phones, bank cards, e-mail, passports (issue #4).

Real documents write numbers with full-width digits and with spaces or hyphens inside, and put them
next to long numbers that are NOT personal data (统一社会信用代码, 索引号, 文号, 网站标识码, ICP and
公安备案号, dates, amounts, office phones published on purpose). So every candidate is validated
(GB 11643 check digit and birth date, Luhn, region prefix) and its context is checked before it is
reported. Offsets are in the original text: width folding is length-preserving.

The patterns, validators and `_context_is_official` below are the specification. `find_personal` runs
their compiled implementation (zwgk/text/_scan.c), because it looks at every character of every
document; tests/screening/test_scanner.py checks the two against each other.
"""

import datetime as dt
import re
import time

from zwgk.text import _scan
from zwgk.text.normalize import fold_width

# GB/T 2260 province-level prefixes of 居民身份证 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证).
PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
    71,
    81,
    82,
    83,
}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# A number written in groups: digits with single spaces or hyphens between groups.
NUMBER_RUN = re.compile(r"(?<![0-9A-Za-z])(\d(?:[ \-]?\d){13,21}[0-9Xx]?)(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ \-]?)?(1[3-9]\d(?:[ \-]?\d){8})(?![0-9A-Za-z])")
LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:[(（]0\d{2,3}[)）]|0\d{2,3}[ \-])[ ]?[2-9]\d{2,3}[ \-]?\d{4}(?![0-9A-Za-z])"
)
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PASSPORT = re.compile(
    r"(?<![0-9A-Za-z])(?:E[A-HJ-NP-Z0-9]\d{7}|[EGDSP]\d{8}|[CWH]\d{8}|C[A-HJ-NP-Z]\d{7})(?![0-9A-Za-z])"
)

# Labels in front of numbers that are published on purpose (spec §5.1, §7.4), and units after amounts.
OFFICIAL_LABEL_WORDS = (
    "统一社会信用代码",
    "信用代码",
    "索引号",
    "文号",
    "网站标识码",
    "标识码",
    "ICP备",
    "ICP证",
    "公网安备",
    "备案号",
    "邮编",
    "邮政编码",
    "注册号",
    "组织机构代码",
    "纳税人识别号",
    "项目编号",
    "项目代码",
    "合同编号",
    "采购编号",
    "招标编号",
    "批准文号",
    "许可证号",
    "证书编号",
)
AMOUNT_UNITS = ("元", "万元", "亿元", "美元", "平方米", "亩", "吨", "千瓦", "人次", "册", "件")
OFFICIAL_LABELS = re.compile("(" + "|".join(OFFICIAL_LABEL_WORDS) + r")[^\n\f]{0,6}$")
AMOUNT_AFTER = re.compile(r"^\s*(" + "|".join(AMOUNT_UNITS) + ")")


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def is_id_number(digits: str) -> bool:
    """18-digit 居民身份证号码 (GB 11643): region prefix, real birth date, check digit; or an old 15-digit one."""
    if len(digits) == 18 and digits[:17].isdigit():
        return (
            int(digits[:2]) in PROVINCES
            and _valid_birth(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
            and id_check_digit(digits[:17]) == digits[17].upper()
        )
    if len(digits) == 15 and digits.isdigit():
        return int(digits[:2]) in PROVINCES and _valid_birth(
            1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
        )
    return False


def has_id_structure(digits: str) -> bool:
    """Region prefix and a real birth date in the right places: a mistyped ID, not a bank card."""
    return (
        len(digits) == 18
        and digits[:17].isdigit()
        and int(digits[:2]) in PROVINCES
        and _valid_birth(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    )


def id_in_reading(reading: str) -> str:
    """The one 18-digit ID number a misread run of digits holds ("" if none or several): the run itself,
    an 18-character window of a longer run (a table rule read as a digit next to it), or a 19-character
    run with one character dropped (a speck read as a digit). Used on OCR readings only (ocr.py), where
    the check digit and the birth date tell a real ID from a misreading."""
    reading = reading.upper()
    if len(reading) < 18:
        return ""
    candidates = {reading[i : i + 18] for i in range(len(reading) - 17)}
    if len(reading) == 19:
        candidates |= {reading[:i] + reading[i + 1 :] for i in range(19)}
    valid = {c for c in candidates if is_id_number(c)}
    return valid.pop() if len(valid) == 1 else ""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def is_bank_card(digits: str) -> bool:
    return 16 <= len(digits) <= 19 and digits.isdigit() and digits[0] in "3456" and luhn_ok(digits)


def mask(kind: str, value: str) -> str:
    """The official masking format: 138****1234, 35**************23, 6222********1234."""
    digits = value.replace(" ", "").replace("-", "")
    if kind == "id_card":
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    if kind == "mobile":
        core = digits[-11:]
        return core[:3] + "****" + core[-4:]
    if kind == "bank_card":
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    if kind == "email":
        name, _, domain = value.partition("@")
        return name[:1] + "***@" + domain
    if kind in ("passport", "landline"):
        return value[:3] + "*" * max(0, len(value) - 5) + value[-2:]
    return value


def _context_is_official(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 24) : start]
    if OFFICIAL_LABELS.search(before):
        return True
    after = text[end : end + 4]
    if after.startswith("/") or AMOUNT_AFTER.match(after):  # 索引号 "…/2024-00001"; amounts
        return True
    return False


KINDS = ("id_card", "bank_card", "mobile", "landline", "email", "passport")  # the codes of _scan.personal
_KEY_DROP = {ord(ch): None for ch in " -()（）+"}


def context(original: str, whitelist: frozenset) -> tuple:
    """The arguments of `_scan.personal` after the text (also the last argument of `_scan.screen`)."""

    def whitelisted(a, b):
        value = original[a:b]
        return fold_width(value).translate(_KEY_DROP).lower() in whitelist or value.lower() in whitelist

    return whitelisted if whitelist else None, OFFICIAL_LABEL_WORDS, AMOUNT_UNITS, _today()


_date: list = [0, 0.0]  # today as yyyymmdd, and until when (time.monotonic()) to believe it


def _today() -> int:
    """Today (local time) as yyyymmdd, for the birth-date check; read again every minute."""
    if time.monotonic() >= _date[1]:
        today = dt.date.today()
        _date[:] = [today.year * 10000 + today.month * 100 + today.day, time.monotonic() + 60]
    return _date[0]


def find_personal(original: str, whitelist: frozenset = frozenset()):
    """Yield (kind, start, end, value) for personal information in `original`.

    The patterns above, validated and checked in context as `_context_is_official` does, over the
    width-folded text: compiled (zwgk/text/_scan.c), because these loops look at every character of every
    document. tests/screening/test_scanner.py checks it against the regexes themselves.
    """
    for kind, a, b in _scan.personal(original, *context(original, whitelist)):
        yield KINDS[kind], a, b, original[a:b]
