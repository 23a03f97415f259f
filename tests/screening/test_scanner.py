"""The fast paths of screening give exactly what the plain definitions give (issue #4, performance).

- `Lexicon.scan` matches the raw text with triggers and only normalises when a trigger says it could
  matter: compared with always matching the normalised copy.
- `find_personal` runs its regexes only on runs of number characters around a candidate: compared with
  running them over the whole width-folded text.
"""

import random
import re

import opencc
import pytest

from zwgk.core.codes import is_valid_credit_code
from zwgk.screening import personal, starter
from zwgk.screening.personal import id_check_digit
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
    assert lexicon._fast is not None
    for text in texts(seed):
        assert lexicon.scan(text)[0] == list(lexicon._find_normalised(text)), text
    assert lexicon.scan("网络赌博")[0] == [(0, 4, ("word", "网络赌博"))]
    assert lexicon.scan("網 絡-赌博")[0] == [(0, 6, ("word", "网络赌博"))]


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
