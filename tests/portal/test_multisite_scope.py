"""集约化: staff work only on the sites of their organ subtree; a city 管理员 sees all. Each back-office view
that names a page is tried by URL with another organ's site (zwgk/disclosure/admin_scope.py)."""

import pytest
from wagtail.models import Site

from tests import factories
from zwgk.core.models import Organisation
from zwgk.disclosure.models import ColumnPage
from zwgk.portal import sites
from zwgk.portal.models import PortalSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", ".longxi.gov.cn"]
    gov = factories.organisation(name="龙溪市人民政府", slug="gov", kind=Organisation.Kind.GOVERNMENT)
    fgj = factories.organisation(gov, name="龙溪市发展和改革局", slug="fgj")
    jyj = factories.organisation(gov, name="龙溪市教育局", slug="jyj")
    factories.site()
    PortalSettings.objects.create(site=Site.objects.get(is_default_site=True), organisation=gov)
    fgj_site = sites.create_site(organisation=fgj, domain="fgj.longxi.gov.cn")
    jyj_site = sites.create_site(organisation=jyj, domain="jyj.longxi.gov.cn")
    return gov, fgj, jyj, fgj_site, jyj_site


def column_of(site):
    return ColumnPage.objects.descendant_of(site.root_page).get(slug="gzdt")


# Every page-naming view a clerk could type into the address bar.
PAGE_VIEWS = (
    "/admin/pages/{id}/",
    "/admin/pages/{id}/edit/",
    "/admin/pages/{id}/history/",
    "/admin/pages/{id}/revisions/",
    "/admin/pages/{id}/move/",
    "/admin/pages/{id}/delete/",
    "/admin/pages/{id}/copy/",
    "/admin/pages/{id}/unpublish/",
    "/admin/pages/{id}/privacy/",
    "/admin/pages/{id}/usage/",
    "/admin/pages/{id}/add_subpage/",
    "/admin/pages/add/disclosure/articlepage/{id}/",
    "/admin/api/main/pages/{id}/",
)


@pytest.mark.parametrize("url", PAGE_VIEWS)
def test_a_sites_staff_cannot_reach_another_sites_pages_by_url(group, client, url):
    gov, fgj, jyj, fgj_site, jyj_site = group
    client.force_login(factories.staff("fgj_admin", fgj, "管理员", "信息员"))
    for page in (jyj_site.root_page, column_of(jyj_site)):
        response = client.get(url.format(id=page.pk))
        assert response.status_code in (403, 404), (url, page.title, response.status_code)


def test_own_sites_structure_is_editable_and_others_are_not_listed(group, client):
    gov, fgj, jyj, fgj_site, jyj_site = group
    client.force_login(factories.staff("fgj_admin", fgj, "管理员", "信息员"))
    assert client.get(f"/admin/pages/{column_of(fgj_site).pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{fgj_site.root_page_id}/").status_code == 200
    explorer = client.get(f"/admin/pages/{fgj_site.root_page.get_parent().pk}/").content.decode()
    assert f"/admin/pages/{fgj_site.root_page_id}/" in explorer
    assert f"/admin/pages/{jyj_site.root_page_id}/" not in explorer


def test_city_administrator_sees_every_site(group, client):
    gov, fgj, jyj, fgj_site, jyj_site = group
    client.force_login(factories.staff("city_admin", gov, "管理员"))
    for site in (fgj_site, jyj_site):
        assert client.get(f"/admin/pages/{column_of(site).pk}/edit/").status_code == 200
    page = client.get("/admin/sites-group/").content.decode()
    assert "fgj.longxi.gov.cn" in page and "jyj.longxi.gov.cn" in page


def test_site_group_page_is_scoped_and_creates_sites_with_chinese_errors(group, client):
    gov, fgj, jyj, fgj_site, jyj_site = group
    fgj_sub = factories.organisation(fgj, name="龙溪市价格认证中心", slug="jgzx")
    client.force_login(factories.staff("fgj_admin", fgj, "管理员"))
    page = client.get("/admin/sites-group/").content.decode()
    assert "fgj.longxi.gov.cn" in page and "jyj.longxi.gov.cn" not in page
    bad = client.post(
        "/admin/sites-group/", {"organisation": fgj_sub.pk, "domain": "http://x"}
    ).content.decode()
    assert "不含 http://" in bad
    other = client.post("/admin/sites-group/", {"organisation": jyj.pk, "domain": "x.longxi.gov.cn"})
    assert "选择一个有效的选项" in other.content.decode() or other.status_code == 200
    assert not Site.objects.filter(hostname="x.longxi.gov.cn").exists()
    made = client.post("/admin/sites-group/", {"organisation": fgj_sub.pk, "domain": "jgzx.longxi.gov.cn"})
    assert made.status_code == 302 and Site.objects.filter(hostname="jgzx.longxi.gov.cn").exists()
    assert client.post(f"/admin/sites-group/{jyj_site.pk}/archive/").status_code == 404
    assert client.post(f"/admin/sites-group/{fgj_site.pk}/archive/").status_code == 302
    assert PortalSettings.for_site(fgj_site).archived


def test_informant_may_not_manage_sites(group, client):
    gov, fgj, *_ = group
    client.force_login(factories.staff("fgj_xxy", fgj, "信息员"))
    assert client.get("/admin/sites-group/").status_code in (302, 403)  # Wagtail: back to the dashboard
    client.post("/admin/sites-group/", {"organisation": fgj.pk, "domain": "y.longxi.gov.cn"})
    assert not Site.objects.filter(hostname="y.longxi.gov.cn").exists()
