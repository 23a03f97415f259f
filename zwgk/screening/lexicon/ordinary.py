"""Ordinary words that hold a lexicon entry or a spam word: a hit inside one of them is no hit.

"国产精品牌" (国产 + 精品牌, domestic premium brands) holds the entry 国产精品 (色情, a porn-site tag) and the
spam detector's strong word of the same spelling. These words are terms of the engine's one automaton
(engine.Rules), which reports the leftmost-longest match: where an ordinary word starts with, or before,
an entry it contains, the ordinary word is the match, and scan_text drops it. The spam detector's own
pattern tries them first for the same reason (spam._CUE). An entry written on its own ("国产精品_…") is
still found; so is one after the ordinary word ("国产精品牌毛片").

Add a word here when the false-positive bench (bench/screening_fp.py) or a site's 误报 shows an ordinary
word that contains an entry; keep the entry itself when it is a real tag elsewhere.
"""

ORDINARY_WORDS = (
    "国产精品牌",  # 国产精品 (色情)
    "国产精品种",  # 国产精品 (色情): 国产精品种猪, 国产精品种子
    "亚洲精品牌",  # 亚洲精品 (spam word)
)
ORDINARY = "ordinary"  # the payload's tag in the engine's lexicon


def ordinary_terms() -> dict:
    """The ordinary words as a group of the engine's lexicon (payload: ("ordinary",))."""
    return {word: (ORDINARY,) for word in ORDINARY_WORDS}
