"""Issue 23: personal data in images and scanned PDFs is read by OCR (Tesseract, chi_sim) and goes through
the same detectors; a finding carries the page and the box of its hit — in `zwgk screen FILE`, in a page's
screening (the DocumentText the background task stores) and in the archive scan."""

import io
import json
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from wagtail.documents.models import Document

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import ocr, services
from zwgk.screening.archive import run_archive_scan
from zwgk.screening.extract import read
from zwgk.screening.guard import publishing_unscreened
from zwgk.screening.models import DocumentText, PageFinding

pytestmark = [
    pytest.mark.skipif(
        not ocr.available(),
        reason=f"OCR not installed here ({ocr.unavailable_reason()}); `make test` installs it",
    ),
    pytest.mark.django_db,
]
ID = "350102199001011238"
MOBILE = "13812345678"
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def cjk_font(size):
    path = next((p for p in FONTS if os.path.exists(p)), None)
    if path is None:
        pytest.skip("no CJK font (fonts-noto-cjk or fonts-wqy-microhei)")
    return ImageFont.truetype(path, size)


def roster_image(rows=(("张建国", ID, MOBILE),), *, dpi=150, size=None):
    """A scanned 公示名单: a title and one table row per person, black on white at `dpi`; returns
    (image, {value: its box in pixels})."""
    k = dpi / 150
    image = Image.new("L", size or (int(1240 * k), int(900 * k)), 255)
    draw = ImageDraw.Draw(image)
    draw.text((int(300 * k), int(60 * k)), "2025年城乡低保对象公示名单", font=cjk_font(int(32 * k)), fill=0)
    font = cjk_font(int(22 * k))
    boxes = {}
    for i, row in enumerate(rows):
        y = int((160 + 60 * i) * k)
        for x, value in zip((80, 240, 620), row, strict=False):
            draw.text((int(x * k), y), value, font=font, fill=0)
            boxes[value] = draw.textbbox((int(x * k), y), value, font=font)
    return image, boxes


def png_bytes(image):
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_pdf(image, dpi=150):
    """A PDF whose only page is the image (no text layer), as a scanner makes it."""
    out = io.BytesIO()
    image.convert("RGB").save(out, "PDF", resolution=dpi)
    return out.getvalue()


def inside(box, expected, slack=8):
    """`box` covers `expected` (give or take a few units) and is not much wider."""
    x0, y0, x1, y1 = box
    e0, f0, e1, f1 = expected
    return (
        x0 <= e0 + slack
        and y0 <= f0 + slack
        and x1 >= e1 - slack
        and y1 >= f1 - slack
        and (x1 - x0) < 1.5 * (e1 - e0)
    )


def test_an_id_number_in_a_png_is_found_with_its_page_and_box(tmp_path, capsys):
    """Rule (issue 23): the OCR text of an image goes through the same detectors; a finding carries the
    page and the box of the hit."""
    image, boxes = roster_image()
    path = tmp_path / "低保公示.png"
    path.write_bytes(png_bytes(image))
    call_command("screen", str(path), "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_kind = {line["kind"]: line for line in lines}
    assert by_kind["id_card"]["text"] == ID and by_kind["id_card"]["page"] == 1
    assert inside(by_kind["id_card"]["box"], boxes[ID])
    assert by_kind["mobile"]["text"] == MOBILE and inside(by_kind["mobile"]["box"], boxes[MOBILE])


def test_a_scanned_pdf_page_is_read_by_ocr_with_boxes_in_points():
    image, boxes = roster_image()
    extracted = read("公示.pdf", scanned_pdf(image))
    assert ID in extracted.text and not extracted.problems
    start = extracted.text.index(ID)
    page, box = ocr.locate(extracted.spans, start, start + len(ID))
    points = tuple(v * 72 / 150 for v in boxes[ID])  # the page was scanned at 150 dpi
    assert page == 1 and inside(box, points, slack=5)


def test_a_large_photo_is_downscaled_and_its_boxes_scaled_back(settings):
    """ZWGK_OCR_MAX_PIXELS: a 300 dpi photo over the limit is read at a smaller size; the boxes are still
    in the original image's pixels."""
    image, boxes = roster_image(dpi=300)
    settings.ZWGK_OCR_MAX_PIXELS = image.width * image.height // 3
    prepared, factor = ocr.prepare(image)
    assert prepared.width * prepared.height <= settings.ZWGK_OCR_MAX_PIXELS and factor < 0.6
    extracted = read("大图.png", png_bytes(image))
    start = extracted.text.index(ID)
    assert inside(ocr.locate(extracted.spans, start, start + len(ID))[1], boxes[ID], slack=12)


def test_without_ocr_an_image_is_reported_unreadable_not_skipped(tmp_path, capsys):
    image, _ = roster_image()
    path = tmp_path / "名单.jpg"
    image.convert("RGB").save(path, "JPEG")
    with override_settings(ZWGK_OCR="off"):
        call_command("screen", str(path))
        pdf = read("扫描件.pdf", scanned_pdf(image))
    out = capsys.readouterr().out
    assert out.startswith("unreadable\t禁止") and "无法读取，需人工审查" in out and "ZWGK_OCR=off" in out
    assert pdf.problems and "第 1 页没有文字层" in pdf.problems[0]


@pytest.fixture
def column():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    return org, column


def page_with(column, org, name, data):
    document = Document.objects.create(title=name, file=ContentFile(data, name=name))
    page = ArticlePage(
        title="2025年城乡低保对象公示",
        organisation=org,
        body="<p>名单见附件</p>",
        attachments=[("document", document)],
        live=False,
    )
    column.add_child(instance=page)
    page.save_revision()
    return page, document


def test_page_screening_reads_an_image_attachment_and_stores_the_box(column, client):
    org, parent = column
    image, boxes = roster_image()
    page, document = page_with(parent, org, "公示名单.png", png_bytes(image))
    findings = services.screen_page(page)
    hit = next(f for f in findings if f.kind == "id_card")
    assert hit.source == "附件：公示名单.png" and hit.severity == "禁止"
    assert hit.page_number == 1 and inside(ocr.parse_box(hit.box), boxes[ID])
    assert services.approval_blockers(page)  # 三审 cannot approve it
    stored = DocumentText.objects.get(document=document)
    assert ID in stored.text and stored.spans  # read once, with its word boxes
    # The 信息员 sees where it is on the page's 发布审查 screen.
    client.force_login(factories.staff("mzj_xxy", org, roles.INFORMANT))
    html = client.get(reverse("screening_page", args=[page.pk])).content.decode()
    assert f"附件：公示名单.png，第1页（图中位置 {hit.box}）" in html


def test_archive_scan_finds_ids_in_scanned_pdfs_with_page_and_box(column):
    org, parent = column
    image, boxes = roster_image()
    page, _ = page_with(parent, org, "扫描件.pdf", scanned_pdf(image))
    with publishing_unscreened("模拟存量信息"):
        page.save_revision().publish()
    PageFinding.objects.all().delete()
    run_archive_scan(workers=1, restart=True)
    hit = PageFinding.objects.get(page_id=page.pk, kind="id_card")
    assert hit.text == ID and hit.page_number == 1
    points = tuple(v * 72 / 150 for v in boxes[ID])
    assert inside(ocr.parse_box(hit.box), points, slack=5)
