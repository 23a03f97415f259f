"""信息公开目录 and 法定主动公开内容 queries."""

from django.db.models import Q

from .vocab import StatutoryCategory


def organisation_items(organisation):
    """Published items whose 发布机构 is `organisation`, newest first."""
    from .models import live_items

    return live_items().filter(
        Q(articlepage__organisation=organisation)
        | Q(policydocumentpage__organisation=organisation)
        | Q(interpretationpage__organisation=organisation)
    )


def category_items(code):
    from .models import live_items

    return live_items().filter(
        Q(articlepage__statutory_category=code)
        | Q(policydocumentpage__statutory_category=code)
        | Q(interpretationpage__statutory_category=code)
    )


def statutory_sections(index_page, per_section=5):
    """[(category, latest items, total)] for the 15 categories of 条例 Art. 20."""
    sections = []
    for category in StatutoryCategory:
        items = category_items(category.value)
        sections.append((category, list(items.specific()[:per_section]), _count(items)))
    return sections


def _count(queryset):
    from zwgk.portal.cache import remember

    return remember(f"count:{queryset.query}", queryset.count)
