"""Text out of attachments: DOCX, XLSX, XLS, PDF (text layer), CSV, TXT, HTML.

One line per paragraph / table row / sheet row, so findings can be shown with their context.
"""

import csv
import html
import io
import re


class UnsupportedFile(Exception):
    pass


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _xlsx(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else _cell(v) for v in row))
    return "\n".join(lines)


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
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def html_to_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6])>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


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
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "txt"
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        raise UnsupportedFile(f"不支持审查此类文件：{filename}（支持 DOCX、XLSX、XLS、PDF、CSV、TXT、HTML）")
    try:
        return extractor(data)
    except Exception as error:  # a corrupt or encrypted file must say so, not crash the scan
        raise UnsupportedFile(f"无法读取文件“{filename}”：{error}") from error
