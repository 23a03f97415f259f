from django import template
from wagtail.models import Site

from zwgk.core.cache import remember

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.simple_tag(takes_context=True)
def nav_pages(context):
    """Top navigation: the home page's live children that are shown in menus (cached per generation)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return remember(f"nav:{site.pk}", lambda: list(site.root_page.get_children().live().in_menu()))


@register.simple_tag
def ancestors(page):
    """Breadcrumb: the page's ancestors, shared by all its siblings (cached per generation)."""
    parent_path = page.path[: -page.steplen]
    return remember(f"ancestors:{parent_path}", lambda: list(page.get_ancestors()))


@register.filter
def pubdate(value):
    """发布日期 in the 网页设计规范 format YYYY-MM-DD HH:MM."""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@register.simple_tag(takes_context=True)
def meta_description(context):
    """<meta name="description">: an item's 内容概述, else the page's own description (搜索描述 in the
    back office, a column's 栏目描述), else the site's (the home page's 搜索描述), else a sentence naming
    the site. Plain text, one line, at most 150 characters (autoescaped by the template)."""
    page = context.get("page")
    text = ""
    if page is not None:
        fields = ("summary", "search_description", "description")
        text = next((value for f in fields if isinstance(value := getattr(page, f, ""), str) and value), "")
    request = context.get("request")
    if not text:
        site = Site.find_for_request(request) if request else None
        if site is not None:
            text = remember(f"site-description:{site.pk}", lambda: site.root_page.search_description)
    if not text:
        from zwgk.portal.models import PortalSettings

        name = PortalSettings.for_request(request).site_name if request else ""
        text = f"{name}：政府信息公开、政策文件、政策解读、依申请公开和互动交流。" if name else ""
    text = " ".join(str(text).split())
    return text[:149] + "…" if len(text) > 150 else text
