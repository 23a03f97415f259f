"""Text in images and scanned PDF pages, read offline by Tesseract (Debian's tesseract-ocr with the
chi_sim model from tesseract-ocr-chi-sim; nothing is downloaded at run time).

Each recognised word keeps where it was: a `Span` (offsets in the extracted text, page number, box in
the page's pixels for an image or in PDF points for a PDF page), so a finding in OCR text carries the
page and the box of its hit (`locate`) and image masking can fill exactly that box.

Bounded work per image (settings, documented in docs/operator.md): an image over ZWGK_OCR_MAX_PIXELS
is downscaled before it is read (the boxes are scaled back); one Tesseract run is stopped after
ZWGK_OCR_TIMEOUT seconds; Tesseract runs single-threaded (one core per page: the archive scan's
workers are the parallelism).
"""

import functools
import io
import math
import operator
import os
import re
import shutil
import subprocess
from typing import NamedTuple

from django.conf import settings as django_settings
from PIL import Image, ImageFilter, ImageOps

from .personal import id_in_reading, is_bank_card, is_id_number

DEFAULTS = {"command": "tesseract", "lang": "chi_sim", "max_pixels": 12_000_000, "timeout": 120, "dpi": 200}
DEFAULTS |= {"max_pages": 30}
DESPECKLE_FROM = 2000  # pixels on the short side: an A4 page scanned at 250 dpi or more


class OcrUnavailable(Exception):
    """Tesseract or its Chinese model is not installed (or OCR is switched off)."""


class OcrFailed(Exception):
    """Tesseract could not read one image (timeout, a crash): the image is reported unreadable."""


class Span(NamedTuple):
    """One recognised word: characters [start, end) of the text, on `page` (1-based), in `box`
    (x0, y0, x1, y1) — pixels of the original image, or PDF points (origin top left) for a PDF page."""

    start: int
    end: int
    page: int
    box: tuple


def config() -> dict:
    """The OCR settings (ZWGK_OCR, ZWGK_OCR_MAX_PIXELS, ZWGK_OCR_TIMEOUT, ZWGK_OCR_DPI,
    ZWGK_OCR_MAX_PAGES), or their defaults where Django is not configured."""
    values = dict(DEFAULTS)
    try:
        names = {"command": "ZWGK_OCR", "max_pixels": "ZWGK_OCR_MAX_PIXELS", "timeout": "ZWGK_OCR_TIMEOUT"}
        names |= {"dpi": "ZWGK_OCR_DPI", "max_pages": "ZWGK_OCR_MAX_PAGES"}
        for key, name in names.items():
            values[key] = getattr(django_settings, name, values[key])
    except Exception:  # noqa: BLE001 — a script without Django settings
        pass
    return values


@functools.cache
def _languages(command: str) -> frozenset:
    try:
        out = subprocess.run([command, "--list-langs"], capture_output=True, timeout=30, check=False)
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.decode(errors="replace").splitlines()[1:])


def unavailable_reason() -> str:
    """Why OCR cannot run here ("" when it can)."""
    settings = config()
    command = settings["command"]
    if not command or command == "off":
        return "文字识别已关闭（ZWGK_OCR=off）"
    if shutil.which(command) is None:
        return "未安装文字识别程序 tesseract（Debian：apt-get install tesseract-ocr tesseract-ocr-chi-sim）"
    if settings["lang"] not in _languages(command):
        return "未安装 tesseract 的简体中文模型（Debian：apt-get install tesseract-ocr-chi-sim）"
    return ""


def available() -> bool:
    return not unavailable_reason()


def prepare(image):
    """(greyscale image, factor to scale its boxes back): EXIF rotation applied, transparency on white,
    despeckled when it is a high-resolution scan, downscaled below ZWGK_OCR_MAX_PIXELS (a photo of 50
    megapixels costs minutes and gains nothing)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    image = image.convert("L")
    if min(image.size) >= DESPECKLE_FROM:
        # A scan at about 300 dpi: a 3×3 median removes scanner speckle (isolated dots that Tesseract
        # reads as strokes) and keeps strokes, which are wider than 3 pixels at this resolution.
        image = image.filter(ImageFilter.MedianFilter(3))
    pixels = image.width * image.height
    limit = config()["max_pixels"]
    factor = 1.0
    if pixels > limit:
        factor = (limit / pixels) ** 0.5
        size = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        image = image.resize(size, Image.LANCZOS)
    return image, factor


# --- straightening ------------------------------------------------------------------------------------
# A scanned page is never quite straight, and a 公示名单 is a ruled table. Read as it is, a page turned by
# 0.8° has its rows drift by 35 pixels across an A4 width at 300 dpi: Tesseract then cuts lines through
# the table's rules, reads a piece of a rule as "1" or "|" in front of a number, merges a digit into it, or
# reads two rows as one. So the page is first turned level (the angle whose rows of ink are sharpest, the
# projection profile); the boxes of what is read are turned back into the scan's own pixels. (Painting the
# rules out as well was tried: without them Tesseract splits the table into columns and drops narrow ones,
# the 序号 and the names.)
SKEW_SEARCH = (5.0, 0.5, 0.1, 0.025)  # degrees searched either way, then the steps of the finer searches
SKEW_STRIP = 40  # pixels: the width of the strips whose row profiles are shifted
SKEW_MIN = 0.1  # degrees: a page turned by less is read as it is (turning it blurs it a little)
# How much sharper the best angle's profile must be than the page's as it is. A level page with a few
# lines (or a filled mask box) finds some 0.1–0.2° "better" by up to 1.35×; a page of text turned by 0.3°
# gains over 2×, a ruled table turned by 0.2° over 6×.
SKEW_GAIN = 1.5


def otsu(histogram) -> int:
    """The grey level that best splits a 256-bin histogram into ink and paper (Otsu's method): pixels at
    or below it are ink."""
    total = sum(histogram)
    grand = sum(level * count for level, count in enumerate(histogram))
    best, threshold, weight, ink = -1.0, 127, 0, 0
    for level, count in enumerate(histogram):
        weight += count
        ink += level * count
        rest = total - weight
        if not weight or not rest:
            continue
        between = weight * rest * (ink / weight - (grand - ink) / rest) ** 2
        if between > best:
            best, threshold = between, level
    return threshold


def skew_angle(image) -> float:
    """The angle (degrees, counter-clockwise as PIL turns) that makes the page's lines of text level: of
    the angles searched, the one whose row profile of ink is sharpest (sum of squared differences of
    adjacent rows), 0.0 unless it is clearly sharper than the page's as it is (SKEW_GAIN). The page is cut into upright strips whose own row profiles, shifted by how far each
    strip's middle moves when the page turns, add up to the turned page's profile: no image is turned."""
    step = max(1, -(-image.height // 2000))
    small = image.reduce(step) if step > 1 else image
    level = otsu(small.histogram())
    ink = small.point(lambda v: 255 if v <= level else 0)
    share = ink.histogram()[255] / (ink.width * ink.height)
    if not 0.002 <= share <= 0.5:  # a blank page or a photo: nothing to level
        return 0.0
    strips, middle = [], ink.width / 2
    for left in range(0, ink.width - SKEW_STRIP // 2, SKEW_STRIP):
        right = min(ink.width, left + SKEW_STRIP)
        strips.append(
            (
                (left + right) / 2 - middle,
                list(ink.crop((left, 0, right, ink.height)).reduce((right - left, 1)).tobytes()),
            )
        )
    height = ink.height

    def sharpness(angle: float) -> float:
        slope = math.tan(math.radians(angle))
        total = [0] * height
        for offset, profile in strips:
            shift = round(offset * slope)
            if shift > 0:
                profile = profile[shift:] + [0] * shift
            elif shift < 0:
                profile = [0] * -shift + profile[:shift]
            total = list(map(operator.add, total, profile))
        return sum((b - a) ** 2 for a, b in zip(total, total[1:], strict=False))

    best, span = 0.0, SKEW_SEARCH[0]
    for step in SKEW_SEARCH[1:]:
        count = round(span / step)
        best = max((best + i * step for i in range(-count, count + 1)), key=sharpness)
        span = step
    return best if sharpness(best) >= SKEW_GAIN * sharpness(0.0) else 0.0


def straighten(image) -> tuple:
    """(the page turned level, the angle it was turned by: 0.0 when it was level enough)."""
    angle = skew_angle(image)
    if abs(angle) < SKEW_MIN:
        return image, 0.0
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255), angle


def _turn_back(box: tuple, angle: float, size: tuple) -> tuple:
    """(left, top, width, height) of a box read on the page turned by `angle` (PIL's rotate about the
    centre), as the box around it on the page as scanned."""
    if not angle:
        return box
    left, top, width, height = box
    theta = -math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    cx, cy = size[0] / 2, size[1] / 2
    xs, ys = [], []
    for x, y in ((left, top), (left + width, top), (left, top + height), (left + width, top + height)):
        xs.append(cos * (x - cx) + sin * (y - cy) + cx)
        ys.append(-sin * (x - cx) + cos * (y - cy) + cy)
    x0, y0 = max(0.0, min(xs)), max(0.0, min(ys))
    return x0, y0, max(xs) - x0, max(ys) - y0


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _joiner(left: str, right: str, before: tuple | None = None, box: tuple | None = None) -> str:
    """Words of one line: Chinese runs together, Latin words and numbers keep a space between them — a
    tab when they are apart (a gap wider than the words are high, or not side by side: another cell of a
    table, a piece of its rule), so that the number detectors do not take two cells, "20" and an ID
    number, for one number written in groups. Boxes are (x0, y0, x1, y1)."""
    if not left or not right or _CJK.match(left[-1]) or _CJK.match(right[0]):
        return ""
    if before and box:
        gap = box[0] - before[2]
        overlap = min(before[3], box[3]) - max(before[1], box[1])
        if gap > max(before[3] - before[1], box[3] - box[1]) or overlap <= 0:
            return "\t"
    return " "


def ocr_image(image, *, page: int = 1, offset: int = 0, scale: float = 1.0) -> tuple[str, list[Span]]:
    """(text, spans) of one PIL image: one line per recognised line. `offset` is where the text will
    start in the whole extracted text; `scale` turns the image's pixels into the box unit wanted (1/dpi×72
    for a rendered PDF page)."""
    if reason := unavailable_reason():
        raise OcrUnavailable(reason)
    settings = config()
    prepared, factor = prepare(image)
    prepared, angle = straighten(prepared)
    buffer = io.BytesIO()
    prepared.save(buffer, "PNG")
    environment = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        result = subprocess.run(
            [settings["command"], "stdin", "stdout", "-l", settings["lang"], "--psm", "3", "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=settings["timeout"],
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"文字识别超过 {settings['timeout']} 秒（ZWGK_OCR_TIMEOUT）") from error
    if result.returncode != 0:
        raise OcrFailed(f"文字识别失败：{result.stderr.decode(errors='replace').strip()[:200]}")
    words = []  # (line key, text, (left, top, width, height) in the prepared image's pixels)
    for row in result.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        words.append((key, cells[11].strip(), tuple(int(v) for v in cells[6:10])))
    words = reread_numbers(prepared, words)
    back = scale / factor
    lines: dict[tuple, list] = {}
    for key, word, box in words:
        left, top, width, height = _turn_back(box, angle, prepared.size)
        box = (
            int(left * back),
            int(top * back),
            int((left + width) * back + 0.999),
            int((top + height) * back + 0.999),
        )
        lines.setdefault(key, []).append((word, box))
    parts: list[str] = []
    spans: list[Span] = []
    position = offset
    for line_words in lines.values():
        line, before = "", None
        for word, box in line_words:
            line += _joiner(line, word, before, box)
            before = box
            start = position + len(line)
            line += word
            spans.append(Span(start, start + len(word), page, box))
        parts.append(line)
        position += len(line) + 1
    return "\n".join(parts), spans


# --- numbers read a second time ----------------------------------------------------------------------
# The Chinese model reads a long number in a table cell well, not perfectly: a digit merged into the
# table's rule ("| 10105…", one digit short), O/o for 0, l/i for 1, a speck read as a digit. A run of
# such characters (or a word of ten Latin letters and digits, mostly digit-like: "sissooel7eom") that is
# not a valid ID number or bank card (both have a check digit) is read again, cropped from the page, by
# the English model restricted to digits — all of a page's runs in one Tesseract call, and the page's
# mobiles with them when some other number was misread. The reading replaces the run when it holds
# exactly one valid ID number (check digit and birth date, personal.id_in_reading) or one mobile number.
# A page whose numbers all read right costs nothing more.
_DIGIT_LIKE = "0123456789OoDQlIi|!zZSsBbGgqXx"
_AS_DIGIT = str.maketrans("OoDQlIi|!zZSsBbGgq", "000011111225588699")
_RUN = re.compile(r"[0-9A-Za-z|!]{10,}")  # with at least 60 % digit-like characters (_number_like)
_MOBILE = re.compile(r"1[3-9]\d{9}")
REREAD_LIMIT = 40  # runs per image read again (a page of Latin text must not cost a second page)
REREAD_LANG = "eng"
# Pixels: on a page whose median word is lower than this (a 150 dpi scan) the English model reads 9 as 0
# more often than the Chinese one, so a mobile that looked right the first time keeps that reading.
REREAD_HEIGHT = 24


def _number_like(run: str) -> bool:
    return sum(1 for ch in run if ch in _DIGIT_LIKE) >= 0.6 * len(run)


def _settled(run: str) -> bool:
    """A run that needs no second reading: a number with a check digit that holds (an ID number, a bank
    card). A mobile number has none, so one that looks right is read again all the same — on a page where
    a number with a check digit was misread (the Chinese model reads 6 as 0 in some fonts and sizes)."""
    if len(run) == 18 and is_id_number(run.upper()):
        return True
    return run.isdigit() and is_bank_card(run)


def _mobile_in(reading: str) -> str:
    """The one mobile number in a reading of 11–13 digits (a table rule next to it read as a 1)."""
    if not 11 <= len(reading) <= 13:
        return ""
    found = {reading[i : i + 11] for i in range(len(reading) - 10) if _MOBILE.fullmatch(reading[i : i + 11])}
    return found.pop() if len(found) == 1 else ""


def _better(run: str, reading: str) -> str:
    """What replaces `run`: the ID number or mobile its readings hold, the second reading first ("" to
    keep the run as it was read)."""
    for find in (id_in_reading, _mobile_in):
        for candidate in (reading, run.translate(_AS_DIGIT)):
            if found := find(candidate):
                return found
    return ""


def reread_numbers(image, words: list) -> list:
    """`words` ([(line key, text, box)]) with their misread numbers replaced by a second reading."""
    wanted, doubtful = [], False
    for index, (_, word, box) in enumerate(words):
        match = max((r for r in _RUN.findall(word) if _number_like(r)), key=len, default="")
        if match and not _settled(match):
            wanted.append((index, match, box))
            doubtful = doubtful or not _MOBILE.fullmatch(match)
    wanted = wanted[:REREAD_LIMIT]
    if not doubtful or not wanted:  # every number with a check digit read right: the mobiles are trusted
        return words
    readings = {}
    if REREAD_LANG in _languages(config()["command"]):
        crops, gap = [], 24
        for _, _, (left, top, width, height) in wanted:
            pad = max(4, height // 2)
            crops.append(
                image.crop((max(0, left - pad), max(0, top - pad), left + width + pad, top + height + pad))
            )
        sheet = Image.new(
            "L", (max(c.width for c in crops) + 2 * gap, sum(c.height + gap for c in crops) + gap), 255
        )
        rows, y = [], gap
        for crop in crops:
            sheet.paste(crop, (gap, y))
            rows.append((y, y + crop.height))
            y += crop.height + gap
        buffer = io.BytesIO()
        sheet.save(buffer, "PNG")
        settings = config()
        try:
            result = subprocess.run(
                [settings["command"], "stdin", "stdout", "-l", REREAD_LANG, "--psm", "6"]
                + ["-c", "tessedit_char_whitelist=0123456789X", "tsv"],
                input=buffer.getvalue(),
                capture_output=True,
                timeout=settings["timeout"],
                env=dict(os.environ, OMP_THREAD_LIMIT="1"),
                check=False,
            )
            output = result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else ""
        except subprocess.TimeoutExpired:
            output = ""
        pieces: dict[int, list] = {}
        for row in output.splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
                continue
            middle = int(cells[7]) + int(cells[9]) / 2
            for number, (a, b) in enumerate(rows):
                if a <= middle < b:
                    pieces.setdefault(number, []).append((int(cells[6]), cells[11].strip()))
        readings = {n: "".join(t for _, t in sorted(p)) for n, p in pieces.items()}
    heights = sorted(box[3] for _, _, box in words)
    small = heights[len(heights) // 2] < REREAD_HEIGHT  # the page's text, not a word merged into a rule
    words = list(words)
    for number, (index, run, _) in enumerate(wanted):
        if small and _MOBILE.fullmatch(run):
            continue
        if better := _better(run, readings.get(number, "")):
            key, word, box = words[index]
            words[index] = (key, word.replace(run, better, 1), box)
    return words


def locate(spans, start: int, end: int) -> tuple[int | None, tuple | None]:
    """(page, box) of the text [start, end): on the first page it touches, the union of the parts of its
    words it covers (a hit inside a longer word — a name run into an ID number — gets its share of the
    word's width, plus a margin); (None, None) when the text did not come from OCR."""
    hit = [s for s in spans if s.start < end and s.end > start]
    if not hit:
        return None, None
    page = hit[0].page
    boxes = []
    for span in hit:
        if span.page != page:
            continue
        x0, y0, x1, y1 = span.box
        length = max(1, span.end - span.start)
        width = (x1 - x0) / length
        first = max(start, span.start) - span.start
        last = min(end, span.end) - span.start
        margin = width / 2 if (first, last) != (0, length) else 0
        boxes.append((x0 + first * width - margin, y0, x0 + last * width + margin, y1))
    return page, (
        max(0, int(min(b[0] for b in boxes))),
        int(min(b[1] for b in boxes)),
        int(max(b[2] for b in boxes) + 0.999),
        int(max(b[3] for b in boxes)),
    )


def box_text(box) -> str:
    """A box as stored on a finding: "x0,y0,x1,y1"."""
    return ",".join(str(int(v)) for v in box) if box else ""


def parse_box(text: str) -> tuple | None:
    try:
        x0, y0, x1, y1 = (int(v) for v in (text or "").split(","))
    except ValueError:
        return None
    return x0, y0, x1, y1
