"""Screening after upload: a document or an image uploaded (or given a new file) is read in the
background, and the pages using it are re-screened with what it holds.

Screening listens for the uploads (`watch_file_changes`, connected in the app's `ready`); disclosure,
which owns documents and images, knows nothing of it. Screening also answers two questions disclosure
asks without importing it: the upload limits (`zwgk.core.uploads`, checked by every upload form) and
the screening of a draft that code saved for a live page (hook `zwgk_after_revision_saved`: replacing a
live attachment).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from django_tasks import task
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from zwgk.core import uploads
from zwgk.core.audit import record
from zwgk.core.tasks import enqueue_after_commit

from .engine import scan_text
from .extract import FileOverLimit, check_limits
from .models import DocumentText, PageFinding
from .services import (
    file_sha256,
    image_pending_note,
    latest_version,
    pending_note,
    screen_page,
    store_document_text,
    store_image_text,
)

DOCUMENT_SCREENED = "zwgk.document.screened"
IMAGE_SCREENED = "zwgk.image.screened"


def _waiting_pages(note: str) -> set[int]:
    """Pages with an open 附件待审查 finding carrying `note` (they wait for this very file)."""
    return set(
        PageFinding.objects.filter(
            kind="attachment_pending", status=PageFinding.Status.OPEN, suggestion=note
        ).values_list("page_id", flat=True)
    )


def _pages_referencing(obj) -> set[int]:
    """Pages (any revision's content in Wagtail's reference index) that use `obj`."""
    page_type = ContentType.objects.get_for_model(Page)
    refs = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    return {int(p) for p in refs.values_list("object_id", flat=True) if str(p).isdigit()}


def _rescreen(page_ids: set[int]) -> None:
    for page in Page.objects.filter(pk__in=page_ids).specific():
        screen_page(latest_version(page))


@task()
def screen_document(document_id: int):
    """Screen a document in the background: read its file once per content (within the upload limits)
    into `DocumentText`, then re-screen the latest version of every page that uses it or waits for it
    (附件待审查), so their findings list what the file holds and the wait no longer blocks 三审.

    Queued after an upload or a new file, and by a page save that meets an attachment not read yet.
    A second task for content already read only re-screens the pages still waiting (a page saved
    while the first task ran)."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        sha = file_sha256(document)
    except OSError as error:
        record(document, DOCUMENT_SCREENED, data={"error": f"文件无法打开：{error}"})
        return
    page_ids = _waiting_pages(pending_note(document.pk))
    if not DocumentText.objects.filter(document=document, sha256=sha).exists():
        row = store_document_text(document)
        if row is None:
            return
        if row.error:
            outcome = {"error": row.error, "over_limit": row.over_limit}
        else:
            findings = [f"{f.kind}:{f.text}" for f in scan_text(row.text)]
            outcome = {"findings": findings[:50], "count": len(findings)}
        record(document, DOCUMENT_SCREENED, data=outcome)
        pages = ReferenceIndex.get_references_to(document).values_list("object_id", flat=True)
        page_ids |= {int(p) for p in pages if str(p).isdigit()}
    _rescreen(page_ids)


@task()
def screen_image(image_id: int):
    """Read an image by OCR in the background (once per file content, into `ImageText`), record what it
    holds in the audit log, and re-screen the latest version of every page that shows it or waits for it."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    row = store_image_text(image)
    if row is None:
        record(image, IMAGE_SCREENED, data={"error": "文件无法打开"})
        return
    if row.error:
        outcome = {"error": row.error}
    else:
        findings = [f"{f.kind}:{f.text}" for f in scan_text(row.text)]
        outcome = {"findings": findings[:50], "count": len(findings), "problems": row.problems}
    record(image, IMAGE_SCREENED, data=outcome)
    _rescreen(_waiting_pages(image_pending_note(image.pk)) | _pages_referencing(image))


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
