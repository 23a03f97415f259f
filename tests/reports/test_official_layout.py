"""The annual report's tables have the official template's structure (国办公开办函〔2021〕30号, spec §2.2–2.4),
not only its labels: header rows and merged cells read back from DOCX (python-docx), XLSX (openpyxl) and
HTML (html5lib), each checked against the template written out below."""

import io

import docx
import html5lib
import openpyxl
import pytest

from zwgk.reports.annual import build_annual_report
from zwgk.reports.render import to_docx, to_html, to_xlsx

pytestmark = pytest.mark.django_db
TITLE = "龙溪县人民政府2025年政府信息公开工作年度报告"
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# The template, as (text, first row, first column, rows spanned, columns spanned) — spec §2.3.
T3_SPANS = [
    (CORNER, 0, 0, 3, 3),
    ("申请人情况", 0, 3, 1, 7),
    ("自然人", 1, 3, 2, 1),
    ("法人或其他组织", 1, 4, 1, 5),
    ("总计", 1, 9, 2, 1),
    ("商业企业", 2, 4, 1, 1),
    ("其他", 2, 8, 1, 1),
    ("一、本年新收政府信息公开申请数量", 3, 0, 1, 3),
    ("二、上年结转政府信息公开申请数量", 4, 0, 1, 3),
    ("三、本年度办理结果", 5, 0, 22, 1),
    ("（一）予以公开", 5, 1, 1, 2),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 6, 1, 1, 2),
    ("（三）不予公开", 7, 1, 8, 1),
    ("1.属于国家秘密", 7, 2, 1, 1),
    ("8.属于行政查询事项", 14, 2, 1, 1),
    ("（四）无法提供", 15, 1, 3, 1),
    ("（五）不予处理", 18, 1, 5, 1),
    ("（六）其他处理", 23, 1, 3, 1),
    ("3.其他", 25, 2, 1, 1),
    ("（七）总计", 26, 1, 1, 2),
    ("四、结转下年度继续办理", 27, 0, 1, 3),
]
# spec §2.4: 行政复议's five columns span two header rows; 行政诉讼 has two sub-groups of five.
T4_SPANS = [
    ("行政复议", 0, 0, 1, 5),
    ("行政诉讼", 0, 5, 1, 10),
    ("结果维持", 1, 0, 2, 1),
    ("总计", 1, 4, 2, 1),
    ("未经复议直接起诉", 1, 5, 1, 5),
    ("复议后起诉", 1, 10, 1, 5),
    ("结果维持", 2, 5, 1, 1),
    ("总计", 2, 14, 1, 1),
]
# spec §2.2: one four-column table, each sub-table headed by its article; single figures span three columns.
T2_SPANS = [
    ("第二十条第（一）项", 0, 0, 1, 4),
    ("信息内容", 1, 0, 1, 1),
    ("本年制发件数", 1, 1, 1, 1),
    ("现行有效件数", 1, 3, 1, 1),
    ("规章", 2, 0, 1, 1),
    ("行政规范性文件", 3, 0, 1, 1),
    ("第二十条第（五）项", 4, 0, 1, 4),
    ("本年处理决定数量", 5, 1, 1, 3),
    ("行政许可", 6, 0, 1, 1),
    ("第二十条第（六）项", 7, 0, 1, 4),
    ("行政处罚", 9, 0, 1, 1),
    ("行政强制", 10, 0, 1, 1),
    ("第二十条第（八）项", 11, 0, 1, 4),
    ("本年收费金额（单位：万元）", 12, 1, 1, 3),
    ("行政事业性收费", 13, 0, 1, 1),
]


def docx_spans(table):
    """{(row, column): (text, rows spanned, columns spanned)} of a python-docx table's merged cells."""
    spans = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            key = cell._tc  # the element itself: a merged cell is one <w:tc> (an id() could be reused)
            if key not in spans:
                spans[key] = [cell.text, r, c, r, c]
            spans[key][3], spans[key][4] = max(spans[key][3], r), max(spans[key][4], c)
    return {(r, c): (text, r2 - r + 1, c2 - c + 1) for text, r, c, r2, c2 in spans.values()}


def check(spans, template):
    for text, r, c, rows, columns in template:
        assert spans[(r, c)] == (text, rows, columns), (text, spans.get((r, c)))


def test_docx_tables_have_the_templates_merged_cells_and_header_rows(county):
    """30号: 表三's three header rows and group cells, 表四's parent headers, 表二's four sub-tables."""
    document = docx.Document(io.BytesIO(to_docx(build_annual_report(county, 2025), TITLE)))
    t2, t3, t4 = document.tables
    check(docx_spans(t3), T3_SPANS)
    check(docx_spans(t4), T4_SPANS)
    check(docx_spans(t2), T2_SPANS)
    assert len(t3.rows) == 3 + 2 + 22 + 1 and len(t3.columns) == 10
    # The figures of （七）总计 sit under the seven applicant columns.
    assert [c.text for c in t3.rows[26].cells[3:]] == ["5", "4", "4", "3", "3", "4", "23"]
    assert [c.text for c in t4.rows[3].cells][:5] == ["1", "0", "0", "0", "1"]
    # The header rows repeat on each page.
    header_rows = [
        r
        for r in t3.rows
        if r._tr.trPr is not None and r._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    ]
    assert len(header_rows) == 3


def test_xlsx_sheets_have_the_templates_merged_ranges(county):
    """30号: the same merged cells in the spreadsheet (the tables start on row 3 under their title)."""
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(build_annual_report(county, 2025), TITLE)))
    for sheet_name, template in (
        ("三、申请情况", T3_SPANS),
        ("四、复议诉讼", T4_SPANS),
        ("二、主动公开", T2_SPANS),
    ):
        sheet = workbook[sheet_name]
        merged = {
            (m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
            for m in sheet.merged_cells.ranges
        }
        for text, r, c, rows, columns in template:
            assert sheet.cell(3 + r, 1 + c).value == text
            assert merged.get((3 + r, 1 + c), (1, 1)) == (rows, columns), text
    sheet = workbook["三、申请情况"]
    assert [sheet.cell(3 + 26, c).value for c in range(4, 11)] == [5, 4, 4, 3, 3, 4, 23]


def html_spans(table):
    """Place an HTML table's cells on a grid (rowspan/colspan) as a browser does."""
    ns = "{http://www.w3.org/1999/xhtml}"
    covered, spans = set(), {}
    rows = [tr for section in table for tr in section if tr.tag == f"{ns}tr"]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            while (r, c) in covered:
                c += 1
            rowspan, colspan = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            spans[(r, c)] = (
                "".join(cell.itertext()),
                rowspan,
                colspan,
                cell.tag[len(ns) :],
                cell.get("scope"),
            )
            covered.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            c += colspan
    return rows, spans


def test_html_tables_have_the_templates_spans_and_header_cells(county):
    """30号 in HTML: thead holds the header rows; group cells are th scope=rowgroup with the row spans."""
    ns = "{http://www.w3.org/1999/xhtml}"
    tree = html5lib.parse(to_html(build_annual_report(county, 2025), TITLE))
    t2, t3, t4 = tree.iter(f"{ns}table")
    for table, template, header_rows in ((t3, T3_SPANS, 3), (t4, T4_SPANS, 3), (t2, T2_SPANS, 0)):
        rows, spans = html_spans(table)
        for text, r, c, rowspan, colspan in template:
            assert spans[(r, c)][:3] == (text, rowspan, colspan)
        head = table.find(f"{ns}thead")
        assert (len(head) if head is not None else 0) == header_rows
    _, spans = html_spans(t3)
    assert spans[(5, 0)][3:] == ("th", "rowgroup") and spans[(7, 1)][3:] == ("th", "rowgroup")
    assert spans[(7, 2)][3:] == ("th", "row") and spans[(7, 3)][3] == "td"
    assert spans[(0, 3)][3:] == ("th", "colgroup")
