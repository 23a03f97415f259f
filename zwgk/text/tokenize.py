"""Tokenisation for Chinese search: normalisation, then CJK character bigrams (recall) and whole
ASCII words (tech-eval §4: bigrams queried as a phrase found 100 % of documents at every length).

`index_terms(text)` and `query_terms(query)` must produce the same tokens for the same characters,
so a query matches exactly the documents that contain it (as a substring of the normalised text).
"""

import re
from itertools import chain
from operator import add

from .normalize import fold_width, normalize_document_number, to_simplified

_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
# Characters no 文号 spelling contains (after width folding): a 文号 never spans one of them.
_CLAUSE_END = re.compile(r"([。、,;:!?])")


def normalise_for_search(text: str) -> str:
    """Width folded, simplified, lower-cased, 文号 in the standard 〔YYYY〕 form."""
    return document_numbers(to_simplified(fold_width(text or ""))).lower()


def document_numbers(text: str) -> str:
    """`normalize_document_number(text)`, clause by clause: its pattern backtracks over every long
    run of CJK text (~1 ms for a page), while a 文号 lies inside one clause and ends in 号, so only
    the clauses holding a 号 are rewritten. The output is the same (tests/search checks it)."""
    text = fold_width(text)
    if "号" not in text:
        return text
    return "".join(
        normalize_document_number(part) if "号" in part else part for part in _CLAUSE_END.split(text)
    )


def _tokens(normalised: str):
    """[(token, is_single_cjk)] in text order."""
    out = []
    for m in _RUNS.finditer(normalised):
        run = m.group()
        if run[0].isascii():
            out.append((run, False))
        elif len(run) == 1:
            out.append((run, True))
        else:
            out.extend((run[i : i + 2], False) for i in range(len(run) - 1))
    return out


def index_terms(text: str) -> str:
    """Space-separated tokens to index for `text`."""
    return normalised_terms(normalise_for_search(text))


# Between two CJK runs (on SQLite): FTS5 numbers tokens without gaps, so the bigrams of `全省政 政府`
# (省政, then 政府) made a phrase match for 省政府 across the space. The query tokenizer never yields `_`.
RUN_BOUNDARY = "_"


def normalised_terms(normalised: str, boundaries: bool = False) -> str:
    """`index_terms` of text that `normalise_for_search` has already produced (indexing normalises
    once, for the stored text and its tokens). `boundaries`: RUN_BOUNDARY between two CJK runs."""
    return " ".join(chain.from_iterable(_run_tokens(normalised, boundaries)))


def distinct_terms(normalised: str) -> set[str]:
    """The distinct tokens of `normalised_terms`, for an index that needs neither their order nor how
    often they occur (PostgreSQL's GIN containment)."""
    return set(chain.from_iterable(_run_tokens(normalised)))


def _run_tokens(normalised: str, boundaries: bool = False):
    """The index tokens of each CJK or ASCII run in text order, a run's at a time (an iterable each):
    a CJK run's character bigrams, or the run itself (an ASCII word, a lone CJK character)."""
    previous_cjk = False
    for run in _RUNS.findall(normalised):
        cjk = not run[0].isascii()
        if cjk and previous_cjk and boundaries:
            yield (RUN_BOUNDARY,)
        previous_cjk = cjk
        yield map(add, run[:-1], run[1:]) if cjk and len(run) > 1 else (run,)


def query_terms(query: str) -> list[tuple[str, bool]]:
    """Tokens of a query: [(token, single_cjk)]. A lone CJK character cannot be matched through bigrams
    except as a prefix of the bigram it starts; the caller falls back to a substring scan when needed."""
    return _tokens(normalise_for_search(query))
