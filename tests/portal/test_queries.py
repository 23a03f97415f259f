"""Portal pages run a bounded number of queries, whatever the number of items (checked at 30 and 90)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from zwgk.core.models import Organisation
from zwgk.demo.content import generate
from zwgk.demo.disclosure_section import SECTION_ITEMS
from zwgk.demo.people import create_organisations
from zwgk.disclosure.models import ArticlePage

pytestmark = pytest.mark.django_db


def build(n):
    orgs = create_organisations(random.Random(3))
    generate(
        orgs,
        seed=3,
        articles=n,
        policies=8,
        interpretations=3,
        today=dt.date(2026, 11, 20),
        bulk_threshold=0,
    )


URLS = [
    "/",
    "/ywdt/",
    "/ywdt/?page=2",
    "/zcwjk/",
    "/zcwjk/?kind=normative&validity=valid",
    "/zwgk/",
    "/zwgk/ml/xzf/",
    "/zwgk/fdzdgknr/",
    "/zwgk/fdzdgknr/11/",
    "/ywdt/rss/",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def detail_url():
    return ArticlePage.objects.live().order_by("-id").first().url


@pytest.mark.parametrize("n", [30, 90])
def test_query_count_per_page_is_bounded(n, client, settings):
    settings.ZWGK_PAGE_CACHE_SECONDS = settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0  # the views themselves
    build(n)
    assert (
        ArticlePage.objects.count() == n + SECTION_ITEMS
    )  # the 制度 and 行政执法公示 come with every county
    client.get("/")  # creates the PortalSettings row
    counts = {url: count_queries(client, url) for url in [*URLS, detail_url()]}
    # Each list renders a page of 20: queries must not grow with the items shown (no N+1 over .specific).
    for url, queries in counts.items():
        # 法定主动公开内容 shows the 15 categories of Art. 20, a few queries each.
        assert queries <= (100 if url == "/zwgk/fdzdgknr/" else 40), (url, queries)


def test_query_count_does_not_grow_with_the_number_of_items(client, settings):
    settings.ZWGK_PAGE_CACHE_SECONDS = settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0
    build(30)
    client.get("/")
    small = {url: count_queries(client, url) for url in URLS}
    # Add 60 more articles in bulk to the same columns and compare.
    from zwgk.demo import content as demo_content

    home = Page.objects.get(depth=2)
    gen = demo_content.ContentGenerator(
        random.Random(5),
        {o.slug: o for o in Organisation.objects.all()},
        dt.date(2024, 1, 1),
        dt.date(2026, 11, 20),
    )
    from zwgk.demo.bulk import BulkArticleWriter

    writer = BulkArticleWriter(random.Random(6))
    column = home.get_children().get(slug="ywdt")
    for _ in range(60):
        page = gen.slug(gen.article_page(demo_content.NEWS_TITLES))
        page.slug += "x"
        writer.add(column, page)
    writer.finish()
    large = {url: count_queries(client, url) for url in URLS}
    assert ArticlePage.objects.count() == 90 + SECTION_ITEMS
    # (The Art. 20 overview is left out: a category's first item of a type adds one query, at most 45.)
    small.pop("/zwgk/fdzdgknr/"), large.pop("/zwgk/fdzdgknr/")
    # A page of 20 may hold more item types than before: one .specific() query per type (3 types).
    for url, queries in small.items():
        assert large[url] <= queries + 2, (url, queries, large[url])


def test_catalog_and_category_queries_find_items_of_every_type():
    """信息公开目录 and 法定主动公开内容 after the id-IN rewrite: the same items as a per-type scan."""
    from zwgk.disclosure.catalog import category_items, organisation_items
    from zwgk.disclosure.models import InterpretationPage, PolicyDocumentPage

    build(60)
    models = (ArticlePage, PolicyDocumentPage, InterpretationPage)
    for org in Organisation.objects.all():
        expected = {p.pk for m in models for p in m.objects.live().filter(organisation=org)}
        assert set(organisation_items(org).values_list("pk", flat=True)) == expected
    seen_types = set()
    for code in ("01", "11", "14"):
        expected = {p.pk for m in models for p in m.objects.live().filter(statutory_category=code)}
        found = list(category_items(code).specific())
        assert {p.pk for p in found} == expected
        assert [p.first_published_at for p in found] == sorted(
            (p.first_published_at for p in found), reverse=True
        )
        seen_types |= {type(p) for p in found}
    assert seen_types == set(models)
