"""Back office: 站群管理 (zwgk/portal/admin_views.py) for 管理员."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def site_group_urls():
    return [
        path("sites-group/", admin_views.site_list, name="portal_sites"),
        path("sites-group/<int:pk>/archive/", admin_views.archive, name="portal_sites_archive"),
    ]


class SiteGroupMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_manage_sites(request.user)


@hooks.register("register_settings_menu_item")
def site_group_menu_item():
    return SiteGroupMenuItem("站群管理", reverse("portal_sites"), icon_name="site", order=90)
