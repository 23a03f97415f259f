"""A list's 共 N 条 is counted without reading the list, and must stay the exact number of items it lists.

A column's comes from the page tree's child counts (Wagtail's numchild, less the children that are not
live and those that are not items, plus the items 引用'd onto it), through every change a column's
children go through; the catalogue's from the item tables less the pages that are not live."""

import pytest
from wagtail.models import Page

from tests.portal import test_multisite
from tests.portal.test_cache import published
from tests.portal.test_multisite import get
from zwgk.disclosure.catalog import (
    category_count,
    category_counts,
    category_items,
    organisation_item_count,
    organisation_items,
)
from zwgk.disclosure.items import live_child_item_count, live_items
from zwgk.disclosure.models import ArticlePage, ColumnPage, InformationPage, InterpretationPage
from zwgk.disclosure.vocab import StatutoryCategory
from zwgk.portal import sites

pytestmark = pytest.mark.django_db
city = test_multisite.city  # the fixture: the government portal and a department's site


def assert_exact(column):
    column = ColumnPage.objects.get(pk=column.pk)
    assert live_child_item_count(column) == live_items().child_of(column).count()
    assert column.item_count() == column.items().count()
    return column.item_count()


def test_column_count_follows_every_change_of_its_children(city):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    news = ColumnPage.objects.get(slug="ywdt")
    items = [published(news, gov, f"通知{n}") for n in range(3)]
    assert assert_exact(news) == 4
    # A draft, a sub-column with an item of its own, and an information page: children, not items.
    news.add_child(instance=ArticlePage(title="草稿", organisation=gov, live=False))
    sub = news.add_child(instance=ColumnPage(title="专题", slug="zt", live=True))
    published(sub, gov, "专题信息")
    news.add_child(instance=InformationPage(title="栏目说明", slug="sm", live=True))
    published(news, gov, "解读", model=InterpretationPage)
    assert assert_exact(news) == 5
    items[0].unpublish()
    assert assert_exact(news) == 4
    items[1].move(sub, pos="last-child")
    assert assert_exact(news) == 3 and assert_exact(sub) == 2
    items[2].delete()
    assert assert_exact(news) == 2
    # 引用: a department's item shown on the portal's column counts there, not twice and not on its site.
    sites.reference_item(item=fgj_item, column=news)
    assert assert_exact(news) == 3
    fgj_news = ColumnPage.objects.get(pk=fgj_item.get_parent().pk)
    assert assert_exact(fgj_news) == 1
    Page.objects.get(pk=fgj_item.pk).specific.unpublish()
    assert assert_exact(news) == 2 and assert_exact(fgj_news) == 0


def test_a_large_column_pages_through_with_the_right_total(city, client, settings):
    settings.ZWGK_PAGE_CACHE_SECONDS = settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0
    gov = city[0]
    news = ColumnPage.objects.get(slug="ywdt")
    for n in range(41):
        published(news, gov, f"通知{n}")
    news.add_child(instance=ArticlePage(title="草稿", organisation=gov, live=False))
    assert assert_exact(news) == 42
    # What the citizen reads under the list (the 42nd item is the fixture's).
    page = get(client, "/ywdt/?page=3")
    assert "第 3 / 3 页，共 42 条" in page
    assert page.split('<ul class="items">')[1].split("</ul>")[0].count("<li>") == 2


def test_catalogue_counts_are_the_live_items_of_each_category_and_organ(city):
    """法定主动公开内容 (条例第二十条) and the 信息公开目录 count from the item tables less the pages that are
    not live: the same numbers as the lists they head, on the portal (every organ) and on a department's
    site (its subtree)."""
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    news = ColumnPage.objects.get(slug="ywdt")
    published(news, gov, "财政预决算", statutory_category="11")
    published(news, gov, "解读预算", model=InterpretationPage, statutory_category="11")
    withdrawn = published(news, gov, "撤回的预算", statutory_category="11")
    withdrawn.unpublish()
    news.add_child(
        instance=ArticlePage(title="预算草稿", organisation=gov, statutory_category="11", live=False)
    )
    fgj_news = ColumnPage.objects.get(pk=fgj_item.get_parent().pk)
    published(fgj_news, fgj, "发改局预算", statutory_category="11")
    for organ_path in ("", fgj.path):
        counts = category_counts(organ_path)
        for code in StatutoryCategory.values:
            expected = category_items(code, organ_path).count()
            assert counts[code] == category_count(code, organ_path) == expected, (organ_path, code)
    assert category_count("11") == 3 and category_count("11", fgj.path) == 1
    assert category_count("01") == 2 and category_count("01", fgj.path) == 1
    for organ in (gov, fgj):
        assert organisation_item_count(organ) == organisation_items(organ).count()
    assert organisation_item_count(gov) == 3  # the fixture's item, 财政预决算 and 解读预算
