from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from zwgk.core.scoping import can_act_for, scope_for

from . import admin_views, ledger_export, ledger_upload
from .dashboard import ApplicantPeriodsPanel, DueApplicationsPanel, ProactiveCandidatesPanel
from .models import (
    AppealRecord,
    Application,
    ApplicationEvent,
    LetterTemplate,
    NoticeTemplate,
    OrganSettings,
)
from .permissions import TABLE, has_any_role


@hooks.register("register_log_actions")
def register_application_actions(actions):
    for kind, label in ApplicationEvent.LABELS.items():
        actions.register_action(f"zwgk.application.{kind}", label, label)
    actions.register_action("zwgk.application.draft_saved", "保存答复草稿", "保存答复草稿")
    actions.register_action(
        "zwgk.application.information_item", "填写所申请信息（归并名称）", "填写所申请信息（归并名称）"
    )


@hooks.register("register_admin_urls")
def application_urls():
    return [
        path("applications/", admin_views.workbench, name="applications_admin"),
        path("applications/new/", admin_views.register_page, name="applications_admin_register"),
        path("applications/ledger/", ledger_upload.upload, name="applications_ledger_upload"),
        path("applications/ledger/confirm/", ledger_upload.confirm, name="applications_ledger_confirm"),
        path("applications/ledger/export/", ledger_export.export, name="applications_ledger_export"),
        path("applications/<int:pk>/", admin_views.detail, name="applications_admin_detail"),
        path(
            "applications/<int:pk>/action/<str:name>/",
            admin_views.action_view,
            name="applications_admin_action",
        ),
        path(
            "applications/letter/<int:event_id>/<str:format_>/",
            admin_views.letter,
            name="applications_admin_letter",
        ),
    ]


@hooks.register("register_admin_menu_item")
def applications_menu():
    class ApplicationsMenuItem(MenuItem):
        def is_shown(self, request):
            return has_any_role(request.user, TABLE["view"][1])

    return ApplicationsMenuItem("依申请公开", reverse("applications_admin"), icon_name="mail", order=205)


class LetterTemplateViewSet(ModelViewSet):
    """答复告知书 templates, editable by 管理员 (letters already issued never change)."""

    model = LetterTemplate
    icon = "doc-full"
    menu_label = "答复告知书模板"
    list_display = ["result_kind", "title"]
    form_fields = ["result_kind", "title", "body"]


class NoticeTemplateViewSet(ModelViewSet):
    """补正、延期、征求意见、收费、转送 notices per organ (the default has no organ), editable by 管理员."""

    model = NoticeTemplate
    icon = "doc-full"
    menu_label = "告知书和函件模板"
    list_display = ["kind", "organisation", "title"]
    list_filter = ["kind"]
    form_fields = ["kind", "organisation", "title", "body"]


class OrganSettingsViewSet(ModelViewSet):
    """Which organs receive applications (条例第二十七条) and each organ's 补正 period."""

    model = OrganSettings
    icon = "cog"
    menu_label = "依申请公开机关设置"
    list_display = ["organisation", "accepts_applications", "supplement_days"]
    form_fields = ["organisation", "accepts_applications", "supplement_days"]


class AppealRecordPolicy(ModelPermissionPolicy):
    """A 管理员 keeps the appeals of their organ subtree's applications only (a township's never sees the county's)."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(user, actions, instance) and can_act_for(
            user, instance.application.organisation
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return (
            super()
            .instances_user_has_any_permission_for(user, actions)
            .filter(application__organisation__in=scope_for(user))
        )


class AppealRecordIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(application__organisation__in=scope_for(self.request.user))


class InScopeObjectMixin:
    """A record of another organ's application answers 403 before its view shows anything of it."""

    def get_object(self, *args, **kwargs):
        record = super().get_object(*args, **kwargs)
        if not can_act_for(self.request.user, record.application.organisation):
            raise PermissionDenied("该记录属于其他机关，您无权查看或操作。")
        return record


def _in_scope(view_class):
    return type(f"InScope{view_class.__name__}", (InScopeObjectMixin, view_class), {})


class AppealRecordForm(WagtailAdminModelForm):
    """The application chooser offers only applications of the user's organ subtree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "application" in self.fields:
            self.fields["application"].queryset = Application.objects.filter(
                organisation__in=scope_for(self.for_user)
            )


class AppealRecordViewSet(ModelViewSet):
    model = AppealRecord
    index_view_class = AppealRecordIndexView
    edit_view_class = _in_scope(generic.EditView)
    delete_view_class = _in_scope(generic.DeleteView)
    copy_view_class = _in_scope(generic.CopyView)
    inspect_view_class = _in_scope(generic.InspectView)
    history_view_class = _in_scope(HistoryView)
    usage_view_class = _in_scope(UsageView)
    icon = "warning"
    menu_label = "行政复议和行政诉讼"
    list_display = ["application", "kind", "after_review", "filed_on", "outcome", "decided_on"]
    list_filter = ["kind", "outcome"]
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in ("application", "kind", "after_review", "filed_on", "outcome", "decided_on")
        ],
        base_form_class=AppealRecordForm,
    )


class ApplicationsGroup(ViewSetGroup):
    menu_label = "依申请公开设置"
    menu_icon = "mail"
    menu_order = 206
    items = (LetterTemplateViewSet, NoticeTemplateViewSet, OrganSettingsViewSet, AppealRecordViewSet)


register_permission_policy(AppealRecord, AppealRecordPolicy(AppealRecord))


@hooks.register("register_admin_viewset")
def register_application_viewsets():
    return ApplicationsGroup()


@hooks.register("construct_homepage_panels")
def add_due_applications_panel(request, panels):
    panels.extend([DueApplicationsPanel(), ApplicantPeriodsPanel(), ProactiveCandidatesPanel()])
