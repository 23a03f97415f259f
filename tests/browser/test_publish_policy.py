"""End to end (issue #2): a 信息员 drafts a 规范性文件, 初审/复审/终审 approve it in the back office,
it appears on the portal with its 索引号 and metadata table, and a visitor finds it by filter."""

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import approve, login
from zwgk.core import roles
from zwgk.disclosure.models import PolicyDocumentPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_informant_drafts_three_reviewers_approve_visitor_finds_it(live_server, new_page):
    county = factories.organisation(name="龙溪县人民政府", slug="xzf", credit_code="11441700007280420Y")
    department = factories.organisation(parent=county, name="龙溪县民政局", slug="mzj")
    factories.organisation(parent=county, name="龙溪县财政局", slug="czj")
    home, column, library = factories.site()
    factories.staff("xinxiyuan", county, roles.INFORMANT)
    factories.staff("chushen", county, roles.FIRST_REVIEW)
    factories.staff("fushen", county, roles.SECOND_REVIEW)
    factories.staff("zhongshen", county, roles.FINAL_REVIEW)
    base = live_server.url

    # 1. The 信息员 drafts the document and submits it to 三审.
    page = new_page()
    login(page, base, "xinxiyuan")
    page.goto(f"{base}/admin/pages/add/disclosure/policydocumentpage/{library.pk}/")
    page.fill("#id_title", "龙溪县城乡居民最低生活保障管理办法")
    page.select_option("#id_doc_kind", "normative")
    page.select_option("#id_organisation", label="龙溪县民政局")
    page.fill("#id_document_number", "龙民〔2026〕7号")
    page.fill("#id_written_date", timezone.localdate().isoformat())
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="提交给三审").click()
    page.wait_for_load_state("networkidle")
    document = PolicyDocumentPage.objects.get(title="龙溪县城乡居民最低生活保障管理办法")
    assert not document.live
    assert document.current_workflow_state is not None

    # 2. Three reviewers approve, each with an opinion.
    for username, opinion in (("chushen", "初审同意"), ("fushen", "保密审查通过"), ("zhongshen", "同意发布")):
        approve(new_page(), base, username, document.pk, opinion)
    document.refresh_from_db()
    assert document.live, "published after the third approval"
    year = timezone.localdate().year
    assert document.index_number == f"{department.credit_code}/{year}-00001"

    # 3. The portal shows it with its 索引号 and metadata table.
    visitor = new_page()
    visitor.goto(f"{base}{document.url}")
    table = visitor.locator("table.meta-table")
    assert document.index_number in table.inner_text()
    assert "龙民〔2026〕7号" in table.inner_text()
    assert "龙溪县民政局" in table.inner_text()
    assert visitor.locator('meta[name="ArticleTitle"]').get_attribute("content") == document.title

    # 4. A visitor finds it in the policy library with the filters.
    visitor.goto(f"{base}{library.url}")
    visitor.select_option("select[name=org]", label="龙溪县民政局")
    visitor.select_option("select[name=kind]", label="行政规范性文件")
    visitor.select_option("select[name=validity]", label="有效")
    visitor.get_by_role("button", name="筛选").click()
    visitor.wait_for_load_state()
    assert "org=mzj" in visitor.url
    link = visitor.get_by_role("link", name="龙溪县城乡居民最低生活保障管理办法")
    link.click()
    visitor.wait_for_load_state()
    assert document.index_number in visitor.content()
