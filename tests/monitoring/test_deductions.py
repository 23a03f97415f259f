"""19号 扣分 items beyond availability: 互动交流 (答复时限, 办结率, 答复用时, from the 互动交流 app's statistics),
办事/互动 statistics not refreshed, and the 政务新媒体 deductions (更新频率, 互动回应, 账号管理 / 国办发〔2018〕123号
开设备案). Every threshold and every point value is a setting ([M], spec §5.2 and §11.5); warnings at 50 %
and 80 % (spec §12)."""

import datetime as dt

import pytest
from django.test import override_settings

from tests import factories
from zwgk.interaction.models import Box, Message
from zwgk.monitoring import rules
from zwgk.monitoring.indicators import account_report, site_report
from zwgk.monitoring.models import NewMediaAccount, NewMediaPost

from .builders import NOW, TODAY, article, column, make_site

pytestmark = pytest.mark.django_db


def by_code(report):
    return {row["code"]: row for row in report["indicators"]}


def test_minimum_lines_warn_before_they_are_crossed():
    """A minimum (posts a month ≥ 4; 办结率 ≥ 90 %) fails below the line and warns on the way down."""
    assert [rules.status_at_least(n, 4) for n in (6, 5, 4, 3, None)] == [
        "ok",
        "warn50",
        "warn80",
        "fail",
        "ok",
    ]
    assert rules.status_rate_floor(96.0, 90) == "ok"
    assert rules.status_rate_floor(95.0, 90) == "warn50"
    assert rules.status_rate_floor(90.0, 90) == "warn80"
    assert rules.status_rate_floor(89.9, 90) == "fail"
    assert rules.status_rate_floor(None, 90) == "ok"


@pytest.fixture
def county_site():
    org = factories.organisation(name="丙县人民政府")
    bureau = factories.organisation(parent=org, name="丙县民政局")
    other = factories.organisation(name="丁县人民政府")
    site, home = make_site("bing.gov.test", org)
    article(column(home, "要闻动态", "news"), org, 1)
    box = Box.objects.create(organisation=bureau, kind="consult", name="民政咨询")
    other_box = Box.objects.create(organisation=other, kind="consult", name="丁县咨询")
    return org, bureau, other, site, home, box, other_box


def message(box, n, *, received_days_ago, due_days_ago, status="answered", answered_days_ago=None):
    received = TODAY - dt.timedelta(days=received_days_ago)
    return Message.objects.create(
        box=box,
        organisation=box.organisation,
        number=f"T{box.pk}-{n}",
        received_on=received,
        subject="咨询",
        content="内容",
        status=status,
        reply_days=3,
        due_on=TODAY - dt.timedelta(days=due_days_ago),
        answered_on=None if answered_days_ago is None else TODAY - dt.timedelta(days=answered_days_ago),
    )


def test_late_replies_completion_and_reply_time_cost_points(county_site):
    org, bureau, other, site, home, box, other_box = county_site
    # 8 answered on time, 1 answered late, 1 still 办理中 past its due date: 办结率 90 % (warn80), 2 late.
    for n in range(8):
        message(box, n, received_days_ago=40, due_days_ago=35, answered_days_ago=38)
    message(box, 8, received_days_ago=40, due_days_ago=35, answered_days_ago=20)
    message(box, 9, received_days_ago=40, due_days_ago=35, status="processing")
    # Not counted: not yet due; received more than a year ago; another county's box.
    message(box, 10, received_days_ago=1, due_days_ago=-2, status="processing")
    message(box, 11, received_days_ago=400, due_days_ago=395, status="processing")
    message(other_box, 1, received_days_ago=40, due_days_ago=35, status="processing")
    rows = by_code(site_report(site, TODAY, NOW))
    late = rows["interaction_late"]
    assert late["value"] == 2 and late["status"] == "fail" and late["points"] == 1.0 and not late["veto"]
    assert len(late["evidence"]) == 2 and all("/admin/" in url for url in late["evidence"])
    completion = rows["interaction_completion"]
    assert completion["value"] == 90.0 and completion["status"] == "warn80" and completion["points"] == 0
    reply_time = rows["interaction_reply_time"]
    assert reply_time["value"] is not None and reply_time["threshold"] == 10
    message(box, 12, received_days_ago=40, due_days_ago=35, status="review")
    rows = by_code(site_report(site, TODAY, NOW))
    assert rows["interaction_completion"]["status"] == "fail"
    assert rows["interaction_completion"]["points"] == 3.0
    assert rows["interaction_late"]["points"] == 1.5


@override_settings(ZWGK_MONITOR_INTERACTION_AVG_REPLY_DAYS=2, ZWGK_MONITOR_POINTS_SLOW_REPLY=4.0)
def test_slow_average_reply_costs_the_configured_points(county_site):
    org, bureau, other, site, home, box, other_box = county_site
    message(box, 1, received_days_ago=60, due_days_ago=10, answered_days_ago=30)  # about 20 working days
    report = site_report(site, TODAY, NOW)
    row = by_code(report)["interaction_reply_time"]
    assert row["value"] > 2 and row["status"] == "fail" and row["points"] == 4.0
    assert report["score"] == 100.0 - sum(r["points"] for r in report["indicators"] if not r["veto"])


def test_statistics_columns_not_refreshed(county_site):
    org, bureau, other, site, home, box, other_box = county_site
    rows = by_code(site_report(site, TODAY, NOW))
    assert rows["service_stats_stale"]["value"] is None and "办件统计" in rows["service_stats_stale"]["note"]
    services = column(home, "政务服务办件统计", "other")
    article(services, org, 60)
    messages = column(home, "留言办理情况统计", "other")
    article(messages, org, 100)
    rows = by_code(site_report(site, TODAY, NOW))
    assert rows["service_stats_stale"]["value"] == 60 and rows["service_stats_stale"]["status"] == "warn50"
    assert rows["service_stats_stale"]["points"] == 0
    stale = rows["interaction_stats_stale"]
    assert stale["value"] == 100 and stale["status"] == "fail" and stale["points"] == 2.0
    assert stale["evidence"] == ["http://bing.gov.test" + messages.url_path[len(home.url_path) - 1 :]]


def test_newmedia_deductions_give_the_account_a_score():
    org = factories.organisation()
    account = NewMediaAccount.objects.create(
        organisation=org,
        name="丙县发布",
        platform="weibo",
        account_id="bingxian",
        sponsor="丙县人民政府办公室",
        url="https://weibo.com/bingxian",
        opened_on=dt.date(2020, 1, 1),
        offers_interaction=True,
        last_interaction_reply=TODAY - dt.timedelta(days=25),
    )
    for days in (1, 8, 15, 22, 29):
        NewMediaPost.objects.create(
            account=account, published_on=TODAY - dt.timedelta(days=days), title=f"{days}"
        )
    report = account_report(account, TODAY)
    rows = by_code(report)
    assert rows["newmedia_few_posts"]["value"] == 5 and rows["newmedia_few_posts"]["status"] == "warn50"
    assert rows["newmedia_slow_reply"]["status"] == "warn80"  # 25 of 30 days
    assert rows["newmedia_register"]["value"] == 0 and report["score"] == 100.0
    NewMediaPost.objects.filter(published_on__lt=TODAY - dt.timedelta(days=10)).delete()
    account.last_interaction_reply = TODAY - dt.timedelta(days=45)
    account.url, account.opened_on = "", None
    account.save()
    report = account_report(account, TODAY)
    rows = by_code(report)
    assert rows["newmedia_few_posts"]["status"] == "fail" and rows["newmedia_few_posts"]["points"] == 5.0
    assert rows["newmedia_slow_reply"]["status"] == "fail" and rows["newmedia_slow_reply"]["points"] == 5.0
    assert rows["newmedia_register"]["value"] == 2 and "主页地址" in rows["newmedia_register"]["note"]
    assert report["score"] == 86.0 and report["verdict"] == "合格"
    assert rows["newmedia_interaction"]["status"] == "warn50"  # the 3-month veto line: 45 of 90 days


@override_settings(ZWGK_MONITOR_NEWMEDIA_MIN_POSTS=1, ZWGK_MONITOR_POINTS_NEWMEDIA_REGISTER=10.0)
def test_newmedia_lines_and_points_are_settings():
    org = factories.organisation()
    account = NewMediaAccount.objects.create(
        organisation=org, name="丙县", platform="douyin", account_id="bx", sponsor=""
    )
    NewMediaPost.objects.create(account=account, published_on=TODAY, title="一")
    rows = by_code(account_report(account, TODAY))
    assert rows["newmedia_few_posts"]["threshold"] == 1 and rows["newmedia_few_posts"]["status"] == "warn80"
    assert rows["newmedia_register"]["points"] == 30.0
    assert (
        rows["newmedia_slow_reply"]["value"] is None
        and rows["newmedia_slow_reply"]["note"] == "未提供互动功能"
    )
