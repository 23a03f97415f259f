"""Coverage of an organ's 标准目录 and the services that keep it (spec §4.3: 应公开未公开)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry, PageLogEntry

from tests import factories
from zwgk.catalog import rules, services
from zwgk.catalog.coverage import monthly_summary, organ_coverage
from zwgk.catalog.models import CatalogItem
from zwgk.core.roles import FIRST_REVIEW, INFORMANT
from zwgk.core.workdays import add_working_days

from .builders import TODAY, article, column, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    org, town, home, news = county()
    services.adopt_area(org, "04")  # 财政预决算, 6 items
    items = {i.code: i for i in CatalogItem.objects.filter(organisation=org)}
    budget = column(home, "政府预算", "zfys")
    final = column(home, "政府决算", "zfjs")
    formed = dt.date(2026, 10, 8)
    article(budget, org, add_working_days(formed, 5), written=formed)  # on time
    article(final, org, add_working_days(formed, 30), written=formed)  # late
    services.bind_item(items["04-01"], columns=[budget])
    services.bind_item(items["04-02"], columns=[final])
    services.bind_item(items["04-03"], categories=["07"])  # 财政预算、决算信息, by the organ's subtree
    return org, town, home, items, budget


def test_adopt_copies_the_area_with_its_flags_and_is_idempotent(setup):
    org, *_ = setup
    items = CatalogItem.objects.filter(organisation=org)
    assert items.count() == 6
    first = items.get(code="04-01")
    assert first.level1 == "政府预决算" and first.basis == "" and "basis" in first.manual
    assert first.source_version and first.area_name == "财政预决算"
    assert services.adopt_area(org, "04") == []
    assert ModelLogEntry.objects.filter(action="zwgk.catalog.adopt").count() == 1


def test_statuses_and_percentage(setup):
    org, town, home, items, budget = setup
    result = organ_coverage(org, TODAY)
    status = {c.item.code: c.status for c in result.items}
    assert status["04-01"] == rules.PUBLISHED
    assert status["04-02"] == rules.OVERDUE
    assert status["04-03"] == rules.MISSING  # no live item in category 07 yet
    assert status["04-04"] == rules.MISSING  # bound to nothing
    assert result.percentage == rules.percentage(1, 6)
    assert [c.item.code for c in result.to_fix][:1] == ["04-03"]  # missing before overdue
    assert result.areas[0].code == "04" and result.areas[0].percentage == result.percentage


def test_category_binding_counts_the_organ_subtree_only(setup):
    org, town, home, items, budget = setup
    other = factories.organisation(name="另一县人民政府")
    article(budget, other, TODAY, statutory_category="07")
    assert {c.item.code: c.status for c in organ_coverage(org, TODAY).items}["04-03"] == rules.MISSING
    article(budget, town, TODAY, statutory_category="07")  # the township is under the county
    by_code = {c.item.code: c for c in organ_coverage(org, TODAY).items}
    assert by_code["04-03"].status == rules.PUBLISHED
    assert by_code["04-03"].latest.count == 1


def test_the_newest_publication_decides_not_the_tree_order(setup):
    """An item added to the tree later but published earlier (an import) does not hide the newest one."""
    org, town, home, items, budget = setup
    formed = dt.date(2025, 1, 6)
    article(budget, org, add_working_days(formed, 40), written=formed)  # late, but older than the on-time one
    by_code = {c.item.code: c for c in organ_coverage(org, TODAY).items}
    assert by_code["04-01"].status == rules.PUBLISHED
    assert by_code["04-01"].latest.count == 2
    assert by_code["04-01"].latest.formed == dt.date(2026, 10, 8)


def test_the_newest_item_decides_and_an_update_cycle_applies(setup):
    org, town, home, items, budget = setup
    final = items["04-02"].columns.get()
    article(final, org, TODAY - dt.timedelta(days=3))  # newer, no 成文日期: judged by publication alone
    assert {c.item.code: c.status for c in organ_coverage(org, TODAY).items}["04-02"] == rules.PUBLISHED
    services.update_item(items["04-01"], update_cycle_days=30)
    assert {c.item.code: c.status for c in organ_coverage(org, TODAY).items}["04-01"] == rules.OVERDUE


def test_edit_clears_flags_of_changed_or_confirmed_fields_with_audit(setup):
    org, town, home, items, budget = setup
    item = services.update_item(
        items["04-01"], basis="《中华人民共和国预算法》", confirm=["time_limit"], level1="政府预决算"
    )
    assert "basis" not in item.manual and "time_limit" not in item.manual and "level1" in item.manual
    entry = ModelLogEntry.objects.get(action="zwgk.catalog.item.change")
    assert entry.data["new"] == {"basis": "《中华人民共和国预算法》"}
    assert entry.data["old"] == {"basis": ""}


def test_local_item_removal_and_refusals(setup):
    org, town, home, items, budget = setup
    local = services.add_local_item(
        org,
        area_code="04",
        level1="乡镇财政",
        content="乡镇财政收支情况",
        time_limit="及时公开",
        subject="县财政局",
        channels=["政府网站"],
        audience=["全社会"],
        mode=["主动"],
        levels=["县级"],
    )
    assert local.code == "04-L01" and local.local and local.manual == []
    services.remove_item(local)
    assert not CatalogItem.objects.filter(pk=local.pk).exists()
    assert ModelLogEntry.objects.filter(action="zwgk.catalog.item.remove").exists()
    with pytest.raises(ValidationError, match="没有编码"):
        services.adopt_area(org, "99")
    with pytest.raises(ValidationError, match="无效的法定主动公开内容类别"):
        services.bind_item(items["04-01"], categories=["99"])
    assert not PageLogEntry.objects.filter(action__startswith="zwgk.catalog").exists()


def test_only_informants_and_administrators_of_the_subtree_edit(setup):
    org, town, home, items, budget = setup
    township_clerk = factories.staff("town_xxy", town, INFORMANT)
    reviewer = factories.staff("county_cs", org, FIRST_REVIEW)
    county_clerk = factories.staff("county_xxy", org, INFORMANT)
    with pytest.raises(PermissionDenied):
        services.adopt_area(org, "01", user=township_clerk)
    with pytest.raises(PermissionDenied):
        services.update_item(items["04-01"], user=reviewer, basis="x")
    assert services.adopt_area(town, "01", user=county_clerk)


def _run(*args):
    out = StringIO()
    call_command("catalog", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_areas_json():
    rows = json.loads(_run("areas", "--json"))
    assert len(rows) == 31
    first = rows[0]
    assert {"code", "name", "items"} <= set(first) and first["code"] == "01" and first["items"] > 0


def test_command_coverage_json_by_slug_or_credit_code(setup):
    org, *_ = setup
    data = json.loads(_run("coverage", "--org", "xzf", "--json"))
    assert data["org"] == "xzf"
    assert data["percentage"] == organ_coverage(org).percentage
    assert {i["status"] for i in data["items"]} == {"published", "overdue", "missing"}
    assert all({"code", "name", "status"} <= set(i) for i in data["items"])
    by_credit = json.loads(_run("coverage", "--org", org.credit_code, "--json"))
    assert by_credit["org"] == org.credit_code and len(by_credit["items"]) == 6


def test_command_bad_org_is_a_chinese_error_with_status_2(setup):
    with pytest.raises(CommandError, match="没有网址标识或统一社会信用代码") as error:
        _run("coverage", "--org", "nosuch", "--json")
    assert error.value.returncode == 2


def test_command_adopt_and_monthly_summary(setup):
    org, town, *_ = setup
    assert "新采用" in _run("adopt", "--org", "csz", "21", "24")
    assert CatalogItem.objects.filter(organisation=town).count() == 7
    rows = {r["org"]: r for r in monthly_summary(org.subtree(), TODAY)}
    assert rows["csz"]["percentage"] == 0.0 and len(rows["csz"]["to_fix"]) == 7
    assert rows["xzf"]["published"] == 1
