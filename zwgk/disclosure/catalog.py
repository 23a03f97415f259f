"""信息公开目录 and 法定主动公开内容 queries."""

from django.db.models import Q

from zwgk.core.cache import remember

from .items import item_types, live_items
from .vocab import StatutoryCategory


def _items_where(**lookup):
    """Live items of any type matching `lookup` on the item tables, newest first.

    `id IN (…)` per item table (each served by its own index) instead of an OR across three LEFT
    JOINs, which made the database join all 450,000 items before filtering.
    """
    condition = Q()
    for model in item_types():
        condition |= Q(id__in=model.objects.filter(**lookup).values("page_ptr_id"))
    return live_items().filter(condition)


def organisation_items(organisation):
    """Published items whose 发布机构 is `organisation`, newest first."""
    return _items_where(organisation=organisation)


def category_items(code, organ_path: str = ""):
    """Published items of one 法定主动公开内容 category (条例 Art. 20), newest first; with `organ_path`,
    only the items of that organ's subtree (a department's own site)."""
    if organ_path:
        return _items_where(statutory_category=code, organisation__path__startswith=organ_path)
    return _items_where(statutory_category=code)


def organ_profiles(index_page) -> list:
    """条例 Art. 20(二) (机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名) is each organ's 机构概况,
    kept on its record and shown on its 信息公开目录 page: the organs of the site that have filled it in."""
    return list(index_page.site_organisations().exclude(functions="").order_by("path"))


def statutory_sections(index_page, per_section=5):
    """[(category, latest items, total, organs' 机构概况)] for the 15 categories of 条例 Art. 20, on the
    index page's site; the 机构概况 only for (二), where they count with the items."""
    organ_path = index_page.site_organ_path()
    sections = []
    for category in StatutoryCategory:
        items = category_items(category.value, organ_path)
        profiles = organ_profiles(index_page) if category == StatutoryCategory.C02 else []
        sections.append(
            (category, list(items.specific()[:per_section]), _count(items) + len(profiles), profiles)
        )
    return sections


def _count(queryset):
    return remember(f"count:{queryset.query}", queryset.count)
