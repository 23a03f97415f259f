"""政府信息公开工作年度报告 (国办公开办函〔2021〕30号): the tables built from zwgk's data, with the
official labels as keys (spec §2), and the consistency checks of spec §2.5."""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, Count, F, Q, Value, When

from zwgk.applications.fees import collected_total
from zwgk.applications.models import AppealRecord, Application
from zwgk.applications.stats import table3_counts
from zwgk.applications.vocab import RESULTS
from zwgk.disclosure.lifecycle import in_force_on
from zwgk.disclosure.models import PolicyDocumentPage, PolicyStatusChange

from .models import AnnualReportInput

T2 = "二、主动公开政府信息情况"
T3 = "三、收到和处理政府信息公开申请情况"
T4 = "四、政府信息公开行政复议、行政诉讼情况"
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
NEW, CARRIED, RESULTS_KEY, FORWARD = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "四、结转下年度继续办理",
)
TOTAL_ROW = "（七）总计"
APPEAL_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _row(counts, key) -> dict:
    row = {c: counts.get((key, c), 0) for c in COLUMNS[:-1]}
    row["总计"] = sum(row.values())
    return row


def _sum_rows(rows) -> dict:
    return {c: sum(r[c] for r in rows) for c in COLUMNS}


def table2(organisations, year: int, inputs=None) -> dict:
    docs = PolicyDocumentPage.objects.live().filter(organisation__in=organisations)
    end = dt.date(year, 12, 31)

    def counts(kind):
        of_kind = docs.filter(doc_kind=kind)
        issued = of_kind.filter(written_date__year=year).count()
        repealed = (
            PolicyStatusChange.objects.filter(
                document__in=of_kind, new_validity="repealed", changed_on__year=year
            )
            .values("document_id")
            .distinct()
            .count()
        )
        in_force = sum(
            1
            for doc in of_kind.filter(Q(written_date__lte=end) | Q(written_date=None)).prefetch_related(
                "status_changes"
            )
            if in_force_on(doc, end)
        )
        return {"本年制发件数": issued, "本年废止件数": repealed, "现行有效件数": in_force}

    def total(field):
        return sum(getattr(i, field) for i in inputs) if inputs else 0

    return {
        "第二十条第（一）项": {"规章": counts("rule"), "行政规范性文件": counts("normative")},
        "第二十条第（五）项": {"行政许可": {"本年处理决定数量": total("licensing_decisions")}},
        "第二十条第（六）项": {
            "行政处罚": {"本年处理决定数量": total("penalty_decisions")},
            "行政强制": {"本年处理决定数量": total("enforcement_decisions")},
        },
        "第二十条第（八）项": {
            "行政事业性收费": {"本年收费金额（单位：万元）": float(total("fees_wan_yuan"))}
        },
    }


def table3(organisations, year: int) -> dict:
    counts = table3_counts(organisations, year)
    results: dict = {}
    leaf_rows = []
    for code, group, reason in RESULTS:
        row = _row(counts, code)
        leaf_rows.append(row)
        if reason:
            results.setdefault(group, {})[reason] = row
        else:
            results[group] = row
    results[TOTAL_ROW] = _sum_rows(leaf_rows)
    return {
        NEW: _row(counts, "new"),
        CARRIED: _row(counts, "carried_over"),
        RESULTS_KEY: results,
        FORWARD: _row(counts, "carried_forward"),
    }


def table4(organisations, year: int) -> dict:
    appeals = AppealRecord.objects.filter(application__organisation__in=organisations, filed_on__year=year)

    end = dt.date(year, 12, 31)

    def group(queryset):
        # The outcome as it stood on 31 December: a case decided later was still 尚未审结 that year.
        as_of_year_end = Case(
            When(Q(decided_on__isnull=True) | Q(decided_on__gt=end), then=Value("尚未审结")),
            default=F("outcome"),
        )
        got = dict(queryset.annotate(o=as_of_year_end).values_list("o").annotate(n=Count("id")))
        row = {c: got.get(c, 0) for c in APPEAL_COLUMNS[:-1]}
        row["总计"] = sum(row.values())
        return row

    litigation = appeals.filter(kind="行政诉讼")
    return {
        "行政复议": group(appeals.filter(kind="行政复议")),
        "行政诉讼": {
            "未经复议直接起诉": group(litigation.filter(after_review=False)),
            "复议后起诉": group(litigation.filter(after_review=True)),
        },
    }


def fees_collected(organisations, year: int) -> Decimal:
    """信息处理费 actually collected in `year` from the fee records (国办函〔2020〕109号)."""
    return collected_total([o.pk for o in organisations], year)


def fee_statement(organisations, year: int) -> str:
    """Section 六's sentence on 信息处理费 (30号 asks for it; 国办函〔2020〕109号), in the words real reports use."""
    amount = fees_collected(organisations, year)
    if amount <= 0:
        return f"依据《政府信息公开信息处理费管理办法》规定，{year}年未收取信息处理费。"
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return f"依据《政府信息公开信息处理费管理办法》规定，{year}年实际收取信息处理费共计{text}元。"


def build_annual_report(organisation, year: int, include_subtree: bool = False) -> dict:
    """The report of `organisation` for `year` (its whole subtree with include_subtree: the roll-up)."""
    organisations = list(organisation.subtree()) if include_subtree else [organisation]
    inputs = list(AnnualReportInput.objects.filter(organisation__in=organisations, year=year))
    own = next((i for i in inputs if i.organisation_id == organisation.pk), None)
    return {
        "一、总体情况": own.overview if own else "",
        T2: table2(organisations, year, inputs),
        T3: table3(organisations, year),
        T4: table4(organisations, year),
        "五、存在的主要问题及改进情况": own.problems if own else "",
        "六、其他需要报告的事项": "\n".join(
            t for t in (fee_statement(organisations, year), own.other_matters if own else "") if t
        ),
    }


def open_applications_at_year_end(organisations, year: int) -> int:
    """Applications of the register still open on 31 December (received, not replied by then)."""
    end = dt.date(year, 12, 31)
    return (
        Application.objects.filter(organisation__in=organisations, received_on__lte=end)
        .exclude(replied_on__lte=end)
        .count()
    )


def consistency_errors(report: dict, open_at_year_end: int | None = None) -> list[str]:
    """Spec §2.5: the checks a report must pass before it is published; each names the cell and why.

    `open_at_year_end` (from the application register) checks that every open application is accounted
    for in 四、结转下年度继续办理.
    """
    errors = []
    t3 = report[T3]
    leaves = []
    for group, value in t3[RESULTS_KEY].items():
        if group == TOTAL_ROW:
            continue
        leaves.extend(value.values() if "总计" not in value else [value])
    for column in COLUMNS:
        if t3[NEW][column] + t3[CARRIED][column] != t3[RESULTS_KEY][TOTAL_ROW][column] + t3[FORWARD][column]:
            errors.append(
                f"表三“{column}”列：一、本年新收（{t3[NEW][column]}）+ 二、上年结转（{t3[CARRIED][column]}）"
                f"应等于（七）总计（{t3[RESULTS_KEY][TOTAL_ROW][column]}）+ 四、结转下年度（{t3[FORWARD][column]}）。"
            )
        total = sum(row[column] for row in leaves)
        if total != t3[RESULTS_KEY][TOTAL_ROW][column]:
            errors.append(
                f"表三“{column}”列：（七）总计（{t3[RESULTS_KEY][TOTAL_ROW][column]}）不等于各办理结果之和（{total}）。"
            )
    for name, row in [(NEW, t3[NEW]), (CARRIED, t3[CARRIED]), (FORWARD, t3[FORWARD])] + [
        (f"{g}{'/' + r if r else ''}", row)
        for g, v in t3[RESULTS_KEY].items()
        for r, row in ([("", v)] if "总计" in v else v.items())
    ]:
        if row["总计"] != sum(row[c] for c in COLUMNS[:-1]):
            errors.append(f"表三“{name}”行：总计（{row['总计']}）不等于各类申请人之和。")
    t4 = report[T4]
    for name, row in [
        ("行政复议", t4["行政复议"]),
        ("行政诉讼/未经复议直接起诉", t4["行政诉讼"]["未经复议直接起诉"]),
        ("行政诉讼/复议后起诉", t4["行政诉讼"]["复议后起诉"]),
    ]:
        if row["总计"] != sum(row[c] for c in APPEAL_COLUMNS[:-1]):
            errors.append(f"表四“{name}”：总计不等于结果维持、结果纠正、其他结果、尚未审结之和。")
    if open_at_year_end is not None and open_at_year_end != t3[FORWARD]["总计"]:
        errors.append(
            f"表三“四、结转下年度继续办理”总计（{t3[FORWARD]['总计']}）与申请登记中年末未办结的"
            f"{open_at_year_end}件不一致。"
        )
    return errors


def consistency_warnings(report: dict, previous: dict | None) -> list[str]:
    """Spec §2.5(6): this year's 二、上年结转 should equal last year's 四、结转下年度继续办理 per column.
    A mismatch warns and does not block the report: applications can be re-classified after a report."""
    if previous is None:
        return []
    t3 = report[T3]
    return [
        f"表三“{column}”列：二、上年结转（{t3[CARRIED][column]}）与上年报告的"
        f"四、结转下年度继续办理（{previous[T3][FORWARD][column]}）不一致，请核实（不影响生成年报）。"
        for column in COLUMNS
        if previous[T3][FORWARD][column] != t3[CARRIED][column]
    ]
