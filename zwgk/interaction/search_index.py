"""互动交流 in the portal search: the answered messages published (公开) are a source of the search
index (`zwgk.search.sources`), a type of their own, with their masked public text only (the public
subject, question and reply computed when published), never what the citizen typed. Publishing and
withdrawing (services.publish_message / unpublish) save the message: the entry follows at once."""

import datetime as dt

from django.db.models.signals import post_save, pre_delete
from django.urls import reverse
from django.utils import timezone

from zwgk.search import sources
from zwgk.search.indexing import index_object, remove_object

from .models import Message
from .vocab import Status

NAME = "message"
LABEL = "互动交流"
# A save touching none of these leaves the entry as it is (a rating, a status before the reply).
PUBLIC_FIELDS = {"published", "published_on", "public_subject", "public_content", "public_reply", "status"}


def _public_messages():
    return Message.objects.filter(published=True, wants_public=True, status=Status.ANSWERED)


def _published(on) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on or timezone.localdate(), dt.time()))


def public():
    """(id, publication time) of every published message."""
    for pk, on in _public_messages().values_list("pk", "published_on").iterator(chunk_size=10_000):
        yield pk, _published(on)


def rows(ids: list[int]) -> list[dict]:
    """The published messages among `ids` as the index takes them: the masked texts only."""
    fields = (
        "pk",
        "number",
        "organisation_id",
        "published_on",
        "public_subject",
        "public_content",
        "public_reply",
    )
    found = []
    for pk, number, organisation_id, on, subject, content, reply in (
        _public_messages().filter(pk__in=ids).values_list(*fields)
    ):
        found.append(
            dict(
                id=pk,
                url=reverse("interaction:public_message", args=[number]),
                title=subject,
                organisation_id=organisation_id,
                published=_published(on),
                document_number=number,
                original=f"{subject}\n{content}\n{reply}",
            )
        )
    return found


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or (created and not instance.published):  # a new message is never public yet
        return
    if update_fields is not None and not PUBLIC_FIELDS & set(update_fields):
        return
    index_object(NAME, instance.pk)


def _deleted(sender, instance, **kwargs):
    remove_object(NAME, instance.pk)


def register():
    sources.register(sources.Source(name=NAME, label=LABEL, code="m", number=1, public=public, rows=rows))
    post_save.connect(_saved, sender=Message, dispatch_uid="zwgk_search_message")
    pre_delete.connect(_deleted, sender=Message, dispatch_uid="zwgk_search_message_deleted")
