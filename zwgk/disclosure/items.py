"""The item types (信息: 文章, 政策文件, 政策解读) and every published item.

By name through the app registry, so that the modules models.py itself imports (catalog, library,
workflow) read them without importing models.py; models.ITEM_TYPES is built from the same names.
"""

from django.apps import apps
from wagtail.models import Page

ITEM_TYPE_NAMES = ("ArticlePage", "PolicyDocumentPage", "InterpretationPage")


def item_types(*, loading: bool = False) -> tuple:
    """The item models, in ITEM_TYPE_NAMES order (`loading`: while models.py itself is being imported)."""
    return tuple(apps.get_model("disclosure", name, require_ready=not loading) for name in ITEM_TYPE_NAMES)


def live_items():
    """Every published disclosure item, newest first (any item type)."""
    return Page.objects.live().type(*item_types()).order_by("-first_published_at", "-id")
