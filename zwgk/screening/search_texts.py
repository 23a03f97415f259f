"""Attachments' text for the search index: search sits below screening and cannot ask for it, so
screening registers it (`zwgk.search.sources`). The text is the one stored for each document's file
(`DocumentText`, read once by the background task); a text stored or dropped re-indexes the live pages
that use the document. The originals kept after masking (the private collection) are never given."""

from django.db.models.signals import post_delete, post_save, pre_delete

from zwgk.core.storage import PRIVATE_COLLECTION
from zwgk.search import sources
from zwgk.search.indexing import pages_using, reindex_pages, reindex_pages_using

from .models import DocumentText


def texts(document_ids: list[int]) -> dict[int, str]:
    """{document id: its file's text} for the documents read without error (the newest reading wins)."""
    rows = (
        DocumentText.objects.filter(document_id__in=document_ids, error="")
        .exclude(document__collection__name=PRIVATE_COLLECTION)
        .order_by("document_id", "extracted_at")
        .values_list("document_id", "text")
    )
    return {document_id: text for document_id, text in rows if text}


def _text_stored(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_pages_using([instance.document_id])


def _text_dropping(sender, instance, **kwargs):
    # The pages are found before the delete: a document deleted with its text loses its uses too.
    instance._zwgk_pages = pages_using([instance.document_id])


def _text_dropped(sender, instance, **kwargs):
    reindex_pages(getattr(instance, "_zwgk_pages", ()))


def connect():
    sources.register_attachment_texts(texts)
    post_save.connect(_text_stored, sender=DocumentText, dispatch_uid="zwgk_search_attachment_text")
    pre_delete.connect(_text_dropping, sender=DocumentText, dispatch_uid="zwgk_search_attachment_dropping")
    post_delete.connect(_text_dropped, sender=DocumentText, dispatch_uid="zwgk_search_attachment_dropped")
