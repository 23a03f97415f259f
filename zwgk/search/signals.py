"""Publishing drives the index: publish → queued indexing; unpublish/delete → removed at once."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from zwgk.core.tasks import enqueue_after_commit

ITEM_MODELS = ("articlepage", "policydocumentpage", "interpretationpage")


def _is_item(instance) -> bool:
    return instance._meta.model_name in ITEM_MODELS


@receiver(page_published)
def queue_indexing(sender, instance, **kwargs):
    if _is_item(instance):
        from .indexing import index_page_task

        enqueue_after_commit(index_page_task, instance.pk)


@receiver(page_unpublished)
def drop_unpublished(sender, instance, **kwargs):
    from .indexing import remove_page

    remove_page(instance.pk)


@receiver(pre_delete)
def drop_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and _is_item(instance):
        from .indexing import remove_page

        remove_page(instance.pk)
