"""Multi-pattern scanning for Chinese text with positions in the ORIGINAL text.

Matching is defined on a normalised copy: every character width-folded, traditional → simplified and
lower-cased (character by character, so `賭博`, `ＡＢＣ` match `赌博`, `abc`), and spacing and punctuation
("fillers") removed, so `赌 博`, `赌-博` and `網‧絡‧賭‧博` match too. `NormalisedText.span()` maps a match
back to the original offsets. Engine: ahocorasick-rs, LeftmostLongest (tech-eval §5: 88–187 MB/s).

Building that copy costs several times the automaton pass itself, and almost no text needs it. A match
in the copy is a match in the raw text unless (1) a character of the text normalises to a term character
without being one (`賭`, `Ａ`), or (2) a run of fillers stands between two characters whose normalised forms
are adjacent in some term (`赌，博`). `_scan.plain` (compiled: it reads every character) checks both against
per-code-point tables built with the lexicon; when neither holds, the raw text's matches are the result,
else the text takes the normalised path. Both give the same findings (tests/screening/test_scanner.py
compares them).
"""

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from . import _scan
from .normalize import fold_width, to_simplified

_TABLE_SIZE = 0x30000  # BMP + SMP + SIP (CJK extension B…): characters above are left as they are
# The per-code-point classes of `_scan.plain`: normalises to a filler / to a term character without being
# one / to a term character.
_FILLER, _VARIANT, _TERM = 1, 2, 4


def _is_filler(ch: str) -> bool:
    """Characters people insert between the characters of a banned word: spaces and punctuation."""
    if ch.isspace():
        return True
    category = unicodedata.category(ch)
    return category[0] in ("P", "S", "Z") or category == "Cf"


# Fillers of the Basic Multilingual Plane (removed from the normalised copy).
FILLERS = frozenset(chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF and _is_filler(chr(cp)))
_FILLER_CLASS = "".join(re.escape(ch) for ch in sorted(FILLERS))
_KEEP = re.compile(f"[^{_FILLER_CLASS}]+")


@lru_cache(maxsize=1)
def _char_table() -> str:
    """Per-character normalisation as a str.translate table: width fold, OpenCC t2s of the character alone,
    lower case — each only when it yields exactly one character (so offsets are kept), applied until stable."""
    chars = "".join(chr(cp) for cp in range(_TABLE_SIZE))
    folded = fold_width(chars)
    text_cps = [cp for cp in range(_TABLE_SIZE) if not 0xD800 <= cp <= 0xDFFF]
    parts = to_simplified("\n".join(folded[cp] for cp in text_cps)).split("\n")
    out = list(chars)
    if len(parts) != len(text_cps):  # OpenCC joined across a newline: character by character instead
        parts = [to_simplified(folded[cp]) for cp in text_cps]
    for cp, simplified in zip(text_cps, parts, strict=True):
        ch = simplified if len(simplified) == 1 else folded[cp]
        lowered = ch.lower()
        out[cp] = lowered if len(lowered) == 1 else ch
    for _ in range(3):  # idempotent: a normalised character normalises to itself
        changed = False
        for cp in text_cps:
            target = ord(out[cp])
            if target < _TABLE_SIZE and out[target] != out[cp]:
                out[cp] = out[target]
                changed = True
        if not changed:
            break
    return "".join(out)


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """normalised character → the characters that normalise to it (other than itself)."""
    table = _char_table()
    inverse: dict[str, list[str]] = {}
    for cp, target in enumerate(table):
        if target != chr(cp) and not 0xD800 <= cp <= 0xDFFF:
            inverse.setdefault(target, []).append(chr(cp))
    return {k: "".join(v) for k, v in inverse.items()}


@lru_cache(maxsize=1)
def _filler_classes() -> bytes:
    """_FILLER for every code point that normalises to a filler (the part of the tables shared by all)."""
    return bytes(_FILLER if target in FILLERS else 0 for target in _char_table())


@dataclass(frozen=True)
class NormalisedText:
    text: str  # the normalised characters, fillers removed
    offsets: memoryview  # offsets[i] = index in the original text of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise_for_matching(original: str) -> NormalisedText:
    """Width-folded, simplified, lower-cased, fillers removed — with an offset map to `original`.

    That is `original.translate(_char_table())` without the characters of FILLERS, done in one compiled
    pass (a 50,000-word lexicon sends most texts down this path; tests/screening/test_scanner.py checks it
    against the translate-and-regex definition)."""
    text, offsets = _scan.normalise(original, _filler_classes(), _char_table())
    return NormalisedText(text, memoryview(offsets).cast("I"))


def normalise_term(term: str) -> str:
    return "".join(_KEEP.findall(term.translate(_char_table())))


class Lexicon:
    """A compiled set of terms → payloads; `scan(text)` gives [(start, end, payload)] in original offsets.

    `entries` is a dict, or a list of dicts ("groups", e.g. sensitive words and expression rules): within a
    group the first term to normalise to a key wins; a key in several groups yields one payload per group.
    """

    def __init__(self, entries):
        groups = entries if isinstance(entries, list) else [entries]
        self._payloads: dict[str, list] = {}
        for group in groups:
            seen: set[str] = set()
            for term, payload in group.items():
                key = normalise_term(term)
                if key and key not in seen:
                    seen.add(key)
                    self._payloads.setdefault(key, []).append(payload)
        self._keys = list(self._payloads)
        self._values = [self._payloads[k] for k in self._keys]
        self._matcher = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self._keys
            else None
        )
        self._build_prefilter()

    def __len__(self):
        return len(self._keys)

    def _build_prefilter(self):
        """The tables of `_scan.plain` (see the module docstring), as `self.tables`."""
        classes = bytearray(_filler_classes())
        variants = _variants()
        for ch in set("".join(self._keys)):  # a term character normalises to itself
            if ord(ch) < _TABLE_SIZE:
                classes[ord(ch)] |= _TERM
            for variant in variants.get(ch, ""):
                classes[ord(variant)] |= _TERM | _VARIANT
        pairs = sorted({ord(k[i]) << 32 | ord(k[i + 1]) for k in self._keys for i in range(len(k) - 1)})
        self.tables = (bytes(classes), _char_table(), array("Q", pairs).tobytes())

    def scan(self, original: str, plain: bool | None = None) -> list:
        """[(start, end, payload)] in original offsets. `plain`: `_scan.plain(original, *self.tables)`, if
        the caller has it already (`_scan.screen` computes it in the same pass as the other detectors)."""
        if self._matcher is None or not original:
            return []
        if plain is None:
            plain = _scan.plain(original, *self.tables)
        if plain:
            values = self._values
            return [
                (start, end, payload)
                for index, start, end in self._matcher.find_matches_as_indexes(original)
                for payload in values[index]
            ]
        return list(self._find_normalised(original))

    def _find_normalised(self, original: str):
        normalised = normalise_for_matching(original)
        for index, start, end in self._matcher.find_matches_as_indexes(normalised.text):
            a, b = normalised.span(start, end)
            for payload in self._values[index]:
                yield a, b, payload
