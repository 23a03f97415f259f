"""In Chromium: 医保 finds an item about 医疗保险 (the starter 检索同义词), the snippet shows the item's own
spelling with the hit in <mark>; the search and item pages load the favicon, carry a meta description
and raise no CSP violation. Screenshots: w5-search.png, w5-item.png (tests.browser.helpers.screenshot_dir)."""

import pytest

from tests import factories
from tests.browser.helpers import screenshot_dir
from tests.browser.test_csp import Violations
from zwgk.disclosure.models import ArticlePage
from zwgk.search.models import Synonym
from zwgk.search.synonyms import load_starter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = screenshot_dir()


def test_synonym_hit_with_original_snippet_and_web_basics(live_server, new_page):
    home, column, _ = factories.site()  # first: it recreates the roots a transactional test flushed
    load_starter(Synonym)  # a transactional test's flush emptied what the migration loaded
    org = factories.organisation(name="龙溪县人民政府办公室", slug="zfb")
    item = ArticlePage(
        title="2026年城乡居民基本医疗保险参保缴费的通知",
        organisation=org,
        summary="2026年度城乡居民基本医疗保险集中参保缴费期为2025年9月至12月。",
        body="<p>各乡镇、县直各单位：根据省医疗保障局通知，城乡居民基本醫療保險个人缴费标准为每人每年４００元，"
        "可通过“ＹＮ医保”APP或银行网点缴费。</p>",
    )
    column.add_child(instance=item)
    item.save_revision().publish()

    page = new_page()
    violations = Violations(page)
    icons = []
    page.on("response", lambda r: icons.append(r.status) if r.url.endswith("/favicon.ico") else None)
    page.goto(live_server.url + "/search/?q=医保")
    page.wait_for_load_state("networkidle")
    assert "找到 1 条" in page.content()
    marks = page.locator("p.snippet mark").all_inner_texts()
    assert marks and set(marks) <= {"醫療保險", "医疗保险", "医疗保障", "医保"}
    assert "ＹＮ医保" in page.locator("p.snippet").inner_text() or "醫療保險" in marks
    assert "ｙｎ" not in page.locator("p.snippet").inner_text()
    page.screenshot(path=str(SHOTS / "w5-search.png"), full_page=True)

    page.get_by_role("link", name=item.title).click()
    page.wait_for_load_state("networkidle")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description == item.summary
    page.screenshot(path=str(SHOTS / "w5-item.png"), full_page=True)
    icon = page.evaluate("fetch('/favicon.ico').then(r => r.status)")
    assert icon == 200
    assert not violations.seen, violations.seen
