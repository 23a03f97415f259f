"""Accessibility of the public portal: axe-core (WCAG 2.1 A/AA rules) in Chromium finds no violations,
and the pages work by keyboard (DESIGN.md: every public page usable by keyboard and screen reader)."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from zwgk.disclosure.models import ArticlePage, DisclosureIndexPage, PolicyDocumentPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf")
    home, column, library = factories.site()
    home.add_child(
        instance=DisclosureIndexPage(title="政府信息公开", slug="zwgk", live=True, show_in_menus=True)
    )
    for parent, page in (
        (
            column,
            ArticlePage(
                title="县政府召开常务会议",
                organisation=org,
                body="<p>会议研究了有关事项。</p>",
                written_date=dt.date.today(),
            ),
        ),
        (
            library,
            PolicyDocumentPage(title="龙溪县某管理办法", organisation=org, document_number="龙府〔2025〕1号"),
        ),
    ):
        parent.add_child(instance=page)
        page.save_revision().publish()
    return column, library


def test_portal_pages_have_no_axe_violations(live_server, new_page, portal):
    column, library = portal
    page = new_page()
    axe = Axe()
    article = ArticlePage.objects.get()
    document = PolicyDocumentPage.objects.get()
    failures = {}
    for url in (
        "/",
        column.url,
        article.url,
        library.url,
        library.url + "?validity=valid",
        document.url,
        "/zwgk/",
        "/zwgk/fdzdgknr/",
        "/zwgk/ml/xzf/",
        "/wzdt/",
    ):
        page.goto(live_server.url + url)
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}
        )
        violations = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]]
        if violations:
            failures[url] = violations
    assert failures == {}


def test_skip_link_and_filters_work_by_keyboard(live_server, new_page, portal):
    _, library = portal
    page = new_page()
    page.goto(live_server.url + library.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    page.focus("select[name=validity]")
    page.select_option("select[name=validity]", "valid")
    page.keyboard.press("Tab")  # the 筛选 button follows the last filter
    assert page.evaluate("document.activeElement.textContent") == "筛选"
    page.keyboard.press("Enter")
    page.wait_for_url("**validity=valid**")
    assert "龙溪县某管理办法" in page.content()
