"""The official tables of the annual report (国办公开办函〔2021〕30号, spec §2.2–2.4) as grids of cells.

One grid per table, each cell with its text and its row and column span, drawn the same way into
DOCX, XLSX and HTML (render.py): 表二 one four-column table of four sub-tables; 表三 three header rows
(“申请人情况” over seven columns, “法人或其他组织” over five), “三、本年度办理结果” spanning its 22
rows and the （三）–（六） group cells spanning their sub-rows; 表四 “行政复议” and “行政诉讼” over
“未经复议直接起诉” and “复议后起诉”.
"""

from dataclasses import dataclass

from .annual import APPEAL_COLUMNS, CARRIED, COLUMNS, FORWARD, NEW, RESULTS_KEY, T2, T3, T4

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
LEGAL_PERSONS = COLUMNS[1:6]  # 法人或其他组织: 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他


@dataclass(frozen=True)
class Cell:
    """One cell of an official table. `kind`: "col" / "colgroup" (column headers), "row" / "rowgroup"
    (row labels) or "" (a figure)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = ""

    @property
    def is_header(self) -> bool:
        return bool(self.kind)


@dataclass(frozen=True)
class Grid:
    """A table: `rows` list each row's cells left to right, leaving out places covered by a span above
    (as HTML does); the first `header_rows` rows are the column headers."""

    title: str
    columns: int
    header_rows: int
    rows: list
    widths: tuple = ()  # column widths in centimetres on an A4 page (DOCX; relative in XLSX)

    @property
    def head(self):
        return self.rows[: self.header_rows]

    @property
    def body(self):
        return self.rows[self.header_rows :]

    def placed(self):
        """Yield (row, column, cell) with each cell's top-left position in the full grid."""
        covered: set[tuple[int, int]] = set()
        for r, cells in enumerate(self.rows):
            c = 0
            for cell in cells:
                while (r, c) in covered:
                    c += 1
                yield r, c, cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covered.add((r + dr, c + dc))
                c += cell.colspan


def _figures(values) -> list[Cell]:
    return [Cell(str(v)) for v in values]


def table2_grid(report) -> Grid:
    """表二 (spec §2.2): one table of four columns; each sub-table opens with its article as a caption row
    and its own 信息内容 header row; single-figure sub-tables span their figure over three columns."""
    t2 = report[T2]
    rows = []
    first = t2["第二十条第（一）项"]
    rows.append([Cell("第二十条第（一）项", colspan=4, kind="colgroup")])
    rows.append([Cell(h, kind="col") for h in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")])
    for name, values in first.items():
        rows.append([Cell(name, kind="row"), *_figures(values.values())])
    for caption, header in (
        ("第二十条第（五）项", "本年处理决定数量"),
        ("第二十条第（六）项", "本年处理决定数量"),
        ("第二十条第（八）项", "本年收费金额（单位：万元）"),
    ):
        rows.append([Cell(caption, colspan=4, kind="colgroup")])
        rows.append([Cell("信息内容", kind="col"), Cell(header, colspan=3, kind="col")])
        for name, values in t2[caption].items():
            (value,) = values.values()
            rows.append([Cell(name, kind="row"), Cell(_number(value), colspan=3)])
    return Grid(T2, 4, 0, rows, (5.0, 4.0, 4.0, 4.0))


def _number(value) -> str:
    """收费金额 in 万元 with up to four decimals, without trailing zeros; counts as integers."""
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def table3_grid(report) -> Grid:
    """表三 (spec §2.3): three label columns and seven figure columns under three header rows."""
    t3 = report[T3]
    rows = [
        [Cell(T3_CORNER, rowspan=3, colspan=3, kind="col"), Cell("申请人情况", colspan=7, kind="colgroup")],
        [
            Cell(COLUMNS[0], rowspan=2, kind="col"),
            Cell("法人或其他组织", colspan=5, kind="colgroup"),
            Cell(COLUMNS[6], rowspan=2, kind="col"),
        ],
        [Cell(c, kind="col") for c in LEGAL_PERSONS],
    ]

    def figures(row):
        return _figures(row[c] for c in COLUMNS)

    rows.append([Cell(NEW, colspan=3, kind="row"), *figures(t3[NEW])])
    rows.append([Cell(CARRIED, colspan=3, kind="row"), *figures(t3[CARRIED])])
    results = t3[RESULTS_KEY]
    body = []
    for group, value in results.items():
        if "总计" in value:  # （一）, （二）, （七）总计: one row, label over two columns
            body.append([Cell(group, colspan=2, kind="row"), *figures(value)])
        else:  # （三）–（六）: a group cell spanning its reasons
            for i, (reason, row) in enumerate(value.items()):
                lead = [Cell(group, rowspan=len(value), kind="rowgroup")] if i == 0 else []
                body.append([*lead, Cell(reason, kind="row"), *figures(row)])
    body[0].insert(0, Cell(RESULTS_KEY, rowspan=len(body), kind="rowgroup"))
    rows.extend(body)
    rows.append([Cell(FORWARD, colspan=3, kind="row"), *figures(t3[FORWARD])])
    return Grid(T3, 10, 3, rows, (1.3, 1.7, 5.3, *[1.25] * 7))


def table4_grid(report) -> Grid:
    """表四 (spec §2.4): 行政复议 over its five columns; 行政诉讼 over 未经复议直接起诉 and 复议后起诉."""
    t4 = report[T4]
    rows = [
        [Cell("行政复议", colspan=5, kind="colgroup"), Cell("行政诉讼", colspan=10, kind="colgroup")],
        [
            *[Cell(c, rowspan=2, kind="col") for c in APPEAL_COLUMNS],
            Cell("未经复议直接起诉", colspan=5, kind="colgroup"),
            Cell("复议后起诉", colspan=5, kind="colgroup"),
        ],
        [Cell(c, kind="col") for _ in range(2) for c in APPEAL_COLUMNS],
    ]
    groups = [t4["行政复议"], t4["行政诉讼"]["未经复议直接起诉"], t4["行政诉讼"]["复议后起诉"]]
    rows.append(_figures(g[c] for g in groups for c in APPEAL_COLUMNS))
    return Grid(T4, 15, 3, rows, (1.13,) * 15)


def grids(report) -> list[Grid]:
    return [table2_grid(report), table3_grid(report), table4_grid(report)]
