"""Issue 23, OCR recall on scans that are not quite straight: the page is turned level before it is read
(projection profile), the boxes are turned back into the scan's pixels (masking fills them there), and
numbers in different cells of a table row are not joined into one number written in groups."""

import os

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from zwgk.screening import ocr, scan_text

ID, MOBILE = "350102199001011238", "13812345678"
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def font(size):
    path = next((p for p in FONTS if os.path.exists(p)), None)
    if path is None:
        pytest.skip("no CJK font (fonts-noto-cjk or fonts-wqy-microhei)")
    return ImageFont.truetype(path, size)


def roster(angle=0.0, *, only_id=False):
    """A ruled 公示名单 at 300 dpi turned by `angle` degrees; with `only_id`, the same page with nothing
    but the first row's ID number on it (where that number lies once the page is turned)."""
    image = Image.new("L", (2480, 1600), 255)
    draw = ImageDraw.Draw(image)
    body = font(48)
    for row in range(10):
        y = 200 + 130 * row
        if not only_id:
            draw.line([(150, y - 30), (2300, y - 30)], fill=0, width=3)
            for x, cell in zip((200, 360, 1500), (str(row + 1), "张建国", MOBILE), strict=True):
                draw.text((x, y), cell, font=body, fill=0)
        if row == 0 or not only_id:
            draw.text((700, y), ID, font=body, fill=0)
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255) if angle else image


@pytest.mark.parametrize("angle", [0.8, -0.8, 2.5])
def test_the_skew_of_a_scan_is_found(angle):
    assert ocr.skew_angle(roster(angle)) == pytest.approx(-angle, abs=0.1)


def test_a_level_page_is_read_as_it_is():
    image = roster()
    assert ocr.straighten(image) == (image, 0.0)
    blank = Image.new("L", (1240, 1754), 255)
    assert ocr.skew_angle(blank) == 0.0
    # A few lines of text and a masked (filled) box: no angle is clearly sharper, the page stays as it is.
    few = Image.new("L", (1240, 900), 255)
    draw = ImageDraw.Draw(few)
    draw.text((300, 60), "2025年城乡低保对象公示名单", font=font(32), fill=0)
    draw.text((80, 160), "张建国", font=font(22), fill=0)
    draw.rectangle((240, 169, 451, 186), fill=0)
    draw.text((620, 160), MOBILE, font=font(22), fill=0)
    assert ocr.skew_angle(few) == 0.0


def test_a_box_is_turned_back_into_the_scans_pixels():
    """A box read on the page turned level covers the same ink on the page as scanned."""
    scanned = Image.new("L", (1000, 800), 255)
    ImageDraw.Draw(scanned).rectangle((600, 500, 800, 540), fill=0)
    scanned = scanned.rotate(1.5, resample=Image.BICUBIC, fillcolor=255)
    level = scanned.rotate(-1.5, resample=Image.BICUBIC, fillcolor=255)
    x0, y0, x1, y1 = ImageChops.invert(level).point(lambda v: 255 if v > 128 else 0).getbbox()
    left, top, width, height = ocr._turn_back((x0, y0, x1 - x0, y1 - y0), -1.5, level.size)
    e0, f0, e1, f1 = ImageChops.invert(scanned).point(lambda v: 255 if v > 128 else 0).getbbox()
    assert left <= e0 + 2 and top <= f0 + 2 and left + width >= e1 - 2 and top + height >= f1 - 2
    assert width < (e1 - e0) * 1.1 and height < (f1 - f0) * 1.2


@pytest.mark.django_db  # scan_text reads the lexicon
def test_numbers_of_different_cells_are_not_one_number():
    """ "20" (序号) and an ID number apart on one line: a tab between them, not a space — "20 3501…" would be
    read as one number written in groups, and neither as an ID number."""
    assert ocr._joiner("20", ID, (160, 100, 200, 130), (580, 100, 970, 130)) == "\t"
    assert ocr._joiner("1", ID, (540, 50, 560, 56), (580, 100, 970, 130)) == "\t"  # a piece of a rule above
    assert ocr._joiner("350102", "19900101", (0, 100, 120, 130), (135, 100, 300, 130)) == " "  # groups
    assert ocr._joiner("张建国", ID, (0, 100, 90, 130), (580, 100, 970, 130)) == ""
    kinds = [(f.kind, f.text) for f in scan_text(f"20\t{ID}\t{MOBILE}")]
    assert kinds == [("id_card", ID), ("mobile", MOBILE)]


@pytest.mark.django_db
def test_an_id_number_on_a_turned_scan_is_found_where_it_lies():
    if not ocr.available():
        pytest.skip(f"OCR not installed here ({ocr.unavailable_reason()})")
    angle = 0.8
    text, spans = ocr.ocr_image(roster(angle))
    found = [f for f in scan_text(text) if f.kind == "id_card"]
    assert len(found) == 10 and all(f.text == ID for f in found)
    where = ImageChops.invert(roster(angle, only_id=True)).point(lambda v: 255 if v > 128 else 0).getbbox()
    first = min(found, key=lambda f: f.start)
    _, (x0, y0, x1, y1) = ocr.locate(spans, first.start, first.end)
    assert x0 <= where[0] + 8 and y0 <= where[1] + 8 and x1 >= where[2] - 8 and y1 >= where[3] - 8
    assert (x1 - x0) < 1.2 * (where[2] - where[0])
