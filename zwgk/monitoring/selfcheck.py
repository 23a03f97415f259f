"""The monthly 自查报告 of a site in the inspection's table form (DOCX and XLSX)."""

import calendar
import datetime as dt
import io

from django.utils import timezone
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .indicators import site_report

STATUS_LABELS = {"ok": "合格", "warn50": "合格（预警50%）", "warn80": "合格（预警80%）", "fail": "不合格"}
HEADERS = ["序号", "指标类别", "指标", "检查值", "阈值", "结果", "扣分", "证据链接"]


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def report_for_month(site, year: int, month: int, today: dt.date | None = None) -> dict:
    """The site's indicators at the month's last day (or today, for the current month)."""
    today = today or timezone.localdate()
    point = min(month_end(year, month), today)
    now = timezone.make_aware(dt.datetime.combine(point, dt.time(23, 59)))
    if point == today:
        now = timezone.now()
    return site_report(site, point, now)


def title(report: dict, year: int, month: int) -> str:
    return f"{report['name']}（{report['site']}）{year}年{month}月政府网站自查报告"


def rows(report: dict) -> list[list]:
    """One row per indicator: 序号, 单项否决/扣分, name, value, threshold, pass/fail, points, evidence."""
    result = []
    for n, row in enumerate(report["indicators"], 1):
        value = "未检测" if row["value"] is None else f"{row['value']}{row.get('unit', '')}"
        if row.get("note") and row["value"] is None:
            value = row["note"]
        result.append(
            [
                n,
                "单项否决" if row["veto"] else "扣分指标",
                row["name"],
                value,
                row["threshold"],
                STATUS_LABELS[row["status"]] if row["veto"] else ("扣分" if row.get("points") else "不扣分"),
                row.get("points", "") if not row["veto"] else "",
                "\n".join(row["evidence"]),
            ]
        )
    return result


def summary(report: dict) -> str:
    return f"得分：{report['score']}分；结论：{report['verdict']}"


def to_docx(report: dict, year: int, month: int) -> bytes:
    document = Document()
    document.add_heading(title(report, year, month), level=1)
    document.add_paragraph(f"主办机关：{report['organisation']}")
    document.add_paragraph(summary(report))
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    for values in rows(report):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if report.get("warnings"):
        document.add_heading("栏目更新预警", level=2)
        for warning in report["warnings"]:
            document.add_paragraph(
                f"{warning['column']}：{warning['days']}天未更新（更新周期{warning['period']}天）{warning['url']}",
                style="List Bullet",
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(report: dict, year: int, month: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "自查报告"
    sheet.append([title(report, year, month)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([summary(report)])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for values in rows(report):
        sheet.append(values)
    for row in sheet.iter_rows(min_row=4):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGH", (6, 10, 28, 16, 8, 16, 8, 60), strict=True):
        sheet.column_dimensions[column].width = width
    if report.get("warnings"):
        warnings = workbook.create_sheet("栏目更新预警")
        warnings.append(["栏目", "未更新天数", "更新周期（天）", "预警", "网址"])
        for w in report["warnings"]:
            warnings.append([w["column"], w["days"], w["period"], STATUS_LABELS[w["status"]], w["url"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
