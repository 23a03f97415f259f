"""Normalisation of Chinese government text: one place for every CJK subtlety.

- `fold_width`: full-width ASCII (Ａ１２３，（）) → half-width, ideographic space → space. It maps
  character for character, so offsets in the folded text are offsets in the original (screening
  reports positions in the original text).
- `to_simplified`: traditional → simplified with OpenCC `t2s`.
- `normalize_document_number`: every spelling of a 文号 (`龙政办[2022]3号`, `龙政办（2022）3号`,
  `龙政办2022-3号`) → the GB/T 9704 form `龙政办〔2022〕3号`.
- `normalize`: what search and screening compare on: width folded, simplified, lower-cased.
- `clean_text`, `clean_line`: what a form field may store: no control characters (DOCX and PDF reject
  them), line breaks unified, a one-line field without any.
"""

import re
from functools import lru_cache

import opencc

_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20


_HAS_WIDE = re.compile("[\uff01-\uff5e\u3000]")


# C0 controls except tab and newline, DEL, C1 controls, lone surrogates and the XML non-characters:
# python-docx (XML 1.0) and reportlab reject them, so they never enter the database.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str | None) -> str:
    """Text safe for the database, DOCX and PDF: line breaks unified to "\\n", control characters removed."""
    if not value:
        return value or ""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", str(value)))


def clean_line(value: str | None) -> str:
    """A one-line field (name, address, number): clean text, line breaks become spaces, trimmed."""
    return clean_text(value).replace("\n", " ").replace("\t", " ").strip()


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
