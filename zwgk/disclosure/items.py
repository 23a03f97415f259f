"""The item types (信息: 文章, 政策文件, 政策解读) and every published item.

By name through the app registry, so that the modules models.py itself imports (catalog, library,
workflow) read them without importing models.py; models.ITEM_TYPES is built from the same names.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, get_page_models

ITEM_TYPE_NAMES = ("ArticlePage", "PolicyDocumentPage", "InterpretationPage")


def item_types(*, loading: bool = False) -> tuple:
    """The item models, in ITEM_TYPE_NAMES order (`loading`: while models.py itself is being imported)."""
    return tuple(apps.get_model("disclosure", name, require_ready=not loading) for name in ITEM_TYPE_NAMES)


def live_items():
    """Every published disclosure item, newest first (any item type)."""
    return Page.objects.live().type(*item_types()).order_by("-first_published_at", "-id")


def live_child_item_count(parent: Page) -> int:
    """How many live items `parent` has among its children, exactly, without reading one row per item.

    Wagtail (treebeard) keeps `numchild` on every add, move and delete: the children of any type, live or
    not. Taking away the children that are not live (an index holds only those: drafts and withdrawn
    items) and the live children that are not items (a column's sub-columns and information pages, found
    by an index on the content type) leaves the live items. Three reads of a few index rows each, where
    counting a 100,000-item column reads 100,000 (30-55 ms on PostgreSQL). Migration disclosure 0005
    makes the two indexes."""
    numchild = Page.objects.filter(pk=parent.pk).values_list("numchild", flat=True).first() or 0
    children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    not_live = children.filter(live=False).count()
    others = children.filter(live=True, content_type_id__in=_other_page_type_ids()).count()
    return numchild - not_live - others


def _other_page_type_ids() -> list[int]:
    """The content types of every page model that is not an item (the root Page included)."""
    items = item_types()
    others = [model for model in (Page, *get_page_models()) if not issubclass(model, items)]
    types = ContentType.objects.get_for_models(*others, for_concrete_models=False)
    return sorted({content_type.pk for content_type in types.values()})
