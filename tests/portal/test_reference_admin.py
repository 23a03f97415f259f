"""引用 in the back office (issue 22: a department's item can be pushed to the government portal's columns,
shown there with a link to the source). The item's organ's 信息员 chooses the site and column among the sites
that accept the organ's items, and withdraws it; every change is one service call with its audit entry."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests import factories
from tests.portal.test_cache import published
from tests.portal.test_site_cache import FGJ, JTJ, group  # noqa: F401  (the fixture)
from zwgk.disclosure.models import ColumnPage
from zwgk.portal.models import ItemReference

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(group):  # noqa: F811
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    return published(news[FGJ], fgj, "发改局重点项目建设情况通报", statutory_category="01")


def refused(response):
    """PermissionDenied in a back-office view: Wagtail answers 403 or sends the user back to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def login(client, username, org, *roles):
    factories.staff(username, org, *roles)
    assert client.login(username=username, password="pw-123456")


def test_clerk_references_an_item_onto_the_portal_and_withdraws_it(group, item, client):  # noqa: F811
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    login(client, "fgj_xxy", fgj, "信息员")
    url = reverse("portal_reference", args=[item.pk])
    # The page tree offers the action on the item.
    assert (
        "引用到上级网站" in client.get(reverse("wagtailadmin_explore", args=[news[FGJ].pk])).content.decode()
    )
    html = client.get(url).content.decode()
    portal_news = ColumnPage.objects.get(slug="ywdt")
    # Only the columns of the sites that accept the organ's items (the government portal's), not its own
    # site's nor another department's.
    assert f'value="{portal_news.pk}"' in html and "龙溪市人民政府 › 要闻动态" in html
    assert f'value="{news[FGJ].pk}"' not in html and f'value="{news[JTJ].pk}"' not in html

    response = client.post(url, {"column": portal_news.pk})
    assert response.status_code == 302
    reference = ItemReference.objects.get(item=item)
    assert reference.column == portal_news and reference.created_by.username == "fgj_xxy"
    entry = PageLogEntry.objects.get(page=item, action="zwgk.site.reference")
    assert entry.user.username == "fgj_xxy"
    listing = client.get("/ywdt/", HTTP_HOST="localhost").content.decode()
    assert item.title in listing and f'href="http://{FGJ}/gzdt/' in listing  # linked on its own site

    again = client.post(url, {"column": portal_news.pk}).content.decode()
    assert "已经引用" in again and ItemReference.objects.count() == 1
    # Another department's column, or an id that is no column: refused in Chinese, never a 500.
    for value in (news[JTJ].pk, "abc", ""):
        response = client.post(url, {"column": value})
        assert response.status_code == 200
        assert "可引用的范围" in response.content.decode() or "请选择" in response.content.decode()
    assert ItemReference.objects.count() == 1
    assert "撤回引用" in client.get(url).content.decode()

    response = client.post(reverse("portal_reference_withdraw", args=[reference.pk]))
    assert response.status_code == 302
    assert not ItemReference.objects.exists()
    entry = PageLogEntry.objects.get(page=item, action="zwgk.site.reference.withdraw")
    assert entry.user.username == "fgj_xxy" and entry.data["old"]["column"] == portal_news.pk
    assert item.title not in client.get("/ywdt/", HTTP_HOST="localhost").content.decode()


def test_only_the_items_organ_clerks_and_administrators_may_reference(group, item, client):  # noqa: F811
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    portal_news = ColumnPage.objects.get(slug="ywdt")
    url = reverse("portal_reference", args=[item.pk])
    # Another department's 信息员: the item is outside their organ.
    login(client, "jtj_xxy", jtj, "信息员")
    assert refused(client.get(url))
    assert refused(client.post(url, {"column": portal_news.pk}))
    reference = ItemReference.objects.create(item=item, column=portal_news)
    assert refused(client.post(reverse("portal_reference_withdraw", args=[reference.pk])))
    assert ItemReference.objects.exists()
    client.logout()
    # A reviewer of the organ (初审) has no 引用 action.
    login(client, "fgj_cs", fgj, "初审")
    assert refused(client.get(url))
    client.logout()
    # The organ's 管理员 may; the government's 管理员 (a superior organ) too.
    login(client, "fgj_admin", fgj, "管理员")
    assert client.get(url).status_code == 200
    client.logout()
    login(client, "gov_admin", gov, "管理员")
    assert client.get(url).status_code == 200
    # Not an item (a column) or no such page: 404.
    assert client.get(reverse("portal_reference", args=[news[FGJ].pk])).status_code == 404
    assert client.get(reverse("portal_reference", args=[999999])).status_code == 404
    assert client.post(reverse("portal_reference_withdraw", args=[999999])).status_code == 404


def test_a_government_item_has_no_site_to_be_referenced_to(group, client):  # noqa: F811
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    portal_news = ColumnPage.objects.get(slug="ywdt")
    own = published(portal_news, gov, "市政府常务会议", statutory_category="01")
    login(client, "gov_xxy", gov, "信息员")
    html = client.get(reverse("portal_reference", args=[own.pk])).content.decode()
    assert "没有接受本机关信息引用的网站" in html
    response = client.post(reverse("portal_reference", args=[own.pk]), {"column": news[FGJ].pk})
    assert response.status_code == 200 and not ItemReference.objects.exists()
