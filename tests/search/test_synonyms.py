"""The starter list of 检索同义词 (zwgk/search/starter_synonyms.csv, loaded by migration 0012):
abbreviations find their full names and back, without touching a 管理员's own rows. SQLite and PostgreSQL."""

import csv

import pytest

from tests import factories
from zwgk.disclosure.models import ArticlePage
from zwgk.search.models import Synonym
from zwgk.search.query import expansions, search
from zwgk.search.synonyms import STARTER_CSV, load_starter, starter_groups, starter_pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    org = factories.organisation(name="龙溪县人民政府办公室", slug="xzfb")
    home, column, library = factories.site()
    pages = {}
    for key, title, body in (
        ("yiliao", "2025年城乡居民基本医疗保险参保缴费的通知", "<p>参加基本医疗保险的居民按年缴费。</p>"),
        ("dibao", "关于提高城乡最低生活保障标准的通知", "<p>最低生活保障对象按月领取保障金。</p>"),
        ("gjj", "住房公积金缴存基数调整", "<p>缴存单位按月汇缴。</p>"),
        ("liangwei", "全县集中整治违法用地和违法建设", "<p>开展专项行动。</p>"),
    ):
        page = ArticlePage(title=title, organisation=org, body=body)
        column.add_child(instance=page)
        page.save_revision().publish()
        pages[key] = page
    return pages


def titles(query):
    return {hit.title for hit in search(query, limit=None).hits}


def test_the_starter_list_is_a_csv_of_at_least_200_real_pairs():
    with open(STARTER_CSV, encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["term", "equivalent"]
    pairs = starter_pairs()
    assert len(pairs) >= 200 and len(set(pairs)) == len(pairs)
    for needed in [
        ("医保", "医疗保险"),
        ("低保", "最低生活保障"),
        ("社保", "社会保险"),
        ("公积金", "住房公积金"),
        ("两违", "违法用地和违法建设"),
        ("营商办", "优化营商环境办公室"),
    ]:
        assert needed in pairs
    assert all(term != equivalent for term, equivalent in pairs)
    # The migration loaded every term (the test database is built by the migrations).
    assert set(Synonym.objects.values_list("term", flat=True)) >= set(starter_groups())


def test_abbreviations_find_full_names_and_back(items):
    assert titles("医保") == {"2025年城乡居民基本医疗保险参保缴费的通知"}
    assert titles("低保") == {"关于提高城乡最低生活保障标准的通知"}
    assert titles("城乡低保") == {"关于提高城乡最低生活保障标准的通知"}
    assert titles("两违") == {"全县集中整治违法用地和违法建设"}
    assert titles("醫保") == titles("医保")  # traditional input matches the simplified term
    assert search("医保").count == 1
    # The full name finds the abbreviation too (the list works both ways).
    assert "医保" in expansions("医疗保险")


def test_a_name_inside_a_longer_name_is_not_replaced_on_its_own():
    variants = expansions("住房公积金")
    assert variants[0] == "住房公积金" and "公积金" in variants
    assert "住房住房公积金" not in variants


def test_loading_again_keeps_an_administrators_edits_and_deletions():
    row = Synonym.objects.get(term="医保")
    row.equivalents = "医疗保障"
    row.save()
    Synonym.objects.filter(term="低保").delete()
    Synonym.objects.create(term="县医保局", equivalents="县医疗保障局")
    before = Synonym.objects.count()
    assert load_starter(Synonym) == 1  # only the missing 低保 comes back
    assert Synonym.objects.get(term="医保").equivalents == "医疗保障"
    assert Synonym.objects.get(term="县医保局").equivalents == "县医疗保障局"
    assert Synonym.objects.count() == before + 1
    assert load_starter(Synonym) == 0
    assert expansions("医保") == ["医保", "医疗保障"]  # the edit applies at once
