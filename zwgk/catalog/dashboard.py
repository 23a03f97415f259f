"""工作台: 标准目录 items 应公开未公开 (bound to nothing live, or overdue) in the user's organ subtree."""

from django.urls import reverse

from zwgk.core.dashboard import TodoPanel
from zwgk.core.roles import ADMINISTRATOR, INFORMANT, has_any_role
from zwgk.core.scoping import scope_for

from .coverage import organ_coverage, organs_with_catalog

MAX_ORGANS = 50  # a dashboard looks at the first 50 organs of the subtree; the full list is one click away


def items_to_fix(user) -> list[tuple]:
    """(organ, coverage of one item) for each item to fix, missing before overdue, organ by organ."""
    rows = []
    for organ in organs_with_catalog(scope_for(user))[:MAX_ORGANS]:
        rows.extend((organ, c) for c in organ_coverage(organ).to_fix)
    return rows


class CatalogCoveragePanel(TodoPanel):
    heading = "标准目录：应公开未公开的事项"
    panel_id = "zwgk-todo-catalog"
    body_template = "catalog/dashboard/to_fix.html"
    icon = "list-ul"
    full_label = "打开标准目录"
    order = 120

    def is_shown(self, user):
        return has_any_role(user, (ADMINISTRATOR, INFORMANT))

    def items(self, request):
        rows = items_to_fix(request.user)
        return len(rows), rows

    def full_url(self, request):
        return reverse("catalog_admin") + "?status=missing"
