"""Multi-pattern scanning for Chinese text with positions in the ORIGINAL text.

Matching is defined on a normalised copy: every character width-folded, traditional → simplified and
lower-cased (character by character, so `賭博`, `ＡＢＣ` match `赌博`, `abc`), and spacing and punctuation
("fillers") removed, so `赌 博`, `赌-博` and `網‧絡‧賭‧博` match too. `NormalisedText.span()` maps a match
back to the original offsets. Engine: ahocorasick-rs, LeftmostLongest (tech-eval §5: 88–187 MB/s).

Building that copy costs several times the automaton pass itself, and almost no text needs it: so a
`Lexicon` first runs ONE pass over the raw text with an automaton that also holds "triggers": every
character that normalises to a character of some term (`賭`, `Ａ`), every rare filler, every common filler
between two characters adjacent in some term (`赌，博`), and every pair of common fillers (the characters
around such a run are then compared in Python, as they are after a term followed by a filler). When no
trigger fires, no match can differ between the raw text and its normalised copy, and the raw matches are
the result; otherwise the text takes the normalised path. Both give the same findings
(tests/screening/test_scanner.py compares them). A lexicon too large for the trigger budget (more than a
few hundred terms) always takes the normalised path.
"""

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from .normalize import fold_width, to_simplified

_TABLE_SIZE = 0x30000  # BMP + SMP + SIP (CJK extension B…): characters above are left as they are


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
_DROP = re.compile(f"[{_FILLER_CLASS}]+")

# Fillers in the order of how common they are in Chinese government text: the first ones get two-character
# triggers (filler + next character); the rest are rare enough to send a text down the normalised path.
_COMMON_FILLERS = (
    "，。、 \n；：“”（）《》\t—…！？·‘’【】〔〕「」『』\u3000-/.,:;()[]_\"'!?%+*#&@~|<>=\\^`{}$"
    "\r－．／％＋＿＠＂＇＃＆＊；：！？［］｛｝～｜＜＞＝＼＾｀＄〈〉〖〗〃※★☆●○■□◆◇▲△→←↑↓√×÷°±≤≥℃‰•′″"
)

# Characters personal-information detection cares about in their full-width form (digits, letters and the
# ASCII punctuation of numbers and addresses): a text holding one is width-folded before those regexes run.
WIDE_PERSONAL = frozenset(
    [chr(cp) for cp in range(0xFF10, 0xFF1A)]
    + [chr(cp) for cp in range(0xFF21, 0xFF3B)]
    + [chr(cp) for cp in range(0xFF41, 0xFF5B)]
    + list("＠＋－．／％＿")
)
_WIDE_PERSONAL_RE = re.compile("[" + "".join(sorted(WIDE_PERSONAL)) + "]")

# Flags of automaton patterns: take the normalised path; full-width personal characters; a run of fillers.
_SLOW, _WIDE, _RUN = 1, 2, 4

# Budget of trigger patterns (bigrams × common fillers): beyond it (a few thousand terms), every text takes
# the normalised path.
TRIGGER_BUDGET = 300_000
DFA_PATTERNS = 100_000


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


def normalise_char(ch: str) -> str:
    cp = ord(ch)
    return _char_table()[cp] if cp < _TABLE_SIZE else ch


@dataclass(frozen=True)
class NormalisedText:
    text: str  # the normalised characters, fillers removed
    offsets: array  # offsets[i] = index in the original text of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise_for_matching(original: str) -> NormalisedText:
    """Width-folded, simplified, lower-cased, fillers removed — with an offset map to `original`."""
    lowered = original.translate(_char_table())
    parts: list[str] = []
    offsets = array("I")
    for m in _KEEP.finditer(lowered):
        parts.append(m.group())
        offsets.extend(range(*m.span()))
    return NormalisedText("".join(parts), offsets)


def normalise_term(term: str) -> str:
    return "".join(_KEEP.findall(term.translate(_char_table())))


class Lexicon:
    """A compiled set of terms → payloads; `find(text)` yields (start, end, payload) in original offsets.

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
        """The raw-text automaton: terms + triggers (see the module docstring)."""
        self._fast = None
        if not self._keys:
            return
        keys = self._keys
        term_chars = set("".join(keys))
        bigrams = {k[i : i + 2] for k in keys for i in range(len(k) - 1)}
        self._bigrams = frozenset(bigrams)
        common = [f for f in dict.fromkeys(_COMMON_FILLERS) if f in FILLERS]
        # len(bigrams) * n + n * n patterns for the n most common fillers, within the budget
        if len(common) * (len(bigrams) + len(common)) > TRIGGER_BUDGET:
            return  # a large lexicon: every text would trigger anyway; always the normalised path
        patterns: dict[str, tuple[int, int]] = {}  # pattern → (term index or -1, flags)

        def add(pattern, index, flags):
            if any(ch in WIDE_PERSONAL for ch in pattern):
                flags |= _WIDE
            old_index, old_flags = patterns.get(pattern, (-1, 0))
            patterns[pattern] = (max(index, old_index), flags | old_flags)

        variants = _variants()
        for ch in FILLERS.difference(common):  # a rare filler: the normalised path
            add(ch, -1, _SLOW)
        for ch in term_chars:  # a character that normalises to a term character: the normalised path
            for variant in variants.get(ch, ""):
                add(variant, -1, _SLOW)
        for ch in WIDE_PERSONAL:
            add(ch, -1, 0)
        for f in common:
            for pair in bigrams:  # a filler between two characters adjacent in a term
                add(pair[0] + f + pair[1], -1, _SLOW)
            for g in common:  # a run of fillers: checked in Python
                add(f + g, -1, _RUN)
        for index, key in enumerate(keys):
            add(key, index, 0)
        self._fast_patterns = list(patterns)
        self._fast_tags = [patterns[p] for p in self._fast_patterns]
        # A DFA is 4× faster than the default NFA here; its memory grows with the patterns (about 65 MB
        # for the starter lexicon's 41,000), so only up to DFA_PATTERNS; beyond, the NFA (still one pass).
        self._fast = ahocorasick_rs.AhoCorasick(
            self._fast_patterns,
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA if len(patterns) <= DFA_PATTERNS else None,
        )

    def _joins(self, text: str, start: int, end: int) -> bool:
        """Could a term continue across the fillers around text[start:end] (fillers, or a term's last
        characters followed by fillers)? Compares the characters either side of the run of fillers."""
        while start > 0 and text[start - 1] in FILLERS:
            start -= 1
        while end < len(text) and text[end] in FILLERS:
            end += 1
        if start == 0 or end >= len(text):
            return False
        return normalise_char(text[start - 1]) + normalise_char(text[end]) in self._bigrams

    def scan(self, original: str) -> tuple[list, bool]:
        """([(start, end, payload)], whether `original` holds a full-width digit/letter of WIDE_PERSONAL)."""
        if self._matcher is None or not original:
            return [], bool(original) and _WIDE_PERSONAL_RE.search(original) is not None
        if self._fast is None:
            return list(self._find_normalised(original)), _WIDE_PERSONAL_RE.search(original) is not None
        hits = []
        flags = 0
        tags, values = self._fast_tags, self._values
        for pattern, start, end in self._fast.find_matches_as_indexes(original):
            index, pattern_flags = tags[pattern]
            flags |= pattern_flags
            if index >= 0:
                hits.extend((start, end, payload) for payload in values[index])
                if end < len(original) and original[end] in FILLERS and self._joins(original, end, end):
                    flags |= _SLOW
            elif pattern_flags & _RUN and not flags & _SLOW and self._joins(original, start, end):
                flags |= _SLOW
        if flags & _SLOW:
            hits = list(self._find_normalised(original))
        return hits, bool(flags & _WIDE)

    def _find_normalised(self, original: str):
        # The offset map is built only for a text that has a match.
        if not self._matcher.find_matches_as_indexes(_DROP.sub("", original.translate(_char_table()))):
            return
        normalised = normalise_for_matching(original)
        for index, start, end in self._matcher.find_matches_as_indexes(normalised.text):
            a, b = normalised.span(start, end)
            for payload in self._values[index]:
                yield a, b, payload

    def find(self, original: str, normalised: NormalisedText | None = None):
        if self._matcher is None or not original:
            return
        if normalised is None:
            yield from self.scan(original)[0]
            return
        for index, start, end in self._matcher.find_matches_as_indexes(normalised.text):
            a, b = normalised.span(start, end)
            for payload in self._values[index]:
                yield a, b, payload
