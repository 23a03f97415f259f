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
from zwgk.applications import services
from zwgk.applications.models import AppealRecord
from zwgk.applications.vocab import RESULTS
from zwgk.reports.annual import build_annual_report, consistency_errors
from zwgk.reports.render import to_docx, to_xlsx

pytestmark = pytest.mark.django_db
D = dt.date
TYPES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
# Each official result gets exactly one application of 2025, applicant types in turn (written out).
CASES = [
    ("（一）予以公开", None, "自然人"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, "商业企业"),
    ("（三）不予公开", "1.属于国家秘密", "科研机构"),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "社会公益组织"),
    ("（三）不予公开", "3.危及“三安全一稳定”", "法律服务机构"),
    ("（三）不予公开", "4.保护第三方合法权益", "其他"),
    ("（三）不予公开", "5.属于三类内部事务信息", "自然人"),
    ("（三）不予公开", "6.属于四类过程性信息", "商业企业"),
    ("（三）不予公开", "7.属于行政执法案卷", "科研机构"),
    ("（三）不予公开", "8.属于行政查询事项", "社会公益组织"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "法律服务机构"),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "其他"),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "自然人"),
    ("（五）不予处理", "1.信访举报投诉类申请", "商业企业"),
    ("（五）不予处理", "2.重复申请", "科研机构"),
    ("（五）不予处理", "3.要求提供公开出版物", "社会公益组织"),
    ("（五）不予处理", "4.无正当理由大量反复申请", "法律服务机构"),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "其他"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "自然人"),
    (
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "商业企业",
    ),
    ("（六）其他处理", "3.其他", "科研机构"),
]


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf", credit_code="11441700007280420Y")
    department = factories.organisation(parent=org, name="龙溪县财政局", slug="czj")
    factories.site()
    clerk = factories.staff("clerk", org, "信息员", "依申请公开审核")
    codes = {(g, r): code for code, g, r in RESULTS}
    for i, (group, reason, applicant_type) in enumerate(CASES):
        a = services.register(
            org,
            channel="信函",
            received_on=D(2025, 3, 3) + dt.timedelta(days=i),
            user=clerk,
            applicant_type=applicant_type,
        )
        services.reply(
            a,
            on=D(2025, 4, 1) + dt.timedelta(days=i),
            user=clerk,
            result=codes[(group, reason or "")],
            legal_basis="",
        )
    # Carried over from 2024 (two), replied in 2025 as 予以公开; one of 2025 still open at year end.
    for applicant_type in ("自然人", "其他"):
        a = services.register(
            org, channel="网络", received_on=D(2024, 12, 23), user=clerk, applicant_type=applicant_type
        )
        services.reply(a, on=D(2025, 1, 15), user=clerk, result="granted", legal_basis="")
    services.register(
        org, channel="当面", received_on=D(2025, 12, 26), user=clerk, applicant_type="法律服务机构"
    )
    # The department's own case appears only in the county roll-up.
    services.register(
        department, channel="当面", received_on=D(2025, 6, 2), user=clerk, applicant_type="自然人"
    )
    appealed = services.register(
        org, channel="信函", received_on=D(2024, 5, 6), user=clerk, applicant_type="自然人"
    )
    services.reply(appealed, on=D(2024, 5, 20), user=clerk, result="denied.4", legal_basis="")
    AppealRecord.objects.create(
        application=appealed,
        kind="行政复议",
        filed_on=D(2025, 2, 1),
        outcome="结果维持",
        decided_on=D(2025, 4, 1),
    )
    AppealRecord.objects.create(
        application=appealed, kind="行政诉讼", after_review=True, filed_on=D(2025, 5, 1), outcome="尚未审结"
    )
    return org


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
    assert consistency_errors(report, previous, open_applications_at_year_end([county], 2025)) == []
    assert any("年末未办结的2件" in e for e in consistency_errors(report, previous, 2))
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

    stale = copy.deepcopy(previous)
    stale[t3]["四、结转下年度继续办理"]["自然人"] += 1
    assert any("与上年报告" in e for e in consistency_errors(report, stale))


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
    table3 = next(t for t in document.tables if t.cell(0, 1).text == "自然人")
    cells = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table3.rows}
    assert cells["（七）总计"] == ["5", "4", "4", "3", "3", "4", "23"]
    assert cells["四、结转下年度继续办理"] == ["0", "0", "0", "0", "1", "0", "1"]
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(report, "t")))
    rows = {r[0]: r[1:] for r in workbook["三、申请情况"].iter_rows(values_only=True)}
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


def test_texts_start_from_last_years(client, county):
    from zwgk.reports.models import AnnualReportInput

    AnnualReportInput.objects.create(
        organisation=county, year=2024, overview="2024年总体情况", problems="问题甲"
    )
    admin = factories.staff("admin3", county, "管理员", superuser=True)
    client.force_login(admin)
    response = client.post("/admin/reports/annual/?org=xzf&year=2025", {"action": "texts"})
    entry = AnnualReportInput.objects.get(organisation=county, year=2025)
    assert response.status_code == 302 and str(entry.pk) in response["Location"]
    assert (
        entry.overview == "2024年总体情况" and entry.problems == "问题甲" and entry.licensing_decisions == 0
    )
    assert build_annual_report(county, 2025)["一、总体情况"] == "2024年总体情况"


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
