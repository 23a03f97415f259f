"""集约化 (issue 22): every cache key is per site. A publish on one department's site leaves the other sites'
cached pages and static HTML alone; the sites that show the item (its own, the government portal's unified
信息公开目录) and the 全站 search are fresh at once."""

import pytest
from wagtail.models import Site

from tests import factories
from tests.portal.test_cache import published
from zwgk.core import cache as core_cache
from zwgk.core.models import Organisation
from zwgk.disclosure.models import ColumnPage, DisclosureIndexPage
from zwgk.portal import sites, static_html
from zwgk.portal.cache import sites_showing
from zwgk.portal.models import ItemReference, PortalSettings

pytestmark = pytest.mark.django_db

FGJ, JTJ = "fgj.longxi.gov.cn", "jtj.longxi.gov.cn"


@pytest.fixture
def group(settings, tmp_path):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", ".longxi.gov.cn"]
    settings.ZWGK_STATIC_HTML_DIR = str(tmp_path / "html")
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    gov = factories.organisation(name="龙溪市人民政府", slug="gov", kind=Organisation.Kind.GOVERNMENT)
    fgj = factories.organisation(gov, name="龙溪市发展和改革局", slug="fgj")
    jtj = factories.organisation(gov, name="龙溪市交通运输局", slug="jtj")
    home, column, library = factories.site()
    home.add_child(instance=DisclosureIndexPage(title="政府信息公开", slug="zwgk", live=True))
    PortalSettings.objects.create(
        site=Site.objects.get(is_default_site=True), site_name="龙溪市人民政府", organisation=gov
    )
    fgj_site = sites.create_site(organisation=fgj, domain=FGJ)
    jtj_site = sites.create_site(organisation=jtj, domain=JTJ)
    news = {
        s.hostname: ColumnPage.objects.descendant_of(s.root_page).get(slug="gzdt")
        for s in (fgj_site, jtj_site)
    }
    published(news[FGJ], fgj, "发改局推进重点项目建设", statutory_category="01")
    published(news[JTJ], jtj, "交通局部署道路养护", statutory_category="01")
    return gov, fgj, jtj, fgj_site, jtj_site, news


def fetch(client, url, host):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (host, url, response.status_code)
    return response["X-Cache"], response.content.decode()


def on_web_server(host, url):
    path = static_html.served_path(host, url)
    return path.read_text() if path is not None and path.exists() else None


def test_a_publish_on_one_site_keeps_the_other_sites_cached(group, client):
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    urls = {
        JTJ: "/gzdt/",  # the other department's column list
        FGJ: "/gzdt/",  # the publishing department's column list
        "localhost": "/zwgk/ml/fgj/",  # the unified 信息公开目录 of the government portal, the organ's page
    }
    search_all = "/search/?q=%E9%A1%B9%E7%9B%AE&scope=all"  # 项目, across all sites, asked on the other site
    for host, url in urls.items():
        assert fetch(client, url, host)[0] == "MISS"
        assert fetch(client, url, host)[0] == "HIT"
        assert on_web_server(host, url) is not None
    assert fetch(client, search_all, JTJ)[0] == "MISS"
    assert fetch(client, search_all, JTJ)[0] == "HIT"
    jtj_list = on_web_server(JTJ, "/gzdt/")

    item = published(news[FGJ], fgj, "发改局公布重大项目清单", statutory_category="01")

    # The other department's site: still served from the page cache and from the web server's copy.
    state, html = fetch(client, "/gzdt/", JTJ)
    assert state == "HIT" and item.title not in html
    assert on_web_server(JTJ, "/gzdt/") == jtj_list
    # The publishing site: its static copy withdrawn at once, its list re-rendered with the item.
    assert on_web_server(FGJ, "/gzdt/") is None
    state, html = fetch(client, "/gzdt/", FGJ)
    assert state == "MISS" and item.title in html
    # The government portal's unified 目录 shows the department's items: fresh too.
    state, html = fetch(client, "/zwgk/ml/fgj/", "localhost")
    assert state == "MISS" and item.title in html
    # The 全站 search spans every site: not served from before the publish.
    state, html = fetch(client, search_all, JTJ)
    assert state == "MISS" and item.title in html

    # Withdrawing it: the same sites change, the other one stays cached.
    item.unpublish()
    assert fetch(client, "/gzdt/", JTJ)[0] == "HIT"
    state, html = fetch(client, "/gzdt/", FGJ)
    assert state == "MISS" and item.title not in html


def test_sites_showing_an_item(group):
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    portal = Site.objects.get(is_default_site=True)
    item = published(news[FGJ], fgj, "发改局发布通知", statutory_category="01")
    assert sites_showing(item) == {fgj_site.pk, portal.pk}  # its site and the superior's unified 目录
    assert sites_showing(news[JTJ]) == {jtj_site.pk}  # a column: only its own site
    portal_news = ColumnPage.objects.get(slug="ywdt")
    sites.reference_item(item=item, column=portal_news, user=factories.staff("fgj_xxy", fgj, "信息员"))
    assert sites_showing(item) == {fgj_site.pk, portal.pk}
    # A reference row onto any other site's column (made before that site stopped accepting them) counts too.
    ItemReference.objects.create(item=item, column=news[JTJ])
    assert sites_showing(item) == {fgj_site.pk, portal.pk, jtj_site.pk}


@pytest.mark.parametrize("shared", [False, True], ids=["stamp-files", "shared-cache"])
def test_site_generations(settings, tmp_path, shared):
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    if shared:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    a, b = core_cache.site_generation(1), core_cache.site_generation(2)
    everything = core_cache.generation()
    core_cache.bump(sites=[1])
    assert core_cache.site_generation(2) == b
    assert core_cache.parse(core_cache.site_generation(1)) > core_cache.parse(a)
    assert core_cache.generation() != everything  # cross-site fragments follow every change
    a, everything = core_cache.site_generation(1), core_cache.generation()
    core_cache.bump()  # reach unknown: every site
    assert core_cache.parse(core_cache.site_generation(1)) > core_cache.parse(a)
    assert core_cache.parse(core_cache.site_generation(2)) > core_cache.parse(b)
    assert core_cache.generation() != everything
    # Fragments per site likewise.
    calls = []
    for site in (1, 2):
        core_cache.remember("nav", lambda s=site: calls.append(s) or s, site=site)
    core_cache.bump(sites=[2])
    assert [core_cache.remember("nav", lambda s=s: calls.append(s) or s, site=s) for s in (1, 2)] == [1, 2]
    assert calls == [1, 2, 2]


def test_a_rebuild_can_sample_the_first_pages_of_a_large_site(group):
    """bench/multisite.py renders the first N pages of a 20,000-page site to time a rebuild."""
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    assert static_html.rebuild_site(fgj_site, limit=3).published == 3
    assert static_html.served_path(FGJ, "/") is not None and static_html.served_path(FGJ, "/").exists()
