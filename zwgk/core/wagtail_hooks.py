"""Back office for organisations, staff and the working-day calendar."""

import datetime as dt

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import job_views, jobs, workdays
from .audit import AUDIT_ACTIONS
from .help import clerk_guide, guide_image
from .models import CalendarDay, CalendarYear, Organisation, StaffProfile


@hooks.register("register_log_actions")
def register_zwgk_actions(actions):
    for name, label in {**AUDIT_ACTIONS, **jobs.AUDIT_ACTIONS}.items():
        actions.register_action(name, label, label)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = "机关"
    list_display = ["name", "short_name", "kind", "credit_code", "site_code"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "credit_code"]
    form_fields = [
        "parent",
        "kind",
        "name",
        "short_name",
        "slug",
        "credit_code",
        "site_code",
        "doc_prefix",
        "functions",
        "structure",
        "address",
        "office_hours",
        "phone",
        "fax",
        "email",
        "head_name",
        "sort_order",
    ]


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = "工作人员所属机关"
    list_display = [Column("user", label="工作人员"), "organisation"]
    form_fields = ["user", "organisation", "phone"]


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    icon = "date"
    menu_label = "年度节假日安排"
    list_display = ["year", "notice", "published_on"]
    form_fields = ["year", "notice", "published_on"]


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "calendar"
    menu_label = "节假日/调休日"
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    form_fields = ["date", "kind", "name"]


class CoreViewSetGroup(ViewSetGroup):
    menu_label = "机关与日历"
    menu_icon = "site"
    menu_order = 250
    items = (OrganisationViewSet, StaffProfileViewSet, CalendarYearViewSet, CalendarDayViewSet)


@hooks.register("register_admin_viewset")
def register_core_viewsets():
    return CoreViewSetGroup()


class CalendarWarningPanel(Component):
    """Tells staff on the dashboard that a year's holiday schedule is missing (spec §8.4)."""

    order = 10

    def __init__(self, can_enter: bool):
        self.can_enter = can_enter

    def render_html(self, parent_context=None):
        years = workdays.unofficial_years(dt.date.today())
        if not years:
            return ""
        missing = "、".join(str(y) for y in years)
        if (
            not self.can_enter
        ):  # staff who cannot enter it are told who does, not sent to a page they may not open
            return format_html(
                '<section class="panel help-block help-warning" role="alert"><p>'
                "{}年的法定节假日安排尚未录入：期限暂按周一至周五计算，相关期限均标为“暂定”。"
                "国务院办公厅发布通知后，请管理员录入。</p></section>",
                missing,
            )
        return format_html(
            '<section class="panel help-block help-warning" role="alert"><p>'
            "{}年的法定节假日安排尚未录入：期限暂按周一至周五计算，相关期限均标为“暂定”。"
            '请在国务院办公厅发布通知后于<a href="{}">年度节假日安排</a>录入。</p></section>',
            missing,
            reverse("calendaryear:index"),
        )


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    panels.insert(0, CalendarWarningPanel(request.user.has_perm("core.add_calendaryear")))


# --- branding and 帮助 ---------------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_help_urls():
    return [
        path("help/guide/", clerk_guide, name="zwgk_clerk_guide"),
        path("help/guide/screenshots/<str:name>", guide_image, name="zwgk_clerk_guide_image"),
    ]


@hooks.register("insert_global_admin_css")
def branding_css():
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin.css"))


@hooks.register("register_help_menu_item")
def clerk_guide_menu_item():
    return MenuItem(
        "工作人员手册", reverse("zwgk_clerk_guide"), name="zwgk-guide", icon_name="doc-full", order=100
    )


# Wagtail's own help entries point to wagtail.org in English; the guide above replaces them.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def drop_wagtail_help_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


# --- 后台任务 (core/jobs.py): long work started from the back office ------------------------------------


@hooks.register("register_admin_urls")
def register_job_urls():
    return [
        path("jobs/", job_views.index, name="zwgk_jobs"),
        path("jobs/start/<slug:code>/", job_views.start, name="zwgk_job_start"),
        path("jobs/<int:pk>/", job_views.detail, name="zwgk_job"),
        path("jobs/<int:pk>/status/", job_views.status, name="zwgk_job_status"),
    ]


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(jobs.kinds_for(request.user))


@hooks.register("register_settings_menu_item")
def jobs_menu_item():
    return JobsMenuItem("后台任务", reverse("zwgk_jobs"), name="zwgk-jobs", icon_name="cogs", order=50)
