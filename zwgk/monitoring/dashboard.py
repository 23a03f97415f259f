"""工作台: 19号 warnings of the user's sites and 新媒体 accounts (50 % / 80 % of each threshold, and failures)."""

from django.urls import reverse

from zwgk.core.dashboard import TodoPanel
from zwgk.core.roles import ALL_ROLES, has_any_role
from zwgk.core.scoping import scope_for

from .sites import sites_for
from .warnings import warnings_for


class MonitoringWarningsPanel(TodoPanel):
    heading = "网站与新媒体监测预警"
    panel_id = "zwgk-todo-monitoring"
    body_template = "monitoring/dashboard/warnings.html"
    icon = "warning"
    full_label = "打开网站监测"
    order = 105

    def is_shown(self, user):
        return has_any_role(user, ALL_ROLES)

    def items(self, request):
        rows = warnings_for(sites_for(request.user), scope_for(request.user))
        return len(rows), rows

    def full_url(self, request):
        return reverse("monitoring_overview")
