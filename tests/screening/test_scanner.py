"""The fast paths of screening give exactly what the plain definitions give (issue #4, performance).

The per-character loops are compiled (zwgk/text/_scan.c); the definitions they must agree with are the
Python ones:
- `Lexicon.scan` matches the raw text unless `_scan.plain` says normalising could matter: compared with
  always matching the normalised copy.
- `find_personal` implements the regexes of personal.py in C: compared with running those regexes over the
  whole width-folded text, on generated documents and on random soups of number characters.
- `_scan.screen` (all of it in one pass, as scan_text calls it) gives what the separate functions give, and
  its hints are set whenever the Python detectors find something.
"""

import random
import re

import opencc
import pytest

from zwgk.core.codes import is_valid_credit_code
from zwgk.screening import engine, expressions, personal, starter
from zwgk.screening.personal import id_check_digit
from zwgk.text import _scan
from zwgk.text.normalize import fold_width
from zwgk.text.scanner import Lexicon

S2T = opencc.OpenCC("s2t")
FILLERS = [
    " ",
    "-",
    "‧",
    "，",
    "。",
    "*",
    "　",
    "\n",
    "、",
    "·",
    "★",
    "／",
    "_",
    "…",
    "“",
    "”",
    "（",
    "）",
    "※",
]
WIDE = str.maketrans("0123456789Xx+-@.ABCEabce", "０１２３４５６７８９Ｘｘ＋－＠．ＡＢＣＥａｂｃｅ")
PROSE = [
    "龙溪县人民政府办公室关于印发",
    "全面推进政务公开工作",
    "的通知",
    "各乡镇人民政府、县直各单位",
    "现将有关事项通知如下",
]
TERMS = (
    [w for w, *_ in starter.SENSITIVE_WORDS]
    + [w for w, *_ in starter.EXPRESSIONS]
    + [w for w, _ in starter.TYPOS]
    + ["ABC刷单", "6合彩", "代开", "发票"]
)


def texts(seed, count=400):
    rng = random.Random(seed)

    def term():
        t = rng.choice(TERMS)
        mode = rng.random()
        if mode < 0.35:
            f = rng.choice(FILLERS) * rng.randint(1, 2)
            return f.join(t) if rng.random() < 0.5 else t[:1] + f + t[1:]
        if mode < 0.5:
            return S2T.convert(t)
        if mode < 0.6:
            return t.upper().translate(WIDE)
        return t

    def number():
        first17 = f"350102{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
        value = rng.choice(
            [
                first17 + id_check_digit(first17),
                f"1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}",
                "6222020200001234562",
                "(0797)6120001",
                "0797-6120001",
                "zhang.san@163.com",
                "E12345678",
                "11441700007280420Y",
                "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 22))),
            ]
        )
        style = rng.random()
        if style < 0.2:
            value = value.translate(WIDE)
        elif style < 0.4:
            sep, k = rng.choice([" ", "-", "　", "－"]), rng.choice([2, 3, 4, 6])
            value = sep.join(value[i : i + k] for i in range(0, len(value), k))
        before = rng.choice(["", "身份证", "电话", "索引号：", "ICP备", "ＩＣＰ备", "A", "+86 "])
        return before + value + rng.choice(["", "元", "/2024-00001", "号", "X", "。"])

    for _ in range(count):
        parts = [
            rng.choice([term, number, lambda: rng.choice(PROSE), lambda: rng.choice(FILLERS)])()
            for _ in range(rng.randint(1, 10))
        ]
        yield "".join(parts)


@pytest.mark.parametrize("seed", [1, 2])
def test_raw_text_matching_equals_normalised_matching(seed):
    lexicon = Lexicon([{t: ("word", t) for t in TERMS}, {"发票": ("typo", "发票")}])
    for text in texts(seed):
        assert lexicon.scan(text) == list(lexicon._find_normalised(text)), text
    assert lexicon.scan("网络赌博") == [(0, 4, ("word", "网络赌博"))]
    assert lexicon.scan("網 絡-赌博") == [(0, 6, ("word", "网络赌博"))]


def reference_personal(original, whitelist=frozenset()):
    """find_personal as first written: every pattern over the whole width-folded text."""
    text = fold_width(original)
    taken, out = [], []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    def emit(kind, a, b):
        value = original[a:b]
        key = re.sub(r"[ \-()（）+]", "", fold_width(value)).lower()
        if key in whitelist or value.lower() in whitelist:
            return
        taken.append((a, b))
        out.append((kind, a, b, value))

    for m in personal.NUMBER_RUN.finditer(text):
        a, b = m.span(1)
        digits = re.sub(r"[ \-]", "", m.group(1))
        if personal._context_is_official(text, a, b) or (
            is_valid_credit_code(digits.upper()) and not personal.is_id_number(digits)
        ):
            continue
        if len(digits) in (15, 18) and personal.is_id_number(digits):
            emit("id_card", a, b)
        elif personal.is_bank_card(digits) and not personal.has_id_structure(digits) and free(a, b):
            emit("bank_card", a, b)
    for kind, pattern in [
        ("mobile", personal.MOBILE),
        ("landline", personal.LANDLINE),
        ("email", personal.EMAIL),
        ("passport", personal.PASSPORT),
    ]:
        for m in pattern.finditer(text):
            a, b = m.span(0)
            if free(a, b) and (kind == "email" or not personal._context_is_official(text, a, b)):
                emit(kind, a, b)
    return sorted(out, key=lambda f: (f[1], f[0]))


@pytest.mark.parametrize("seed", [3, 4])
def test_personal_runs_equal_whole_text_regexes(seed):
    whitelist = frozenset({"07976120001"})
    for text in texts(seed):
        found = sorted(personal.find_personal(text, whitelist), key=lambda f: (f[1], f[0]))
        assert found == reference_personal(text, whitelist), text


SOUP = (
    list("0123456789" * 6)
    + list(" - ")
    + list("+@.()（）XxEGDSPCWH_%")
    + list("０１２３４５６７８９－＋＠．　")
    + ["\n", "元", "万元", "/", "号", "，", "张", "三"]
    + list(personal.OFFICIAL_LABEL_WORDS)
    + ["@163.com", ".cn", "-com", "86", "+86", "1380013", "0797", "(0797)", "350102199001011238"]
    + ["138", "1381234", "5678", "0797-", "6120001", "6222020200001234562", "13812345678", "1234"]
    + ["G1234567", "E1234567", "CA123456", "010-", "(010)", "0591 ", "8765432", "87654321", "876 5432"]
)


def soups(seed, count=3000):
    """Random strings of number characters, separators, labels and units: the regexes' edge cases."""
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(SOUP) for _ in range(rng.randint(1, 40)))


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_compiled_personal_equals_the_regexes_on_number_soup(seed):
    whitelist = frozenset({"07976120001", "zhang.san@163.com"})
    for text in soups(seed):
        found = sorted(personal.find_personal(text, whitelist), key=lambda f: (f[1], f[0]))
        assert found == reference_personal(text, whitelist), text


def test_screen_in_one_pass_equals_the_separate_functions():
    """What scan_text gets from `_scan.screen`: the same as `_scan.plain`, `_scan.personal` and the Python
    detectors (the hints are necessary conditions: set whenever a detector finds something)."""
    rules = engine.Rules(
        starter.SENSITIVE_WORDS, starter.EXPRESSIONS, [(w, c, "提示") for w, c in starter.TYPOS], []
    )
    context = personal.context("", frozenset())
    extra = [
        "实实在在的的",
        "的的的",
        "龙政办[2022]3号",
        "龙政办2022-03号",
        "第（2022）第5号",
        "（标题",
        "标题》",
        "\n《通知》\n",
        "“引号",
    ]
    rng = random.Random(8)
    samples = list(texts(9)) + list(soups(10, 500))
    samples += [
        "".join(rng.choice(extra + samples[:50]) for _ in range(rng.randint(1, 6))) for _ in range(500)
    ]
    for text in samples:
        plain, hints, doubled_at, numbers = _scan.screen(text, rules.tables, expressions.HINT_ARGS, context)
        assert plain == _scan.plain(text, *rules.lexicon.tables), text
        assert numbers == _scan.personal(text, *context), text
        repeated = list(expressions.repeated_characters(text))
        regex_starts = [m.start() for m in expressions.REPEATED.finditer(text)]
        assert (doubled_at or []) == regex_starts, text
        assert list(expressions.repeated_characters(text, doubled_at or [])) == repeated, text
        assert bool(hints & expressions.DOCNO_HINT) or not list(expressions.wrong_document_numbers(text)), (
            text
        )
        assert bool(hints & expressions.BRACKETS_HINT) == bool(list(expressions.unbalanced_brackets(text))), (
            text
        )
    assert (
        _scan.screen("龙政办[2022]3号", rules.tables, expressions.HINT_ARGS, context)[1]
        & expressions.DOCNO_HINT
    )


def test_compiled_normalisation_equals_translate_and_drop_fillers():
    """normalise_for_matching (compiled) = str.translate(_char_table()) without FILLERS, offset by offset."""
    from zwgk.text import scanner

    rng = random.Random(11)
    alphabet = FILLERS + list("赌博網絡ＡＢＣabcXYZ０１２") + ["𠀀", "𪚥", "\U00031350", "\ud800"] + PROSE
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        lowered = text.translate(scanner._char_table())
        kept = [(i, ch) for i, ch in enumerate(lowered) if ch not in scanner.FILLERS]
        normalised = scanner.normalise_for_matching(text)
        assert normalised.text == "".join(ch for _, ch in kept), text
        assert list(normalised.offsets) == [i for i, _ in kept], text
