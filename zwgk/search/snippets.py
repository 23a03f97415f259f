"""Result snippets in the text as it was written: the hit is found in the normalised text the index
compares on (folded width, simplified, lower case, 文号 in the 〔YYYY〕 form) and shown, highlighted, in
the item's own words (`ＡＢＣ`, `5G`, `龍溪` as the item spells them), never in the index's text.

A snippet is a list of (fragment, highlighted) pairs: the template escapes every fragment (Django's
autoescape, no safe filter) and wraps the highlighted ones in <mark>."""

import difflib

from wagtail.documents import get_document_model

from zwgk.text.normalize import fold_width, to_simplified
from zwgk.text.tokenize import normalise_for_search

from . import sources
from .indexing import live_attachments, load_items, original_text

WIDTH = 60
# The window around the spot where a 文号 rewrite moved the hit (normalised offsets ≈ original ones).
DOCNO_WINDOW = 300


def _aligned(original: str) -> str:
    """`original` width-folded, simplified and lower-cased character for character: the same length,
    so an offset in it is an offset in the original. (OpenCC converts a few phrases to a different
    length; then each character is converted alone.)"""
    folded = to_simplified(fold_width(original))
    if len(folded) != len(original):
        folded = "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in fold_width(original))
    lowered = folded.lower()
    if len(lowered) != len(folded):  # a character whose lower case is longer (İ)
        lowered = "".join(c if len(c := ch.lower()) == 1 else ch for ch in folded)
    return lowered


def _find(original: str, aligned: str, variant: str, start: int = 0) -> tuple[int, int] | None:
    """(start, end) of `variant` (normalised) in `original`, searching from `start`."""
    i = aligned.find(variant, start)
    if i >= 0:
        return i, i + len(variant)
    if "〔" not in variant:
        return None
    # A 文号 the index rewrote (龙政办[2022]3号 → 龙政办〔2022〕3号): find it in the normalised text
    # and map it back through the differences of a window around it.
    normalised = normalise_for_search(original)
    j = normalised.find(variant)
    if j < 0:
        return None
    lo = max(start, j - DOCNO_WINDOW)
    window = original[lo : j + len(variant) + DOCNO_WINDOW]
    target = normalise_for_search(window)
    k = target.find(variant)
    if k < 0:
        return None
    matcher = difflib.SequenceMatcher(None, _aligned(window), target, autojunk=False)
    begin = end = None
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if begin is None and b1 > k:
            begin = a0 if tag != "equal" else a0 + (k - b0)
        if b1 >= k + len(variant):
            end = a1 if tag != "equal" else a0 + (k + len(variant) - b0)
            break
    if begin is None or end is None:
        return None
    return lo + begin, lo + end


def snippet(original: str, variants: list[str], width: int = WIDTH) -> list[tuple[str, bool]]:
    """[(fragment, highlighted)] of `original` (title and metadata, a line break, the body: indexing.
    original_text) around the first hit of any variant, the body first; every occurrence in the
    window is highlighted. Without a hit: the body's start, nothing highlighted."""
    aligned = _aligned(original)
    body_start = original.find("\n") + 1
    variants = [v for v in variants if v]
    found = None
    for start in (body_start, 0):
        hits = [span for v in variants if (span := _find(original, aligned, v, start))]
        if hits:
            found = min(hits)
            break
    if found is None:
        text = original[body_start : body_start + width].strip()
        return [(text, False), ("…", False)] if len(original) > body_start + width else [(text, False)]
    first, last = found
    lo = max(body_start if first >= body_start else 0, first - width // 2)
    hi = min(len(original), lo + width + (last - first))
    spans = []
    position = lo
    while position < hi:
        later = [span for v in variants if (span := _find(original, aligned, v, position)) and span[1] <= hi]
        if not later:
            break
        span = min(later)
        spans.append(span)
        position = span[1]
    parts, at = [], lo
    for a, b in spans:
        if a > at:
            parts.append((original[at:a], False))
        parts.append((original[a:b], True))
        at = b
    if at < hi:
        parts.append((original[at:hi], False))
    if lo > (body_start if first >= body_start else 0):
        parts.insert(0, ("…", False))
    if hi < len(original):
        parts.append(("…", False))
    # One line: the metadata's line break (and the body's, an attachment's page break) read as a space.
    return [(" ".join(text.replace("\f", "\n").split("\n")), mark) for text, mark in parts if text]


# An attachment's text is aligned (`_aligned`) a chunk of about this many characters at a time, up to
# the chunk holding the first hit: a 500-page PDF holds a million characters.
ATTACHMENT_CHUNK = 20_000


def attachment_snippet(text: str, variants: list[str], width: int = WIDTH) -> tuple[list, int | None] | None:
    """(snippet, page number) of the first hit of any variant in an attachment's text, or None. The
    page is known where the text marks its pages (a PDF's, a Word file's page breaks: \f)."""
    variants = [v for v in variants if v]
    position = 0
    while position < len(text):
        end = text.find("\n", position + ATTACHMENT_CHUNK)  # chunks end at a line's end
        end = len(text) if end < 0 else end
        chunk = text[position:end]
        aligned = _aligned(chunk)
        spans = [span for v in variants if (span := _find(chunk, aligned, v))]
        if spans:
            start = min(spans)[0]
            page = text.count("\f", 0, position + start) + 1 if "\f" in text else None
            # The snippet stays on the hit's page.
            first, last = chunk.rfind("\f", 0, start) + 1, chunk.find("\f", start)
            return snippet("\n" + chunk[first : last if last >= 0 else len(chunk)], variants, width), page
        position = end
    return None


def _has_hit(parts) -> bool:
    return any(mark for _, mark in parts)


def attach_snippets(hits, variants: list[str]) -> None:
    """Give each hit (a SearchEntry) its `snippet` from its live item's own text: one read of the
    items (the index fields only, as `zwgk reindex` loads them), not one query per hit. An item
    whose own text does not hold the query was found in an attachment: its snippet comes from the
    first attachment that holds it, and `hit.attachment` says which ({"title", "page"}). A source's
    object (互动交流) gets its snippet from its public text."""
    on_pages = [hit for hit in hits if hit.page_id is not None]
    loaded = load_items([hit.page_id for hit in on_pages], types={hit.type for hit in on_pages})
    pages = {page.pk: page for page in loaded}
    originals = {}
    for source in sources.registered():
        ids = [hit.object_id for hit in hits if hit.source == source.name]
        if ids:
            originals.update({(source.name, row["id"]): row["original"] for row in source.rows(ids)})
    in_attachments = []
    for hit in hits:
        hit.attachment = None
        if hit.page_id is None:
            original = originals.get((hit.source, hit.object_id))
            hit.snippet = snippet(original, variants) if original else []
            continue
        page = pages.get(hit.page_id)
        hit.snippet = snippet(original_text(page), variants) if page is not None else []
        if page is not None and not _has_hit(hit.snippet):
            in_attachments.append(hit)
    if not in_attachments:
        return
    attachments = live_attachments([hit.page_id for hit in in_attachments])
    wanted = {document for found in attachments.values() for document, _ in found}
    titles = dict(get_document_model().objects.filter(pk__in=wanted).values_list("pk", "title"))
    for hit in in_attachments:
        for document_id, text in attachments.get(hit.page_id, ()):
            found = attachment_snippet(text, variants)
            if found is not None:
                hit.snippet, page = found
                hit.attachment = {"title": titles.get(document_id, ""), "page": page}
                break
