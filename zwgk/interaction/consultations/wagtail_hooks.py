from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .dashboard import EndedWithoutFeedbackPanel
from .permissions import can
from .services import AUDIT_ACTIONS


@hooks.register("register_log_actions")
def register_consultation_actions(actions):
    for name, label in AUDIT_ACTIONS.items():
        actions.register_action(name, label, label)


@hooks.register("register_admin_urls")
def consultation_urls():
    return [
        path("consultations/", admin_views.index, name="consultations_admin"),
        path(
            "consultations/ended/", admin_views.ended_without_feedback_list, name="consultations_admin_ended"
        ),
        path("consultations/new/", admin_views.edit, name="consultations_admin_new"),
        path("consultations/<int:pk>/", admin_views.detail, name="consultations_admin_detail"),
        path("consultations/<int:pk>/edit/", admin_views.edit, name="consultations_admin_edit"),
        path("consultations/<int:pk>/feedback/", admin_views.feedback, name="consultations_admin_feedback"),
        path(
            "consultations/<int:pk>/comment/<int:comment_id>/moderate/",
            admin_views.moderate,
            name="consultations_admin_moderate",
        ),
        path(
            "consultations/<int:pk>/action/<str:name>/",
            admin_views.action_view,
            name="consultations_admin_action",
        ),
    ]


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, "view")


@hooks.register("register_admin_menu_item")
def consultations_menu():
    return ConsultationsMenuItem("意见征集", reverse("consultations_admin"), icon_name="comment", order=207)


@hooks.register("construct_homepage_panels")
def add_consultation_panel(request, panels):
    panels.append(EndedWithoutFeedbackPanel())
