"""Normalisation of Chinese government text: one place for every CJK subtlety.

- `fold_width`: full-width ASCII (Ａ１２３，（）) → half-width, ideographic space → space. It maps
  character for character, so offsets in the folded text are offsets in the original (screening
  reports positions in the original text).
- `to_simplified`: traditional → simplified with OpenCC `t2s`.
- `normalize_document_number`: every spelling of a 文号 (`龙政办[2022]3号`, `龙政办（2022）3号`,
  `龙政办2022-3号`) → the GB/T 9704 form `龙政办〔2022〕3号`.
- `normalize`: what search and screening compare on: width folded, simplified, lower-cased.
"""

import re
from functools import lru_cache

import opencc

_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20


_HAS_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def fold_width(text: str) -> str:
    """Full-width forms → ASCII, length-preserving."""
    # str.translate walks every character in Python-level dict lookups; most texts need nothing.
    return text.translate(_WIDTH_TABLE) if _HAS_WIDE.search(text) else text


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s)."""
    return _t2s().convert(text) if text else text


def normalize(text: str) -> str:
    """Width-folded, simplified, lower-cased text."""
    return to_simplified(fold_width(text)).lower()


_DOCNO_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5A-Za-z]+)\s*"
    r"(?:[〔\[【（(［]\s*(?P<y1>\d{4})\s*[〕\]】）)］]|(?P<y2>\d{4})\s*[-－—_]\s*)"
    r"\s*第?\s*0*(?P<seq>\d+)\s*号"
)


def normalize_document_number(text: str) -> str:
    """Rewrite every 文号 spelling in `text` to the standard 〔YYYY〕 form."""

    def repl(m):
        return f"{m['prefix']}〔{m['y1'] or m['y2']}〕{m['seq']}号"

    return _DOCNO_RE.sub(repl, fold_width(text))
