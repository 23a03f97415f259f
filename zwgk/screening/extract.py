"""Text out of attachments: DOCX, XLSX, XLS, PDF (text layer, OCR for pages without one), images
(JPG, PNG, TIFF, BMP, GIF: OCR), old Word and WPS files (.doc, .wps: LibreOffice), WPS spreadsheets
(.et), CSV, TXT, HTML.

One line per paragraph / table row / sheet row, so findings can be shown with their context. `read`
also returns where OCR text lies on the page (`ocr.Span`) and the parts of a file it could not read, with
the reason (an encrypted PDF, a scanned page without OCR, a page past ZWGK_OCR_MAX_PAGES): these
become findings 无法读取，需人工审查, never a silent gap.
"""

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from typing import NamedTuple

from django.conf import settings as django_settings
from lxml import etree
from PIL import Image

from zwgk.text.html import html_to_text  # noqa: F401  (screening's modules read it from here)

from . import ocr


class UnsupportedFile(Exception):
    pass


class Extracted(NamedTuple):
    """What `read` got out of a file: its text, the OCR spans (boxes of recognised words) and the
    reasons parts of it could not be read."""

    text: str
    spans: list = []
    problems: list = []


class FileOverLimit(UnsupportedFile):
    """A file over one of the upload limits (settings ZWGK_UPLOAD_MAX_MB, ZWGK_UNZIPPED_MAX_MB,
    ZWGK_ZIP_MAX_RATIO, ZWGK_PDF_MAX_PAGES): refused at upload and never read by the screening."""


MB = 1024 * 1024
DEFAULT_LIMITS = {"upload_mb": 50, "unzipped_mb": 100, "zip_ratio": 100, "pdf_pages": 500}
# Below this many uncompressed bytes the compression ratio is not checked: a small, repetitive XML part
# (an empty table) may compress 200:1 and still cost nothing to read.
RATIO_FLOOR = 4 * MB


def limits() -> dict:
    """The upload limits from the settings, or their defaults where Django is not configured."""
    try:
        return {
            "upload_mb": django_settings.ZWGK_UPLOAD_MAX_MB,
            "unzipped_mb": django_settings.ZWGK_UNZIPPED_MAX_MB,
            "zip_ratio": django_settings.ZWGK_ZIP_MAX_RATIO,
            "pdf_pages": django_settings.ZWGK_PDF_MAX_PAGES,
        }
    except Exception:  # noqa: BLE001 — no settings module (a script), or an older settings file
        return dict(DEFAULT_LIMITS)


def size_refusal(filename: str, size: int) -> str:
    """Why a file of `size` bytes is refused (over ZWGK_UPLOAD_MAX_MB), judged without reading it; ""."""
    cap = limits()["upload_mb"]
    if size <= cap * MB:
        return ""
    return f"文件“{filename}”大小为 {size / MB:.1f} MB，超过上传上限 {cap} MB（ZWGK_UPLOAD_MAX_MB）。"


def check_limits(filename: str, data: bytes) -> None:
    """Raise FileOverLimit, with a Chinese message naming the limit, for a file too big to accept or read.

    Cheap: a ZIP container (DOCX, XLSX, OFD, ZIP) is judged by its directory (the sizes its members
    declare), a PDF by its page count; nothing is decompressed or parsed beyond that. The readers below
    also stop at the declared sizes, so a directory that lies does not get past them.
    """
    limit = limits()
    if message := size_refusal(filename, len(data)):
        raise FileOverLimit(message)
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, ValueError):
            return  # not a readable archive: the reader says so
        total = sum(m.file_size for m in members)
        if total > limit["unzipped_mb"] * MB:
            raise FileOverLimit(
                f"文件“{filename}”解压后共 {total / MB:.1f} MB，超过解压后大小上限 {limit['unzipped_mb']} MB"
                "（ZWGK_UNZIPPED_MAX_MB），可能是压缩炸弹，已拒绝。"
            )
        compressed = max(1, sum(m.compress_size for m in members))
        if total > RATIO_FLOOR and total / compressed > limit["zip_ratio"]:
            raise FileOverLimit(
                f"文件“{filename}”的压缩比为 {total / compressed:.0f}:1，超过压缩比上限 {limit['zip_ratio']}:1"
                "（ZWGK_ZIP_MAX_RATIO），可能是压缩炸弹，已拒绝。"
            )
    elif data[:5] == b"%PDF-":
        pages = _pdf_page_count(data)
        if pages is not None and pages > limit["pdf_pages"]:
            raise FileOverLimit(
                f"PDF 文件“{filename}”共 {pages} 页，超过页数上限 {limit['pdf_pages']} 页（ZWGK_PDF_MAX_PAGES）。"
            )


def _pdf_page_count(data: bytes) -> int | None:
    try:
        import pypdfium2 as pdfium  # heavy: 0.1 s to import, only for a PDF

        document = pdfium.PdfDocument(data)
        try:
            return len(document)
        finally:
            document.close()
    except Exception:  # noqa: BLE001 — let pypdf count, or leave it to the reader
        try:
            from pypdf import PdfReader  # heavy: 0.2 s to import, only for a PDF PDFium refuses

            return len(PdfReader(io.BytesIO(data)).pages)
        except Exception:  # noqa: BLE001
            return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


# DOCX and XLSX are read straight from their XML parts with lxml (a python-docx dependency): the archive
# scan reads tens of thousands of attachments, and python-docx/openpyxl cost 20–50 ms a file, most of it
# building objects we never use. The parser resolves no entities and fetches nothing (untrusted uploads).
_PARSER = None
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xml(archive: zipfile.ZipFile, name: str):
    global _PARSER
    if _PARSER is None:
        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    return etree.fromstring(_member(archive, name), _PARSER)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, at most its declared size and the unzipped limit (a lying directory stops here)."""
    cap = limits()["unzipped_mb"] * MB
    declared = archive.getinfo(name).file_size
    with archive.open(name) as handle:
        data = handle.read(min(declared, cap) + 1)
    if len(data) > min(declared, cap):
        raise FileOverLimit(
            f"压缩包成员“{name}”解压后超过其声明大小或上限 {cap // MB} MB（ZWGK_UNZIPPED_MAX_MB），已拒绝。"
        )
    return data


def _paragraph(p) -> str:
    parts = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        else:  # a line break; a page break is a form feed, as between a PDF's pages
            parts.append("\f" if node.get(W + "type") == "page" else "\n")
    return "".join(parts)


def _docx(data: bytes) -> str:
    """Paragraphs and table rows (cells tab-separated) in document order, then headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        lines = []
        parts = ["word/document.xml"] + sorted(
            n
            for n in archive.namelist()
            if re.fullmatch(r"word/(header|footer|footnotes|endnotes)\d*\.xml", n)
        )
        for name in parts:
            root = _xml(archive, name)
            container = root.find(W + "body") if name == "word/document.xml" else root
            for child in container.iter(W + "p", W + "tbl"):
                # Whatever sits inside a table or a paragraph (text boxes) came with that table or paragraph.
                if next(child.iterancestors(W + "tbl", W + "p"), None) is not None:
                    continue
                if child.tag == W + "p":
                    lines.append(_paragraph(child))
                    continue
                for row in child.iter(W + "tr"):
                    if next(row.iterancestors(W + "tbl")) is child:
                        cells = row.iterchildren(W + "tc")
                        lines.append("\t".join("\n".join(map(_paragraph, c.iter(W + "p"))) for c in cells))
    return "\n".join(lines)


def _column(reference: str) -> int:
    index = 0
    for ch in reference:
        if not ch.isalpha():
            break
        index = index * 26 + ord(ch.upper()) - 64
    return index - 1


def _xlsx(data: bytes) -> str:
    """Every sheet's rows, cells tab-separated in their columns (shared and inline strings, numbers)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in _xml(archive, "xl/sharedStrings.xml").iterchildren(S + "si"):
                shared.append("".join(t.text or "" for t in item.iter(S + "t")))
        sheets = sorted(
            (n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
            key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)),
        )
        lines = []
        for name in sheets:
            for row in _xml(archive, name).iter(S + "row"):
                values: list[str] = []
                for cell in row.iterchildren(S + "c"):
                    kind, v = cell.get("t"), cell.find(S + "v")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in cell.iter(S + "t"))
                    elif v is None or v.text is None:
                        continue
                    elif kind == "s":
                        text = shared[int(v.text)]
                    elif kind in ("str", "e", "b", "d"):
                        text = v.text
                    else:
                        text = _number(v.text)
                    column = _column(cell.get("r", "")) if cell.get("r") else len(values)
                    values.extend([""] * (column - len(values)))
                    values.append(text)
                lines.append("\t".join(values))
    return "\n".join(lines)


def _number(raw: str) -> str:
    """A stored number as openpyxl would give it: 13912345678 stays whole, not 1.3912345678E10."""
    if raw.lstrip("-").isdigit():
        return raw
    try:
        return _cell(float(raw))
    except ValueError:
        return raw


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID or card number typed as a number
    return str(value)


def _xls(data: bytes) -> str:
    import xlrd  # heavy: only for an old .xls

    book = xlrd.open_workbook(file_contents=data)
    lines = []
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            lines.append("\t".join(_cell(v) for v in sheet.row_values(r)))
    return "\n".join(lines)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc, .xls, .wps, .et


def _pdf(data: bytes) -> Extracted:
    """The text layer, read by PDFium (pypdfium2, ~10× pypdf); a page without one (a scan: no text, an
    image) is rendered at ZWGK_OCR_DPI and read by OCR, up to ZWGK_OCR_MAX_PAGES pages a file. Boxes
    are in PDF points from the page's top left. pypdf reads what PDFium refuses (no OCR then)."""
    import pypdfium2 as pdfium  # heavy: 0.1 s to import, only for a PDF
    import pypdfium2.raw as pdfium_c  # heavy: as pypdfium2

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise UnsupportedFile("PDF 文件已加密（需要打开密码），无法读取内容") from error
        from pypdf import PdfReader  # heavy: 0.2 s to import, only for a PDF PDFium refuses

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnsupportedFile("PDF 文件已加密（需要打开密码），无法读取内容") from error
        return Extracted("\f".join(page.extract_text() or "" for page in reader.pages))
    settings = ocr.config()
    pages: list[str] = []
    spans: list = []
    problems: list[str] = []
    scanned: list[int] = []
    offset = 0
    try:
        for number, page in enumerate(document, start=1):
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            if len(text.strip()) < 10 and any(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])):
                scanned.append(number)
                if len(scanned) <= settings["max_pages"] and ocr.available():
                    image = page.render(scale=settings["dpi"] / 72, grayscale=True).to_pil()
                    try:
                        text, found = ocr.ocr_image(
                            image, page=number, offset=offset, scale=72 / settings["dpi"]
                        )
                        spans += found
                    except ocr.OcrFailed as error:
                        problems.append(f"第 {number} 页（扫描页）：{error}")
                    del image
            page.close()
            pages.append(text)
            offset += len(text) + 1
    finally:
        document.close()
    if scanned and not ocr.available():
        problems.append(f"第 {_pages(scanned)} 页没有文字层（扫描件），{ocr.unavailable_reason()}")
    elif len(scanned) > settings["max_pages"]:
        problems.append(
            f"扫描页超过 {settings['max_pages']} 页（ZWGK_OCR_MAX_PAGES），第 {_pages(scanned[settings['max_pages'] :])}"
            " 页未识别"
        )
    # Pages end with a form feed (as pdftotext writes them): the search says on which page a hit is.
    return Extracted("\f".join(pages), spans, problems)


def _pages(numbers: list[int]) -> str:
    shown = "、".join(map(str, numbers[:10]))
    return shown + ("等" if len(numbers) > 10 else "")


def _image(data: bytes) -> Extracted:
    """An image read by OCR (the first frame of a GIF or TIFF); boxes in the image's pixels."""
    Image.MAX_IMAGE_PIXELS = 200_000_000  # a decompression bomb beyond this is refused by Pillow
    if reason := ocr.unavailable_reason():
        raise UnsupportedFile(f"图片需文字识别才能审查：{reason}")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        text, spans = ocr.ocr_image(image)
    return Extracted(text, spans)


def _office_convert(data: bytes, extension: str, target: str) -> bytes:
    """Convert an old Office/WPS file with LibreOffice (headless, its own profile, ZWGK_OCR_TIMEOUT)."""
    command = shutil.which("soffice") or shutil.which("libreoffice")
    if command is None:
        raise UnsupportedFile(
            f".{extension} 文件需 LibreOffice 才能读取（Debian：apt-get install libreoffice-writer-nogui）"
        )
    with tempfile.TemporaryDirectory(prefix="zwgk-office-") as folder:
        source = os.path.join(folder, f"in.{extension}")
        with open(source, "wb") as handle:
            handle.write(data)
        try:
            subprocess.run(
                [command, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--norestore"]
                + ["--convert-to", target, "--outdir", folder, source],
                capture_output=True,
                timeout=ocr.config()["timeout"],
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise UnsupportedFile(f"LibreOffice 转换 .{extension} 文件超时") from error
        outputs = [n for n in os.listdir(folder) if n == f"in.{target}"]
        if not outputs:
            raise UnsupportedFile(f".{extension} 文件无法由 LibreOffice 打开（文件损坏或已加密）")
        with open(os.path.join(folder, outputs[0]), "rb") as handle:
            return handle.read()


def _word97(data: bytes) -> str:
    """.doc and WPS .wps: a DOCX inside (newer WPS saves so) is read as DOCX; else LibreOffice converts it."""
    if data[:4] == b"PK\x03\x04":
        return _docx(data)
    if data[:8] != OLE:
        raise UnsupportedFile("不是 Word 或 WPS 文字文件（文件头不符）")
    return _docx(_office_convert(data, "doc", "docx"))


def _wps_sheet(data: bytes) -> str:
    """WPS .et: an XLSX inside is read as XLSX, a BIFF workbook by xlrd, anything else by LibreOffice."""
    if data[:4] == b"PK\x03\x04":
        return _xlsx(data)
    try:
        return _xls(data)
    except Exception:  # noqa: BLE001 — WPS's own format: let LibreOffice convert it
        return _xlsx(_office_convert(data, "et", "xlsx"))


def _csv(data: bytes) -> str:
    return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(_decode(data))))


EXTRACTORS = {
    "docx": _docx,
    "xlsx": _xlsx,
    "xls": _xls,
    "doc": _word97,
    "wps": _word97,
    "et": _wps_sheet,
    "pdf": _pdf,
    "jpg": _image,
    "jpeg": _image,
    "png": _image,
    "tif": _image,
    "tiff": _image,
    "bmp": _image,
    "gif": _image,
    "csv": _csv,
    "txt": lambda d: _decode(d),
    "html": lambda d: html_to_text(_decode(d)),
    "htm": lambda d: html_to_text(_decode(d)),
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif"}
SUPPORTED = "DOCX、XLSX、XLS、DOC、WPS、ET、PDF（含扫描件）、JPG、PNG 等图片、CSV、TXT、HTML"


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else "txt"


def read(filename: str, data: bytes) -> Extracted:
    """Text, OCR spans and unreadable parts of a file; FileOverLimit (before reading anything) for a
    file over an upload limit, UnsupportedFile with the reason for a file that cannot be read at all."""
    check_limits(filename, data)
    extractor = EXTRACTORS.get(extension_of(filename))
    if extractor is None:
        raise UnsupportedFile(f"不支持审查此类文件：{filename}（支持 {SUPPORTED}）")
    try:
        result = extractor(data)
    except FileOverLimit:
        raise
    except UnsupportedFile as error:
        raise UnsupportedFile(f"无法读取文件“{filename}”：{error}") from error
    except Exception as error:  # a corrupt file must say so, not crash the scan
        raise UnsupportedFile(f"无法读取文件“{filename}”：{error or type(error).__name__}") from error
    return result if isinstance(result, Extracted) else Extracted(result)


def extract_text(filename: str, data: bytes) -> str:
    """The text of a file (see `read`)."""
    return read(filename, data).text
