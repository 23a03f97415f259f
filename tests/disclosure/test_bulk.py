"""City-scale demo data: the bulk writer produces the same county as Wagtail's add_child, valid to Wagtail."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from zwgk.demo.content import generate
from zwgk.demo.disclosure_section import SECTION_ITEMS
from zwgk.demo.people import create_organisations
from zwgk.disclosure import rules
from zwgk.disclosure.models import ArticlePage, ColumnPage, IndexSequence

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
SEED = 11


def build(orgs, bulk_threshold):
    return generate(
        orgs,
        seed=SEED,
        articles=90,
        policies=6,
        interpretations=3,
        today=TODAY,
        bulk_threshold=bulk_threshold,
    )


def snapshot():
    rows = (
        ArticlePage.objects.order_by("path")
        .values_list(
            "title",
            "slug",
            "url_path",
            "index_number",
            "published_late",
            "first_published_at",
            "written_date",
            "organisation_id",
            "statutory_category",
            "body",
        )
        .iterator()
    )
    return list(rows)


@pytest.fixture
def orgs():
    return create_organisations(random.Random(SEED))


def test_bulk_path_builds_the_same_county_as_add_child(orgs):
    build(orgs, bulk_threshold=10)
    bulk = snapshot()
    assert len(bulk) == 90 + SECTION_ITEMS  # the 制度 and 行政执法公示 come with every county
    Page.objects.get(depth=2).delete()
    IndexSequence.objects.all().delete()
    build(orgs, bulk_threshold=10_000)
    assert snapshot() == bulk


def test_bulk_pages_are_normal_wagtail_pages(orgs, client):
    build(orgs, bulk_threshold=10)
    assert all(not problems for problems in Page.find_problems())
    # fix_tree on a sound tree changes nothing.
    before = list(Page.objects.order_by("path").values_list("path", "depth", "numchild", "url_path"))
    Page.fix_tree()
    assert list(Page.objects.order_by("path").values_list("path", "depth", "numchild", "url_path")) == before

    article = ArticlePage.objects.live().order_by("path").last()
    assert article.get_parent().specific_class is ColumnPage
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert article.title in html and article.index_number in html
    column = article.get_parent().specific
    assert column.numchild == column.get_children().count() > 0

    # The back office opens it like any other page (no revision yet: imported content).
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("admin", password="pw-123456"))
    edit = client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200 and article.title in edit.content.decode()
    explorer = client.get(f"/admin/pages/{column.pk}/")
    assert explorer.status_code == 200
    client.logout()
    response = client.get(column.url)
    assert response.status_code == 200
    assert ArticlePage.objects.live().child_of(column).order_by("-first_published_at").first().title in (
        response.content.decode()
    )


def test_bulk_index_numbers_are_unique_gap_free_and_continue_through_add_child(orgs):
    """spec §7.4: per organisation and year, 00001… without gaps, whatever path created the item."""
    counts = build(orgs, bulk_threshold=10)
    pages = list(ArticlePage.objects.select_related("organisation"))
    for page in pages:
        published = timezone.localtime(page.first_published_at).date()
        assert page.published_late == rules.is_late_publication(page.written_date, published)
    from zwgk.disclosure.models import InterpretationPage, PolicyDocumentPage

    numbers = defaultdict(list)
    for model in (ArticlePage, PolicyDocumentPage, InterpretationPage):
        for org_id, first_published_at, number in model.objects.values_list(
            "organisation_id", "first_published_at", "index_number"
        ):
            numbers[org_id, timezone.localtime(first_published_at).year].append(number)
    all_numbers = [n for group in numbers.values() for n in group]
    assert counts["interpretations"] > 0
    total = counts["articles"] + counts["policies"] + counts["interpretations"] + SECTION_ITEMS
    assert len(all_numbers) == len(set(all_numbers)) == total
    for (org_id, year), group in numbers.items():
        assert sorted(int(n[-5:]) for n in group) == list(range(1, len(group) + 1))
        assert IndexSequence.objects.get(organisation_id=org_id, year=year).last_value == len(group)

    # An item published afterwards through Wagtail continues the sequence.
    column = ArticlePage.objects.first().get_parent().specific
    org = orgs["xzf"]
    year = TODAY.year
    before = IndexSequence.objects.filter(organisation=org, year=year).values_list("last_value", flat=True)
    expected = (before.first() or 0) + 1
    page = ArticlePage(
        title="关于做好政务公开工作的通知",
        slug="new-item",
        organisation=org,
        live=True,
        first_published_at=timezone.make_aware(dt.datetime(year, 11, 20, 9)),
    )
    column.add_child(instance=page)
    assert page.index_number == rules.format_index_number(org.credit_code, year, expected)
    assert not any(Page.find_problems())


def test_demo_command_takes_the_bulk_path_above_the_threshold(capsys):
    from django.core.management import call_command

    from zwgk.demo.content import BULK_THRESHOLD

    call_command(
        "demo", articles=BULK_THRESHOLD + 1, policies=6, interpretations=2, today="2026-11-20", seed=SEED
    )
    assert "信息（批量）" in capsys.readouterr().err
    reports = ArticlePage.objects.live().filter(title__endswith="政府信息公开工作年度报告").count()
    assert reports == 2  # the two past years' 年报, through 三审
    # The articles asked for, the 制度 and 行政执法公示 every county has, and the 年报.
    assert ArticlePage.objects.live().count() == BULK_THRESHOLD + 1 + SECTION_ITEMS + reports
    assert not any(Page.find_problems())
    # Every live item numbered once (the demo's 清理结果 notice waits for 三审 as a draft, unnumbered).
    numbers = list(ArticlePage.objects.live().values_list("index_number", flat=True))
    assert len(set(numbers)) == len(numbers) and "" not in numbers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_postgresql_tables_are_analysed_each_time_the_rows_double_and_vacuumed_at_the_end():
    """The deferred foreign-key check of each batch's commit keeps the plan the session made when the
    page table was small (a sequential scan) until fresh statistics make it plan again."""
    from django.test.utils import CaptureQueriesContext

    from tests import factories
    from zwgk.demo.bulk import BulkArticleWriter

    org = factories.organisation(name="龙溪县财政局", slug="czj")
    home, column, _ = factories.site()
    writer = BulkArticleWriter(random.Random(1), batch_size=2)
    analysed_at = []
    for i in range(9):
        with CaptureQueriesContext(connection) as queries:
            when = timezone.now() - dt.timedelta(days=i)
            writer.add(
                column, ArticlePage(title=f"信息{i}", slug=f"i{i}", organisation=org, first_published_at=when)
            )
        if any(q["sql"].startswith("ANALYZE") for q in queries.captured_queries):
            analysed_at.append(writer.done)
    with CaptureQueriesContext(connection) as queries:
        writer.finish()
    assert analysed_at == [2, 4, 8]
    assert ArticlePage.objects.live().count() == 9
    # At the end the tables are vacuumed as autovacuum would, so that the portal's counts can read their
    # indexes alone. (Whether VACUUM marks the pages all-visible depends on the other transactions open on
    # the server, a replica's feedback included: not asserted.)
    vacuumed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("VACUUM ANALYZE")]
    assert vacuumed and ArticlePage._meta.db_table in vacuumed[0]
