from django import template
from wagtail.models import Site

from zwgk.portal.cache import remember

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
