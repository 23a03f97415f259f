"""The 政府信息公开 section a citizen reads on the demo county's portal (spec §7.1: 指南, 制度, 法定主动公开内容,
年报, 依申请公开), with the past years' 年报 taken through 三审 by the real reviewers."""

import datetime as dt
import random
import re

import pytest
from wagtail.models import TaskState

from zwgk.demo.content import generate
from zwgk.demo.disclosure_section import REVIEW_CHAIN, publish_annual_reports
from zwgk.demo.people import create_organisations, create_staff
from zwgk.disclosure.models import ArticlePage
from zwgk.disclosure.vocab import StatutoryCategory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def county():
    orgs = create_organisations(random.Random(3))
    create_staff(orgs)
    generate(orgs, seed=3, articles=30, policies=4, interpretations=2, today=TODAY)
    return orgs


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_section_has_guide_rules_every_article_20_category_and_the_application_entry(county, client):
    """Spec §7.1: 指南, 制度, 法定主动公开内容, 年报 — and the 依申请公开 entry."""
    body = client.get("/zwgk/").content.decode()
    entries = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a></li>', body.split("信息公开专栏")[1].split("信息公开目录")[0]
    )
    titles = [title for _, title in entries]
    assert titles[:2] == ["政府信息公开指南", "政府信息公开制度"]
    for required in ("法定主动公开内容", "政府信息公开年报", "依申请公开"):
        assert required in titles
    assert ("/ysqgk/", "依申请公开") in entries
    assert ("/ndbb/", "政府网站工作年度报表") in entries

    # 条例 Art. 12: 分类、编排体系、获取方式, and the office's 名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式.
    page = text(client.get("/zwgk/gkzn/"))
    office = county["zfb"]
    for part in ("分类", "编排体系", "获取方式", "传真", "互联网联系方式", "行政复议"):
        assert part in page
    for value in (office.name, office.address, office.phone):
        assert value in page

    # The 制度 are published items of their column.
    page = text(client.get("/zwgk/gkzd/"))
    assert "政府信息公开保密审查办法" in page and "依申请公开工作规程" in page
    rule = ArticlePage.objects.get(title="龙溪县政府信息公开保密审查办法")
    assert rule.live and "第十七条" in text(client.get(rule.url))

    # 条例 Art. 20: (二) is each organ's 机构概况, (五) and (六) the 行政执法公示; none shows 0条.
    page = text(client.get("/zwgk/fdzdgknr/"))
    counts = dict(re.findall(r"（([一二三四五六七八九十]+)）[^（]*?（(\d+)条）", page))
    assert counts["二"] and int(counts["二"]) >= len(county)
    assert int(counts["五"]) > 0 and int(counts["六"]) > 0
    profiles = text(client.get(f"/zwgk/fdzdgknr/{StatutoryCategory.C02}/"))
    assert f"{county['fgj'].name}机构概况" in profiles
    organ = text(client.get("/zwgk/ml/fgj/"))
    assert county["fgj"].head_name in organ and county["fgj"].address in organ


def test_past_annual_reports_go_through_three_reviews_and_appear_in_the_list(county, client):
    """The 年报 is published as an item under 政府信息公开年报 after 初审, 复审 and 终审 (spec §2.1)."""
    assert publish_annual_reports(county["xzf"], [2024, 2025], TODAY) == 2
    reports = ArticlePage.objects.filter(title__endswith="政府信息公开工作年度报告").order_by("title")
    assert [r.live for r in reports] == [True, True]
    approvers = list(
        TaskState.objects.filter(workflow_state__object_id=str(reports[0].pk))
        .order_by("started_at")
        .values_list("finished_by__username", "status")
    )
    assert approvers == [(name, "approved") for name in REVIEW_CHAIN]
    assert reports[0].first_published_at.date() == dt.date(2025, 1, 20)  # before 31 March (Art. 49)
    listing = text(client.get("/zwgk/gknb/"))
    assert "龙溪县人民政府2024年政府信息公开工作年度报告" in listing
    assert "2025-01-20" in listing
