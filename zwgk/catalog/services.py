"""What happens to an organ's 标准目录: adopt an area, edit or add an item, bind it, remove it.

Each action is one atomic function: check → change → audit entry (old → new).
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from wagtail.models import Site

from zwgk.core.audit import record
from zwgk.core.models import Organisation
from zwgk.core.roles import ADMINISTRATOR, INFORMANT, has_any_role
from zwgk.core.scoping import can_act_for
from zwgk.disclosure.models import ColumnPage
from zwgk.disclosure.vocab import StatutoryCategory
from zwgk.monitoring.sites import site_organisation, under

from . import standards
from .models import CatalogItem

EDITORS = (ADMINISTRATOR, INFORMANT)
AUDIT_ACTIONS = {
    "zwgk.catalog.adopt": "采用标准目录领域",
    "zwgk.catalog.item.add": "增加标准目录事项",
    "zwgk.catalog.item.change": "修改标准目录事项",
    "zwgk.catalog.item.bind": "绑定标准目录事项的栏目和类别",
    "zwgk.catalog.item.remove": "删除标准目录事项",
}


def find_organisation(code: str) -> Organisation:
    """The organ whose 网址标识 (slug) or 统一社会信用代码 is `code`; a Chinese error otherwise."""
    code = (code or "").strip()
    organ = (
        Organisation.objects.filter(slug=code).first()
        or Organisation.objects.filter(credit_code=code.upper()).first()
    )
    if organ is None:
        raise ValidationError(f"没有网址标识或统一社会信用代码为“{code}”的机关。")
    return organ


def can_edit(user, organisation) -> bool:
    """管理员 and 信息员 keep the 标准目录 of the organs in their subtree (or an automated caller, user None)."""
    if user is None:
        return True
    return has_any_role(user, EDITORS) and can_act_for(user, organisation)


def _check(user, organisation):
    if not can_edit(user, organisation):
        raise PermissionDenied("您无权修改该机关的标准目录。")


@transaction.atomic
def adopt_area(organisation, area_code: str, *, user=None, item_codes=None) -> list[CatalogItem]:
    """Copy an area's 标准指引 items (all, or `item_codes`) into the organ's 标准目录.

    Items already adopted are left as the organ edited them. The [M] flags travel with the copy.
    """
    _check(user, organisation)
    area = standards.area(area_code)
    if area is None:
        raise ValidationError(f"没有编码为“{area_code}”的领域。")
    wanted = set(item_codes) if item_codes else None
    if wanted is not None:
        unknown = wanted - {i.code for i in area.items}
        if unknown:
            raise ValidationError(f"领域“{area.name}”中没有事项：{'、'.join(sorted(unknown))}")
    have = set(CatalogItem.objects.filter(organisation=organisation).values_list("code", flat=True))
    created = []
    for order, item in enumerate(area.items, 1):
        if (wanted is not None and item.code not in wanted) or item.code in have:
            continue
        created.append(
            CatalogItem(
                organisation=organisation,
                area_code=area.code,
                area_name=area.name,
                code=item.code,
                source_code=item.code,
                source_version=area.version,
                sort_order=order,
                manual=list(item.manual),
                **item.fields(),
            )
        )
    CatalogItem.objects.bulk_create(created)
    if created:
        record(
            organisation,
            "zwgk.catalog.adopt",
            user=user,
            data={"area": area.code, "version": area.version, "items": [i.code for i in created]},
        )
    return created


def _next_local_code(organisation, area_code: str) -> str:
    codes = CatalogItem.objects.filter(organisation=organisation, code__startswith=f"{area_code}-L")
    numbers = [
        int(c[len(area_code) + 2 :])
        for c in codes.values_list("code", flat=True)
        if c[len(area_code) + 2 :].isdigit()
    ]
    return f"{area_code}-L{max(numbers, default=0) + 1:02d}"


@transaction.atomic
def add_local_item(organisation, *, user=None, area_code: str, area_name: str = "", **fields) -> CatalogItem:
    """本机关增加的事项: under an adopted or standard area (or a local one with its own name), coded `NN-Lnn`."""
    _check(user, organisation)
    area = standards.area(area_code)
    name = area.name if area else area_name.strip()
    if not name:
        raise ValidationError("请填写领域名称。")
    order = CatalogItem.objects.filter(organisation=organisation, area_code=area_code).aggregate(
        n=Max("sort_order")
    )["n"]
    item = CatalogItem(
        organisation=organisation,
        area_code=area_code,
        area_name=name,
        code=_next_local_code(organisation, area_code),
        sort_order=(order or 0) + 1,
        **{k: v for k, v in fields.items() if k in standards.ITEM_FIELDS or k == "update_cycle_days"},
    )
    item.full_clean(exclude=["columns"])
    item.save()
    record(item, "zwgk.catalog.item.add", user=user, data={"code": item.code, "title": item.title})
    return item


EDITABLE = (*standards.ITEM_FIELDS, "update_cycle_days")


@transaction.atomic
def update_item(item: CatalogItem, *, user=None, confirm=(), **changes) -> CatalogItem:
    """Edit an item's fields. A field the organ changes, or confirms (`confirm`) against its local
    标准指引, is its own verified text from then on: its [M] flag goes."""
    _check(user, item.organisation)
    item = CatalogItem.objects.select_for_update().get(pk=item.pk)
    old, new = {}, {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValidationError(f"不能修改字段：{name}")
        if getattr(item, name) != value:
            old[name], new[name] = getattr(item, name), value
            setattr(item, name, value)
    verified = [n for n in item.manual or [] if n in old or n in confirm]
    if not old and not verified:
        return item
    item.manual = [n for n in item.manual if n not in verified]
    item.full_clean(exclude=["columns"])
    item.save()
    record(item, "zwgk.catalog.item.change", user=user, data={"old": old, "new": new, "verified": verified})
    return item


def organ_sites(organisation: Organisation) -> list:
    """The sites an organ publishes on: those run by the organ or by an organ under it (网站主办机关); for an
    organ without a site of its own (乡镇、街道 and 县级部门 in principle open none and publish on the portal
    above, 国办发〔2017〕47号) the site of the nearest organ above it; failing both, the sites that name no
    organ."""
    run_by = []
    for site in Site.objects.select_related("root_page").order_by("hostname", "port"):
        organ = site_organisation(site)
        run_by.append((site, organ.path if organ else None))
    own = [site for site, path in run_by if path and path.startswith(organisation.path)]
    if own:
        return own
    above = [(len(path), site) for site, path in run_by if path and organisation.path.startswith(path)]
    if above:
        longest = max(length for length, _ in above)
        return [site for length, site in above if length == longest]
    return [site for site, path in run_by if path is None]


def organ_columns(organisation: Organisation):
    """The 栏目 an organ may bind its 标准目录 items to: the columns of its own sites (`organ_sites`)."""
    sites = organ_sites(organisation)
    if not sites:
        return ColumnPage.objects.none()
    return ColumnPage.objects.filter(reduce(or_, (under(site.root_page) for site in sites))).order_by("path")


@transaction.atomic
def bind_item(item: CatalogItem, *, user=None, columns=(), categories=()) -> CatalogItem:
    """Bind the item to the columns (栏目) and 法定主动公开内容 categories where its content is published;
    only columns of the organ's own sites (`organ_columns`)."""
    _check(user, item.organisation)
    allowed = set(
        organ_columns(item.organisation).filter(pk__in=[c.pk for c in columns]).values_list("pk", flat=True)
    )
    foreign = [c.title for c in columns if c.pk not in allowed]
    if foreign:
        raise ValidationError(f"只能绑定本机关网站的栏目，以下栏目不属于本机关网站：{'、'.join(foreign)}")
    categories = [c for c in dict.fromkeys(categories)]
    bad = [c for c in categories if c not in StatutoryCategory.values]
    if bad:
        raise ValidationError(f"无效的法定主动公开内容类别：{'、'.join(bad)}")
    old_columns = sorted(item.columns.values_list("pk", flat=True))
    new_columns = sorted({c.pk for c in columns})
    old = {"columns": old_columns, "categories": item.categories}
    new = {"columns": new_columns, "categories": categories}
    if old == new:
        return item
    item.columns.set(new_columns)
    item.categories = categories
    item.save(update_fields=["categories", "updated_at"])
    record(item, "zwgk.catalog.item.bind", user=user, data={"old": old, "new": new})
    return item


@transaction.atomic
def remove_item(item: CatalogItem, *, user=None) -> None:
    """Take an item out of the organ's 标准目录 (未涉及的事项); the entry stays in the organ's history."""
    _check(user, item.organisation)
    record(
        item.organisation,
        "zwgk.catalog.item.remove",
        user=user,
        data={"code": item.code, "title": item.title},
    )
    item.delete()
