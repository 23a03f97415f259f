from wagtail import hooks

from .models import ApplicationEvent


@hooks.register("register_log_actions")
def register_application_actions(actions):
    for kind, label in ApplicationEvent.LABELS.items():
        actions.register_action(f"zwgk.application.{kind}", label, label)


@hooks.register("register_admin_urls")
def application_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("applications/", admin_views.workbench, name="applications_admin"),
        path("applications/new/", admin_views.register, name="applications_admin_register"),
        path("applications/<int:pk>/", admin_views.detail, name="applications_admin_detail"),
    ]


@hooks.register("register_admin_menu_item")
def applications_menu():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem("依申请公开", reverse("applications_admin"), icon_name="mail", order=205)
