"""信息公开目录 and 法定主动公开内容 queries."""

from collections import Counter

from django.db.models import Count, Q

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


def _live_counts(by: str, **lookup) -> Counter:
    """How many live items match `lookup`, per value of the item field `by`, without joining each item
    to its page: every item table's matching rows (an index-only read of its catalogue index, migration
    disclosure 0005) less those whose page is not live (the few drafts and withdrawn items, from the
    partial index of the pages that are not live)."""
    counts = Counter()
    for model in item_types():
        matching = model.objects.filter(**lookup).order_by()
        for rows, sign in ((matching, 1), (matching.filter(live=False), -1)):
            for value, number in rows.values_list(by).annotate(number=Count("*")):
                counts[value] += sign * number
    return counts


def _within(organ_path: str) -> dict:
    """The item lookup for one organ's subtree ("" : every organ)."""
    return {"organisation__path__startswith": organ_path} if organ_path else {}


def organisation_items(organisation):
    """Published items whose 发布机构 is `organisation`, newest first."""
    return _items_where(organisation=organisation)


def organisation_item_count(organisation) -> int:
    """len(organisation_items(organisation)), from the item tables' indexes."""
    return _live_counts("organisation_id", organisation=organisation)[organisation.pk]


def category_items(code, organ_path: str = ""):
    """Published items of one 法定主动公开内容 category (条例 Art. 20), newest first; with `organ_path`,
    only the items of that organ's subtree (a department's own site)."""
    return _items_where(statutory_category=code, **_within(organ_path))


def category_counts(organ_path: str = "") -> Counter:
    """{category: len(category_items(category, organ_path))} for every category at once (the 法定主动公开内容
    page)."""
    return _live_counts("statutory_category", **_within(organ_path))


def category_count(code: str, organ_path: str = "") -> int:
    """len(category_items(code, organ_path)) (a category's list: reads that category's index entries only)."""
    return _live_counts("statutory_category", statutory_category=code, **_within(organ_path))[code]


def organ_profiles(index_page) -> list:
    """条例 Art. 20(二) (机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名) is each organ's 机构概况,
    kept on its record and shown on its 信息公开目录 page: the organs of the site that have filled it in."""
    return list(index_page.site_organisations().exclude(functions="").order_by("path"))


def statutory_sections(index_page, per_section=5):
    """[(category, latest items, total, organs' 机构概况)] for the 15 categories of 条例 Art. 20, on the
    index page's site; the 机构概况 only for (二), where they count with the items."""
    organ_path = index_page.site_organ_path()
    counts = category_counts(organ_path)
    sections = []
    for category in StatutoryCategory:
        items = category_items(category.value, organ_path)
        profiles = organ_profiles(index_page) if category == StatutoryCategory.C02 else []
        latest = list(items.specific()[:per_section]) if counts[category.value] else []
        sections.append((category, latest, counts[category.value] + len(profiles), profiles))
    return sections
