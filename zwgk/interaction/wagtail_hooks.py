from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from zwgk.core.scoping import can_act_for, scope_for

from . import admin_views
from .dashboard import DueMessagesPanel
from .models import Box, MessageEvent, ReplyTemplate
from .permissions import can


@hooks.register("register_log_actions")
def register_message_actions(actions):
    for kind, label in MessageEvent.LABELS.items():
        actions.register_action(f"zwgk.message.{kind}", f"留言：{label}", f"留言：{label}")


@hooks.register("register_admin_urls")
def interaction_urls():
    return [
        path("interaction/", admin_views.workbench, name="interaction_admin"),
        path("interaction/new/", admin_views.register, name="interaction_admin_register"),
        path("interaction/bulk-reply/", admin_views.bulk_reply, name="interaction_admin_bulk_reply"),
        path("interaction/stats/", admin_views.stats_view, name="interaction_admin_stats"),
        path("interaction/<int:pk>/", admin_views.detail, name="interaction_admin_detail"),
        path(
            "interaction/<int:pk>/action/<str:name>/",
            admin_views.action_view,
            name="interaction_admin_action",
        ),
    ]


class ViewMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, "view")


@hooks.register("register_admin_menu_item")
def interaction_menu():
    return ViewMenuItem("留言办理", reverse("interaction_admin"), icon_name="comment", order=207)


@hooks.register("register_admin_menu_item")
def interaction_stats_menu():
    return ViewMenuItem("留言统计", reverse("interaction_admin_stats"), icon_name="table", order=209)


class BoxPolicy(ModelPermissionPolicy):
    """A 管理员 configures the boxes of their organ subtree only."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(user, actions, instance) and can_act_for(
            user, instance.organisation
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return (
            super()
            .instances_user_has_any_permission_for(user, actions)
            .filter(organisation__in=scope_for(user))
        )


class BoxIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(organisation__in=scope_for(self.request.user))


class InScopeBoxMixin:
    """Another organ's box answers 403 before its edit or delete view shows anything of it."""

    def get_object(self, *args, **kwargs):
        box = super().get_object(*args, **kwargs)
        if not can_act_for(self.request.user, box.organisation):
            raise PermissionDenied("该信箱属于其他机关，您无权查看或修改。")
        return box


def _in_scope(view_class):
    return type(f"InScope{view_class.__name__}", (InScopeBoxMixin, view_class), {})


class BoxForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = scope_for(self.for_user)


class BoxViewSet(ModelViewSet):
    model = Box
    icon = "mail"
    menu_label = "信箱设置"
    index_view_class = BoxIndexView
    edit_view_class = _in_scope(generic.EditView)
    delete_view_class = _in_scope(generic.DeleteView)
    copy_view_class = _in_scope(generic.CopyView)
    inspect_view_class = _in_scope(generic.InspectView)
    list_display = ["name", "organisation", "kind", "reply_days", "publish_replies", "active"]
    list_filter = ["kind", "active"]
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "organisation",
                "kind",
                "name",
                "intro",
                "reply_days",
                "publish_replies",
                "leader_email",
                "active",
                "sort_order",
            )
        ],
        base_form_class=BoxForm,
    )


class ReplyTemplateViewSet(ModelViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = "答复模板"
    list_display = ["title"]
    form_fields = ["title", "body"]


class InteractionGroup(ViewSetGroup):
    menu_label = "互动交流设置"
    menu_icon = "comment"
    menu_order = 208
    items = (BoxViewSet, ReplyTemplateViewSet)


register_permission_policy(Box, BoxPolicy(Box))


@hooks.register("register_admin_viewset")
def register_interaction_viewsets():
    return InteractionGroup()


@hooks.register("construct_homepage_panels")
def add_due_messages_panel(request, panels):
    panels.append(DueMessagesPanel())
