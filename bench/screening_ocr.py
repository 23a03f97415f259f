"""Benchmark: OCR of scanned images (zwgk/screening/ocr.py, Tesseract chi_sim, one thread per image).

Usage:
    export ZWGK_VAR_DIR=/tmp/zwgk-ocr && zwgk migrate && zwgk demo
    python bench/screening_ocr.py [--images 5] [--share 0.02] [--workers 2] [--skip-archive]

1. Images per second per core for a typical scanned page: a 1,200 × 1,600 公示名单 (title and a table of
   20 names, ID numbers and mobiles), read whole (ocr_image) and screened, single-threaded.
2. The archive screening's wall time (`zwgk screen-archive`) text-only, then with `--share` of the live
   items (2 %) carrying one scanned image (a different PNG each), then the images are taken off again.
Not a test: nothing is asserted. The renderer is also used by bench/screening_quality.py --images.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from zwgk.screening import ocr, scan_text  # noqa: E402
from zwgk.screening.personal import id_check_digit  # noqa: E402

# Fonts Debian ships that stand in for the government's 宋体 and 黑体 (fonts-noto-cjk, fonts-wqy-*).
FONTS = {
    "宋体 (Noto Serif CJK)": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "黑体 (Noto Sans CJK)": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "黑体 (WenQuanYi Micro Hei)": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国文辉玉红梅志海燕"
COLLECTION = "OCR基准扫描件"


def an_id(rng):
    first17 = f"{rng.choice(['360799', '360702', '110105', '440305'])}{rng.randint(1940, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first17 + id_check_digit(first17)


def a_mobile(rng):
    return f"1{rng.choice('3578')}{rng.randint(10**8, 10**9 - 1)}"


def render_roster(*, font=None, dpi=150, rows=20, seed=1, angle=0.0, noise=0.0, size=None):
    """A scanned 公示名单 page (A4 at `dpi`, or `size` pixels): title and a ruled table of 序号, 姓名,
    身份证号码, 联系电话, 村（社区）; rotated by `angle` degrees and with `noise` of the pixels flipped to
    black or white, slightly blurred as a scanner does. Returns (greyscale image, [(name, id, mobile)])."""
    rng = random.Random(seed)
    width, height = size or (int(8.27 * dpi), int(11.69 * dpi))
    k = width / 1240
    path = font or next(p for p in FONTS.values() if os.path.exists(p))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    body, title = ImageFont.truetype(path, int(20 * k)), ImageFont.truetype(path, int(32 * k))
    draw.text((int(330 * k), int(80 * k)), "2025年城乡最低生活保障对象公示名单", font=title, fill=0)
    truth = []
    columns = [80, 150, 290, 620, 860, 1160]
    y = int(180 * k)
    for i in range(rows):
        person = (rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)[: rng.randint(0, 1)],)
        person += (an_id(rng), a_mobile(rng))
        for x, cell in zip(
            columns, (str(i + 1), *person, rng.choice(["城关社区", "河西村", "新塘村"])), strict=False
        ):
            draw.text((int(x * k), y), cell, font=body, fill=0)
        for x in columns:
            draw.line([(int((x - 10) * k), y - int(14 * k)), (int((x - 10) * k), y + int(42 * k))], fill=0)
        draw.line(
            [(int(70 * k), y - int(14 * k)), (int(1150 * k), y - int(14 * k))], fill=0, width=max(1, int(k))
        )
        truth.append(person)
        y += int(56 * k)
        if y > height - int(80 * k):
            break
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    if noise:
        noisy = random.Random(seed + 1)
        pixels = image.load()
        for _ in range(int(width * height * noise)):
            pixels[noisy.randrange(width), noisy.randrange(height)] = noisy.choice((0, 255))
        image = image.filter(ImageFilter.GaussianBlur(0.5))
    return image, truth


def png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def ocr_rate(count: int):
    image, truth = render_roster(size=(1200, 1600), angle=0.5, noise=0.005)
    ocr.ocr_image(image)  # warm the page cache and Tesseract's model load once
    started = time.perf_counter()
    found = 0
    for _ in range(count):
        text, _ = ocr.ocr_image(image)
        found += sum(1 for f in scan_text(text) if f.kind == "id_card")
    elapsed = time.perf_counter() - started
    print(f"OCR, 1200 × 1600 scanned page ({len(truth)} rows), Tesseract chi_sim, one thread:")
    print(f"  {count} images in {elapsed:.1f} s: {count / elapsed:.2f} images/s per core")
    print(
        f"  ({elapsed / count:.2f} s an image; {found / count:.0f} of {len(truth)} ID numbers found per image)"
    )


def attach_scans(share: float, seed: int = 23) -> list[int]:
    """One scanned PNG (a different roster each) on `share` of the live articles without attachments."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from zwgk.disclosure.models import ArticlePage

    Document = get_document_model()
    collection = Collection.objects.filter(name=COLLECTION).first() or (
        Collection.get_first_root_node().add_child(name=COLLECTION)
    )
    rng = random.Random(seed)
    ids = [
        pk
        for pk, attachments in ArticlePage.objects.live().order_by("id").values_list("id", "attachments")
        if not attachments.raw_data
    ]
    chosen = sorted(rng.sample(ids, max(1, int(len(ids) * share))))
    folder = Path(settings.MEDIA_ROOT) / "documents" / "ocr-bench"
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for n, _ in enumerate(chosen):
        image, _ = render_roster(size=(1200, 1600), seed=100 + n, angle=rng.uniform(-0.8, 0.8), noise=0.005)
        name = f"documents/ocr-bench/{n}-公示名单.png"
        data = png(image)
        (Path(settings.MEDIA_ROOT) / name).write_bytes(data)
        documents.append(
            Document(title=f"公示名单{n}.png", file=name, file_size=len(data), collection=collection)
        )
    with transaction.atomic():
        created = Document.objects.bulk_create(documents)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {ArticlePage._meta.db_table} SET attachments = %s WHERE page_ptr_id = %s",
                [
                    (f'[{{"type": "document", "value": {d.pk}, "id": "{uuid.uuid4()}"}}]', page_id)
                    for d, page_id in zip(created, chosen, strict=True)
                ],
            )
    return chosen


def detach_scans(pages: list[int]):
    from wagtail.documents import get_document_model

    from zwgk.disclosure.models import ArticlePage

    with transaction.atomic():
        ArticlePage.objects.filter(pk__in=pages).update(attachments="[]")
        get_document_model().objects.filter(collection__name=COLLECTION).delete()


def screen_archive(workers: int) -> float:
    zwgk = Path(sys.executable).with_name("zwgk")
    started = time.monotonic()
    subprocess.run(
        [str(zwgk), "screen-archive", "--workers", str(workers), "--restart"], check=True, capture_output=True
    )
    return time.monotonic() - started


def archive(share: float, workers: int):
    from zwgk.disclosure.models import live_items

    items = live_items().count()
    text_only = screen_archive(workers)
    pages = attach_scans(share)
    try:
        with_images = screen_archive(workers)
    finally:
        detach_scans(pages)
    print(f"archive: {items} live items, `zwgk screen-archive --workers {workers}`, {os.cpu_count()} cores")
    print(f"  text only:                          {text_only:7.1f} s")
    print(f"  {share:.0%} of items with a scanned image ({len(pages)} images): {with_images:7.1f} s")
    print(f"  the images cost {(with_images - text_only) / len(pages):.2f} s wall each ({workers} workers)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=5, help="OCR runs timed for the per-core rate")
    parser.add_argument("--share", type=float, default=0.02, help="share of live items given a scanned image")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-archive", action="store_true")
    args = parser.parse_args()
    if reason := ocr.unavailable_reason():
        sys.exit(reason)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (uptime)")
    ocr_rate(args.images)
    if not args.skip_archive:
        archive(args.share, args.workers)


if __name__ == "__main__":
    main()
