"""Text out of attachments: DOCX, XLSX, XLS, PDF (text layer), CSV, TXT, HTML.

One line per paragraph / table row / sheet row, so findings can be shown with their context.
"""

import csv
import io
import re
import zipfile

from zwgk.text.html import html_to_text  # noqa: F401  (screening's modules read it from here)


class UnsupportedFile(Exception):
    pass


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
        from django.conf import settings

        return {
            "upload_mb": settings.ZWGK_UPLOAD_MAX_MB,
            "unzipped_mb": settings.ZWGK_UNZIPPED_MAX_MB,
            "zip_ratio": settings.ZWGK_ZIP_MAX_RATIO,
            "pdf_pages": settings.ZWGK_PDF_MAX_PAGES,
        }
    except Exception:  # noqa: BLE001 — no settings module (a script), or an older settings file
        return dict(DEFAULT_LIMITS)


def check_limits(filename: str, data: bytes) -> None:
    """Raise FileOverLimit, with a Chinese message naming the limit, for a file too big to accept or read.

    Cheap: a ZIP container (DOCX, XLSX, OFD, ZIP) is judged by its directory (the sizes its members
    declare), a PDF by its page count; nothing is decompressed or parsed beyond that. The readers below
    also stop at the declared sizes, so a directory that lies does not get past them.
    """
    limit = limits()
    if len(data) > limit["upload_mb"] * MB:
        raise FileOverLimit(
            f"文件“{filename}”大小为 {len(data) / MB:.1f} MB，超过上传上限 {limit['upload_mb']} MB"
            "（ZWGK_UPLOAD_MAX_MB）。"
        )
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
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            return len(document)
        finally:
            document.close()
    except Exception:  # noqa: BLE001 — let pypdf count, or leave it to the reader
        try:
            from pypdf import PdfReader

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
    from lxml import etree

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
        parts.append(node.text or "" if node.tag == W + "t" else "\t" if node.tag == W + "tab" else "\n")
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
    import xlrd

    book = xlrd.open_workbook(file_contents=data)
    lines = []
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            lines.append("\t".join(_cell(v) for v in sheet.row_values(r)))
    return "\n".join(lines)


def _pdf(data: bytes) -> str:
    """The text layer, read by PDFium (pypdfium2, ~10× pypdf); pypdf for files PDFium refuses."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 — let pypdf try, and raise its error if it fails too
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        document.close()


def _csv(data: bytes) -> str:
    return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(_decode(data))))


EXTRACTORS = {
    "docx": _docx,
    "xlsx": _xlsx,
    "xls": _xls,
    "pdf": _pdf,
    "csv": _csv,
    "txt": lambda d: _decode(d),
    "html": lambda d: html_to_text(_decode(d)),
    "htm": lambda d: html_to_text(_decode(d)),
}


def extract_text(filename: str, data: bytes) -> str:
    """The text of a file; FileOverLimit (before reading anything) for a file over an upload limit."""
    check_limits(filename, data)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "txt"
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        raise UnsupportedFile(f"不支持审查此类文件：{filename}（支持 DOCX、XLSX、XLS、PDF、CSV、TXT、HTML）")
    try:
        return extractor(data)
    except FileOverLimit:
        raise
    except Exception as error:  # a corrupt or encrypted file must say so, not crash the scan
        raise UnsupportedFile(f"无法读取文件“{filename}”：{error}") from error
