"""Query parameters read safely: a malformed or out-of-range value gives None and a Chinese message.

Every view that reads `request.GET` goes through these helpers, so a hostile value (``year=10000``,
``page=99999999999999999999``, a NUL byte, a 10,000-character string) never reaches the database: the
view shows its unfiltered page with the message instead of answering 500.
"""

import datetime as dt
import re

# A year a government document, report or statistic can belong to.
YEAR_MIN, YEAR_MAX = 1949, 2100
# Large enough for any page number or primary key of the portal, small enough for a 32-bit column.
ID_MAX = 2**31 - 1
TEXT_MAX = 200

_DIGITS = re.compile(r"[0-9]+")
_FULL_WIDTH_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0D: 0x2D, 0xFF0B: 0x2B}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _raw(params, name) -> str:
    """The last value of `name` (repeated keys: the last one wins, as QueryDict.get does)."""
    value = params.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _params(request_or_params):
    return getattr(request_or_params, "GET", request_or_params)


def text_param(request, name, max_length=TEXT_MAX, label=None) -> tuple[str, str]:
    """(text, message): control characters (NUL above all: PostgreSQL rejects it) make it ""."""
    raw = _raw(_params(request), name)
    if not raw:
        return "", ""
    if _CONTROL.search(raw) or len(raw) > max_length:
        return "", f"{label or name}参数无效，已忽略。"
    return raw, ""


def int_param(request, name, min_value, max_value, label=None) -> tuple[int | None, str]:
    """(value, message): an ASCII integer in [min_value, max_value], else (None, a Chinese message).

    A missing or empty parameter is (None, "") — no message, the view's default applies.
    """
    raw = _raw(_params(request), name)
    if not raw:
        return None, ""
    label = label or name
    raw = raw.translate(_FULL_WIDTH_DIGITS)  # １２ typed with a Chinese input method
    sign = -1 if raw.startswith("-") else 1
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not _DIGITS.fullmatch(digits):
        return None, f"{label}应为整数，已忽略“{_shown(raw)}”。"
    # (More than 18 digits is out of any range here; int() of thousands of digits is refused anyway.)
    value = sign * int(digits) if len(digits) <= 18 else sign * 10**18
    if not min_value <= value <= max_value:
        return None, f"{label}应在 {min_value} 至 {max_value} 之间，已忽略“{_shown(raw)}”。"
    return value, ""


def year_param(request, name="year", label="年度") -> tuple[int | None, str]:
    return int_param(request, name, YEAR_MIN, YEAR_MAX, label=label)


def date_param(request, name, label=None) -> tuple[dt.date | None, str]:
    """(date, message): an ISO date YYYY-MM-DD within YEAR_MIN..YEAR_MAX, else (None, a message)."""
    raw = _raw(_params(request), name)
    if not raw:
        return None, ""
    label = label or name
    try:
        value = dt.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        value = None
    if value is None:
        return None, f"{label}应为“年-月-日”格式的日期（如 2026-01-31），已忽略“{_shown(raw)}”。"
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        return None, f"{label}应在 {YEAR_MIN} 年至 {YEAR_MAX} 年之间，已忽略“{_shown(raw)}”。"
    return value, ""


def choice_param(request, name, choices, label=None) -> tuple[str, str]:
    """(value, message): one of `choices` (strings), else ("", a message)."""
    raw = _raw(_params(request), name)
    if not raw:
        return "", ""
    if raw in {str(c) for c in choices}:
        return raw, ""
    return "", f"{label or name}参数无效，已忽略。"


def _shown(raw: str) -> str:
    """The rejected value as it may be echoed back (autoescaped by the template): short, printable."""
    raw = _CONTROL.sub("", raw)
    return raw if len(raw) <= 20 else raw[:20] + "…"
