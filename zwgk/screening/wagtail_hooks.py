"""Screening in the back office: on every save, in the 三审 approval, and the findings lists."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .dashboard import FindingsPanel
from .findings import BLOCK
from .guard import BLOCKED_ACTION, UNSCREENED_ACTION, mark_screened
from .lexicon_views import LexiconViewSet
from .models import ExpressionRule, SensitiveWord, WhitelistEntry
from .services import approval_blockers, latest_version, screen_page

AUDIT_ACTIONS = {
    "zwgk.screening.override": "保密审查员同意发布",
    "zwgk.screening.false_positive": "标记误报",
    "zwgk.screening.mask": "脱敏处理",
    "zwgk.screening.withdraw": "撤下信息",
    "zwgk.screening.lexicon_import": "导入敏感词",
    BLOCKED_ACTION: "因禁止类审查问题取消定时发布",
    UNSCREENED_ACTION: "未经发布审查发布（注明原因）",
}


@hooks.register("register_log_actions")
def register_screening_actions(actions):
    for name, label in AUDIT_ACTIONS.items():
        actions.register_action(name, label, label)


@hooks.register("zwgk_approval_blockers")
def screening_blockers(page):
    return approval_blockers(page)


def _screen_once(request, page):
    """Screen `page` once per request: a publish runs `before_publish_page` and then `after_edit_page`
    (or `after_create_page`) over the same revision, and extracting attachments twice is wasted."""
    done = getattr(request, "_zwgk_screened", None)
    if done is not None and done[0] == page.pk:
        return done[1]
    findings = screen_page(page)
    request._zwgk_screened = (page.pk, findings)
    return findings


def _screen_after_save(request, page):
    findings = [f for f in _screen_once(request, page) if not f.live_only]  # the editor's draft only
    if not findings:
        return
    blocking = [f for f in findings if f.severity == BLOCK]
    items = format_html_join(
        "",
        "<li>{}：“{}”（{}）{}</li>",
        (
            (f.get_kind_display(), f.text, f.source, f"，建议：{f.suggestion}" if f.suggestion else "")
            for f in findings[:10]
        ),
    )
    message = format_html(
        '发布审查发现 {} 个问题{}：<ul>{}</ul><a href="{}">查看全部并处理</a>',
        len(findings),
        f"，其中 {len(blocking)} 个禁止类问题须修改或经保密审查员同意后才能批准" if blocking else "",
        items,
        reverse("screening_page", args=[page.pk]),
    )
    (messages.error if blocking else messages.warning)(request, message)


hooks.register("after_create_page", _screen_after_save)
hooks.register("after_edit_page", _screen_after_save)


@hooks.register("before_publish_page")
def block_direct_publish(request, page):
    """A 管理员's 发布 button skips 三审, not screening: 禁止 findings stop it like they stop approval.

    Wagtail runs this after the new revision is saved and before it goes live, so the editor's work is
    kept as a draft; a 保密审查员's override (with its written reason) lets the next attempt through.
    """
    _screen_once(request, page)
    blockers = approval_blockers(page)
    if not blockers:
        mark_screened(getattr(page, "latest_revision", None))  # the revision the view publishes next
        return None
    messages.error(
        request,
        "未发布：存在禁止类审查问题，须修改或经保密审查员同意后才能发布（修改已保存为草稿）："
        + "；".join(blockers),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def block_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    blocked = []
    for page in objects:
        screen_page(latest_version(page))  # bulk 发布 publishes each page's latest revision
        if approval_blockers(page):
            blocked.append(page.title)
    if not blocked:
        return None
    messages.error(
        request,
        "未发布：以下信息存在禁止类审查问题，须修改或经保密审查员同意后才能发布：" + "、".join(blocked[:20]),
    )
    return redirect("wagtailadmin_explore", objects[0].get_parent().pk)


@hooks.register("register_admin_urls")
def screening_urls():
    return [
        path("screening/findings/", admin_views.findings_view, name="screening_findings"),
        path("screening/page/<int:page_id>/", admin_views.page_view, name="screening_page"),
    ]


@hooks.register("register_admin_menu_item")
def findings_menu_item():
    return MenuItem("审查发现", reverse("screening_findings"), icon_name="warning", order=212)


class SensitiveWordViewSet(ModelViewSet):
    model = SensitiveWord
    icon = "warning"
    menu_label = "敏感词"
    list_display = ["word", "category", "severity", "source", "enabled"]
    list_filter = ["category", "severity", "enabled"]
    search_fields = ["word"]
    form_fields = ["word", "category", "severity", "source", "enabled"]


class ExpressionRuleViewSet(ModelViewSet):
    model = ExpressionRule
    icon = "edit"
    menu_label = "表述与错别字规则"
    list_display = ["wrong", "correct", "kind", "severity", "enabled"]
    list_filter = ["kind", "severity", "enabled"]
    search_fields = ["wrong", "correct"]
    form_fields = ["kind", "wrong", "correct", "severity", "note", "enabled"]


class WhitelistViewSet(ModelViewSet):
    model = WhitelistEntry
    icon = "tick"
    menu_label = "公开号码白名单"
    list_display = ["value", "note"]
    search_fields = ["value", "note"]
    form_fields = ["value", "note"]


class ScreeningGroup(ViewSetGroup):
    menu_label = "审查规则"
    menu_icon = "warning"
    menu_order = 260
    items = (SensitiveWordViewSet, LexiconViewSet, ExpressionRuleViewSet, WhitelistViewSet)


@hooks.register("register_admin_viewset")
def register_screening_viewsets():
    return ScreeningGroup()


@hooks.register("construct_homepage_panels")
def add_findings_panel(request, panels):
    panels.append(FindingsPanel())
