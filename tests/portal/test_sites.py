"""集约化 site service (zwgk.portal.sites): sites made from a template, validated, archived, never deleted
with content; `zwgk site …` on the command line."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import Site

from tests import factories
from zwgk.core.models import Organisation
from zwgk.disclosure.models import ArticlePage, ColumnPage, DisclosureIndexPage, HomePage, PolicyLibraryPage
from zwgk.portal import sites
from zwgk.portal.models import PortalSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    factories.site()  # the default site (the government portal's tree)
    gov = factories.organisation(name="龙溪市人民政府", slug="gov", kind=Organisation.Kind.GOVERNMENT)
    fgj = factories.organisation(gov, name="龙溪市发展和改革局", slug="fgj", site_code="3607990002")
    town = factories.organisation(gov, name="城关镇人民政府", slug="cgz", kind=Organisation.Kind.TOWNSHIP)
    return gov, fgj, town


def test_create_site_from_template_makes_home_columns_and_catalogue(city):
    _, fgj, _ = city
    site = sites.create_site(organisation=fgj, domain="FGJ.longxi.gov.cn")
    assert site.hostname == "fgj.longxi.gov.cn"  # stored in lower case
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.title == "龙溪市发展和改革局"
    titles = [p.title for p in home.get_descendants().live()]
    assert {"工作动态", "通知公告", "政府信息公开", "政策文件库", "政府信息公开指南", "政策解读"} <= set(
        titles
    )
    assert DisclosureIndexPage.objects.child_of(home).count() == 1
    assert PolicyLibraryPage.objects.child_of(home).count() == 1
    settings = PortalSettings.for_site(site)
    assert settings.organisation == fgj and settings.template == "department"
    assert settings.site_code == "3607990002"  # from the organ
    # Two home pages now: HomePage.max_count is gone.
    assert HomePage.objects.count() == 2
    assert HomePage.can_create_at(home.get_parent())


def test_township_template_and_audit_entry(city):
    from wagtail.models import PageLogEntry

    _, _, town = city
    site = sites.create_site(organisation=town, domain="cgz.longxi.gov.cn")
    assert PortalSettings.for_site(site).template == "township"
    assert PageLogEntry.objects.filter(page=site.root_page, action="zwgk.site.create").exists()


@pytest.mark.parametrize(
    "domain, message",
    [
        ("", "请填写网站域名"),
        ("http://fgj.longxi.gov.cn", "不含 http://"),
        ("fgj.longxi.gov.cn:8080", "不含 http://"),
        ("fgj..longxi.gov.cn", "格式不正确"),
        ("-fgj.longxi.gov.cn", "格式不正确"),
        ("发改局.gov.cn", "格式不正确"),
        ("localhost", "已被另一个网站使用"),
    ],
)
def test_bad_domains_are_refused_in_chinese(city, domain, message):
    _, fgj, _ = city
    with pytest.raises(ValidationError) as e:
        sites.create_site(organisation=fgj, domain=domain)
    assert message in e.value.messages[0]
    assert Site.objects.count() == 1


def test_bad_template_site_code_and_second_site_refused(city):
    _, fgj, town = city
    with pytest.raises(ValidationError, match="网站模板“shop”不存在"):
        sites.create_site(organisation=fgj, domain="fgj.longxi.gov.cn", template="shop")
    with pytest.raises(ValidationError, match="网站标识码应为10位数字"):
        sites.create_site(organisation=town, domain="cgz.longxi.gov.cn", site_code="12345")
    sites.create_site(organisation=fgj, domain="fgj.longxi.gov.cn")
    with pytest.raises(ValidationError, match="已有网站"):
        sites.create_site(organisation=fgj, domain="fgj2.longxi.gov.cn")


def test_staff_open_sites_only_for_their_subtree(city):
    gov, fgj, town = city
    clerk = factories.staff("fgj_admin", fgj, "管理员")
    with pytest.raises(ValidationError, match="只能为本机关及下级机关开设网站"):
        sites.create_site(organisation=town, domain="cgz.longxi.gov.cn", user=clerk)
    site = sites.create_site(organisation=fgj, domain="fgj.longxi.gov.cn", user=clerk)
    assert list(sites.sites_for(clerk)) == [site]
    city_admin = factories.staff("city_admin", gov, "管理员")
    town_site = sites.create_site(organisation=town, domain="cgz.longxi.gov.cn", user=city_admin)
    assert set(sites.sites_for(city_admin)) == {site, town_site}


def test_site_with_content_cannot_be_deleted_only_archived(city):
    _, fgj, _ = city
    site = sites.create_site(organisation=fgj, domain="fgj.longxi.gov.cn")
    column = ColumnPage.objects.descendant_of(site.root_page).get(slug="gzdt")
    column.add_child(instance=ArticlePage(title="草稿", slug="a1", organisation=fgj, live=False))
    with pytest.raises(ValidationError, match="有1条信息，不能删除.*请改为归档"):
        sites.delete_site(site)
    assert Site.objects.filter(pk=site.pk).exists()
    sites.archive_site(site)
    assert PortalSettings.for_site(site).archived
    with pytest.raises(ValidationError, match="已经归档"):
        sites.archive_site(site)


def test_empty_site_can_be_deleted(city):
    _, fgj, _ = city
    site = sites.create_site(organisation=fgj, domain="fgj.longxi.gov.cn")
    home_id = site.root_page_id
    sites.delete_site(site)
    assert not Site.objects.filter(hostname="fgj.longxi.gov.cn").exists()
    assert not HomePage.objects.filter(pk=home_id).exists()


def test_site_command_create_list_archive(city):
    out = io.StringIO()
    call_command("site", "create", "--org", "fgj", "--domain", "fgj.longxi.gov.cn", stdout=out)
    assert "已开设网站 fgj.longxi.gov.cn" in out.getvalue()
    call_command("site", "list", stdout=out)
    assert "龙溪市发展和改革局" in out.getvalue()
    with pytest.raises(CommandError, match="找不到机关“nope”"):
        call_command("site", "create", "--org", "nope", "--domain", "x.longxi.gov.cn")
    with pytest.raises(CommandError, match="已被另一个网站使用"):
        call_command("site", "create", "--org", "cgz", "--domain", "fgj.longxi.gov.cn")
    with pytest.raises(CommandError, match="没有域名"):
        call_command("site", "archive", "nowhere.gov.cn")
    call_command("site", "archive", "fgj.longxi.gov.cn", stdout=out)
    assert PortalSettings.objects.get(site__hostname="fgj.longxi.gov.cn").archived
