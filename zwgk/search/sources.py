"""What the index holds besides the items' pages, filled in by the apps that own it.

Search sits below the apps whose content it indexes (screening imports search, interaction imports
screening): it cannot import them, so they register here.

- **Sources**: public things that are not pages and get an index entry of their own, as a type of
  their own (互动交流: the answered messages whose writer chose 公开, registered by zwgk.interaction).
  A source says which of its objects are public and gives their public text; it calls
  `indexing.index_object` / `remove_object` when one is published or withdrawn.
- **Attachment texts**: the text of a document's file (registered by zwgk.screening, which reads it in
  the background), folded into the entry of every live item that uses the document.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str  # SearchEntry.source
    label: str  # the entry's type, shown and filtered by (互动交流)
    code: str  # the type's filter token letter (`_t<code>`): not a, p, i
    number: int  # 0–3: its ids' share of the sort key (indexing.object_key)
    # (id, publication datetime) of every public object: what `zwgk reindex` indexes.
    public: Callable[[], Iterable[tuple[int, object]]]
    # The public ones among these ids, each a dict: id, url, title, organisation_id, published (an
    # aware datetime), document_number, original (the public text as written: title, a line break,
    # the body; the index normalises it and result snippets show it).
    rows: Callable[[list[int]], list[dict]]


_SOURCES: dict[str, Source] = {}
_ATTACHMENT_TEXTS: list[Callable[[list[int]], dict[int, str]]] = []


def register(source: Source) -> None:
    _SOURCES[source.name] = source


def registered() -> list[Source]:
    return list(_SOURCES.values())


def get(name: str) -> Source | None:
    return _SOURCES.get(name)


def register_attachment_texts(texts: Callable[[list[int]], dict[int, str]]) -> None:
    """`texts(document_ids)` → {document id: the text read from its file}; documents without text
    (not read yet, unreadable) are left out. Pages of a PDF are separated by a form feed (\\f)."""
    _ATTACHMENT_TEXTS[:] = [texts]


def attachment_texts(document_ids: list[int]) -> dict[int, str]:
    if not _ATTACHMENT_TEXTS or not document_ids:
        return {}
    return _ATTACHMENT_TEXTS[0](list(document_ids))
