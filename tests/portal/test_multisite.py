"""集约化: several sites on one installation. Every list, feed, sitemap, search, catalogue, cache key and
static-HTML file is per site; the government portal's unified 信息公开目录 lists a department's items from
the department's own site, without copies (国办发〔2017〕47号: one information-resource store)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from wagtail.models import PageLogEntry, Site

from tests import factories
from tests.portal.test_cache import published
from zwgk.core.models import Organisation
from zwgk.disclosure.models import (
    ArticlePage,
    ColumnPage,
    DisclosureIndexPage,
    PolicyDocumentPage,
    PolicyLibraryPage,
)
from zwgk.portal import sites, static_html
from zwgk.portal.models import PortalSettings

pytestmark = pytest.mark.django_db

FGJ = "fgj.longxi.gov.cn"


@pytest.fixture
def city(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", ".longxi.gov.cn"]
    gov = factories.organisation(name="龙溪市人民政府", slug="gov", kind=Organisation.Kind.GOVERNMENT)
    fgj = factories.organisation(gov, name="龙溪市发展和改革局", slug="fgj")
    home, column, library = factories.site()
    home.add_child(instance=DisclosureIndexPage(title="政府信息公开", slug="zwgk", live=True))
    PortalSettings.objects.create(
        site=Site.objects.get(is_default_site=True), site_name="龙溪市人民政府", organisation=gov
    )
    site = sites.create_site(organisation=fgj, domain=FGJ)
    fgj_news = ColumnPage.objects.descendant_of(site.root_page).get(slug="gzdt")
    fgj_library = PolicyLibraryPage.objects.descendant_of(site.root_page).get()
    gov_item = published(column, gov, "市政府常务会议召开", statutory_category="01")
    fgj_item = published(fgj_news, fgj, "发改局推进重点项目建设", statutory_category="01")
    fgj_policy = published(fgj_library, fgj, "发改局项目管理办法", model=PolicyDocumentPage)
    return gov, fgj, site, gov_item, fgj_item, fgj_policy


def get(client, url, host="localhost"):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (host, url, response.status_code)
    return response.content.decode()


def test_each_host_serves_its_own_home_page_and_lists(city, client):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    gov_home = get(client, "/")
    fgj_home = get(client, "/", FGJ)
    assert "_龙溪市人民政府</title>" in gov_home and "龙溪市发展和改革局" in fgj_home
    # The home page lists (and the 政策文件 block) stay inside the site.
    assert fgj_policy.title in fgj_home and fgj_policy.title not in gov_home
    assert gov_item.title in gov_home and gov_item.title not in fgj_home
    assert fgj_item.title in get(client, "/gzdt/", FGJ)
    assert client.get("/gzdt/", HTTP_HOST="localhost").status_code == 404  # another site's column


def test_feeds_and_sitemaps_are_per_site(city, client):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    assert fgj_item.title in get(client, "/gzdt/rss/", FGJ)
    gov_sitemap, fgj_sitemap = get(client, "/sitemap.xml"), get(client, "/sitemap.xml", FGJ)
    assert f"http://{FGJ}/gzdt/" in fgj_sitemap and "localhost" not in fgj_sitemap
    assert FGJ not in gov_sitemap and "/ywdt/" in gov_sitemap
    assert "Sitemap: http://fgj.longxi.gov.cn/sitemap.xml" in get(client, "/robots.txt", FGJ)


def test_unified_catalogue_lists_department_items_without_copies(city, client):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    # The government portal's 信息公开目录 of the department: the item that lives on the department's site.
    page = get(client, "/zwgk/ml/fgj/")
    assert fgj_item.title in page and f"http://{FGJ}/gzdt/" in page
    assert get(client, "/zwgk/fdzdgknr/01/").count(fgj_item.title) == 1
    # The department's own section shows its subtree only: no government item, no other organ's catalogue.
    fgj_category = get(client, "/zwgk/fdzdgknr/01/", FGJ)
    assert fgj_item.title in fgj_category and gov_item.title not in fgj_category
    assert gov_item.title not in get(client, "/zwgk/fdzdgknr/", FGJ)
    assert client.get("/zwgk/ml/gov/", HTTP_HOST=FGJ).status_code == 404
    assert 'href="/zwgk/ml/gov/"' not in get(client, "/zwgk/", FGJ)
    assert ArticlePage.objects.count() == 2  # one row per item: nothing copied


def test_search_this_site_or_all_sites(city, client):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    here = get(client, "/search/?q=建设", FGJ)
    assert "本站" in here and "全站" in here
    assert fgj_item.title in here
    assert fgj_item.title not in get(client, "/search/?q=建设")  # 本站 of the government portal
    everywhere = get(client, "/search/?q=建设&scope=all")
    assert fgj_item.title in everywhere
    bad = client.get("/search/?q=建设&scope=everywhere", HTTP_HOST=FGJ)
    assert bad.status_code in (200, 400) and "搜索范围" in bad.content.decode()


def test_search_offers_the_sites_own_sections(city, client):
    """The 栏目 choices are the site's own sections with indexed items, not one 工作动态 per site of the group."""
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    fgj_sections = client.get("/search/?q=建设", HTTP_HOST=FGJ).context["sections"]
    gov_sections = client.get("/search/?q=建设").context["sections"]
    assert {pk for pk, _ in fgj_sections} == {fgj_item.get_parent().pk, fgj_policy.get_parent().pk}
    assert {pk for pk, _ in gov_sections} == {gov_item.get_parent().pk}
    # Another site's section given in the address still filters (全站).
    everywhere = get(client, f"/search/?q=建设&scope=all&section={fgj_item.get_parent().pk}")
    assert fgj_item.title in everywhere


def test_page_cache_and_static_html_are_per_host(city, client, settings, tmp_path):
    settings.ZWGK_STATIC_HTML_DIR = str(tmp_path / "html")
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    gov_home, fgj_home = get(client, "/"), get(client, "/", FGJ)
    assert gov_home != fgj_home
    # Served again from the cache: each host its own entry.
    assert client.get("/", HTTP_HOST=FGJ)["X-Cache"] == "HIT"
    assert get(client, "/", FGJ) == fgj_home and get(client, "/") == gov_home
    current = tmp_path / "html" / "current"
    assert (current / FGJ / "index.html").read_text() == fgj_home
    assert (current / "localhost" / "index.html").read_text() == gov_home
    assert static_html.path_for("1", "/", host="../etc") is None
    assert static_html.site_dir("FGJ.longxi.gov.cn:8000") == FGJ


def test_full_static_rebuild_of_one_site(city, settings, tmp_path):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    settings.ZWGK_STATIC_HTML_DIR = str(tmp_path / "html")
    written = static_html.rebuild_site(site).written
    current = tmp_path / "html" / "current" / FGJ
    assert (current / "gzdt" / fgj_item.slug / "index.html").exists()
    assert written == len([p for p in current.rglob("index.html")]) >= 10
    assert not (tmp_path / "html" / "current" / "localhost").exists()


def test_theme_and_archive_notice_per_site(city, client):
    gov, fgj, site, *_ = city
    PortalSettings.objects.filter(site=site).update(
        primary_colour="#1f4e9e", party_mark_url="https://www.example.org/"
    )
    cache.clear()
    assert "--main: #1f4e9e" in get(client, "/theme.css", FGJ)
    assert "--main: #b5121b" in get(client, "/theme.css")
    assert 'class="party-mark"' in get(client, "/", FGJ)
    sites.archive_site(site)
    assert "本网站已停止更新" in get(client, "/gzdt/", FGJ)
    assert "本网站已停止更新" not in get(client, "/")


def test_reference_shows_a_department_item_on_the_portal_without_a_copy(city, client):
    gov, fgj, site, gov_item, fgj_item, fgj_policy = city
    portal_news = ColumnPage.objects.get(slug="ywdt")
    clerk = factories.staff("fgj_xxy", fgj, "信息员")
    sites.reference_item(item=fgj_item, column=portal_news, user=clerk)
    listing = get(client, "/ywdt/")
    assert fgj_item.title in listing and f'href="http://{FGJ}/gzdt/' in listing  # linked on its own site
    assert '<span class="tag">引用</span>' in listing
    # The unified 法定主动公开内容 shows the department's item from the one information-resource store, not
    # as 引用 (it would be there without the reference too).
    catalogue = get(client, "/zwgk/fdzdgknr/01/")
    assert fgj_item.title in catalogue and '<span class="tag">引用</span>' not in catalogue
    assert ArticlePage.objects.count() == 2  # no copy
    with pytest.raises(ValidationError, match="已经引用"):
        sites.reference_item(item=fgj_item, column=portal_news, user=clerk)
    with pytest.raises(ValidationError, match="本机关及下级机关"):
        sites.reference_item(item=gov_item, column=ColumnPage.objects.get(slug="gzdt"), user=clerk)
    with pytest.raises(ValidationError, match="本来就在这个网站上"):
        sites.reference_item(
            item=fgj_item,
            column=ColumnPage.objects.get(slug="tzgg", depth=3, path__startswith=site.root_page.path),
        )
    assert PageLogEntry.objects.filter(page=fgj_item, action="zwgk.site.reference").exists()
