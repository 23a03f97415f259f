"""Back office: 网站监测 pages, downloads, the 新媒体 register and import, the dashboard warnings — scoped."""

import io

import pytest
from django.core import mail
from docx import Document
from wagtail.models import Site

from tests import factories
from zwgk.monitoring.models import NewMediaAccount, NewMediaPost
from zwgk.monitoring.tasks import send_monitoring_digest

from .builders import article, column, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    county = factories.organisation(name="己县人民政府")
    bureau = factories.organisation(parent=county, name="己县教育局")
    other = factories.organisation(name="庚县人民政府")
    site, home = make_site("ji.gov.test", bureau, title="己县教育局网站")
    news = column(home, "教育动态", "news")
    article(news, bureau, 8)  # 8 days: warn50 of 14
    other_site, other_home = make_site("geng.gov.test", other, title="庚县网站")
    article(column(other_home, "动态", "news"), other, 1)
    clerk = factories.staff("jy_clerk", bureau, "信息员")
    clerk.email = "clerk@ji.gov.test"
    clerk.save()
    admin = factories.staff("ji_admin", county, "管理员")
    admin.email = "admin@ji.gov.test"
    admin.save()
    return county, bureau, other, site, other_site, clerk, admin


def test_clerk_sees_only_own_sites_and_downloads_the_self_check_report(client, world):
    county, bureau, other, site, other_site, clerk, admin = world
    client.force_login(clerk)
    page = client.get("/admin/monitoring/")
    text = page.content.decode()
    assert page.status_code == 200 and "己县教育局网站" in text and "庚县网站" not in text
    assert client.get(f"/admin/monitoring/site/{other_site.pk}/").status_code == 404
    detail = client.get(f"/admin/monitoring/site/{site.pk}/")
    assert detail.status_code == 200 and "首页不更新" in detail.content.decode()
    response = client.get(f"/admin/monitoring/site/{site.pk}/selfcheck/?month=2026-11&format=docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert "2026年11月政府网站自查报告" in document.paragraphs[0].text
    bad = client.get(f"/admin/monitoring/site/{site.pk}/selfcheck/?month=2026-13&format=docx")
    assert bad.status_code == 302
    assert client.get(f"/admin/monitoring/site/{site.pk}/selfcheck/?month=x%00&format=pdf").status_code == 302


def test_dashboard_panel_and_digest_warn_at_half_the_threshold(client, world):
    county, bureau, other, site, other_site, clerk, admin = world
    client.force_login(clerk)
    html = client.get("/admin/").content.decode()
    assert "网站与新媒体监测预警" in html and "预警（已达阈值50%）" in html and "geng.gov.test" not in html
    sent = send_monitoring_digest.call()
    assert sent >= 2
    to = {m.to[0]: m for m in mail.outbox}
    assert "首页不更新" in to["clerk@ji.gov.test"].body and "ji.gov.test" in to["admin@ji.gov.test"].body


def test_register_an_account_and_import_its_posts(client, world):
    county, bureau, other, site, other_site, clerk, admin = world
    client.force_login(clerk)
    response = client.post(
        "/admin/monitoring/newmedia/new/",
        {
            "organisation": bureau.pk,
            "platform": "wechat",
            "account_id": "jijy",
            "name": "己县教育",
            "sponsor": "己县教育局",
            "url": "",
            "last_interaction_reply": "",
            "opened_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = NewMediaAccount.objects.get(account_id="jijy")
    other_account = NewMediaAccount.objects.create(
        organisation=other, name="庚县", platform="weibo", account_id="g", sponsor="庚县"
    )
    assert client.get(f"/admin/monitoring/newmedia/edit/{other_account.pk}/").status_code in (302, 403, 404)
    index = client.get("/admin/monitoring/newmedia/").content.decode()
    assert "己县教育" in index and "庚县" not in index
    upload = io.BytesIO("平台,账号ID,发布日期,标题,链接\n微信公众号,jijy,2026-11-30,开学通知,\n".encode())
    upload.name = "posts.csv"
    response = client.post("/admin/monitoring/newmedia/import/", {"file": upload})
    assert response.status_code == 200 and "导入 1 条" in response.content.decode()
    assert NewMediaPost.objects.filter(account=account).count() == 1


def test_annual_report_page_fill_review_publish(client, world):
    county, bureau, other, site, other_site, clerk, admin = world
    client.force_login(clerk)
    url = f"/admin/monitoring/site/{site.pk}/annual/?year=2026"
    client.post(url, {"action": "fill"})
    client.post(url, {"action": "save", "page_views": "9999"})
    client.post(url, {"action": "review"})  # a 信息员 cannot review
    from zwgk.monitoring.models import WebsiteAnnualReport

    report = WebsiteAnnualReport.objects.get(site=site, year=2026)
    assert report.state == "draft" and report.data["page_views"] == "9999"
    client.force_login(admin)
    client.post(url, {"action": "review"})
    client.post(url, {"action": "publish"})
    report.refresh_from_db()
    assert report.state == "published"
    assert client.get(url + "&format=xlsx").status_code == 200
    assert Site.objects.count() >= 2


def test_warn50_and_warn80_of_each_indicator_reach_staff_and_the_administrator(client, world):
    """spec §12: every indicator — 否决 and 扣分 alike — warns at 50 % and 80 % of its line, on the 工作台 of the
    organ's staff and of the 管理员 above it, and in the daily digest to both."""
    from django.core.cache import cache

    from zwgk.monitoring.models import NewMediaAccount

    county, bureau, other, site, other_site, clerk, admin = world
    home = site.root_page
    article(column(home, "图片新闻", "news"), bureau, 12)  # 12 of 14 days: warn80
    article(column(home, "办件统计", "other"), bureau, 60)  # statistics 60 of 92 days: warn50, no points yet
    NewMediaAccount.objects.create(
        organisation=bureau, name="己县教育发布", platform="wechat", account_id="jjy", sponsor="己县教育局"
    )
    cache.clear()
    for user in (clerk, admin):
        client.force_login(user)
        html = client.get("/admin/").content.decode()
        assert "预警（已达阈值80%）" in html and "预警（已达阈值50%）" in html
        assert (
            "栏目“图片新闻”" in html
            and "办事服务统计数据未更新" in html
            and "微信公众号：己县教育发布" in html
        )
    mail.outbox.clear()
    send_monitoring_digest.call()
    to = {m.to[0]: m.body for m in mail.outbox}
    for address in ("clerk@ji.gov.test", "admin@ji.gov.test"):
        assert "【预警（已达阈值80%）】ji.gov.test 栏目“图片新闻”" in to[address]
        assert "办事服务统计数据未更新" in to[address] and "新媒体账号备案信息不全" in to[address]


def test_published_annual_report_is_public_and_a_draft_is_not(
    client, world, settings, django_capture_on_commit_callbacks
):
    """政府网站工作年度报表 (spec §5.2, due 31 January): once a 管理员 reviewed and published it in the back office
    it is on its own site's portal at /ndbb/<year>/ and in the /ndbb/ list, with the form's fields only; a draft
    (or a reviewed, unpublished report) is a 404 for an anonymous visitor, and another site does not show it."""
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver", "ji.gov.test", "geng.gov.test"]
    county, bureau, other, site, other_site, clerk, admin = world
    visitor = Client(HTTP_HOST="ji.gov.test")
    url = f"/admin/monitoring/site/{site.pk}/annual/?year=2026"
    client.force_login(clerk)
    client.post(url, {"action": "fill"})
    client.post(
        url, {"action": "save", "page_views": "123456", "innovation": "<script>x</script>开通适老化版本"}
    )
    assert visitor.get("/ndbb/2026/").status_code == 404
    listing = visitor.get("/ndbb/")
    assert listing.status_code == 200 and "暂无已发布的年度报表" in listing.content.decode()
    client.force_login(admin)
    client.post(url, {"action": "review"})
    assert visitor.get("/ndbb/2026/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "publish"})
    page = visitor.get("/ndbb/2026/")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "己县教育局网站工作年度报表（2026年度）" in html
        and "网站总访问量（单位：次）" in html
        and "123456" in html
    )
    assert "http://ji.gov.test/" in html and "&lt;script&gt;" in html and "<script>x" not in html
    assert "reviewed" not in html and "ji_admin" not in html
    assert "/ndbb/2026/" in visitor.get("/ndbb/").content.decode()  # the cached list was renewed
    elsewhere = Client(HTTP_HOST="geng.gov.test")
    assert elsewhere.get("/ndbb/2026/").status_code == 404
    assert "/ndbb/2026/" not in elsewhere.get("/ndbb/").content.decode()
    assert visitor.get("/ndbb/99999999999/").status_code == 404 and visitor.get("/ndbb/x/").status_code == 404


def test_overview_lists_the_scoped_newmedia_accounts_with_their_score(client, world):
    county, bureau, other, site, other_site, clerk, admin = world
    NewMediaAccount.objects.create(
        organisation=bureau, name="己县教育发布", platform="wechat", account_id="jjy", sponsor="己县教育局"
    )
    NewMediaAccount.objects.create(
        organisation=other, name="庚县发布", platform="weibo", account_id="gx", sponsor="庚县"
    )
    client.force_login(clerk)
    html = client.get("/admin/monitoring/").content.decode()
    assert "微信公众号：己县教育发布" in html and "庚县发布" not in html
    # never posted (新媒体不更新 否决), no 主页地址 and 开设日期 (2 × 2 points), no posts this month (5 points)
    assert "不合格（单项否决）" in html and "<td>91.0</td>" in html and "新媒体账号备案信息不全" in html


def test_only_informants_and_administrators_import_newmedia_records(client, world):
    """A reviewer has no 新媒体 records to keep: no menu entry, and the page refuses them."""
    county, bureau, other, site, other_site, clerk, admin = world
    reviewer = factories.staff("chushen-nm", bureau, "初审")
    client.force_login(reviewer)
    menu = "/admin/monitoring/newmedia/import/"  # the sidebar's JSON escapes the label, not the address
    assert menu not in client.get("/admin/").content.decode()
    assert client.get("/admin/monitoring/newmedia/import/", follow=True).redirect_chain == [("/admin/", 302)]
    client.force_login(clerk)
    assert menu in client.get("/admin/").content.decode()
    assert client.get("/admin/monitoring/newmedia/import/").status_code == 200
