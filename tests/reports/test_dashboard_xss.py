"""统计分析 and 年度报告 back-office pages: a column title or report text is data, never markup."""

import datetime as dt
import json
import re

import pytest

from tests import factories
from zwgk.disclosure.models import ArticlePage, ColumnPage

pytestmark = pytest.mark.django_db

HOSTILE = "要闻</script><script>alert(1)</script>"


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf")
    home, column, _ = factories.site()
    hostile = home.add_child(
        instance=ColumnPage(title=HOSTILE, slug="hostile", column_type="news", live=True)
    )
    article = ArticlePage(title="一条信息", organisation=org, body="<p>正文</p>", statutory_category="15")
    hostile.add_child(instance=article)
    article.save_revision().publish()
    return org


def _admin(org):
    """A 管理员 as the demo has them: in the group, with a staff profile, not a superuser."""
    return factories.staff("county-admin", org, "管理员")


def test_a_column_title_cannot_run_script_in_the_dashboard(client, county):
    client.force_login(_admin(county))
    today = dt.date.today()
    response = client.get(
        "/admin/reports/dashboard/", {"start": f"{today.year}-01-01", "end": today.isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "</script><script>" not in html
    # The data travels in a JSON <script> block and reads back to the title as typed.
    block = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["published_per_column"] == {HOSTILE: 1}
    assert "reports/dashboard.js" in html


def test_annual_report_texts_are_escaped_and_its_tables_are_markup(client, county):
    from zwgk.reports.models import AnnualReportInput

    year = dt.date.today().year - 1
    AnnualReportInput.objects.create(organisation=county, year=year, overview="<script>alert(2)</script>总体")
    client.force_login(_admin(county))
    response = client.get("/admin/reports/annual/", {"org": "xzf", "year": str(year)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(2)</script>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;总体" in html
    assert "<table" in html and "&lt;table" not in html
