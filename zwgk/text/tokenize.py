"""Tokenisation for Chinese search: normalisation, then CJK character bigrams (recall) and whole
ASCII words (tech-eval §4: bigrams queried as a phrase found 100 % of documents at every length).

`index_terms(text)` and `query_terms(query)` must produce the same tokens for the same characters,
so a query matches exactly the documents that contain it (as a substring of the normalised text).
"""

import re

from .normalize import fold_width, normalize_document_number, to_simplified

_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def normalise_for_search(text: str) -> str:
    """Width folded, simplified, lower-cased, 文号 in the standard 〔YYYY〕 form."""
    return normalize_document_number(to_simplified(fold_width(text or ""))).lower()


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
    return " ".join(token for token, _ in _tokens(normalise_for_search(text)))


def query_terms(query: str) -> list[tuple[str, bool]]:
    """Tokens of a query: [(token, single_cjk)]. A lone CJK character cannot be matched through bigrams
    except as a prefix of the bigram it starts; the caller falls back to a substring scan when needed."""
    return _tokens(normalise_for_search(query))
