"""The 工作台 to-do panels: one base component, each app's panel lives in that app.

Every panel is scoped to the user's organ subtree (`zwgk.core.scoping`) and shown only to the roles whose
work it lists; it carries its count in the heading, an empty state (暂无待办), at most `limit` rows and a
link to the full list.
"""

from wagtail.admin.ui.components import Component

TODO_LIMIT = 10


class TodoPanel(Component):
    """A to-do list on the dashboard. Subclasses set `heading`, `panel_id`, `body_template` and
    implement `is_shown(user)`, `items(request) -> (total, rows)` and `full_url(request)`."""

    template_name = "core/dashboard/todo_panel.html"
    body_template = ""
    heading = ""
    panel_id = ""
    icon = "tasks"
    full_label = "查看全部"
    limit = TODO_LIMIT
    order = 100

    def is_shown(self, user) -> bool:
        raise NotImplementedError

    def items(self, request) -> tuple[int, list]:
        raise NotImplementedError

    def full_url(self, request) -> str:
        raise NotImplementedError

    def render_html(self, parent_context=None):
        request = parent_context["request"] if parent_context else None
        if request is None or not self.is_shown(request.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        request = parent_context["request"]
        total, rows = self.items(request)
        return {
            "request": request,
            "panel_id": self.panel_id,
            "heading": f"{self.heading}（{total}）",
            "icon": self.icon,
            "total": total,
            "rows": rows[: self.limit],
            "more": max(total - self.limit, 0),
            "body_template": self.body_template,
            "full_url": self.full_url(request),
            "full_label": self.full_label,
            **self.extra_context(request),
        }

    def extra_context(self, request) -> dict:
        return {}
