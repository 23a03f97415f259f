"""A township 信息员 works in the back office within their organ (issue 19): the dashboard, the explorer,
the sidebar page explorer, search and a new draft work; another township's draft stays closed."""

import pytest

from tests import factories
from tests.browser.helpers import login, shot
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "乙镇机密草稿"


def test_township_informant_back_office_stays_in_their_organ(live_server, new_page):
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    town_a = factories.organisation(parent=county, name="甲镇人民政府", slug="jz")
    town_b = factories.organisation(parent=county, name="乙镇人民政府", slug="yz")
    home, column, library = factories.site()
    factories.staff("jia", town_a, roles.INFORMANT)
    other = column.add_child(instance=ArticlePage(title=SECRET, organisation=town_b, live=False))
    revision = other.save_revision()
    column.add_child(
        instance=ArticlePage(title="甲镇春耕通知", organisation=town_a, live=False)
    ).save_revision()
    base = live_server.url

    page = new_page()
    login(page, base, "jia")
    page.screenshot(path=shot("h3-dashboard.png"), full_page=True)
    assert SECRET not in page.content()

    # The explorer of the shared column lists the own item only.
    page.goto(f"{base}/admin/pages/{column.pk}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shot("h3-explorer.png"), full_page=True)
    assert "甲镇春耕通知" in page.content() and SECRET not in page.content()

    # The sidebar's page explorer (admin API) walks home → column and shows the own item only.
    page.get_by_role("button", name="页面").first.click()
    sidebar = page.locator("#wagtail-sidebar")
    for title in ("测试县人民政府", "要闻动态"):
        row = sidebar.locator(".c-page-explorer__item", has_text=title)
        row.locator(".c-page-explorer__item__action").last.click()
    sidebar.get_by_text("甲镇春耕通知").first.wait_for()
    page.screenshot(path=shot("h3-sidebar-explorer.png"))
    assert SECRET not in sidebar.inner_text()
    page.keyboard.press("Escape")

    # Search finds the own item, not the other township's.
    page.goto(f"{base}/admin/pages/search/?q=甲镇")
    page.wait_for_load_state("networkidle")
    assert "甲镇春耕通知" in page.content()
    page.goto(f"{base}/admin/pages/search/?q=乙镇")
    assert SECRET not in page.content()

    # A new draft under the shared column.
    page.goto(f"{base}/admin/pages/add/disclosure/articlepage/{column.pk}/")
    page.fill("#id_title", "甲镇防汛工作安排")
    page.get_by_role("tab", name="推荐").click()
    page.fill("#id_slug", "fxgzap")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shot("h3-new-draft.png"), full_page=True)
    assert ArticlePage.objects.filter(title="甲镇防汛工作安排", organisation=town_a).exists()

    # The other township's draft: 403, never its title.
    response = page.goto(f"{base}/admin/pages/{other.pk}/revisions/{revision.pk}/view/")
    page.screenshot(path=shot("h3-denied.png"), full_page=True)
    assert response.status == 403 and SECRET not in page.content()
