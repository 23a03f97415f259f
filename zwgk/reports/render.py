"""The annual report as DOCX (six sections, the official tables), XLSX (the tables) and HTML.

The three tables come from layout.py as grids of cells with their spans; each format draws the same
grid, so merged cells and header rows are those of the official template (国办公开办函〔2021〕30号).
"""

import io

import docx
import openpyxl
from django.template.loader import render_to_string
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Border, Font, Side

from .annual import T2, T3, T4
from .layout import grids

TEXT_SECTIONS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
SECTIONS = ("一、总体情况", T2, T3, T4, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
SHEET_NAMES = {T2: "二、主动公开", T3: "三、申请情况", T4: "四、复议诉讼"}


def _repeat_as_header(row) -> None:
    """Mark a DOCX table row as a header row, repeated on each page (w:tblHeader)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _docx_table(document, grid):
    table = document.add_table(rows=len(grid.rows), cols=grid.columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, grid.widths, strict=False):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, grid.widths, strict=False):
            cell.width = Cm(width)
    for r, c, cell in grid.placed():
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for paragraph in target.paragraphs:
            if cell.kind in ("col", "colgroup", "rowgroup") or not cell.kind:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.font.size = Pt(9)
                run.bold = cell.kind in ("col", "colgroup")
    for r in range(grid.header_rows):
        _repeat_as_header(table.rows[r])
    return table


def to_docx(report, title: str) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2)
    document.add_heading(title, level=1)
    tables = {grid.title: grid for grid in grids(report)}
    for section in SECTIONS:
        document.add_heading(section, level=2)
        if section in TEXT_SECTIONS:
            for paragraph in (report[section] or "（无）").split("\n"):
                document.add_paragraph(paragraph)
        else:
            _docx_table(document, tables[section])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _figure(text: str):
    """A figure as a number in the spreadsheet: counts as int, 万元 amounts as float."""
    return int(text) if text.isdigit() else float(text)


def to_xlsx(report, title: str) -> bytes:
    """One sheet per table: the title in row 1, the official table from row 3 with its merged cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for grid in grids(report):
        sheet = workbook.create_sheet(SHEET_NAMES[grid.title])
        for c, width in enumerate(grid.widths, start=1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width * 5
        sheet.cell(1, 1, f"{title}　{grid.title}").font = Font(bold=True)
        top = 3
        for r, c, cell in grid.placed():
            row, column = top + r, 1 + c
            sheet.cell(row, column, cell.text if cell.kind else _figure(cell.text))
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + cell.rowspan - 1,
                    end_column=column + cell.colspan - 1,
                )
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    target = sheet.cell(row + dr, column + dc)
                    target.border = border
                    target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                    target.font = Font(bold=cell.kind in ("col", "colgroup"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_html(report, title: str) -> str:
    tables = {grid.title: grid for grid in grids(report)}
    return render_to_string(
        "reports/annual_report.html",
        {
            "title": title,
            "t2": tables[T2],
            "t3": tables[T3],
            "t4": tables[T4],
            "texts": {k: report[k] for k in TEXT_SECTIONS},
        },
    )
