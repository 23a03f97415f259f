from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import AppealRecord, ApplicationEvent, LetterTemplate


@hooks.register("register_log_actions")
def register_application_actions(actions):
    for kind, label in ApplicationEvent.LABELS.items():
        actions.register_action(f"zwgk.application.{kind}", label, label)
    actions.register_action("zwgk.application.draft_saved", "保存答复草稿", "保存答复草稿")


@hooks.register("register_admin_urls")
def application_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("applications/", admin_views.workbench, name="applications_admin"),
        path("applications/new/", admin_views.register, name="applications_admin_register"),
        path("applications/<int:pk>/", admin_views.detail, name="applications_admin_detail"),
        path(
            "applications/letter/<int:event_id>/<str:format_>/",
            admin_views.letter,
            name="applications_admin_letter",
        ),
    ]


@hooks.register("register_admin_menu_item")
def applications_menu():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from .permissions import TABLE, has_any_role

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


class AppealRecordViewSet(ModelViewSet):
    model = AppealRecord
    icon = "warning"
    menu_label = "行政复议和行政诉讼"
    list_display = ["application", "kind", "after_review", "filed_on", "outcome", "decided_on"]
    list_filter = ["kind", "outcome"]
    form_fields = ["application", "kind", "after_review", "filed_on", "outcome", "decided_on"]


class ApplicationsGroup(ViewSetGroup):
    menu_label = "依申请公开设置"
    menu_icon = "mail"
    menu_order = 206
    items = (LetterTemplateViewSet, AppealRecordViewSet)


@hooks.register("register_admin_viewset")
def register_application_viewsets():
    return ApplicationsGroup()
