"""标准目录 in the back office: menu item, views, audit action names and the dashboard panel."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from zwgk.core.roles import has_any_role

from . import admin_views
from .dashboard import CatalogCoveragePanel
from .services import AUDIT_ACTIONS


@hooks.register("register_log_actions")
def register_catalog_actions(actions):
    for name, label in AUDIT_ACTIONS.items():
        actions.register_action(name, label, label)


@hooks.register("register_admin_urls")
def catalog_urls():
    return [
        path("catalog/", admin_views.index, name="catalog_admin"),
        path(
            "catalog/org/<int:org_id>/<str:name>/",
            admin_views.organ_action,
            name="catalog_admin_organ_action",
        ),
        path("catalog/item/<int:pk>/", admin_views.item_edit, name="catalog_admin_item_edit"),
        path("catalog/item/<int:pk>/remove/", admin_views.item_remove, name="catalog_admin_item_remove"),
    ]


class CatalogMenuItem(MenuItem):
    def is_shown(self, request):
        return has_any_role(request.user, admin_views.VIEWERS)


@hooks.register("register_admin_menu_item")
def catalog_menu():
    return CatalogMenuItem("标准目录", reverse("catalog_admin"), icon_name="list-ul", order=215)


@hooks.register("construct_homepage_panels")
def add_catalog_panel(request, panels):
    panels.append(CatalogCoveragePanel())
