"""scan_text: every detector over one text, with lexicons loaded from the back office (cached)."""

import functools
import gc
import operator
import threading
import time

from django.db import DatabaseError

from zwgk.text import _scan
from zwgk.text.normalize import fold_width
from zwgk.text.scanner import Lexicon

from . import expressions, marks, personal, spam, starter
from .findings import BLOCK, WARN, Finding
from .lexicon import starter_entries
from .lexicon.ordinary import ORDINARY, ordinary_terms
from .models import ExpressionRule, SensitiveWord, WhitelistEntry

# Default severity per personal-information kind (issue #4: 禁止 blocks, 提示 warns). Mobile numbers and
# landlines in notices are often contact numbers published on purpose: they warn; whitelist the office ones.
PERSONAL_SEVERITY = {
    "id_card": BLOCK,
    "bank_card": BLOCK,
    "passport": BLOCK,
    "mobile": WARN,
    "landline": WARN,
    "email": WARN,
}

_lock = threading.Lock()
_cache: dict = {"at": 0.0, "rules": None}
RULES_TTL = 60  # seconds; signals clear the cache at once in this process


# Lexicon categories whose words count as spam words for the injected-spam detector (spam.py).
SPAM_CATEGORIES = ("色情", "赌博")


class Rules:
    def __init__(self, words, expressions_, typos, whitelist, domains=None):
        # One automaton for sensitive words, expression/typo rules (a term in both reports both) and the
        # cues of the spam and 密级 detectors (spam.py, marks.py), so ordinary text costs no extra pass.
        self._groups = [
            {w: ("sensitive_word", c, s) for w, c, s in words},
            {w: ("expression", c, s, n) for w, c, s, n in expressions_}
            | {w: ("typo", c, s, "") for w, c, s in typos},
            ordinary_terms(),  # ordinary words holding an entry (国产精品牌): the longer match, dropped
        ]
        self.lexicon = Lexicon([*self._groups, spam.cue_terms() | marks.cue_terms()])
        self._words = None
        self.whitelist = frozenset(whitelist_key(v) for v in whitelist)
        # Link domains allowed in page HTML (spam.scan_html); loaded with the rules, so archive workers
        # never ask the database.
        self.domains = spam.configured_domains() if domains is None else frozenset(domains)
        # The lexicon's tables for `_scan.screen`, with the classes of the characters the personal-data and
        # expression detectors start from added to its per-code-point classes.
        classes, norm, pairs = self.lexicon.tables
        self.tables = (_scan.classes(classes, *expressions.HINT_CHARS), norm, pairs)

    @property
    def words(self) -> Lexicon:
        """The lexicon without the detectors' cues: a text where a cue matched is scanned again with it,
        so a cue overlapping a lexicon term never hides the term (built on first use; rare texts)."""
        if self._words is None:
            self._words = Lexicon(self._groups)
        return self._words


def whitelist_key(value: str) -> str:
    """How a whitelisted number or address is compared: width folded, lower case, separators dropped."""
    value = fold_width(value).strip().lower()
    return value if "@" in value else "".join(ch for ch in value if ch.isalnum())


def _load_rules() -> Rules:
    try:
        words = list(SensitiveWord.objects.filter(enabled=True).values_list("word", "category", "severity"))
        rules = list(
            ExpressionRule.objects.filter(enabled=True).values_list(
                "kind", "wrong", "correct", "severity", "note"
            )
        )
        whitelist = list(WhitelistEntry.objects.values_list("value", flat=True))
        exprs = [(w, c, s, n) for k, w, c, s, n in rules if k == "expression"]
        typos = [(w, c, s) for k, w, c, s, n in rules if k == "typo"]
        return Rules(words, exprs, typos, whitelist, spam.site_domains())
    except DatabaseError:  # not migrated yet (e.g. `zwgk screen` on a fresh checkout): built-in lists
        shipped = [(e.word, e.category, e.severity) for e in starter_entries()]
        return Rules(
            starter.SENSITIVE_WORDS + shipped,
            starter.EXPRESSIONS,
            [(w, c, WARN) for w, c in starter.TYPOS],
            [],
        )


def rules() -> Rules:
    # Without the lock while the cache is fresh (dict reads are atomic): scan_text calls this per text.
    loaded, at = _cache["rules"], _cache["at"]
    if loaded is not None and time.monotonic() - at <= RULES_TTL:
        return loaded
    with _lock:
        if _cache["rules"] is None or time.monotonic() - _cache["at"] > RULES_TTL:
            _cache["rules"] = _load_rules()
            _cache["at"] = time.monotonic()
        return _cache["rules"]


def hold_rules():
    """Keep the rules loaded now for the life of this process (archive workers: one scan, one lexicon,
    and no database access from the workers)."""
    with _lock:
        _cache["at"] = float("inf")
    # And out of the garbage collector's reach, with everything else loaded so far: a full collection
    # scans every tracked object, and screening allocates findings and lists fast enough to trigger them
    # (a quarter of the scan time in bench/screening.py).
    gc.freeze()


def clear_rules_cache():
    with _lock:
        _cache["rules"] = None


def scan_html(html: str, domains=None) -> list[Finding]:
    """Injected spam in page or body markup (spam.scan_html), links allowed in `domains` or else in the
    domains loaded with the rules (the sites' hosts and ZWGK_ALLOWED_LINK_DOMAINS)."""
    return spam.scan_html(html, rules().domains if domains is None else domains)


_position = operator.attrgetter("start", "end", "kind")
# Finding from a tuple of all its fields, without the named tuple's keyword-handling constructor (a third
# of the cost of a personal-data finding; the archive scan makes one for every number in every attachment).
_finding = functools.partial(tuple.__new__, Finding)


def scan_text(text: str) -> list[Finding]:
    """Every finding in `text` (kinds: id_card, mobile, landline, bank_card, email, passport,
    sensitive_word, spam, expression, typo, link), sorted by position. Injected spam (spam.py) is a 禁止
    spam finding ("疑似暗链/被植入内容"), 密级 marks (marks.py) 禁止 sensitive_word findings with the
    category "密级标识"; lexicon words inside a spam run are part of its one finding."""
    if not text:
        return []
    active = rules()
    found: list[Finding] = []
    # One compiled pass: whether the lexicon may match the raw text, which expression detectors could find
    # anything, and the personal information.
    plain, hints, doubled_at, numbers = _scan.screen(
        text, active.tables, expressions.HINT_ARGS, personal.context(text, active.whitelist)
    )
    for code, start, end in numbers:
        kind, value = personal.KINDS[code], text[start:end]
        found.append(
            _finding((kind, PERSONAL_SEVERITY[kind], start, end, value, personal.mask(kind, value), ""))
        )
    hits = active.lexicon.scan(text, plain)
    cues = [(start, end, payload[1]) for start, end, payload in hits if payload[0] == "cue"]
    if cues:  # rare: a spam word or a 密级 anchor; the lexicon's own terms from the lexicon alone
        hits = active.words.scan(text)
    words = []
    for start, end, payload in hits:
        if payload[0] == ORDINARY:
            continue
        if payload[0] == "sensitive_word":
            words.append(
                Finding("sensitive_word", payload[2], start, end, text[start:end], "删除或改写", payload[1])
            )
        else:
            kind, correct, severity, note = payload
            found.append(Finding(kind, severity, start, end, text[start:end], correct, note))
    strong = [(a, b) for a, b, tag in cues if tag == "spam"]
    spam_words = [(f.start, f.end) for f in words if f.category.startswith(SPAM_CATEGORIES)]
    if len(strong) + len(spam_words) >= spam.MIN_STRONG:
        runs = spam.text_findings(text, strong, spam_words)
        if runs:
            found += runs
            words = [w for w in words if not any(r.start <= w.start and w.end <= r.end for r in runs)]
    if cues and (anchors := [(a, b) for a, b, tag in cues if tag == "mark"]):
        found += marks.mark_findings(text, anchors)
    found += words
    if hints & expressions.REPEATED_HINT:
        for start, end, value, suggestion in expressions.repeated_characters(text, doubled_at):
            found.append(Finding("typo", WARN, start, end, value, suggestion, "重复字"))
    if hints & expressions.DOCNO_HINT:
        for start, end, value, suggestion in expressions.wrong_document_numbers(text):
            found.append(
                Finding("expression", WARN, start, end, value, suggestion, "文号括号应为六角括号〔〕")
            )
    if hints & expressions.BRACKETS_HINT:
        for start, end, value, suggestion in expressions.unbalanced_brackets(text):
            found.append(Finding("typo", WARN, start, end, value, suggestion, "括号或引号不配对"))
    if len(found) > 1:
        found.sort(key=_position)
    return found
