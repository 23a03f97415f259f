"""Chinese full-text search (issue #5): recall on every query length, 文号 spellings, traditional and
full-width input, synonyms, filters, withdrawal, the CLI JSON contract. Runs on SQLite and PostgreSQL."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests import factories
from zwgk.core.distinct import distinct_values
from zwgk.disclosure.models import ArticlePage, PolicyDocumentPage
from zwgk.search.indexing import index_page
from zwgk.search.models import SearchEntry, Synonym
from zwgk.search.query import search
from zwgk.text.tokenize import distinct_terms, index_terms, normalised_terms, query_terms

pytestmark = pytest.mark.django_db


def test_tokens_are_bigrams_and_ascii_words():
    assert index_terms("政务公开ABC 2024") == "政务 务公 公开 abc 2024"
    assert query_terms("預算") == [("预算", False)]
    assert query_terms("乡") == [("乡", True)]
    # Indexing on SQLite keeps CJK runs apart (FTS5 numbers tokens without gaps).
    assert normalised_terms("全省政 政府，好 abc 工作", boundaries=True) == "全省 省政 _ 政府 _ 好 abc 工作"
    # PostgreSQL's GIN index holds a set: each token once.
    assert distinct_terms("公开公开 好 abc 2024 abc") == {"公开", "开公", "好", "abc", "2024"}
    assert distinct_terms("") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN token lists: PostgreSQL only")
def test_postgresql_token_lists_are_sorted_sets(corpus):
    """A token row holds each token once, in the "C" collation's order (the GIN build then sorts each
    row's tokens in one pass): the bigrams and words of the text, the filter tokens and the month."""
    from wagtail.models import Page

    from zwgk.search.indexing import facet_terms, facet_token, month_token
    from zwgk.search.models import SearchTokens

    tokens = dict(SearchTokens.objects.values_list("entry_id", "terms"))
    assert len(tokens) == SearchEntry.objects.count() >= 4
    for entry in SearchEntry.objects.all():
        listed = tokens[entry.pk].split(" ")
        assert listed == sorted(set(listed), key=lambda t: t.encode())  # byte order = "C"
        fields = {f: getattr(entry, f) for f in ("type", "year", "organisation_id", "section_id", "validity")}
        expected = set(normalised_terms(entry.text).split()) | set(facet_terms(fields))
        page = Page.objects.get(pk=entry.page_id)
        site = facet_token("h", page.path[: page.steplen * 2])  # the item's site (本站 search)
        assert set(listed) == expected | {month_token(entry.published), site}


@pytest.fixture
def corpus():
    fgj = factories.organisation(name="龙溪县发展和改革局", short_name="县发改局", slug="fgj")
    czj = factories.organisation(name="龙溪县财政局", short_name="县财政局", slug="czj")
    home, column, library = factories.site()
    pages = {}

    def publish(parent, key, page):
        parent.add_child(instance=page)
        page.save_revision().publish()  # indexing runs through the (immediate) task queue
        page.refresh_from_db()
        pages[key] = page

    publish(
        column,
        "budget",
        ArticlePage(
            title="龙溪县2025年财政预算执行情况",
            organisation=czj,
            body="<p>全县一般公共预算收入稳步增长。</p>",
        ),
    )
    publish(
        column,
        "dibao",
        ArticlePage(
            title="关于城乡低保对象动态管理的通知",
            organisation=czj,
            body="<p>做好低保、特困人员救助供养工作。</p>",
        ),
    )
    publish(
        column,
        "plan",
        ArticlePage(
            title="县发展和改革局召开项目推进会",
            organisation=fgj,
            body="<p>推进重点项目建设，Wi-Fi 5G 基站覆盖率达到98%。</p>",
        ),
    )
    publish(
        library,
        "policy",
        PolicyDocumentPage(
            title="龙溪县政府投资项目管理办法",
            organisation=fgj,
            document_number="龙政办〔2022〕3号",
            doc_kind="normative",
            body="<p>为规范政府投资项目管理，制定本办法。</p>",
            written_date=dt.date(2022, 3, 1),
        ),
    )
    return pages


def titles(query, **filters):
    return {hit.title for hit in search(query, limit=None, **filters).hits}


def test_two_character_queries_find_every_document_containing_them(corpus):
    assert titles("预算") == {"龙溪县2025年财政预算执行情况"}
    assert titles("低保") == {"关于城乡低保对象动态管理的通知"}
    assert titles("项目") == {"县发展和改革局召开项目推进会", "龙溪县政府投资项目管理办法"}


def test_recall_equals_substring_scan(corpus):
    """Every document whose normalised text contains the query is found — nothing more, nothing less."""
    for query in ("预算", "项目管理", "推进", "公共预算收入", "救助供养", "5g", "98%", "县", "办法"):
        expected = {e.title for e in SearchEntry.objects.all() if query.lower() in e.text}
        assert expected, query  # the corpus contains every query
        assert titles(query) == expected, query


@pytest.mark.parametrize(
    "spelling", ["龙政办〔2022〕3号", "龙政办[2022]3号", "龙政办2022-3号", "龙政办（２０２２）３号"]
)
def test_document_numbers_in_any_spelling(corpus, spelling):
    result = search(spelling)
    assert [hit.title for hit in result.hits] == ["龙溪县政府投资项目管理办法"]


def test_traditional_and_full_width_input(corpus):
    assert titles("財政預算") == {"龙溪县2025年财政预算执行情况"}
    assert titles("５Ｇ　基站") == {"县发展和改革局召开项目推进会"}  # ideographic space = space
    assert titles("WI-FI") == {"县发展和改革局召开项目推进会"}


def test_synonyms_edited_in_the_back_office(corpus):
    Synonym.objects.all().delete()  # the starter list (migration 0012) names 发改局 already
    assert titles("县发改局召开") == set()
    Synonym.objects.create(term="县发改局", equivalents="县发展和改革局、发改局")
    assert titles("县发改局召开") == {"县发展和改革局召开项目推进会"}


def test_a_query_never_matches_across_punctuation_or_a_space(corpus):
    """`全省政 政府` does not contain 省政府: FTS5 numbered its bigrams 省政, 政府 one after the
    other, and the phrase of the query's bigrams matched across the space (bench/search.py found 4
    such hits of 省政府 at 450,000 items)."""
    column, org = corpus["budget"].get_parent(), corpus["budget"].organisation
    for title, body in [("工作简报甲", "全省政 政府采购；全省政，府采"), ("工作简报乙", "省政府采购")]:
        page = ArticlePage(title=title, organisation=org, body=f"<p>{body}</p>")
        column.add_child(instance=page)
        page.save_revision().publish()
    assert titles("省政府") == titles("省政府采购") == {"工作简报乙"}
    assert titles("政府采购") == titles("省政") == {"工作简报甲", "工作简报乙"}
    assert search("省政府", limit=20).count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN: PostgreSQL only")
def test_postgresql_reads_hits_through_the_gin_index(corpus):
    """The queries spell the token array as the index does (indexing.TOKENS_SQL, "C" collation):
    a different expression or collation would leave the index unused and scan every entry's tokens."""
    from zwgk.search.indexing import SAMPLE_SHARES, TOKEN_PARTITIONS, gin_index, sample_sql
    from zwgk.search.query import _plan, _postgresql_gin, expansions

    for query in ("预算", "一般公共预算"):
        plan = _plan(expansions(query), {})
        with _postgresql_gin(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN SELECT t.id {plan.sql}", plan.params)
            explained = "\n".join(row[0] for row in cursor.fetchall())
            # The samples of an estimated total: each through its partial indexes (migrations 0010, 0011).
            sampled = {}
            for share in SAMPLE_SHARES:
                cursor.execute(f"EXPLAIN SELECT count(*) {plan.sql} AND {sample_sql(share)}", plan.params)
                sampled[share] = "\n".join(row[0] for row in cursor.fetchall())
        # Every partition of the token table (migration 0008), each through its own index.
        for n in range(TOKEN_PARTITIONS):
            assert f"Bitmap Index Scan on {gin_index(n)}" in explained
            for share in SAMPLE_SHARES:
                assert f"Bitmap Index Scan on {gin_index(n, share)}" in sampled[share]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5: SQLite only")
def test_migration_retokenises_an_index_written_without_run_boundaries(corpus):
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("zwgk.search.migrations.0005_sqlite_run_boundaries")
    column, org = corpus["budget"].get_parent(), corpus["budget"].organisation
    page = ArticlePage(title="工作简报甲", organisation=org, body="<p>全省政 政府采购</p>")
    column.add_child(instance=page)
    page.save_revision().publish()
    published = dict(SearchEntry.objects.values_list("pk", "terms"))
    with connection.cursor() as cursor:  # the index as it was before the boundary token
        for pk, terms in published.items():
            cursor.execute(
                "UPDATE zwgk_search_searchentry SET terms = %s WHERE id = %s", [terms.replace(" _ ", " "), pk]
            )
        cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('rebuild')")
    assert titles("省政府") == {"工作简报甲"}  # the false hit
    migration.retokenise(None, SimpleNamespace(connection=connection))
    assert dict(SearchEntry.objects.values_list("pk", "terms")) == published  # filter tokens kept
    assert titles("省政府") == set() and titles("政府采购") == {"工作简报甲"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5: SQLite only")
def test_migration_rebuilds_the_full_text_index_with_the_ascii_tokenizer(corpus):
    """Migration 0009 creates the FTS5 table again (ascii tokenizer) and rebuilds it from the stored
    tokens: the same hits for every query form, filters included, and unpublishing still removes."""
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("zwgk.search.migrations.0009_sqlite_ascii_tokenizer")
    queries = [("低保", {}), ("项目", {"organisation": "fgj"}), ("项目", {"type": "政策文件"}), ("2022", {})]
    before = [titles(q, **filters) for q, filters in queries]
    editor = SimpleNamespace(connection=connection)
    migration.recreate(migration.UNICODE61)(None, editor)  # back: the table as migration 0003 made it
    assert [titles(q, **filters) for q, filters in queries] == before
    migration.recreate(migration.ASCII)(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'zwgk_search_fts'")
        assert "ascii" in cursor.fetchone()[0]
    assert [titles(q, **filters) for q, filters in queries] == before and before[0]
    corpus["dibao"].unpublish()
    assert titles("低保") == set()


def test_filters_and_sorting(corpus):
    assert titles("项目", type="政策文件") == {"龙溪县政府投资项目管理办法"}
    assert titles("项目", organisation="fgj") == {
        "县发展和改革局召开项目推进会",
        "龙溪县政府投资项目管理办法",
    }
    assert titles("项目", organisation="czj") == set()
    assert titles("项目", validity="valid") == {"龙溪县政府投资项目管理办法"}
    hits = search("项目").hits
    assert hits[0].title == "龙溪县政府投资项目管理办法" or "项目" in hits[0].title


def test_unpublished_and_non_public_pages_are_never_returned(corpus):
    corpus["dibao"].unpublish()
    assert titles("低保") == set()
    page = ArticlePage(
        title="依申请公开的预算材料", organisation=corpus["budget"].organisation, disclosure_mode="on_request"
    )
    corpus["budget"].get_parent().add_child(instance=page)
    page.save_revision().publish()
    assert "依申请公开的预算材料" not in titles("预算")
    index_page(page)
    assert "依申请公开的预算材料" not in titles("预算")


def test_deleted_page_leaves_the_index(corpus):
    corpus["plan"].delete()
    assert titles("推进会") == set()


def test_cli_json_contract(corpus, capsys):
    call_command("search", "项目", "--json", "--limit", "0")
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 2 and len(data["results"]) == 2
    assert set(data["results"][0]) == {"url", "title", "type", "published"}
    call_command("search", "项目", "--json", "--limit", "1")
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 2 and len(data["results"]) == 1


def test_reindex_rebuilds(corpus, capsys, client, settings, tmp_path):
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    SearchEntry.objects.all().delete()
    client.get("/")  # the first request makes the site's PortalSettings (a change of the site)
    client.get("/search/", {"q": "低保"})
    cached = client.get("/search/", {"q": "低保"})
    assert cached["X-Cache"] == "HIT" and "没有找到相关信息" in cached.content.decode()
    call_command("reindex", "--restart")
    assert titles("低保") == {"关于城乡低保对象动态管理的通知"}
    # The cached search page follows the new index (a reindex starts the all-sites generation).
    after = client.get("/search/", {"q": "低保"})
    assert after["X-Cache"] == "MISS" and "找到 1 条" in after.content.decode()


def test_results_page_highlights_and_filters(client, corpus):
    html = client.get("/search/", {"q": "低保"}).content.decode()
    assert "找到 1 条" in html and "<mark>低保</mark>" in html and 'name="robots" content="noindex"' in html
    suggestions = client.get("/search/suggest/", {"q": "低保"}).json()["suggestions"]
    assert suggestions == ["关于城乡低保对象动态管理的通知"]


def test_section_filter(client, corpus):
    from zwgk.disclosure.models import PolicyLibraryPage

    library = PolicyLibraryPage.objects.get()
    assert titles("项目", section=str(library.pk)) == {"龙溪县政府投资项目管理办法"}
    html = client.get("/search/", {"q": "项目", "section": library.pk}).content.decode()
    assert "找到 1 条" in html and "政策文件库</option>" in html


def test_ranking_title_before_body_and_newer_before_older(corpus):
    """Relevance: a hit in the title ranks before a hit only in the body; at equal score, newer first."""
    column = corpus["budget"].get_parent()
    org = corpus["budget"].organisation
    for title, body in (("旧的救助供养通知", "<p>内容</p>"), ("新的救助供养通知", "<p>内容</p>")):
        page = ArticlePage(title=title, organisation=org, body=body)
        column.add_child(instance=page)
        page.save_revision().publish()
    hits = [h.title for h in search("救助供养").hits]
    assert hits[:2] == ["新的救助供养通知", "旧的救助供养通知"]
    assert hits[-1] == "关于城乡低保对象动态管理的通知"  # the phrase only in its body


def test_a_page_past_the_ranking_window_ranks_every_hit(corpus, monkeypatch):
    """The first pages rank the newest CANDIDATES hits; a page past them ranks all the hits (SQLite
    reads their ranking columns in batches of SQLITE_IN_BATCH parameters)."""
    from zwgk.search import query

    column = corpus["budget"].get_parent()
    org = corpus["budget"].organisation
    for i in range(6):  # the oldest holds the query in its title, the five newer ones in the body
        title = "救助供养工作通知" if i == 0 else f"第{i}号通知"
        page = ArticlePage(title=title, organisation=org, body="<p>做好救助供养工作</p>")
        column.add_child(instance=page)
        page.save_revision().publish()
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=dt.datetime(2020, 1, 1 + i, tzinfo=dt.UTC)
        )
        index_page(ArticlePage.objects.get(pk=page.pk))
    monkeypatch.setattr(query, "CANDIDATES", 3)
    monkeypatch.setattr(query, "SQLITE_IN_BATCH", 2)
    everything = [h.title for h in search("救助供养", limit=None).hits]
    assert everything[0] == "救助供养工作通知" and len(everything) == 7
    assert [h.title for h in search("救助供养", offset=2, limit=2).hits] == everything[2:4]
    # Within the window of the newest three, the title hit (the oldest) is out of reach.
    assert "救助供养工作通知" not in [h.title for h in search("救助供养", limit=2).hits]


def test_document_numbers_clause_by_clause_equals_the_whole_text():
    """tokenize.document_numbers rewrites only the clauses holding a 号: same output as the whole text."""
    from zwgk.text.normalize import normalize_document_number
    from zwgk.text.tokenize import document_numbers

    samples = [
        "根据龙政办[2022]3号，关于龙政办2022-3号。龙政办（2022）3号、县发改局〔2024〕第012号!",
        "编号2024年：第3号；x〔2024〕3号,y[2023]4号;z2022-1号?见 abc 2024 - 5 号",
        "龙政办\n[2022]\n3号和龙政办 2022 - 3 号",
        "没有文号的一段文字，2024年3月。",
        "",
    ]
    for text in samples:
        assert document_numbers(text) == normalize_document_number(text), text


def test_date_sort_newest_first_and_year_filter(corpus):
    hits = search("龙溪县", sort="date", limit=None).hits
    published = [(h.published, h.page_id) for h in hits]
    assert published == sorted(published, reverse=True) and len(hits) == 4
    year = hits[0].year
    assert titles("龙溪县", year=str(year)) == {h.title for h in hits if h.year == year}
    assert titles("龙溪县", year=str(year + 50)) == set()
    assert search("龙溪县", sort="date", offset=1, limit=2).hits == hits[1:3]


def test_reindex_resumes_and_entries_match_publishing(corpus):
    """A resumed rebuild writes the same entries (url, section, tokens) as indexing on publish."""
    fields = (
        "id",
        "url",
        "title",
        "type",
        "organisation_id",
        "section_id",
        "year",
        "validity",
        "text",
        "terms",
    )
    published = {e["page_id"]: e for e in SearchEntry.objects.values("page_id", *fields)}
    first = min(published)
    from zwgk.search.indexing import remove_page

    for page_id in published:
        if page_id != first:
            remove_page(page_id)  # an interrupted run kept one entry
    call_command("reindex")
    rebuilt = {e["page_id"]: e for e in SearchEntry.objects.values("page_id", *fields)}
    assert rebuilt == published
    assert titles("低保") == {"关于城乡低保对象动态管理的通知"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 segments: SQLite only")
def test_reindex_merges_the_full_text_index_into_one_segment(corpus):
    """A query seeks every FTS5 segment; `--optimize` (and a bulk rebuild) leaves one, through FTS5's
    crisis merge, and puts FTS5's crisismerge setting back; the hits stay the same."""
    from zwgk.search.management.commands import reindex

    before = {q: titles(q) for q in ("低保", "项目", "龙政办〔2022〕3号", "预算执行")}
    with connection.cursor() as cursor:
        assert reindex._fts_segments(cursor) > 1  # each publish wrote its own segment
        call_command("reindex", "--optimize")
        assert reindex._fts_segments(cursor) == 1
        cursor.execute("SELECT v FROM zwgk_search_fts_config WHERE k = 'crisismerge'")
        assert cursor.fetchone()[0] == reindex.FTS_CRISISMERGE
    assert {q: titles(q) for q in before} == before
    assert before["低保"] == {"关于城乡低保对象动态管理的通知"}


def test_write_transactions_make_at_most_crisismerge_segments():
    from zwgk.search.management.commands.reindex import WRITE_ROWS, WRITE_ROWS_MAX, _write_rows

    assert _write_rows(500) == WRITE_ROWS
    assert -(-450_000 // _write_rows(450_000)) == 16  # the 16th segment merges them all into one
    assert _write_rows(5_000_000) == WRITE_ROWS_MAX  # bounded by memory


def test_common_long_query_estimate_pages_exactly_and_cli_counts_exactly(corpus, monkeypatch, capsys):
    """PostgreSQL may estimate the total of a query with more candidates (token containment) than
    RECHECK_LIMIT, shown as 约; the hits themselves are always exact, newest first, and the CLI and
    `exact_count` give the exact total. SQLite counts exactly from its phrase index."""
    from zwgk.search import query

    monkeypatch.setattr(query, "RECHECK_LIMIT", 2)
    monkeypatch.setattr(query, "RECHECK_CHUNK", 2)
    monkeypatch.setattr(query, "RECHECK_FIRST", 2)
    column, org = corpus["budget"].get_parent(), corpus["budget"].organisation
    for i in range(4):  # 政务公开 itself
        page = ArticlePage(title=f"第{i}期政务公开简报", organisation=org, body="<p>内容</p>")
        column.add_child(instance=page)
        page.save_revision().publish()
    for i in range(3):  # its bigrams, apart: candidates that are not hits
        page = ArticlePage(title=f"政务服务与公开第{i}号", organisation=org, body="<p>务公司公开</p>")
        column.add_child(instance=page)
        page.save_revision().publish()
    result = query.search("政务公开", limit=3, sort="date")
    assert [h.title for h in result.hits] == ["第3期政务公开简报", "第2期政务公开简报", "第1期政务公开简报"]
    if result.approximate:
        assert 4 <= result.count <= 7
    else:
        assert result.count == 4
    assert query.search("政务公开", limit=3, exact_count=True).count == 4
    assert not query.search("政务公开", limit=3, exact_count=True).approximate
    call_command("search", "政务公开", "--json", "--limit", "2")
    assert json.loads(capsys.readouterr().out)["count"] == 4


def test_the_share_of_hits_among_candidates_is_read_off_enough_of_them(corpus, monkeypatch):
    """PostgreSQL: an estimated total is the candidates (token containment) times the share of hits
    among those rechecked. A page needing few hits reads RECHECK_FIRST candidates; unless all of them
    were hits, RECHECK_CHUNK at least, for the share."""
    if connection.vendor != "postgresql":
        pytest.skip("candidates and a recheck: PostgreSQL only")
    from zwgk.search import query

    column, org = corpus["budget"].get_parent(), corpus["budget"].organisation
    bodies = ["<p>务公司公开</p>"] * 6 + ["<p>政务公开</p>"] * 2  # candidates, then two hits, newest last
    for i, body in enumerate(bodies):
        page = ArticlePage(title=f"政务服务与公开第{i}号", organisation=org, body=body)
        column.add_child(instance=page)
        page.save_revision().publish()
    monkeypatch.setattr(query, "RECHECK_CHUNK", 6)
    plan = query._plan(["政务公开"], {})
    monkeypatch.setattr(query, "RECHECK_FIRST", 2)  # both hits: the share (1) stands
    assert (
        query._rechecked_ids(plan, 0, 1, share=True).checked,
        query._rechecked_ids(plan, 0, 1).checked,
    ) == (2, 2)
    monkeypatch.setattr(query, "RECHECK_FIRST", 3)  # two hits of three: read on, for the share
    shared, paged = query._rechecked_ids(plan, 0, 1, share=True), query._rechecked_ids(plan, 0, 1)
    assert shared.checked >= 6 and shared.found < shared.checked and paged.checked == 3
    assert shared.ids == paged.ids and SearchEntry.objects.get(id=paged.ids[0]).title == "政务服务与公开第7号"


def test_reindex_reads_items_in_the_order_of_their_entry_ids():
    """`zwgk reindex` writes entries in id order (newest first), whatever order the pages were made
    in: appended to the entry table, one rowid range per FTS5 segment, the token heap in GIN's order.
    Items already indexed are skipped (resume)."""
    from wagtail.models import Page

    from zwgk.search.indexing import sort_key
    from zwgk.search.management.commands.reindex import _todo_batches

    org = factories.organisation(name="龙溪县财政局", short_name="县财政局", slug="czj")
    _, column, _ = factories.site()
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    made = []
    for i, days in enumerate([30, 2, 400, 2, 90, 7, 365]):  # page ids ascending, dates all over
        page = ArticlePage(title=f"第{i}号", slug=f"item-{i}", organisation=org, body="<p>正文</p>")
        column.add_child(instance=page)
        Page.objects.filter(pk=page.pk).update(first_published_at=start + dt.timedelta(days=days))
        made.append(page.pk)
    pages = Page.objects.filter(pk__in=made)
    published = dict(pages.values_list("id", "first_published_at"))
    expected = sorted(made, key=lambda pk: sort_key(published[pk], pk))
    assert expected[:2] == [made[2], made[6]] and expected[-2:] == [made[3], made[1]]  # newest first
    assert [pk for batch in _todo_batches(pages, 3) for pk in batch] == expected
    assert [len(batch) for batch in _todo_batches(pages, 3)] == [3, 3, 1]
    SearchEntry.objects.create(  # indexed already: skipped
        id=1, page_id=made[2], url="/", title="", type="文章", published=start, year=2024, text="", terms=""
    )
    assert [pk for batch in _todo_batches(pages, 3) for pk in batch] == [
        pk for pk in expected if pk != made[2]
    ]


@pytest.mark.django_db(transaction=True)
def test_reindex_with_worker_processes_writes_what_publishing_wrote(corpus, monkeypatch):
    """`--workers 2` tokenises in forked processes, which read the committed items on their own
    database connections; the entries (and on PostgreSQL the token rows) equal those of publishing.
    As a bulk load: on PostgreSQL the GIN indexes are dropped, the token partitions rewritten in id
    order, then the indexes built side by side at the end."""
    from zwgk.search.indexing import TOKEN_PARTITIONS, gin_index, gin_indexes, token_partition
    from zwgk.search.management.commands import reindex
    from zwgk.search.models import SearchTokens

    monkeypatch.setattr(reindex, "BULK_LOAD", 0)

    def snapshot():
        entries = {
            e["page_id"]: e for e in SearchEntry.objects.values("page_id", "id", "url", "text", "terms")
        }
        return entries, dict(SearchTokens.objects.values_list("entry_id", "terms"))

    def assert_gin_indexes_and_heap_in_id_order():
        with connection.cursor() as cursor:
            for n, sample in gin_indexes():
                cursor.execute("SELECT to_regclass(%s)", [gin_index(n, sample)])
                assert cursor.fetchone()[0] is not None, gin_index(n, sample)
            rows = 0
            for n in range(TOKEN_PARTITIONS):  # in id order (newest first) for GIN
                cursor.execute(f"SELECT id FROM {token_partition(n)} ORDER BY ctid")
                ids = [row[0] for row in cursor.fetchall()]
                assert ids == sorted(ids), token_partition(n)
                rows += len(ids)  # (a partition may hold none of a few entries)
            assert rows == len(published[0])

    published = snapshot()
    try:
        call_command("reindex", "--restart", "--workers", "2")  # written in id order
        assert snapshot() == published
        if connection.vendor == "postgresql":
            assert_gin_indexes_and_heap_in_id_order()
            # Resumed after an interruption: the newest entries are missing and are appended to
            # the heap after the older ones, then the token partitions are rewritten in id order.
            newest = list(SearchEntry.objects.order_by("id").values_list("page_id", flat=True)[:2])
            SearchEntry.objects.filter(page_id__in=newest).delete()
            call_command("reindex", "--workers", "2")
            assert snapshot() == published
            assert_gin_indexes_and_heap_in_id_order()
        if connection.vendor == "sqlite":  # the restart deletes with them off, for speed
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys")
                assert cursor.fetchone() == (1,)
        assert titles("低保") == {"关于城乡低保对象动态管理的通知"}
    finally:
        # The flush after a transactional test empties model tables only: empty the FTS5 table too,
        # or the next tests (whose page ids start again at 1) would meet these rows.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM zwgk_search_tokens")
            cursor.execute("DELETE FROM zwgk_search_searchentry")
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('delete-all')")


def test_a_common_querys_total_is_estimated_from_a_sample(monkeypatch):
    """The portal's total of a common query comes from a sample of the index, shown as 约: rowid
    ranges spread over the hits' span on SQLite, a hash bucket of the entries on PostgreSQL. A rarer
    query, `exact_count` (the CLI) and an inconclusive sample count exactly; the hits are exact."""
    from zwgk.search import indexing, query

    monkeypatch.setattr(query, "SAMPLE_FROM", 30)
    monkeypatch.setattr(query, "SAMPLE_MIN_HITS", 20)
    monkeypatch.setattr(query, "SAMPLE_STEPS", (2,))
    monkeypatch.setattr(query, "RECHECK_LIMIT", 20)
    monkeypatch.setattr(query, "RECHECK_CHUNK", 2)
    monkeypatch.setattr(query, "RECHECK_FIRST", 2)
    monkeypatch.setattr(query, "CANDIDATES", 10)  # PostgreSQL: the recheck reads some candidates, not all
    # PostgreSQL: a sample of 1 in 4 (the partial index holds 1 in 16 and is not used for this one)
    monkeypatch.setattr(query, "SAMPLES", ((4, "(hashint8(t.id) & 3) = 0"),))
    org = factories.organisation(name="龙溪县财政局", short_name="县财政局", slug="czj")
    home, column, _ = factories.site()
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    entries = []
    for i in range(240):  # one item a day; every other one holds 政务公开, every tenth 预算
        text = ("政务公开工作" if i % 2 else "其他工作") + ("预算" if i % 10 == 0 else "")
        page = ArticlePage(title=f"第{i}号", slug=f"item-{i}", organisation=org, body=f"<p>{text}</p>")
        column.add_child(instance=page)
        page.first_published_at = start + dt.timedelta(days=i)
        entries.append(SearchEntry(page_id=page.pk, **indexing.entry_fields(page, column.pk, url=f"/{i}/")))
    indexing._insert(entries)

    for q in ("政务", "政务公开"):  # PostgreSQL: the bigram alone; candidates and a recheck
        common = query.search(q, limit=5)
        assert common.approximate, q
        assert 80 <= common.count <= 160, (q, common.count)  # 120, within the sample's error
        assert [h.title for h in common.hits] == ["第239号", "第237号", "第235号", "第233号", "第231号"]
        assert query.search(q, limit=5, exact_count=True).count == 120
    rarer = query.search("预算", limit=5)
    assert (rarer.count, rarer.approximate) == (24, False)

    # PostgreSQL reads a common query's newest hits a month at a time (at most 3 months here, then
    # the rest at once): any page of them is the same as read at once.
    monkeypatch.setattr(query, "MONTHLY_ROWS", 1)
    monkeypatch.setattr(query, "MONTH_READ_ROWS", 0)  # months however many a page needs
    monkeypatch.setattr(query, "MONTHS_AT_MOST", 3)
    monkeypatch.setattr(query, "DENSE_SHARE", float("inf"))  # the months, not the primary key
    for q, step in (("工作", 1), ("政务公开", 2)):
        for offset in (0, 45, 100):
            page = query.search(q, sort="date", offset=offset, limit=20)
            first = 239 - offset * step
            assert [h.title for h in page.hits] == [f"第{first - k * step}号" for k in range(20)], (q, offset)
    relevance = query.search("工作", limit=3)
    assert [h.title for h in relevance.hits] == ["第239号", "第238号", "第237号"]
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as queries:
            query.search("工作", sort="date", limit=3)
        assert any("_m202008" in q["sql"] for q in queries.captured_queries)  # the newest month
    monkeypatch.setattr(query, "SAMPLE_MIN_HITS", 10_000)  # no sample is conclusive: counted exactly
    assert (query.search("工作", limit=5).count, query.search("工作", limit=5).approximate) == (240, False)
    if connection.vendor == "sqlite":
        # SQLite: too few hits for any sample: the statement that read the newest goes on to count the
        # rest; a sample that is taken but inconclusive: counted after the newest, in a new statement.
        monkeypatch.setattr(query, "SAMPLE_MIN_HITS", 20)
        monkeypatch.setattr(query, "SAMPLE_AGREEMENT", 0.5)  # even and odd ranges never agree
        with CaptureQueriesContext(connection) as queries:
            total = query.search("工作", limit=5)
        assert (total.count, total.approximate) == (240, False)
        assert any("rowid >" in q["sql"] for q in queries.captured_queries)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="hash samples of the token table: PostgreSQL only"
)
def test_postgresql_estimates_from_the_smaller_sample_first(monkeypatch):
    """The smaller sample stands when it holds SAMPLE_MIN_HITS hits (a common query: 1,700 rows of 政务
    at 1/256 where 1/16 read 28,000); else the larger one is counted, unless the smaller one's count
    says it would hold fewer than half of SAMPLE_MIN_HITS: then no estimate (the query is counted)."""
    from zwgk.search import indexing, query

    org = factories.organisation(name="龙溪县财政局", short_name="县财政局", slug="czj")
    home, column, _ = factories.site()
    entries = []
    for i in range(240):
        page = ArticlePage(title=f"第{i}号", slug=f"item-{i}", organisation=org, body="<p>政务公开工作</p>")
        column.add_child(instance=page)
        entries.append(SearchEntry(page_id=page.pk, **indexing.entry_fields(page, column.pk, url=f"/{i}/")))
    indexing._insert(entries)
    small, large = "(hashint8(t.id) & 3) = 0", "(hashint8(t.id) & 1) = 0"
    monkeypatch.setattr(query, "SAMPLES", ((4, small), (2, large)))
    with connection.cursor() as cursor:
        in_sample = {}
        for share, where in query.SAMPLES:  # every entry holds 工作: the sample's entries are its hits
            cursor.execute(f"SELECT count(*) FROM zwgk_search_tokens t WHERE {where}")
            in_sample[share] = cursor.fetchone()[0]
    assert 0 < in_sample[4] < in_sample[2] < 240
    plan = query._plan(["工作"], {})

    def estimate(min_hits):
        monkeypatch.setattr(query, "SAMPLE_MIN_HITS", min_hits)
        with CaptureQueriesContext(connection) as queries:
            found = query._postgresql_estimate(plan)
        return found, sum("hashint8" in q["sql"] for q in queries.captured_queries)

    assert estimate(in_sample[4]) == (4 * in_sample[4], 1)  # the smaller sample stands
    assert estimate(in_sample[4] + 1) == (2 * in_sample[2], 2)  # the larger one holds enough
    assert estimate(in_sample[2] + 1) == (None, 2)  # neither: counted
    # The smaller sample's count says the larger one holds fewer than half of SAMPLE_MIN_HITS.
    assert estimate(4 * in_sample[4] + 1) == (None, 1)


def test_year_and_section_choices_are_the_indexs_distinct_values(client, corpus):
    """The form's 年份 choices come from a skip scan (`core.distinct`): the same values as DISTINCT; its
    栏目 are the site's own sections holding indexed items."""
    SearchEntry.objects.filter(pk=SearchEntry.objects.order_by("pk").first().pk).update(year=2019)
    years = sorted(set(SearchEntry.objects.values_list("year", flat=True)))
    sections = set(SearchEntry.objects.values_list("section_id", flat=True)) - {None}
    assert len(years) >= 2 and len(sections) >= 2
    assert distinct_values(SearchEntry, "year") == years
    assert distinct_values(SearchEntry, "section_id") == sorted(sections)
    response = client.get("/search/", {"q": "项目"})
    assert list(response.context["years"]) == years[::-1]
    listed = [pk for pk, _ in response.context["sections"]]
    paths = dict(Page.objects.filter(pk__in=listed).values_list("pk", "path"))
    assert set(listed) == sections and listed == sorted(listed, key=paths.get)


def test_snippets_read_only_the_hits_item_types(corpus):
    """A page of hits that are all 文章 reads the articles' table alone, not every item type's
    (snippets.attach_snippets, indexing.load_items); a mixed page reads each type it holds."""
    from zwgk.search.snippets import attach_snippets

    def item_reads(query):
        result = search(query, limit=None)
        with CaptureQueriesContext(connection) as ctx:
            attach_snippets(result.hits, result.variants)
        assert all(hit.snippet for hit in result.hits)
        return {
            t
            for t in ("disclosure_articlepage", "disclosure_policydocumentpage")
            if any(t in q["sql"] for q in ctx.captured_queries)
        }

    assert item_reads("低保") == {"disclosure_articlepage"}
    assert item_reads("项目") == {"disclosure_articlepage", "disclosure_policydocumentpage"}


def test_a_search_page_cached_before_the_index_task_ran_shows_the_item_after_it(client, corpus, settings):
    """The publish moves the generations before the queued index task writes the entry: a search in
    between caches a page without the item, and the task moves the all-sites generation again."""
    from zwgk.search.indexing import index_page_task, remove_page

    settings.ZWGK_PAGE_CACHE_SECONDS = 600
    page = corpus["budget"]
    remove_page(page.pk)  # as if the task had not run yet
    assert "财政预算执行情况" not in client.get("/search/", {"q": "预算执行"}).content.decode()
    index_page_task.call(page.pk)
    assert "财政预算执行情况" in client.get("/search/", {"q": "预算执行"}).content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the token table's primary key: PostgreSQL only"
)
def test_postgresql_reads_a_dense_query_in_key_order(monkeypatch):
    """A query whose rows are DENSE_SHARE of the index or more reads its newest rows through the
    primary key and stops at the page's need; the same hits, in the same order, as through GIN."""
    from zwgk.search import indexing, query

    org = factories.organisation(name="龙溪县财政局", short_name="县财政局", slug="czj")
    home, column, _ = factories.site()
    entries = []
    for i in range(120):
        body = "<p>政务公开工作</p>" if i % 4 else "<p>财政预算</p>"  # 工作 in three of four
        page = ArticlePage(title=f"第{i}号", slug=f"item-{i}", organisation=org, body=body)
        column.add_child(instance=page)
        entries.append(SearchEntry(page_id=page.pk, **indexing.entry_fields(page, column.pk, url=f"/{i}/")))
    indexing._insert(entries)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE zwgk_search_tokens")  # the planner's row count: the share's divisor

    def newest(query_text):
        with CaptureQueriesContext(connection) as queries:
            result = query.search(query_text, limit=50, sort="date")
        dense = any("enable_bitmapscan = off" in q["sql"] for q in queries.captured_queries)
        return [hit.pk for hit in result.hits], dense

    # A total estimated from a sample of one in two (at this size the count reads every id otherwise).
    monkeypatch.setattr(query, "SAMPLES", ((2, "(hashint8(t.id) & 1) = 0"),))
    monkeypatch.setattr(query, "SAMPLE_MIN_HITS", 1)
    monkeypatch.setattr(query, "DENSE_FROM", 100)
    monkeypatch.setattr(query, "DENSE_SHARE", float("inf"))  # never
    through_gin, dense = newest("工作")
    assert not dense and len(through_gin) == 50
    monkeypatch.setattr(query, "DENSE_SHARE", 0.5)  # 90 of 120
    in_key_order, dense = newest("工作")
    assert dense and in_key_order == through_gin
    assert newest("预算")[1] is False  # 30 of 120: through GIN


def test_organisation_choices_are_escaped_and_keep_the_choice(client, corpus):
    factories.organisation(name="<script>alert(1)</script>局", slug="xss")
    html = client.get("/search/", {"q": "预算", "org": "czj"}).content.decode()
    assert '<option value="czj" selected>龙溪县财政局</option>' in html
    assert '<option value="fgj">龙溪县发展和改革局</option>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in html and "<script>alert(1)" not in html
