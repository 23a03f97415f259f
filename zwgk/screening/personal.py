"""Personal information in text: ID numbers, phones, bank cards, e-mail, passports (issue #4).

Real documents write numbers with full-width digits and with spaces or hyphens inside, and put them
next to long numbers that are NOT personal data (统一社会信用代码, 索引号, 文号, 网站标识码, ICP and
公安备案号, dates, amounts, office phones published on purpose). So every candidate is validated
(GB 11643 check digit and birth date, Luhn, region prefix) and its context is checked before it is
reported. Offsets are in the original text: width folding is length-preserving.
"""

import datetime as dt
import re

import ahocorasick_rs

from zwgk.core.codes import is_valid_credit_code
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

# Labels in front of numbers that are published on purpose (spec §5.1, §7.4).
OFFICIAL_LABELS = re.compile(
    r"(统一社会信用代码|信用代码|索引号|文号|网站标识码|标识码|ICP备|ICP证|公网安备|备案号|邮编|邮政编码|注册号|"
    r"组织机构代码|纳税人识别号|项目编号|项目代码|合同编号|采购编号|招标编号|批准文号|许可证号|证书编号)[^\n]{0,6}$"
)
AMOUNT_AFTER = re.compile(r"^\s*(元|万元|亿元|美元|平方米|亩|吨|千瓦|人次|册|件)")


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
    digits = re.sub(r"[ \-]", "", value)
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


# Every character a match of the patterns above can hold (after width folding). A maximal run of them
# is scanned on its own — a match never crosses a character outside the set, and the lookarounds see one
# outside as they would see the end of the text — and only runs holding a candidate are scanned at all.
_NUMBERISH = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ._%+-@()（）")
# A candidate, found on an ASCII projection of the text (every other character → "?", same offsets, digits
# → "0", "-" → " "): every pattern's match holds seven digits with at most one separator between them, or "@".
_KEY_DROP = {ord(ch): None for ch in " -()（）+"}
_PROJECT = bytes.maketrans(b"123456789-", b"000000000 ")
_CANDIDATES = ahocorasick_rs.BytesAhoCorasick(
    [
        p.encode()
        for p in sorted({"0" + "".join(" " * (mask >> i & 1) + "0" for i in range(6)) for mask in range(64)})
    ]
    + [b"@"]
)


def _runs(text: str):
    """(start, end) of the runs of _NUMBERISH characters that hold a candidate."""
    projection = text.encode("ascii", "replace").translate(_PROJECT)
    end = -1
    for _, start, stop in _CANDIDATES.find_matches_as_indexes(projection):
        if start < end:
            continue
        end = stop
        while start > 0 and text[start - 1] in _NUMBERISH:
            start -= 1
        while end < len(text) and text[end] in _NUMBERISH:
            end += 1
        yield start, end


def find_personal(original: str, whitelist: frozenset = frozenset(), wide: bool | None = None):
    """Yield (kind, start, end, value) for personal information in `original`.

    `wide`: whether the text holds full-width digits, letters or number punctuation (scanner.WIDE_PERSONAL),
    if the caller already knows; the text is width-folded only then.
    """
    if wide is None:
        from zwgk.text.scanner import _WIDE_PERSONAL_RE

        wide = _WIDE_PERSONAL_RE.search(original) is not None
    if wide:
        text = fold_width(original)
    else:  # the only other character folding changes for these patterns: the ideographic space
        text = original.replace("\u3000", " ") if "\u3000" in original else original
    runs = list(_runs(text))
    if not runs:
        return
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    def emit(kind, a, b):
        value = original[a:b]
        key = fold_width(value).translate(_KEY_DROP).lower()
        if key in whitelist or value.lower() in whitelist:
            return None
        taken.append((a, b))
        return kind, a, b, value

    for run_start, run_end in runs:
        for m in NUMBER_RUN.finditer(text, run_start, run_end):
            a, b = m.span(1)
            digits = m.group(1).replace(" ", "").replace("-", "")
            if _context_is_official(text, a, b):
                continue
            is_id = len(digits) in (15, 18) and is_id_number(digits)
            if not is_id and is_valid_credit_code(digits.upper()):
                continue
            if is_id:
                if hit := emit("id_card", a, b):
                    yield hit
            elif is_bank_card(digits) and not has_id_structure(digits) and free(a, b):
                if hit := emit("bank_card", a, b):
                    yield hit
    for run_start, run_end in runs:
        for kind, pattern in (("mobile", MOBILE), ("landline", LANDLINE)):
            for m in pattern.finditer(text, run_start, run_end):
                a, b = m.span(0)
                if free(a, b) and not _context_is_official(text, a, b):
                    if hit := emit(kind, a, b):
                        yield hit
    for run_start, run_end in runs:
        for m in EMAIL.finditer(text, run_start, run_end):
            a, b = m.span(0)
            if free(a, b):
                if hit := emit("email", a, b):
                    yield hit
    for run_start, run_end in runs:
        for m in PASSPORT.finditer(text, run_start, run_end):
            a, b = m.span(0)
            if free(a, b) and not _context_is_official(text, a, b):
                if hit := emit("passport", a, b):
                    yield hit
