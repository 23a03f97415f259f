"""标准目录 in Chromium: a county 信息员 adopts an area, binds an item, sees it 已公开; the portal's table.
Screenshots <screenshot dir>/catalog-admin.png and catalog-portal.png."""

import pytest

from tests import factories
from tests.browser.helpers import login, shot
from tests.catalog.builders import TODAY, article, column, county
from zwgk.core.roles import INFORMANT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_informant_adopts_binds_and_the_portal_shows_the_table(live_server, new_page):
    org, town, home, news = county()
    budget = column(home, "政府预算", "zfys")
    article(budget, org, TODAY)
    factories.staff("xinxi", org, INFORMANT)
    base = live_server.url
    page = new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, base, "xinxi")
    page.goto(f"{base}/admin/catalog/")
    page.get_by_role("link", name="采用领域").click()
    page.get_by_label("领域").select_option("04")
    page.get_by_role("button", name="采用领域").click()
    page.wait_for_load_state("networkidle")
    assert "已采用 6 项" in page.inner_text("main") or "已采用 6 项" in page.content()
    page.get_by_role("link", name="编辑和绑定 04-01").click()
    page.get_by_label("发布栏目").select_option(label="测试县人民政府 — 政府预算")
    page.get_by_label("公开依据〔待核实〕").fill("《中华人民共和国预算法》")
    page.get_by_role("button", name="编辑和绑定").click()
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "已公开 1 项" in text and "覆盖率 16.7%" in text
    page.screenshot(path=shot("catalog-admin.png"), full_page=True)
    page.goto(f"{base}/bzml/{org.slug}/")
    assert "财政预决算领域基层政务公开标准目录" in page.inner_text("main")
    page.get_by_role("link", name="政府预算").first.click()
    assert page.url.rstrip("/").endswith("/zfys")
    page.goto(f"{base}/bzml/{org.slug}/")
    page.screenshot(path=shot("catalog-portal.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
