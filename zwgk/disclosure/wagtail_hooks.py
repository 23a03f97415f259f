"""Wagtail integration of 主动公开: staff scoping, back-office lists, the 有效性 action."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from zwgk.core.scoping import can_act_for, scope_for

# admin_scope: organ scope of back-office page views; dashboard: the 工作台 to-do panels;
# lifecycle_admin: 有效期评估 and 清理 screens
from . import admin_scope, admin_views, dashboard, lifecycle_admin  # noqa: F401
from .models import ITEM_TYPES, PolicyDocumentPage
from .workflow import explain_blocked_review

ITEM_MODELS = ITEM_TYPES


def out_of_scope_ids(user):
    """Subquery-friendly Q excluding items whose 发布机构 lies outside the user's subtree."""
    scope = scope_for(user)
    q = Q()
    for model in ITEM_MODELS:
        q |= Q(pk__in=model.objects.exclude(organisation__in=scope).values("pk"))
    return q


@hooks.register("construct_explorer_page_queryset")
def hide_other_organisations(parent_page, pages, request):
    if request.user.is_superuser:
        return pages
    return pages.exclude(out_of_scope_ids(request.user))


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_in_chooser(pages, request):
    return hide_other_organisations(None, pages, request)


def _check_scope(request, page):
    organisation = getattr(page.specific, "organisation", None)
    if organisation is not None and not can_act_for(request.user, organisation):
        raise PermissionDenied("该信息属于其他机关，您无权操作。")


for hook_name in (
    "before_edit_page",
    "before_delete_page",
    "before_copy_page",
    "before_move_page",
    "before_unpublish_page",
):
    hooks.register(hook_name, lambda request, page, *args, **kwargs: _check_scope(request, page))


# 三审: a reviewer whose 批准 is blocked by a 禁止 finding reads why, with links to the findings.
hooks.register("before_edit_page", explain_blocked_review)


@hooks.register("register_admin_urls")
def disclosure_admin_urls():
    return [
        path("disclosure/backlog/", admin_views.backlog_view, name="disclosure_backlog"),
        path("disclosure/late/", admin_views.late_view, name="disclosure_late"),
        path("disclosure/validity/<int:page_id>/", admin_views.validity_view, name="disclosure_validity"),
    ]


@hooks.register("register_admin_menu_item")
def backlog_menu_item():
    return MenuItem("待解读文件", reverse("disclosure_backlog"), icon_name="warning", order=210)


@hooks.register("register_admin_menu_item")
def late_menu_item():
    return MenuItem("超期发布信息", reverse("disclosure_late"), icon_name="time", order=211)


@hooks.register("register_page_listing_more_buttons")
def validity_button(page, user, next_url=None):
    if page.live and page.specific_class is PolicyDocumentPage:
        yield PageMenuItem(
            "变更有效性",
            reverse("disclosure_validity", args=[page.pk]),
            icon_name="doc-full",
            priority=45,
            page=page,
        )
