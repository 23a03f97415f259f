"""Publishing drives the index: publish → queued indexing; unpublish/delete → removed at once."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from zwgk.core.tasks import enqueue_after_commit
from zwgk.disclosure.models import ITEM_TYPES

from .indexing import index_page_task, remove_page


def _is_item(instance) -> bool:
    return isinstance(instance, ITEM_TYPES)


@receiver(page_published)
def queue_indexing(sender, instance, **kwargs):
    if _is_item(instance):
        enqueue_after_commit(index_page_task, instance.pk)


@receiver(page_unpublished)
def drop_unpublished(sender, instance, **kwargs):
    remove_page(instance.pk)


@receiver(pre_delete)
def drop_deleted(sender, instance, **kwargs):
    if _is_item(instance):
        remove_page(instance.pk)
