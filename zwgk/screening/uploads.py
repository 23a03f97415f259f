"""Screening after upload: a document or an image uploaded (or given a new file) is read in the
background (the tasks `services.screen_document` and `services.screen_image`), and the pages using it
are re-screened with what it holds.

Screening listens for the uploads (`watch_file_changes`, connected in the app's `ready`); disclosure,
which owns documents and images, knows nothing of it. Screening also answers two questions disclosure
asks without importing it: the upload limits (`zwgk.core.uploads`, checked by every upload form) and
the screening of a draft that code saved for a live page (hook `zwgk_after_revision_saved`: replacing a
live attachment).
"""

from django.db.models.signals import post_save, pre_save
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from zwgk.core import uploads
from zwgk.core.tasks import enqueue_after_commit

from .extract import FileOverLimit, check_limits
from .services import screen_document, screen_image, screen_page


def _remember_file(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    instance._zwgk_file_changed = old != instance.file.name


def watch_file_changes(model, screen) -> None:
    """Queue the task `screen` (after the commit) for every new `model` object and every new file of one."""

    def file_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
        if raw or (update_fields and "file" not in update_fields):
            return
        if created or getattr(instance, "_zwgk_file_changed", False):
            enqueue_after_commit(screen, instance.pk)

    label = model._meta.label_lower
    pre_save.connect(_remember_file, sender=model, dispatch_uid=f"zwgk_file_before_save:{label}")
    # weak=False: the receiver is a closure, nothing else holds it.
    post_save.connect(file_saved, sender=model, weak=False, dispatch_uid=f"zwgk_screen_after_save:{label}")


def upload_refusal(name: str, data: bytes) -> str:
    """The upload limits (`extract.check_limits`) as a `zwgk.core.uploads` check."""
    try:
        check_limits(name, data)
    except FileOverLimit as error:
        return str(error)
    return ""


@hooks.register("zwgk_after_revision_saved")
def screen_saved_revision(revision):
    """A draft that code saved for a live page (a replaced attachment): screen it before its 三审."""
    screen_page(revision.as_object())


def connect() -> None:
    watch_file_changes(get_document_model(), screen_document)
    watch_file_changes(get_image_model(), screen_image)
    uploads.register_check(upload_refusal)
