from django import template
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from zwgk.core.cache import remember
from zwgk.core.models import Organisation
from zwgk.disclosure.images import image_ids
from zwgk.disclosure.models import ITEM_TYPES, ArticlePage, ColumnPage, DisclosureIndexPage
from zwgk.portal.models import PortalSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.simple_tag(takes_context=True)
def nav_pages(context):
    """Top navigation: the home page's live children that are shown in menus (cached per site generation)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return remember(
        f"nav:{site.pk}", lambda: list(site.root_page.get_children().live().in_menu()), site=site.pk
    )


@register.simple_tag
def ancestors(page):
    """Breadcrumb: the page's ancestors, shared by all its siblings (cached per generation of its site)."""
    parent_path = page.path[: -page.steplen]
    return remember(f"ancestors:{parent_path}", lambda: list(page.get_ancestors()), site=page)


@register.filter
def pubdate(value):
    """发布日期 in the 网页设计规范 format YYYY-MM-DD HH:MM."""
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
            text = remember(
                f"site-description:{site.pk}", lambda: site.root_page.search_description, site=site.pk
            )
    if not text:
        name = PortalSettings.for_request(request).site_name if request else ""
        text = f"{name}：政府信息公开、政策文件、政策解读、依申请公开和互动交流。" if name else ""
    text = " ".join(str(text).split())
    return text[:149] + "…" if len(text) > 150 else text


# --- 首页 ---------------------------------------------------------------------------------------------
# The home page's panels besides the four lists of HomePage.get_context (要闻、通知公告、政策文件、政策解读):
# 图片新闻, 政府信息公开 entries, 领导之窗/机构, 专题 and 办事. Each is built from the site's own data and is
# None or empty when there is nothing to show, so the template never draws an empty box. Cached per
# generation of the site like the lists (a publish the site shows, its settings or any organisation
# change moves it on; a publish on another department's site does not).

PICTURE_NEWS = 4  # pictures shown beside the 要闻 list
PICTURE_SCAN = 40  # how far back in 要闻 to look for items with a picture


@register.simple_tag(takes_context=True)
def home_panels(context, home, blocks):
    request = context.get("request")
    portal = PortalSettings.for_request(request) if request else None
    key = f"home_panels:{home.pk}:{portal.pk if portal else 0}"
    return remember(key, lambda: _home_panels(home, blocks, portal), site=home)


def _home_panels(home, blocks, portal):
    lists = {title: (column, items) for title, column, items in blocks}
    empty = (None, [])
    news = lists.get("要闻动态", empty)
    return {
        "news": news,
        "notices": lists.get("通知公告", empty),
        "policies": lists.get("政策文件", empty),
        "readings": lists.get("政策解读", empty),
        "pictures": _picture_news(news[0]),
        "disclosure": _disclosure_entries(home),
        "organs": _organs(portal.organisation if portal else None, home),
        "topics": _topics(portal.topic_column_id if portal else None, home),
        "service_url": portal.service_url if portal else "",
    }


def _picture_news(column):
    """The latest 要闻 that show a picture (a photo inserted into the body), with the first picture."""
    if column is None:
        return []
    items = list(
        ArticlePage.objects.live().child_of(column).order_by("-first_published_at", "-id")[:PICTURE_SCAN]
    )
    found = []
    for item in items:
        ids = sorted(image_ids(item))
        if ids:
            found.append((item, ids[0]))
        if len(found) == PICTURE_NEWS:
            break
    images = get_image_model().objects.in_bulk([pk for _, pk in found])
    return [(item, images[pk]) for item, pk in found if pk in images]


def _disclosure_entries(home):
    """政府信息公开: the 信息公开 section's live sub-pages (指南, 制度, 年报, 法定主动公开内容 …) and its 目录."""
    index = DisclosureIndexPage.objects.live().descendant_of(home).first()
    if index is None:
        return None
    sections = index.get_children().live().public().not_type(*ITEM_TYPES).order_by("path")[:9]
    return {"index": index, "children": list(sections)}


def _organs(organisation, home):
    """领导之窗/机构: the organ running the site (its 负责人) and the organs under it, each linking to its
    机构概况 in the 信息公开目录. None when the site names no organ or has no 信息公开 section."""
    if organisation is None:
        return None
    index = DisclosureIndexPage.objects.live().descendant_of(home).first()
    if index is None:
        return None
    base = index.url.rstrip("/") + "/ml/"
    children = list(organisation.children.order_by("sort_order", "name"))
    township_kinds = {Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT}
    groups = [
        ("政府部门", [o for o in children if o.kind not in township_kinds]),
        ("乡镇（街道）", [o for o in children if o.kind in township_kinds]),
    ]
    return {
        "organ": organisation,
        "url": f"{base}{organisation.slug}/",
        "base": base,
        "groups": [(label, organs) for label, organs in groups if organs],
    }


def _topics(column_id, home):
    """专题专栏: the live sub-columns of the column the site settings name (none chosen: no panel)."""
    if not column_id:
        return None
    column = ColumnPage.objects.live().descendant_of(home).filter(pk=column_id).first()
    if column is None:
        return None
    subcolumns = list(ColumnPage.objects.live().child_of(column).order_by("path")[:6])
    if not subcolumns:
        return None
    return {"column": column, "subcolumns": subcolumns}
