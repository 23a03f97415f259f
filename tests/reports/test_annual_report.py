"""年度报告 (国办公开办函〔2021〕30号, spec §2): tables from hand-built data, every consistency check
failing on purpose, DOCX/XLSX read back, JSON keys equal to the official labels."""

import copy
import datetime as dt
import io
import json

import docx
import openpyxl
import pytest
from django.core.management import call_command

from tests import factories
from zwgk.applications.models import AppealRecord
from zwgk.reports.annual import build_annual_report, consistency_errors, consistency_warnings
from zwgk.reports.render import to_docx, to_xlsx

pytestmark = pytest.mark.django_db
D = dt.date
TYPES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def row(**cells):
    out = {t: cells.get(t, 0) for t in TYPES}
    out["总计"] = sum(out.values())
    return out


def test_table3_cell_by_cell(county):
    t3 = build_annual_report(county, 2025)["三、收到和处理政府信息公开申请情况"]
    assert t3["一、本年新收政府信息公开申请数量"] == row(
        自然人=4, 商业企业=4, 科研机构=4, 社会公益组织=3, 法律服务机构=4, 其他=3
    )
    assert t3["二、上年结转政府信息公开申请数量"] == row(自然人=1, 其他=1)
    results = t3["三、本年度办理结果"]
    assert results["（一）予以公开"] == row(自然人=2, 其他=1)  # one new + two carried over
    assert results["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == row(商业企业=1)
    assert results["（三）不予公开"]["1.属于国家秘密"] == row(科研机构=1)
    assert results["（三）不予公开"]["3.危及“三安全一稳定”"] == row(法律服务机构=1)
    assert results["（三）不予公开"]["8.属于行政查询事项"] == row(社会公益组织=1)
    assert results["（四）无法提供"]["3.补正后申请内容仍不明确"] == row(自然人=1)
    assert results["（五）不予处理"]["5.要求行政机关确认或重新出具已获取信息"] == row(其他=1)
    assert results["（六）其他处理"]["3.其他"] == row(科研机构=1)
    assert results["（七）总计"] == row(
        自然人=5, 商业企业=4, 科研机构=4, 社会公益组织=3, 法律服务机构=3, 其他=4
    )
    assert t3["四、结转下年度继续办理"] == row(法律服务机构=1)


def test_rollup_includes_the_subtree(county):
    own = build_annual_report(county, 2025)["三、收到和处理政府信息公开申请情况"][
        "一、本年新收政府信息公开申请数量"
    ]
    rollup = build_annual_report(county, 2025, include_subtree=True)["三、收到和处理政府信息公开申请情况"][
        "一、本年新收政府信息公开申请数量"
    ]
    assert rollup["自然人"] == own["自然人"] + 1


def test_table4_appeals(county):
    t4 = build_annual_report(county, 2025)["四、政府信息公开行政复议、行政诉讼情况"]
    assert t4["行政复议"] == {"结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 1}
    assert t4["行政诉讼"]["复议后起诉"]["尚未审结"] == 1 and t4["行政诉讼"]["未经复议直接起诉"]["总计"] == 0


def test_json_keys_are_the_official_labels(county, capsys):
    call_command("annual_report", "--org", "11441700007280420Y", "--year", "2025", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert list(data["二、主动公开政府信息情况"]) == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    t3 = data["三、收到和处理政府信息公开申请情况"]
    assert list(t3) == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "四、结转下年度继续办理",
    ]
    assert list(t3["三、本年度办理结果"]) == [
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
        "（七）总计",
    ]
    assert list(t3["一、本年新收政府信息公开申请数量"]) == TYPES + ["总计"]


def test_consistency_checks_pass_on_real_data_and_each_fails_on_purpose(county):
    from zwgk.reports.annual import open_applications_at_year_end

    report = build_annual_report(county, 2025)
    previous = build_annual_report(county, 2024)
    assert consistency_errors(report, open_applications_at_year_end([county], 2025)) == []
    assert consistency_warnings(report, previous) == []
    assert any("年末未办结的2件" in e for e in consistency_errors(report, 2))
    t3 = "三、收到和处理政府信息公开申请情况"

    broken = copy.deepcopy(report)
    broken[t3]["一、本年新收政府信息公开申请数量"]["自然人"] += 1
    broken[t3]["一、本年新收政府信息公开申请数量"]["总计"] += 1
    assert any("“自然人”列" in e and "一、本年新收" in e for e in consistency_errors(broken))

    broken = copy.deepcopy(report)
    broken[t3]["三、本年度办理结果"]["（七）总计"]["其他"] += 1
    assert any("不等于各办理结果之和" in e for e in consistency_errors(broken))

    broken = copy.deepcopy(report)
    broken[t3]["四、结转下年度继续办理"]["总计"] = 7
    assert any("“四、结转下年度继续办理”行" in e for e in consistency_errors(broken))

    broken = copy.deepcopy(report)
    broken["四、政府信息公开行政复议、行政诉讼情况"]["行政复议"]["总计"] = 5
    assert any("表四“行政复议”" in e for e in consistency_errors(broken))

    # Spec §2.5(6): a mismatch with last year's 结转 warns and does not block.
    stale = copy.deepcopy(previous)
    stale[t3]["四、结转下年度继续办理"]["自然人"] += 1
    assert any("与上年报告" in w for w in consistency_warnings(report, stale))
    assert consistency_errors(report) == []


def test_docx_and_xlsx_read_back(county):
    report = build_annual_report(county, 2025)
    document = docx.Document(io.BytesIO(to_docx(report, "龙溪县人民政府2025年政府信息公开工作年度报告")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[1:] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    table3 = next(t for t in document.tables if t.cell(0, 3).text == "申请人情况")
    cells = {r.cells[1].text: [c.text for c in r.cells[3:]] for r in table3.rows[3:]}
    assert cells["（七）总计"] == ["5", "4", "4", "3", "3", "4", "23"]
    assert cells["四、结转下年度继续办理"] == ["0", "0", "0", "0", "1", "0", "1"]
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(report, "t")))
    rows = {r[1]: r[3:] for r in workbook["三、申请情况"].iter_rows(min_row=6, values_only=True)}
    assert list(rows["（七）总计"]) == [5, 4, 4, 3, 3, 4, 23]


def test_back_office_report_page_downloads_and_draft(client, county):
    from zwgk.disclosure.models import ArticlePage, ColumnPage

    home = ColumnPage.objects.first().get_parent()
    home.add_child(instance=ColumnPage(title="政府信息公开年报", slug="gknb", live=True))
    admin = factories.staff("admin", county, "管理员", superuser=True)
    client.force_login(admin)
    html = client.get("/admin/reports/annual/", {"org": "xzf", "year": "2025"}).content.decode()
    assert "校验通过" in html and "（七）总计" in html
    response = client.get("/admin/reports/annual/", {"org": "xzf", "year": "2025", "format": "docx"})
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text.endswith("年度报告")
    client.post("/admin/reports/annual/?org=xzf&year=2025", {"action": "draft"})
    draft = ArticlePage.objects.get(title="龙溪县人民政府2025年政府信息公开工作年度报告")
    assert not draft.live and len(draft.attachments) == 2 and draft.get_parent().slug == "gknb"
    from wagtail.models import PageLogEntry

    assert PageLogEntry.objects.filter(page=draft, action="zwgk.annual_report.draft", user=admin).exists()


def test_dashboard_period_summary_and_xlsx(client, county):
    admin = factories.staff("admin2", county, "管理员", superuser=True)
    client.force_login(admin)
    html = client.get(
        "/admin/reports/dashboard/", {"start": "2025-01-01", "end": "2025-12-31"}
    ).content.decode()
    assert "收到政府信息公开申请23件" in html and "信函申请21件" in html and "办结23件" in html
    assert "reports/echarts.min.js" in html
    response = client.get(
        "/admin/reports/dashboard/", {"start": "2025-01-01", "end": "2025-12-31", "format": "xlsx"}
    )
    rows = {
        r[0]: r[1]
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        if len(r) > 1
    }
    assert rows["收到申请"] == 23 and rows["办结"] == 23


def test_texts_start_from_this_years_figures_with_last_years_beside(client, county):
    """30号 warns against 内容雷同: sections 一, 五, 六 start from this year's figures, not last year's prose;
    last year's text is shown beside each field (escaped)."""
    from zwgk.reports.models import AnnualReportInput

    AnnualReportInput.objects.create(
        organisation=county, year=2024, overview="2024年总体情况<b>旧</b>", problems="问题甲"
    )
    admin = factories.staff("admin3", county, "管理员", superuser=True)
    client.force_login(admin)
    response = client.post("/admin/reports/annual/?org=xzf&year=2025", {"action": "texts"})
    entry = AnnualReportInput.objects.get(organisation=county, year=2025)
    assert response.status_code == 302 and str(entry.pk) in response["Location"]
    assert "2024年总体情况" not in entry.overview and "问题甲" not in entry.problems
    assert "本年新收政府信息公开申请22件" in entry.overview and "结转下年度继续办理1件" in entry.overview
    assert entry.problems.startswith("（一）上年度问题改进情况") and entry.licensing_decisions == 0
    html = client.get(response["Location"]).content.decode()
    assert "上年报告此部分（仅供对照，请勿照搬）：2024年总体情况&lt;b&gt;旧&lt;/b&gt;" in html
    assert build_annual_report(county, 2025)["一、总体情况"] == entry.overview
    # Asking again keeps what was written.
    entry.overview = "已改写"
    entry.save()
    client.post("/admin/reports/annual/?org=xzf&year=2025", {"action": "texts"})
    assert AnnualReportInput.objects.get(pk=entry.pk).overview == "已改写"


def test_section_six_states_the_fees_collected(county):
    """30号 asks section 六 to report 信息处理费 (国办函〔2020〕109号), from the fee records."""
    from decimal import Decimal

    from zwgk.reports import annual

    six = build_annual_report(county, 2025)["六、其他需要报告的事项"]
    assert six.startswith("依据《政府信息公开信息处理费管理办法》规定，2025年未收取信息处理费。")
    original = annual.collected_total
    try:
        annual.collected_total = lambda ids, year: Decimal("150.00") if year == 2025 else Decimal(0)
        six = build_annual_report(county, 2025)["六、其他需要报告的事项"]
        assert "2025年实际收取信息处理费共计150元。" in six
    finally:
        annual.collected_total = original


def test_appeal_decided_after_the_year_counts_as_pending_and_revised_documents_are_not_in_force(county):
    """Table 4 reports the state on 31 December; Table 2's 现行有效 excludes revised, repealed and expired."""
    from zwgk.applications.models import Application

    appealed = Application.objects.filter(result="denied.4").first()
    AppealRecord.objects.create(
        application=appealed,
        kind="行政复议",
        filed_on=D(2025, 11, 1),
        outcome="结果纠正",
        decided_on=D(2026, 1, 10),
    )
    t4 = build_annual_report(county, 2025)["四、政府信息公开行政复议、行政诉讼情况"]
    assert t4["行政复议"]["结果纠正"] == 0 and t4["行政复议"]["尚未审结"] == 1

    from zwgk.disclosure.lifecycle import change_validity
    from zwgk.disclosure.models import PolicyDocumentPage, PolicyLibraryPage

    home = PolicyLibraryPage.objects.get()
    old = PolicyDocumentPage(
        title="旧办法", organisation=county, doc_kind="normative", written_date=D(2023, 1, 5)
    )
    new = PolicyDocumentPage(
        title="新办法", organisation=county, doc_kind="normative", written_date=D(2025, 2, 5)
    )
    for page in (old, new):
        home.add_child(instance=page)
        page.save_revision().publish()
    change_validity(old, "revised", user=None, on_date=D(2025, 2, 5), caused_by=new)
    t2 = build_annual_report(county, 2025)["二、主动公开政府信息情况"]["第二十条第（一）项"]["行政规范性文件"]
    assert t2 == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}


def test_deadline_reminders_from_1_january(client, county):
    """条例 Art. 49: departments' reports by 31 January, the government's published by 31 March; listed on the
    工作台 from 1 January until the report is published."""
    from unittest import mock

    from zwgk.core.models import Organisation
    from zwgk.reports.reminders import annual_report_due, pending_reports

    assert annual_report_due(Organisation.Kind.DEPARTMENT, 2025) == D(2026, 1, 31)
    assert annual_report_due(Organisation.Kind.GOVERNMENT, 2025) == D(2026, 3, 31)
    county.kind = Organisation.Kind.GOVERNMENT
    county.save()
    clerk = factories.staff("xinxi", county, "信息员")
    rows = pending_reports(clerk, D(2026, 1, 20))
    assert [(o.name, due, words) for o, due, words, _ in rows] == [
        ("龙溪县财政局", D(2026, 1, 31), "还有 11 天"),
        ("龙溪县人民政府", D(2026, 3, 31), "还有 70 天"),
    ]
    assert pending_reports(clerk, D(2026, 2, 3))[0][2:] == ("已超过法定期限 3 天", True)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 1, 20)):
        client.force_login(clerk)
        page = client.get("/admin/").content.decode()
    assert "2025年度政府信息公开工作年度报告：待发布（2）" in page and "2026-03-31前由政府办公室公布" in page
