"""Multi-pattern scanning for Chinese text with positions in the ORIGINAL text.

Matching runs on a normalised copy: full/half width folded, traditional → simplified, lower-cased,
and with spacing and punctuation removed, so `赌 博`, `賭博`, `赌-博` and `ＡＢＣ` all match their
lexicon entries. `NormalisedText.span()` maps a match back to the original offsets.
Engine: ahocorasick-rs, LeftmostLongest (measured in ../shared/reference/tech-eval.md: 88–187 MB/s).
"""

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from .normalize import fold_width, to_simplified


@lru_cache(maxsize=65536)
def _simplify_char(ch: str) -> str:
    out = to_simplified(ch)
    return out if len(out) == 1 else ch


def _is_filler(ch: str) -> bool:
    """Characters people insert between the characters of a banned word: spaces and punctuation."""
    if ch.isspace():
        return True
    category = unicodedata.category(ch)
    return category[0] in ("P", "S", "Z") or category == "Cf"


# Runs of non-filler characters of the Basic Multilingual Plane, as one compiled character class.
_FILLERS = "".join(
    re.escape(chr(cp)) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF and _is_filler(chr(cp))
)
_KEEP = re.compile(f"[^{_FILLERS}]+")


@dataclass(frozen=True)
class NormalisedText:
    text: str  # the normalised characters, fillers removed
    offsets: array  # offsets[i] = index in the original text of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise_for_matching(original: str) -> NormalisedText:
    """Width-folded, simplified, lower-cased, fillers removed — with an offset map to `original`.

    Whole-string conversions run in C (str.translate, OpenCC, str.lower); they are used only when they
    keep the length, otherwise the character-by-character path keeps offsets exact.
    """
    folded = fold_width(original)
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):
        simplified = "".join(_simplify_char(ch) for ch in folded)
    lowered = simplified.lower()
    if len(lowered) != len(simplified):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in simplified)
    parts: list[str] = []
    offsets = array("I")
    for m in _KEEP.finditer(lowered):
        parts.append(m.group())
        offsets.extend(range(*m.span()))
    return NormalisedText("".join(parts), offsets)


def normalise_term(term: str) -> str:
    return normalise_for_matching(term).text


class Lexicon:
    """A compiled set of terms → payloads; `find(text)` yields (start, end, payload) in original offsets."""

    def __init__(self, entries: dict[str, object]):
        self._payloads: dict[str, object] = {}
        for term, payload in entries.items():
            key = normalise_term(term)
            if key:
                self._payloads.setdefault(key, payload)
        self._keys = list(self._payloads)
        self._matcher = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self._keys
            else None
        )

    def __len__(self):
        return len(self._keys)

    def find(self, original: str, normalised: NormalisedText | None = None):
        if self._matcher is None or not original:
            return
        normalised = normalised or normalise_for_matching(original)
        for index, start, end in self._matcher.find_matches_as_indexes(normalised.text):
            a, b = normalised.span(start, end)
            yield a, b, self._payloads[self._keys[index]]
