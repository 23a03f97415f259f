"""Back office: 站群管理 (zwgk/portal/admin_views.py) for 管理员; 引用到上级网站 on an item for its organ's
信息员 and 管理员."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from zwgk.core import roles
from zwgk.disclosure.models import ITEM_TYPES

from . import admin_views


@hooks.register("register_admin_urls")
def site_group_urls():
    return [
        path("sites-group/", admin_views.site_list, name="portal_sites"),
        path("sites-group/<int:pk>/archive/", admin_views.archive, name="portal_sites_archive"),
        path("sites-group/reference/<int:page_id>/", admin_views.reference, name="portal_reference"),
        path(
            "sites-group/reference/<int:pk>/withdraw/",
            admin_views.withdraw_reference,
            name="portal_reference_withdraw",
        ),
    ]


class SiteGroupMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_manage_sites(request.user)


@hooks.register("register_settings_menu_item")
def site_group_menu_item():
    return SiteGroupMenuItem("站群管理", reverse("portal_sites"), icon_name="site", order=90)


def _reference_button(page, user):
    """引用到上级网站 on a live item, for the 信息员 and 管理员 (the view checks the item's organ)."""
    if page.live and issubclass(page.specific_class or Page, ITEM_TYPES):
        if roles.has_any_role(user, admin_views.REFERENCE_ROLES):
            yield PageMenuItem(
                "引用到上级网站",
                reverse("portal_reference", args=[page.pk]),
                icon_name="site",
                priority=46,
                page=page,
            )


@hooks.register("register_page_listing_more_buttons")
def reference_listing_button(page, user, next_url=None):
    yield from _reference_button(page, user)


@hooks.register("register_page_header_buttons")
def reference_header_button(page, user, view_name, next_url=None):
    yield from _reference_button(page, user)
