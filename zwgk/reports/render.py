"""The annual report as DOCX (official layout: six sections, the tables), XLSX (the tables) and HTML."""

import io

from django.template.loader import render_to_string

from .annual import APPEAL_COLUMNS, CARRIED, COLUMNS, FORWARD, NEW, RESULTS_KEY, T2, T3, T4

TEXT_SECTIONS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def table2_rows(report):
    t2 = report[T2]
    rows = [
        (
            "第二十条第（一）项",
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            [[name, *values.values()] for name, values in t2["第二十条第（一）项"].items()],
        )
    ]
    for caption, header in (
        ("第二十条第（五）项", "本年处理决定数量"),
        ("第二十条第（六）项", "本年处理决定数量"),
        ("第二十条第（八）项", "本年收费金额（单位：万元）"),
    ):
        rows.append(
            (
                caption,
                ["信息内容", header],
                [[name, *values.values()] for name, values in t2[caption].items()],
            )
        )
    return rows


def table3_rows(report):
    """[(label, [7 numbers])] in the official row order."""
    t3 = report[T3]
    rows = [(NEW, t3[NEW]), (CARRIED, t3[CARRIED])]
    for group, value in t3[RESULTS_KEY].items():
        if "总计" in value:
            rows.append((group, value))
        else:
            rows.append((group, None))
            rows.extend((reason, row) for reason, row in value.items())
    rows.append((FORWARD, t3[FORWARD]))
    return [(label, [row[c] for c in COLUMNS] if row else None) for label, row in rows]


def table4_row(report):
    t4 = report[T4]
    groups = [t4["行政复议"], t4["行政诉讼"]["未经复议直接起诉"], t4["行政诉讼"]["复议后起诉"]]
    return [g[c] for g in groups for c in APPEAL_COLUMNS]


def to_docx(report, title: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for section in ("一、总体情况", T2, T3, T4, "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        document.add_heading(section, level=2)
        if section in TEXT_SECTIONS:
            for paragraph in (report[section] or "（无）").split("\n"):
                document.add_paragraph(paragraph)
        elif section == T2:
            for caption, header, rows in table2_rows(report):
                table = document.add_table(rows=2 + len(rows), cols=len(header))
                table.style = "Table Grid"
                table.cell(0, 0).merge(table.cell(0, len(header) - 1)).text = caption
                for i, h in enumerate(header):
                    table.cell(1, i).text = h
                for r, row in enumerate(rows, start=2):
                    for c, value in enumerate(row):
                        table.cell(r, c).text = str(value)
        elif section == T3:
            rows = table3_rows(report)
            table = document.add_table(rows=1 + len(rows), cols=1 + len(COLUMNS))
            table.style = "Table Grid"
            table.cell(0, 0).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            for i, column in enumerate(COLUMNS, start=1):
                table.cell(0, i).text = column
            for r, (label, values) in enumerate(rows, start=1):
                table.cell(r, 0).text = label
                for c, value in enumerate(values or [], start=1):
                    table.cell(r, c).text = str(value)
        elif section == T4:
            headers = (
                [f"行政复议/{c}" for c in APPEAL_COLUMNS]
                + [f"行政诉讼/未经复议直接起诉/{c}" for c in APPEAL_COLUMNS]
                + [f"行政诉讼/复议后起诉/{c}" for c in APPEAL_COLUMNS]
            )
            table = document.add_table(rows=2, cols=len(headers))
            table.style = "Table Grid"
            for i, (h, v) in enumerate(zip(headers, table4_row(report), strict=True)):
                table.cell(0, i).text = h
                table.cell(1, i).text = str(v)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(report, title: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "二、主动公开"
    sheet.append([title])
    for caption, header, rows in table2_rows(report):
        sheet.append([caption])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    sheet3 = workbook.create_sheet("三、申请情况")
    sheet3.append(["", *COLUMNS])
    for label, values in table3_rows(report):
        sheet3.append([label, *(values or [])])
    sheet4 = workbook.create_sheet("四、复议诉讼")
    sheet4.append(
        [f"行政复议/{c}" for c in APPEAL_COLUMNS]
        + [f"行政诉讼/未经复议直接起诉/{c}" for c in APPEAL_COLUMNS]
        + [f"行政诉讼/复议后起诉/{c}" for c in APPEAL_COLUMNS]
    )
    sheet4.append(table4_row(report))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_html(report, title: str) -> str:
    return render_to_string(
        "reports/annual_report.html",
        {
            "title": title,
            "report": report,
            "t2": table2_rows(report),
            "t3": table3_rows(report),
            "t4": table4_row(report),
            "columns": COLUMNS,
            "appeal_columns": APPEAL_COLUMNS,
            "texts": {k: report[k] for k in TEXT_SECTIONS},
        },
    )
