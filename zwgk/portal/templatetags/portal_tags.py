from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.simple_tag(takes_context=True)
def nav_pages(context):
    """Top navigation: the home page's live children that are shown in menus."""
    root = site_root(context)
    if root is None:
        return []
    return root.get_children().live().in_menu()


@register.filter
def pubdate(value):
    """发布日期 in the 网页设计规范 format YYYY-MM-DD HH:MM."""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
