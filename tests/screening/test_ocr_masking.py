"""Issue 23, masking for images: the box of a finding is filled (not blurred) in a new copy of the image or
PDF page, kept as a new version; the original stays private for the record."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from wagtail.documents.models import Document

from tests import factories
from tests.screening.test_ocr import ID, png_bytes, roster_image, scanned_pdf
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import ocr, services
from zwgk.screening.extract import read
from zwgk.screening.guard import publishing_unscreened
from zwgk.screening.masking import PRIVATE_COLLECTION
from zwgk.screening.models import PageFinding

pytestmark = [
    pytest.mark.skipif(not ocr.available(), reason=f"OCR not installed here ({ocr.unavailable_reason()})"),
    pytest.mark.django_db,
]


def live_page_with(name, data):
    org = factories.organisation(name="城关镇人民政府", slug="cgz")
    _, column, _ = factories.site()
    document = Document.objects.create(title=name, file=ContentFile(data, name=name))
    page = ArticlePage(
        title="2025年城乡低保对象公示",
        organisation=org,
        body="<p>名单见附件</p>",
        attachments=[("document", document)],
        live=False,
    )
    column.add_child(instance=page)
    with publishing_unscreened("模拟存量信息"):
        page.save_revision().publish()
    services.screen_page(page)
    return org, page, document


def mask_ids(org, page):
    clerk = factories.staff("cgz_xxy", org, roles.INFORMANT)  # the township's 信息员 masks
    findings = list(PageFinding.objects.filter(page_id=page.pk, kind="id_card"))
    assert findings and all(f.box for f in findings)
    result = services.mask_in_text(page, user=clerk, findings=findings)
    page.refresh_from_db()
    copy = page.specific.attachments[0].value
    return result, findings, copy


def test_an_id_in_a_png_attachment_is_filled_black_in_a_new_version():
    image, _ = roster_image()
    org, page, original = live_page_with("公示名单.png", png_bytes(image))
    result, findings, copy = mask_ids(org, page)
    assert result.published_revision and copy.pk != original.pk
    with copy.file.open("rb") as handle:
        masked = Image.open(io.BytesIO(handle.read())).convert("L")
    x0, y0, x1, y1 = ocr.parse_box(findings[0].box)
    region = masked.crop((x0, y0, x1, y1))
    assert region.getextrema() == (0, 0)  # filled, every pixel black: not a blur
    assert ID not in read("copy.png", png_bytes(masked)).text
    assert "张建国" in read("copy.png", png_bytes(masked)).text  # the rest of the image is kept
    original.refresh_from_db()
    assert original.collection.name == PRIVATE_COLLECTION  # kept for the record, not public
    assert PageFinding.objects.get(pk=findings[0].pk).status == PageFinding.Status.MASKED


def test_a_scanned_pdf_page_is_masked_and_other_pages_kept():
    image, _ = roster_image()
    org, page, original = live_page_with("扫描件.pdf", scanned_pdf(image))
    _, _, copy = mask_ids(org, page)
    with copy.file.open("rb") as handle:
        extracted = read("copy.pdf", handle.read())
    assert ID not in extracted.text and "公示名单" in extracted.text
