"""The 标准目录 in the back office (scoped to the organ subtree, editors only) and on the portal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.catalog import services
from zwgk.catalog.models import CatalogItem
from zwgk.core.roles import FIRST_REVIEW, INFORMANT

from .builders import TODAY, article, column, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    org, town, home, news = county()
    budget = column(home, "财政预决算", "czyjs")
    article(budget, org, TODAY)
    services.adopt_area(org, "04")
    services.adopt_area(town, "21")
    return org, town, home, budget


def refused(response):
    """Wagtail answers a PermissionDenied in the back office with a redirect to the dashboard and the message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def login(client, username, org, *roles):
    factories.staff(username, org, *roles)
    assert client.login(username=username, password="pw-123456")


def test_informant_adopts_edits_binds_and_removes(client, world):
    org, town, home, budget = world
    login(client, "xxy", org, INFORMANT)
    page = client.get(reverse("catalog_admin"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "财政预决算" in html and "覆盖率 <strong>0.0%</strong>" in html and "〔待核实" in html
    adopt = reverse("catalog_admin_organ_action", args=[org.pk, "adopt"])
    response = client.post(adopt, {"area_code": "26"})
    assert response.status_code == 302
    assert CatalogItem.objects.filter(organisation=org, area_code="26").count() == 4
    item = CatalogItem.objects.get(organisation=org, code="04-01")
    form = {
        "level1": item.level1,
        "level2": item.level2,
        "content": item.content,
        "basis": "《中华人民共和国预算法》第十四条",
        "time_limit": item.time_limit,
        "subject": item.subject,
        "channels": ["政府网站", "政府公报"],
        "audience": ["全社会"],
        "mode": ["主动"],
        "levels": ["县级"],
        "columns": [budget.pk],
        "categories": ["07"],
        "confirm": ["subject"],
    }
    response = client.post(reverse("catalog_admin_item_edit", args=[item.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.basis.startswith("《中华人民共和国预算法》") and item.categories == ["07"]
    assert list(item.columns.all()) == [budget]
    assert "basis" not in item.manual and "subject" not in item.manual and "channels" not in item.manual
    assert "content" in item.manual
    assert {e.action for e in ModelLogEntry.objects.filter(user__username="xxy")} >= {
        "zwgk.catalog.adopt",
        "zwgk.catalog.item.change",
        "zwgk.catalog.item.bind",
    }
    html = client.get(reverse("catalog_admin")).content.decode()
    assert "已公开" in html
    response = client.post(reverse("catalog_admin_item_remove", args=[item.pk]))
    assert response.status_code == 302 and not CatalogItem.objects.filter(pk=item.pk).exists()


def test_invalid_edit_keeps_the_form_with_chinese_messages(client, world):
    org, *_ = world
    login(client, "xxy", org, INFORMANT)
    item = CatalogItem.objects.get(organisation=org, code="04-01")
    response = client.post(
        reverse("catalog_admin_item_edit", args=[item.pk]), {"level1": "", "channels": ["无此渠道"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写一级事项" in html and "请修改表单中标出的问题" in html


def test_township_clerk_sees_only_its_own_catalogue(client, world):
    org, town, *_ = world
    login(client, "town_xxy", town, INFORMANT)
    html = client.get(reverse("catalog_admin")).content.decode()
    assert "社会救助" in html and "财政预决算" not in html
    assert refused(client.get(reverse("catalog_admin"), {"org": org.pk}))
    county_item = CatalogItem.objects.filter(organisation=org).first()
    assert refused(client.get(reverse("catalog_admin_item_edit", args=[county_item.pk])))
    assert refused(client.post(reverse("catalog_admin_item_remove", args=[county_item.pk])))
    assert CatalogItem.objects.filter(pk=county_item.pk).exists()
    adopt = reverse("catalog_admin_organ_action", args=[org.pk, "adopt"])
    assert client.post(adopt, {"area_code": "01"}).status_code == 404  # not in the clerk's subtree


def test_reviewer_may_look_but_not_edit(client, world):
    org, *_ = world
    login(client, "cs", org, FIRST_REVIEW)
    html = client.get(reverse("catalog_admin")).content.decode()
    assert "财政预决算" in html and "采用领域" not in html
    item = CatalogItem.objects.filter(organisation=org).first()
    assert refused(client.get(reverse("catalog_admin_item_edit", args=[item.pk])))


def test_bad_parameters_are_answered_in_chinese_not_500(client, world):
    org, *_ = world
    login(client, "xxy", org, INFORMANT)
    response = client.get(reverse("catalog_admin"), {"org": "abc"})
    assert response.status_code == 400
    assert client.get(reverse("catalog_admin"), {"status": "nonsense"}).status_code == 200
    assert client.get(reverse("catalog_admin_organ_action", args=[org.pk, "nosuch"])).status_code == 404


def test_dashboard_panel_lists_items_to_fix(client, world):
    org, *_ = world
    login(client, "xxy", org, INFORMANT)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "标准目录：应公开未公开的事项（10）" in html  # the county's 6 and its township's 4
    assert "测试镇人民政府" in html or "测试镇" in html


def test_portal_shows_the_official_table_with_links(client, world):
    org, town, home, budget = world
    item = CatalogItem.objects.get(organisation=org, code="04-01")
    services.bind_item(item, columns=[budget])
    response = client.get(reverse("catalog_public"))
    assert response.status_code == 200 and org.name in response.content.decode()
    html = client.get(reverse("catalog_public_organ", args=[org.slug])).content.decode()
    assert "财政预决算领域基层政务公开标准目录" in html
    assert "公开渠道和载体" in html and "依申请" in html
    assert f'href="{budget.url}"' in html
    assert client.get(reverse("catalog_public_organ", args=["nosuch"])).status_code == 404


def test_column_picker_offers_and_accepts_only_the_organs_own_sites(client, world):
    """绑定栏目: an organ binds its items to the columns of its own sites only — the county to its portal, a
    township (no site of its own, 国办发〔2017〕47号) to the portal above it; another county's column is
    neither offered nor accepted (refused in Chinese, nothing changes, no audit entry)."""
    from tests.monitoring.builders import make_site

    org, town, home, budget = world
    neighbour = factories.organisation(name="邻县人民政府", slug="lx")
    _, other_home = make_site("linxian.gov.test", neighbour, title="邻县人民政府网站")
    foreign = column(other_home, "邻县财政预决算", "lxczyjs")
    article(foreign, neighbour, TODAY)
    assert set(services.organ_columns(org)) >= {budget} and foreign not in services.organ_columns(org)
    assert foreign in services.organ_columns(neighbour) and budget not in services.organ_columns(neighbour)

    login(client, "xxy", org, INFORMANT)
    item = CatalogItem.objects.get(organisation=org, code="04-01")
    url = reverse("catalog_admin_item_edit", args=[item.pk])
    html = client.get(url).content.decode()
    assert f'value="{budget.pk}"' in html and "邻县财政预决算" not in html
    form = {
        "level1": item.level1,
        "level2": item.level2,
        "content": item.content,
        "basis": item.basis,
        "time_limit": item.time_limit,
        "subject": item.subject,
        "channels": ["政府网站"],
        "audience": ["全社会"],
        "mode": ["主动"],
        "levels": ["县级"],
        "columns": [budget.pk, foreign.pk],
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert f"栏目 {foreign.pk} 不属于本机关的网站，不能绑定" in response.content.decode()
    assert not item.columns.exists()
    assert not ModelLogEntry.objects.filter(action="zwgk.catalog.item.bind").exists()
    with pytest.raises(ValidationError, match="只能绑定本机关网站的栏目"):
        services.bind_item(item, columns=[foreign])
    response = client.post(url, {**form, "columns": [budget.pk]})
    assert response.status_code == 302 and list(item.columns.all()) == [budget]

    login(client, "town_xxy", town, INFORMANT)
    town_item = CatalogItem.objects.filter(organisation=town).first()
    html = client.get(reverse("catalog_admin_item_edit", args=[town_item.pk])).content.decode()
    assert f'value="{budget.pk}"' in html and "邻县财政预决算" not in html
