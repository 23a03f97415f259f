"""The monthly 自查报告 (DOCX, XLSX read back) and the 政府网站工作年度报表 with its states."""

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from tests import factories
from zwgk.monitoring import selfcheck, services
from zwgk.monitoring.models import NewMediaAccount, WebsiteAnnualReport

from .builders import TODAY, article, column, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_with_content():
    org = factories.organisation(name="丙县人民政府")
    site, home = make_site("c.gov.test", org, title="丙县人民政府门户网站")
    news = column(home, "要闻动态", "news")
    article(news, org, 20)
    for n in range(5):
        column(home, f"空栏目{n}", "other")
    return org, site


def test_self_check_report_docx_and_xlsx_read_back(site_with_content):
    _, site = site_with_content
    report = selfcheck.report_for_month(site, TODAY.year, TODAY.month, today=TODAY)
    document = Document(io.BytesIO(selfcheck.to_docx(report, TODAY.year, TODAY.month)))
    assert "政府网站自查报告" in document.paragraphs[0].text
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == selfcheck.HEADERS
    by_name = {row.cells[2].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert by_name["首页不更新"][5] == "不合格" and by_name["首页不更新"][3] == "20天"
    assert by_name["空白栏目"][5] == "不合格" and "http://c.gov.test/" in by_name["空白栏目"][7]
    assert any("不合格（单项否决）" in p.text for p in document.paragraphs)

    sheet = load_workbook(io.BytesIO(selfcheck.to_xlsx(report, TODAY.year, TODAY.month))).active
    values = list(sheet.iter_rows(values_only=True))
    assert "政府网站自查报告" in values[0][0]
    assert list(values[2]) == selfcheck.HEADERS
    names = {row[2]: row for row in values[3:]}
    assert names["栏目不更新"][5] in ("合格", "合格（预警50%）", "合格（预警80%）")
    assert names["首页不更新"][5] == "不合格"


def test_annual_report_is_filled_reviewed_and_published(site_with_content):
    """政府网站工作年度报表: filled from the data, reviewed, then published (due 31 January)."""
    org, site = site_with_content
    NewMediaAccount.objects.create(
        organisation=org, name="丙县发布", platform="wechat", account_id="bx", sponsor="丙县"
    )
    user = factories.staff("wz_admin", org, "管理员")
    report = services.fill_annual_report(site, TODAY.year, user=user)
    assert report.data["site_name"] == "c.gov.test" or report.data["site_name"]
    assert report.data["home_url"] == "http://c.gov.test/"
    assert report.data["items_total"] == 1 and report.data["items_news"] == 1
    assert "微信1个" in report.data["newmedia"]
    services.edit_annual_report(report, {"page_views": "123456"}, user=user)
    report = services.fill_annual_report(site, TODAY.year, user=user)
    assert report.data["page_views"] == "123456"  # entered by hand, kept on refresh
    with pytest.raises(ValidationError):
        services.publish_annual_report(report, user=user)
    services.review_annual_report(report, user=user)
    with pytest.raises(ValidationError):
        services.edit_annual_report(report, {"page_views": "1"}, user=user)
    services.publish_annual_report(report, user=user)
    report.refresh_from_db()
    assert report.state == WebsiteAnnualReport.State.PUBLISHED and report.published_at
    assert services.annual_report_due(2026).isoformat() == "2027-01-31"

    from zwgk.monitoring import annual

    rows = list(load_workbook(io.BytesIO(annual.to_xlsx(report))).active.iter_rows(values_only=True))
    assert ("网站总访问量（单位：次）", "123456") in rows
    document = Document(io.BytesIO(annual.to_docx(report)))
    assert document.tables[0].rows[2].cells[1].text == "http://c.gov.test/"


def test_annual_report_fills_consultations_from_the_interaction_statistics(site_with_content):
    """政务咨询 (收到留言数量、办结数量、平均办理时间) of the year comes from the 互动交流 app's statistics."""
    import datetime as dt

    from zwgk.interaction.models import Box, Message

    org, site = site_with_content
    box = Box.objects.create(organisation=org, kind="consult", name="咨询")
    year = 2025  # 2 → 9 March 2025: five working days (3–7 March)
    for n, answered in enumerate((dt.date(year, 3, 9), None)):
        Message.objects.create(
            box=box,
            organisation=org,
            number=f"Y{n}",
            received_on=dt.date(year, 3, 2),
            subject="咨询",
            content="内容",
            status="answered" if answered else "processing",
            reply_days=3,
            due_on=dt.date(year, 3, 5),
            answered_on=answered,
        )
    Message.objects.create(
        box=box,
        organisation=org,
        number="Y9",
        received_on=dt.date(year + 1, 1, 2),
        subject="次年",
        content="x",
        status="processing",
        reply_days=3,
        due_on=dt.date(year + 1, 1, 6),
    )
    report = services.fill_annual_report(site, year)
    assert report.data["consultations"] == "收到留言2条，办结1条，平均办理时间5.0个工作日"


def test_annual_report_title_names_the_site_once():
    from types import SimpleNamespace

    from zwgk.monitoring.annual import title

    def report(name):
        return SimpleNamespace(data={"site_name": name}, year=2025, site=None)

    assert title(report("龙溪县人民政府")) == "龙溪县人民政府网站工作年度报表（2025年度）"
    assert title(report("龙溪县人民政府门户网站")) == "龙溪县人民政府门户网站工作年度报表（2025年度）"
    assert title(report("龙溪县教育局")) == "龙溪县教育局政府网站工作年度报表（2025年度）"
