"""Back office of monitoring: audit actions, the 网站监测 menu, the 新媒体 register and the dashboard warnings."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from zwgk.core.roles import ADMINISTRATOR, ALL_ROLES, INFORMANT, has_any_role
from zwgk.core.scoping import can_act_for, scope_for

from . import admin_views, services
from .dashboard import MonitoringWarningsPanel
from .models import NewMediaAccount

AUDIT_ACTIONS = {
    "zwgk.monitoring.tampering_found": "发现网页被篡改或暗链",
    "zwgk.monitoring.tampering_resolved": "网页篡改已处置",
    "zwgk.newmedia.create": "登记政务新媒体账号",
    "zwgk.newmedia.change": "修改政务新媒体账号",
    "zwgk.newmedia.close": "注销政务新媒体账号",
    "zwgk.newmedia.import": "导入新媒体发布记录",
    "zwgk.website_report.fill": "生成政府网站工作年度报表",
    "zwgk.website_report.review": "审核政府网站工作年度报表",
    "zwgk.website_report.publish": "发布政府网站工作年度报表",
    "zwgk.export.monitoring_report": "导出网站自查报告",
    "zwgk.export.website_annual_report": "导出政府网站工作年度报表",
}
REGISTER_ROLES = (ADMINISTRATOR, INFORMANT)


@hooks.register("register_log_actions")
def register_monitoring_actions(actions):
    for name, label in AUDIT_ACTIONS.items():
        actions.register_action(name, label, label)


class AccountPolicy(BasePermissionPolicy):
    """信息员 and 管理员 keep the register of their organ subtree; accounts are 注销, never deleted."""

    def user_has_permission(self, user, action):
        return action in ("add", "change", "view") and has_any_role(user, REGISTER_ROLES)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_act_for(user, instance.organisation)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return NewMediaAccount.objects.none()
        return NewMediaAccount.objects.filter(organisation__in=scope_for(user))

    def users_with_permission(self, action):
        if action not in ("add", "change", "view"):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, groups__name__in=REGISTER_ROLES).distinct()


register_permission_policy(NewMediaAccount, AccountPolicy(NewMediaAccount))


class AccountForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = scope_for(self.for_user)


class AccountIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(organisation__in=scope_for(self.request.user))


class AccountCreateView(generic.CreateView):
    def save_instance(self):
        return services.save_account(self.form.instance, user=self.request.user)


class AccountEditView(generic.EditView):
    def get_object(self, queryset=None):
        account = super().get_object(queryset)
        if not can_act_for(self.request.user, account.organisation):
            raise Http404
        return account

    def save_instance(self):
        return services.save_account(self.form.instance, user=self.request.user)


class AccountViewSet(ModelViewSet):
    model = NewMediaAccount
    icon = "mobile-alt"
    menu_label = "政务新媒体账号"
    menu_order = 231
    add_to_admin_menu = True
    url_prefix = "monitoring/newmedia"
    index_view_class = AccountIndexView
    add_view_class = AccountCreateView
    edit_view_class = AccountEditView
    list_display = ["name", "platform", "account_id", "organisation", "status"]
    list_filter = ["platform", "status"]
    search_fields = ["name", "account_id", "sponsor"]
    edit_handler = ObjectList(
        [
            FieldPanel("organisation"),
            FieldRowPanel([FieldPanel("platform"), FieldPanel("account_id")]),
            FieldPanel("name"),
            FieldPanel("sponsor"),
            FieldPanel("url"),
            FieldRowPanel([FieldPanel("offers_interaction"), FieldPanel("last_interaction_reply")]),
            FieldPanel("opened_on"),
        ],
        base_form_class=AccountForm,
    )


@hooks.register("register_admin_viewset")
def register_account_viewset():
    return AccountViewSet("monitoring_newmedia")


@hooks.register("register_admin_urls")
def monitoring_urls():
    return [
        path("monitoring/", admin_views.overview_view, name="monitoring_overview"),
        path("monitoring/site/<int:site_id>/", admin_views.site_view, name="monitoring_site"),
        path(
            "monitoring/site/<int:site_id>/selfcheck/",
            admin_views.selfcheck_download,
            name="monitoring_selfcheck",
        ),
        path("monitoring/site/<int:site_id>/annual/", admin_views.annual_view, name="monitoring_annual"),
        path(
            "monitoring/site/<int:site_id>/tampering/<int:finding_id>/resolve/",
            admin_views.resolve_tampering_view,
            name="monitoring_resolve_tampering",
        ),
        path("monitoring/newmedia/import/", admin_views.import_posts_view, name="monitoring_import_posts"),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return has_any_role(request.user, ALL_ROLES)


@hooks.register("register_admin_menu_item")
def monitoring_menu():
    return StaffMenuItem("网站监测", reverse("monitoring_overview"), icon_name="warning", order=230)


class NewMediaClerkMenuItem(MenuItem):
    """The accounts' 信息员 and the 管理员 keep their publishing records; reviewers have no use for it."""

    def is_shown(self, request):
        return has_any_role(request.user, (INFORMANT, ADMINISTRATOR))


@hooks.register("register_admin_menu_item")
def import_posts_menu():
    return NewMediaClerkMenuItem(
        "导入新媒体发布记录", reverse("monitoring_import_posts"), icon_name="upload", order=232
    )


@hooks.register("construct_homepage_panels")
def add_monitoring_panel(request, panels):
    panels.append(MonitoringWarningsPanel())
