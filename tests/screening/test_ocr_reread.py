"""Issue 23, OCR recall: a number the Chinese model misread in a 公示名单 cell (a digit merged into the table
rule, O/o for 0, l for 1, a speck read as a digit) is read again by the digits-only second reading and
accepted only when the check digit and the birth date say it is an ID number (GB 11643)."""

import os
import subprocess

import pytest
from PIL import Image, ImageDraw, ImageFont

from zwgk.screening import ocr, scan_text
from zwgk.screening.personal import id_in_reading

ID = "110105199503026151"  # valid check digit
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def test_an_id_number_in_a_misread_run_is_accepted_only_when_unique_and_valid():
    assert id_in_reading(ID) == ID
    assert id_in_reading("1" + ID) == ID  # the table rule before it read as a 1
    assert id_in_reading(ID[:9] + "7" + ID[9:]) == ID  # a speck read as a digit inside
    assert id_in_reading(ID[:17] + "0") == ""  # wrong check digit: not an ID
    assert id_in_reading(ID[:17]) == ""  # one digit short: nothing is guessed
    assert id_in_reading("11010519491231002x") == "11010519491231002X"
    assert id_in_reading(ID + "11010519491231002X") == ""  # two numbers run together: not one ID


def _cell(text: str):
    """A table cell as a 300 dpi scan shows it: the number after a vertical rule, the word box of it."""
    path = next((p for p in FONTS if os.path.exists(p)), None)
    if path is None or not ocr.available() or "eng" not in ocr._languages("tesseract"):
        pytest.skip("needs Tesseract (chi_sim, eng) and a CJK font: `make test` installs them")
    image = Image.new("L", (1000, 140), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(60, 20), (60, 120)], fill=0, width=3)
    draw.text((80, 50), text, font=ImageFont.truetype(path, 40), fill=0)
    left, top, right, bottom = draw.textbbox((80, 50), text, font=ImageFont.truetype(path, 40))
    return image, (left, top, right - left, bottom - top)


@pytest.mark.django_db  # scan_text reads the lexicon
@pytest.mark.parametrize("misread", ["10105199503026151", "1l0lO5199503026151", "1101051995030261517"])
def test_a_misread_number_is_read_again_from_its_cell(misread):
    image, box = _cell(ID)
    words = [((1, 1, 1), "张建国", (0, 50, 50, 40)), ((1, 1, 1), misread, box), ((1, 1, 1), "新塘村", box)]
    reread = ocr.reread_numbers(image, words)
    assert reread[1] == ((1, 1, 1), ID, box)
    assert reread[0] == words[0] and reread[2] == words[2]
    assert [f.kind for f in scan_text(" ".join(w for _, w, _ in reread))] == ["id_card"]


def test_numbers_read_right_cost_no_second_reading(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    words = [((1, 1, 1), ID, (0, 0, 10, 10)), ((1, 1, 1), "13812345678", (0, 0, 10, 10))]
    words += [
        ((1, 1, 1), "2025年城乡低保对象公示名单", (0, 0, 10, 10)),
        ((1, 1, 1), "6222020200001234562", (0, 0, 1, 1)),
    ]
    assert ocr.reread_numbers(Image.new("L", (20, 20), 255), words) == words
    assert calls == []


def test_a_reading_that_is_no_id_number_keeps_the_first_one():
    image, box = _cell("ABCDEFGHJK")
    words = [((1, 1, 1), "lOOl2345678901", box)]  # a number-like word that the second reading cannot confirm
    assert ocr.reread_numbers(image, words) == words
