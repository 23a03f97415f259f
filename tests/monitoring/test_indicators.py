"""19号 indicators per site and per 新媒体 account (国办秘函〔2019〕19号, spec §5.2 and §12)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests import factories
from zwgk.monitoring import rules
from zwgk.monitoring.indicators import account_report, site_report
from zwgk.monitoring.models import AccountStatus, NewMediaAccount, NewMediaPost, Probe

from .builders import NOW, TODAY, article, column, make_site

pytestmark = pytest.mark.django_db


def by_code(report):
    return {row["code"]: row for row in report["indicators"]}


def test_status_warns_at_half_and_four_fifths_of_the_threshold():
    """spec §12: warn at 50 % and 80 %; 19号 fails at the line (days: only beyond 2 weeks)."""
    assert rules.status_for(6, 14, beyond=True) == "ok"
    assert rules.status_for(7, 14, beyond=True) == "warn50"
    assert rules.status_for(12, 14, beyond=True) == "warn80"
    assert rules.status_for(14, 14, beyond=True) == "warn80"
    assert rules.status_for(15, 14, beyond=True) == "fail"
    assert rules.status_for(5, 5) == "fail"
    assert rules.status_for(0, 1) == "ok"
    assert rules.status_for(None, 1) == "ok"


def test_column_periods_follow_19hao():
    """19号 栏目不更新: 动态要闻 2 weeks, 通知公告/政策文件 6 months, others 1 year."""
    assert rules.column_period_days("news") == 14
    assert rules.column_period_days("notice") == 183
    assert rules.column_period_days("policy") == 183
    assert rules.column_period_days("personnel") == 365


@pytest.fixture
def two_sites():
    org = factories.organisation(name="甲县人民政府")
    other = factories.organisation(name="乙局")
    site_a, home_a = make_site("a.gov.test", org)
    site_b, home_b = make_site("b.gov.test", other)
    return org, other, site_a, home_a, site_b, home_b


def test_each_site_is_computed_from_its_own_subtree(two_sites):
    org, other, site_a, home_a, site_b, home_b = two_sites
    # Site A: a fresh news column and 5 stale news columns → 栏目不更新 fails; 1 blank column.
    fresh = column(home_a, "要闻动态", "news")
    article(fresh, org, 1)
    for n in range(5):
        stale = column(home_a, f"部门动态{n}", "news")
        article(stale, org, 20)
    column(home_a, "空栏目", "other")
    # Site B: a news column 8 days old (warn50) and 5 blank columns (veto).
    news_b = column(home_b, "动态", "news")
    article(news_b, other, 8)
    for n in range(5):
        column(home_b, f"空{n}", "other")

    a = site_report(site_a, TODAY, NOW)
    b = site_report(site_b, TODAY, NOW)
    ia, ib = by_code(a), by_code(b)
    assert a["site"] == "a.gov.test" and b["site"] == "b.gov.test"
    assert ia["columns_stale"]["value"] == 5 and ia["columns_stale"]["status"] == "fail"
    assert len(ia["columns_stale"]["evidence"]) == 5
    assert all(url.startswith("http://a.gov.test/") for url in ia["columns_stale"]["evidence"])
    assert ia["blank_columns"]["value"] == 1 and ia["blank_columns"]["status"] == "ok"
    assert ia["home_stale"]["value"] == 1 and ia["home_stale"]["status"] == "ok"
    assert a["vetoed"] and a["verdict"].startswith("不合格")

    assert ib["columns_stale"]["value"] == 0
    assert ib["blank_columns"]["value"] == 5 and ib["blank_columns"]["status"] == "fail"
    assert ib["home_stale"]["value"] == 8 and ib["home_stale"]["status"] == "warn50"
    warnings = b["warnings"]
    assert [(w["column"], w["status"]) for w in warnings] == [("动态", "warn50")]


def test_home_page_without_news_for_two_weeks_is_a_veto(two_sites):
    org, _, site_a, home_a, *_ = two_sites
    news = column(home_a, "要闻动态", "news")
    article(news, org, 15)
    row = by_code(site_report(site_a, TODAY, NOW))["home_stale"]
    assert (row["value"], row["status"], row["veto"]) == (15, "fail", True)


def test_unreachable_share_over_a_week_of_probes(two_sites):
    """19号 站点无法访问: ≥ 5 % of a week's probes failing is a veto; older probes do not count."""
    _, _, site_a, *_ = two_sites
    for n in range(100):
        Probe.objects.create(
            site=site_a,
            url="http://a.gov.test/",
            checked_at=NOW - dt.timedelta(hours=n),
            ok=n >= 4,
            status_code=200,
        )
    Probe.objects.create(
        site=site_a, url="http://a.gov.test/x/", checked_at=NOW - dt.timedelta(days=9), ok=False
    )
    row = by_code(site_report(site_a, TODAY, NOW))["unreachable"]
    assert row["value"] == 4.0 and row["status"] == "warn80" and row["probes"] == 100
    Probe.objects.create(site=site_a, url="http://a.gov.test/y/", checked_at=NOW, ok=False)
    Probe.objects.create(site=site_a, url="http://a.gov.test/y/", checked_at=NOW, ok=False)
    row = by_code(site_report(site_a, TODAY, NOW))["unreachable"]
    assert row["value"] >= 5 and row["status"] == "fail"
    assert "http://a.gov.test/y/" in row["evidence"]


def test_stale_policy_column_costs_points(two_sites):
    org, _, site_a, home_a, *_ = two_sites
    news = column(home_a, "要闻动态", "news")
    article(news, org, 1)
    notices = column(home_a, "通知公告", "notice")
    article(notices, org, 200)
    report = site_report(site_a, TODAY, NOW)
    row = by_code(report)["policy_column_stale"]
    assert row["value"] == 1 and row["points"] == 5.0 and row["veto"] is False
    assert report["score"] == 95.0


def test_newmedia_account_stale_after_two_weeks_and_silent_interaction():
    """19号 政务新媒体: no update for 2 weeks is a veto; an offered 互动 unanswered for 3 months too."""
    org = factories.organisation()
    account = NewMediaAccount.objects.create(
        organisation=org,
        name="甲县发布",
        platform="wechat",
        account_id="jiaxian",
        sponsor="甲县人民政府办公室",
        offers_interaction=True,
        last_interaction_reply=TODAY - dt.timedelta(days=30),
    )
    NewMediaPost.objects.create(account=account, published_on=TODAY - dt.timedelta(days=11), title="一")
    report = account_report(account, TODAY)
    rows = by_code(report)
    assert rows["newmedia_stale"]["value"] == 11 and rows["newmedia_stale"]["status"] == "warn50"
    assert rows["newmedia_interaction"]["status"] == "ok"
    NewMediaPost.objects.all().delete()
    NewMediaPost.objects.create(account=account, published_on=TODAY - dt.timedelta(days=15), title="二")
    account.last_interaction_reply = None
    account.save()
    rows = by_code(account_report(account, TODAY))
    assert rows["newmedia_stale"]["status"] == "fail"
    assert rows["newmedia_interaction"]["status"] == "fail"


@override_settings(ZWGK_MONITOR_HOME_STALE_DAYS=30)
def test_thresholds_are_settings(two_sites):
    org, _, site_a, home_a, *_ = two_sites
    news = column(home_a, "要闻动态", "news")
    article(news, org, 20)
    row = by_code(site_report(site_a, TODAY, NOW))["home_stale"]
    assert row["threshold"] == 30 and row["status"] == "warn50"


def test_monitor_command_prints_the_contract(two_sites, capsys):
    org, _, site_a, home_a, *_ = two_sites
    news = column(home_a, "要闻动态", "news")
    article(news, org, 3)
    NewMediaAccount.objects.create(
        organisation=org, name="甲县发布", platform="weibo", account_id="jx", sponsor="甲县"
    )
    NewMediaAccount.objects.create(
        organisation=org,
        name="旧号",
        platform="douyin",
        account_id="old",
        sponsor="甲县",
        status=AccountStatus.CLOSED,
    )
    call_command("monitor", "--json")
    data = json.loads(capsys.readouterr().out)
    names = [d["site"] for d in data]
    assert "a.gov.test" in names and "b.gov.test" in names and "微博：甲县发布" in names
    assert not any("旧号" in n for n in names)
    for obj in data:
        assert isinstance(obj["score"], int | float)
        for row in obj["indicators"]:
            assert {"code", "name", "veto", "value", "threshold", "status", "evidence"} <= set(row)
            assert row["status"] in ("ok", "warn50", "warn80", "fail")
    names_a = {r["name"] for r in next(d for d in data if d["site"] == "a.gov.test")["indicators"]}
    assert {"站点无法访问", "首页不更新", "栏目不更新", "空白栏目", "严重表述错误", "互动回应差"} <= names_a
    call_command("monitor", "--json", "--site", "a.gov.test")
    only = json.loads(capsys.readouterr().out)
    assert [d["site"] for d in only] == ["a.gov.test"]


def test_interaction_indicator_uses_the_interaction_app_or_says_it_cannot(two_sites, monkeypatch):
    """互动回应差 (19号): no channel, or a message unanswered for more than 3 months, is a veto."""
    from zwgk.monitoring import indicators

    _, _, site_a, *_ = two_sites
    monkeypatch.setattr(indicators.apps, "is_installed", lambda name: False)
    row = by_code(site_report(site_a, TODAY, NOW))["interaction"]
    assert row["value"] is None and "未安装" in row["note"]

    class Fake:
        @staticmethod
        def response_status(organisation_ids, today):
            return {
                "channel_ok": True,
                "overdue_3m": 2,
                "oldest_unanswered_days": 120,
                "evidence": ["http://x/1"],
            }

    monkeypatch.setattr(indicators.apps, "is_installed", lambda name: True)
    monkeypatch.setattr(indicators.importlib, "import_module", lambda name: Fake)
    row = by_code(site_report(site_a, TODAY, NOW))["interaction"]
    assert row["status"] == "fail" and row["value"] == 120 and row["evidence"] == ["http://x/1"]


def test_interaction_veto_follows_the_apps_calendar_month_count(two_sites, monkeypatch):
    """互动回应差: the interaction app's count of messages unanswered > 3 calendar months decides the veto;
    the oldest message's age only warns."""
    from zwgk.monitoring import indicators

    _, _, site_a, *_ = two_sites

    class Fake:
        @staticmethod
        def response_status(organisation_ids, today):
            return {"channel_ok": True, "overdue_3m": 0, "oldest_unanswered_days": 91, "evidence": []}

    monkeypatch.setattr(indicators.apps, "is_installed", lambda name: True)
    monkeypatch.setattr(indicators.importlib, "import_module", lambda name: Fake)
    row = by_code(site_report(site_a, TODAY, NOW))["interaction"]
    assert row["status"] == "warn80" and row["overdue"] == 0
