"""Images (图片): when the public may see them, how an image a live page shows is replaced, and their
screening after upload — the image side of documents.py.

**Public serving.** Wagtail writes original images to `/media/original_images/` and renditions to
`/media/images/`; a web server serving `/media/` directly would hand out an image uploaded for a draft
(its name is the uploaded file's name) to anyone. Both folders go through `serve_image_file` instead:
the public gets an image only while a live page shows it (Wagtail's reference index of the live content,
brought up to date on every publish) or a site setting or snippet uses it (the portal's logo); staff whose
organ scope holds the image always get it; an original kept after masking (the private collection) never
goes out. With `ZWGK_MEDIA_ACCEL_REDIRECT` set, Django only decides and nginx sends the bytes
(X-Accel-Redirect to an internal location, docs/nginx-static.conf).

**Replacing a live image.** The back office's image edit view is ours (`image_edit_url`, with `ImageForm`):
a new file uploaded over an image that a live page shows does not touch that image: it becomes a new image, and every live page using the old one gets a draft revision pointing at
the new one, submitted to 三审 (`documents.replace_in_live_pages`); the old image stays online until 终审.

Upload checks and screening after upload are as for documents (documents.py): `zwgk.core.uploads` and
`zwgk.screening.uploads`.
"""

import mimetypes
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.urls import path
from wagtail import hooks
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.images.forms import BaseImageForm, get_image_form
from wagtail.images.models import Rendition
from wagtail.images.views.images import EditView
from wagtail.models import Page, ReferenceIndex
from wagtail.signals import page_published

from zwgk.core.storage import PRIVATE_COLLECTION

from .documents import ReplacingFileForm, may_see, replace_in_live_pages, replacement_message

REPLACE_ACTION = "zwgk.image.replace"
_EMBED = re.compile(r"""<embed\b[^>]*\bembedtype=["']image["'][^>]*>""")
_ID = re.compile(r"""\bid=["'](\d+)["']""")


# --- which images a page shows -------------------------------------------------------------------------
def image_ids(page) -> set[int]:
    """Images `page` (a specific page object, any revision's content) shows: foreign keys to Image and
    images embedded in rich text."""
    Image = get_image_model()
    ids: set[int] = set()
    for field in page._meta.get_fields():
        if isinstance(field, RichTextField):
            for tag in _EMBED.findall(str(getattr(page, field.name, "") or "")):
                if match := _ID.search(tag):
                    ids.add(int(match.group(1)))
        elif getattr(field, "related_model", None) is Image and field.many_to_one:
            if (pk := getattr(page, field.attname, None)) is not None:
                ids.add(pk)
    return ids


def live_pages_showing(image):
    page_type = ContentType.objects.get_for_model(Page)
    ids = ReferenceIndex.get_references_to(image).filter(base_content_type=page_type).values("object_id")
    return Page.objects.filter(pk__in=[int(i) for i in ids.values_list("object_id", flat=True)], live=True)


def is_public(image) -> bool:
    """Shown by a live page, or used by a site setting or snippet (the logo); never a masked original."""
    if image.collection.name == PRIVATE_COLLECTION:
        return False
    if live_pages_showing(image).exists():
        return True
    page_type = ContentType.objects.get_for_model(Page)
    return ReferenceIndex.get_references_to(image).exclude(base_content_type=page_type).exists()


def _page_published(sender, instance, **kwargs):
    """The reference index of the live content, now (Wagtail updates it in a background task: until then
    a newly published image would answer 404)."""
    ReferenceIndex.create_or_update_for_object(instance.specific)


page_published.connect(_page_published, dispatch_uid="zwgk_live_image_references")


# --- serving /media/original_images/ and /media/images/ ------------------------------------------------
def _image_for(name: str):
    Image = get_image_model()
    if name.startswith("original_images/"):
        return Image.objects.filter(file=name).select_related("collection").first()
    rendition = Rendition.objects.filter(file=name).select_related("image__collection").first()
    if rendition is None:  # a custom rendition model
        rendition = (
            Image.get_rendition_model().objects.filter(file=name).select_related("image__collection").first()
        )
    return rendition.image if rendition else None


def serve_image_file(request, folder: str, path: str):
    """An original image or a rendition: to the public only while `is_public`, to staff in scope always."""
    name = f"{folder}/{path}"
    if ".." in path.split("/"):
        raise Http404("文件不存在。")
    image = _image_for(name)
    if image is None:
        raise Http404("图片不存在。")
    staff = may_see(request.user, image)
    if not staff and not is_public(image):
        raise Http404("图片不存在或尚未公开。")
    accel = getattr(settings, "ZWGK_MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        try:
            handle = default_storage.open(name, "rb")
        except OSError as error:
            raise Http404("图片文件不存在。") from error
        response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "private, no-store" if staff else "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def urlpatterns():
    """/media/original_images/… and /media/images/… (in zwgk/urls.py, before any static media serving)."""
    return [
        path("media/original_images/<path:path>", serve_image_file, {"folder": "original_images"}),
        path("media/images/<path:path>", serve_image_file, {"folder": "images"}),
    ]


# --- the image form: limits at upload, replacement through 三审 ----------------------------------------
@transaction.atomic
def replace_live_image(image, new_file, *, user):
    """A new file for `image`, which live pages show: store it as a new image and give each live page a
    draft revision pointing at it, submitted to 三审 (the old image stays online until 终审).

    Returns (new image, pages given a revision)."""
    replacement = get_image_model()(
        title=image.title,
        collection=image.collection,
        uploaded_by_user=user,
        file=new_file,
        description=getattr(image, "description", ""),
    )
    replacement._set_image_file_metadata()
    return replace_in_live_pages(
        live_pages_showing(image), image, replacement, user=user, action=REPLACE_ACTION, kind="image"
    )


class ImageForm(ReplacingFileForm, BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: every upload and edit of an image in the back office."""

    noun = "图片"

    def live_pages(self, instance):
        return live_pages_showing(instance)

    def replace(self, instance, new_file):
        return replace_live_image(instance, new_file, user=self.user)


def _edit_view():
    class ReplacingEditView(EditView):
        """Wagtail's image edit view with `ImageForm` (also when WAGTAILIMAGES_IMAGE_FORM_BASE is unset)."""

        def get_form_class(self):
            form = get_image_form(self.model)
            return form if issubclass(form, ImageForm) else type("ZwgkImageForm", (ImageForm, form), {})

        def get_success_message(self):
            return replacement_message(self.object) or super().get_success_message()

    return ReplacingEditView


@hooks.register("register_admin_urls")
def image_edit_url():
    # Registered before wagtail.images' own URLs (zwgk.disclosure comes first in INSTALLED_APPS), so
    # this view answers the same address.
    return [path("images/<int:image_id>/", _edit_view().as_view(), name="zwgk_image_edit")]
