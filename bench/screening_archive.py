"""Benchmark: whole-archive screening wall time (`zwgk screen-archive`) including attachments.

Usage (the 450,000-item demo archive, about 3 minutes to build on an idle machine):
    export ZWGK_VAR_DIR=/tmp/zwgk-screen-450k
    zwgk migrate && zwgk demo --articles 450000
    python bench/screening_archive.py [--share 0.1] [--workers 2]

First attaches generated files to a share of the live items, once (re-running reuses them): DOCX notices
(prose, sometimes a contact table), XLSX 发放名单 (20–200 rows of names, ID numbers — a third of the
lists unmasked —, amounts and phone numbers) and PDFs with a real text layer (CID font, ToUnicode map),
a third each. Then runs `zwgk screen-archive --workers N --restart` as a subprocess and prints its wall
time next to what it read. Not a test: nothing is asserted.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from zwgk.demo.content import corpus_sentences  # noqa: E402
from zwgk.screening.personal import id_check_digit  # noqa: E402

COLLECTION = "审查基准附件"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉玉兰红梅志强海燕"


def an_id(rng):
    first17 = f"{rng.choice(['360799', '360702', '360721', '350102'])}{rng.randint(1940, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first17 + id_check_digit(first17)


def a_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def a_mobile(rng):
    return f"1{rng.choice('3578')}{rng.randint(10**8, 10**9 - 1)}"


def _template(kind: str) -> dict[str, bytes]:
    """The parts of an empty DOCX/XLSX written by python-docx/openpyxl, to swap the body into."""
    out = io.BytesIO()
    if kind == "docx":
        import docx

        docx.Document().save(out)
    else:
        import openpyxl

        openpyxl.Workbook().save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(template, paragraphs, table=None) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    if table:
        cols = len(table[0])
        body += "<w:tbl><w:tblPr/><w:tblGrid>" + "<w:gridCol w:w='2000'/>" * cols + "</w:tblGrid>"
        for row in table:
            body += (
                "<w:tr>"
                + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                + "</w:tr>"
            )
        body += "</w:tbl>"
    xml = f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document xmlns:w='{W}'><w:body>{body}<w:sectPr/></w:body></w:document>"
    return _zip(template | {"word/document.xml": xml.encode()})


S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_bytes(template, rows) -> bytes:
    def col(i):
        return chr(ord("A") + i)

    cells = []
    for r, row in enumerate(rows, 1):
        cells.append(
            f"<row r='{r}'>"
            + "".join(
                f"<c r='{col(i)}{r}' t='inlineStr'><is><t>{escape(str(v))}</t></is></c>"
                for i, v in enumerate(row)
            )
            + "</row>"
        )
    dimension = f"A1:{col(len(rows[0]) - 1)}{len(rows)}"
    xml = f"<?xml version='1.0' encoding='UTF-8'?><worksheet xmlns='{S}'><dimension ref='{dimension}'/><sheetData>{''.join(cells)}</sheetData></worksheet>"
    return _zip(template | {"xl/worksheets/sheet1.xml": xml.encode()})


def _cmap(text: str) -> bytes:
    """A ToUnicode CMap for the characters used (as a subset font's would be): code = UTF-16 unit."""
    codes = sorted({ch for ch in text})
    blocks = [codes[i : i + 100] for i in range(0, len(codes), 100)]
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + b"".join(
            b"%d beginbfchar\n" % len(block)
            + b"".join(b"<%04X> <%04X>\n" % (ord(ch), ord(ch)) for ch in block)
            + b"endbfchar\n"
            for block in blocks
        )
        + b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )


def pdf_bytes(lines) -> bytes:
    """A PDF whose text layer holds `lines` (CJK included): Type0 font, Identity-H, ToUnicode CMap."""
    ops = ["BT /F1 10 Tf 40 800 Td 14 TL"]
    for line in lines:
        ops.append("<" + line.encode("utf-16-be").hex().upper() + "> Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode()
    cmap = _cmap("".join(lines))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_attachment(n, rng, sentences, templates):
    kind = ("docx", "xlsx", "pdf")[n % 3]
    if kind == "xlsx":
        masked = rng.random() < 2 / 3
        rows = [["序号", "姓名", "身份证号码", "发放金额（元）", "联系电话"]]
        for i in range(rng.randint(20, 200)):
            number = an_id(rng)
            phone = a_mobile(rng)
            if masked:
                number, phone = number[:2] + "*" * 14 + number[-2:], phone[:3] + "****" + phone[-4:]
            rows.append([i + 1, a_name(rng), number, rng.choice([300, 450, 600, 1200]), phone])
        return (
            f"{rng.choice(['城乡低保', '高龄津贴', '耕地地力保护补贴', '残疾人两项补贴'])}发放名单{n}.xlsx",
            xlsx_bytes(templates["xlsx"], rows),
        )
    paragraphs = [rng.choice(sentences) for _ in range(rng.randint(10, 40))]
    if kind == "docx":
        table = None
        if rng.random() < 0.3:
            table = [["联系人", "电话"], [a_name(rng), a_mobile(rng)]]
        return f"关于印发实施方案的通知{n}.docx", docx_bytes(templates["docx"], paragraphs, table)
    return f"政策文件{n}.pdf", pdf_bytes([p[i : i + 38] for p in paragraphs for i in range(0, len(p), 38)])


def attach(share: float, seed: int = 11):
    """Attach generated files to `share` of the live articles, once. Returns the number of attachments."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from zwgk.disclosure.models import ArticlePage

    Document = get_document_model()
    collection = Collection.objects.filter(name=COLLECTION).first()
    if collection:
        return Document.objects.filter(collection=collection).count()
    collection = Collection.get_first_root_node().add_child(name=COLLECTION)
    rng = random.Random(seed)
    sentences = corpus_sentences()
    templates = {"docx": _template("docx"), "xlsx": _template("xlsx")}
    ids = list(ArticlePage.objects.live().order_by("id").values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, int(len(ids) * share)))
    folder = Path(settings.MEDIA_ROOT) / "documents" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for start in range(0, len(chosen), 2000):
        docs, pages = [], chosen[start : start + 2000]
        for n in range(start, start + len(pages)):
            title, data = make_attachment(n, rng, sentences, templates)
            name = f"documents/bench/{n}-{title}"
            (Path(settings.MEDIA_ROOT) / name).write_bytes(data)
            docs.append(Document(title=title, file=name, file_size=len(data), collection=collection))
        with transaction.atomic():
            created = Document.objects.bulk_create(docs)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {ArticlePage._meta.db_table} SET attachments = %s WHERE page_ptr_id = %s",
                    [
                        (f'[{{"type": "document", "value": {doc.pk}, "id": "{uuid.uuid4()}"}}]', page_id)
                        for doc, page_id in zip(created, pages, strict=True)
                    ],
                )
        print(
            f"\rattachments {start + len(pages)}/{len(chosen)} ({time.monotonic() - started:.0f} s)", end=""
        )
    print()
    return len(chosen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--share", type=float, default=0.1, help="share of live articles given an attachment")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--attach-only", action="store_true")
    args = parser.parse_args()
    from wagtail.documents import get_document_model

    from zwgk.disclosure.models import live_items

    attachments = attach(args.share)
    if args.attach_only:
        return
    items = live_items().count()
    sizes = (
        get_document_model().objects.filter(collection__name=COLLECTION).values_list("file_size", flat=True)
    )
    print(
        f"archive: {items} live items, {attachments} attachments ({sum(sizes) / 1024 / 1024:.0f} MB of files)"
    )
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (uptime), {os.cpu_count()} cores")
    zwgk = Path(sys.executable).with_name("zwgk")
    started = time.monotonic()
    subprocess.run([str(zwgk), "screen-archive", "--workers", str(args.workers), "--restart"], check=True)
    wall = time.monotonic() - started
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (uptime)")
    print(
        f"zwgk screen-archive --workers {args.workers}: {wall / 60:.1f} min wall ({wall:.0f} s), target < 10 min"
    )


if __name__ == "__main__":
    main()
