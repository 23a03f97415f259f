import re

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from zwgk.disclosure.models import ITEM_TYPES

from .models import PortalSettings

colour_re = re.compile(r"#[0-9a-fA-F]{6}")


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ysqgk/track/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


_FAVICON = None


def favicon(request):
    """/favicon.ico: the portal's mark (portal/favicon.ico; the pages also link portal/favicon.svg).
    Browsers and site checkers ask for it at the root of every site."""
    global _FAVICON
    if _FAVICON is None:
        with open(finders.find("portal/favicon.ico"), "rb") as f:
            _FAVICON = f.read()
    response = HttpResponse(_FAVICON, content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def theme_css(request):
    """/theme.css: the site's colours and header image (PortalSettings), as CSS custom properties.

    A stylesheet, not a style attribute: the portal's Content-Security-Policy allows no inline style.
    The colours are validated (#rrggbb) when saved; the image URL is Wagtail's own rendition URL.
    """
    settings = PortalSettings.for_request(request)
    rules = [f":root {{ --main: {_colour(settings.primary_colour, '#b31b1b')}; }}"]
    rules.append(
        f".site-header, .site-header a, .nav a {{ color: {_colour(settings.header_colour, '#ffffff')}; }}"
    )
    if settings.header_image_id:
        url = settings.header_image.get_rendition("fill-1600x200").url
        rules.append(f'.site-header {{ background: var(--main) url("{url}") center / cover no-repeat; }}')
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _colour(value: str, default: str) -> str:
    return value if colour_re.fullmatch(value or "") else default


def site_map(request):
    """网站地图: every column and section of the portal as a nested list (items themselves are in sitemap.xml)."""
    site = Site.find_for_request(request)
    root = site.root_page if site else Page.get_first_root_node()
    # Items are excluded in the database: a city site has 450,000 of them under the same root.
    pages = list(root.get_descendants().live().public().not_type(*ITEM_TYPES).order_by("path"))
    nodes = {root.path: {"page": root, "children": []}}
    for page in pages:
        node = {"page": page, "children": []}
        parent = nodes.get(page.path[: -Page.steplen])
        if parent is not None:
            parent["children"].append(node)
            nodes[page.path] = node
    return TemplateResponse(
        request,
        "portal/site_map.html",
        {"tree": nodes[root.path]["children"], "services": SITE_MAP_SERVICES},
    )


# 网站地图: the portal's own functions beside its page tree (they are views, not pages).
SITE_MAP_SERVICES = [
    ("依申请公开", [("/ysqgk/", "在线申请"), ("/ysqgk/track/", "申请进度查询")]),
    (
        "互动交流",
        [
            ("/hudong/liuyan/", "我要留言"),
            ("/hudong/liuyan/gongkai/", "留言选登"),
            ("/hudong/zhengji/", "意见征集"),
            ("/hudong/chaxun/", "留言办理查询"),
            ("/hudong/jiucuo/", "网站纠错"),
        ],
    ),
    ("网站服务", [("/search/", "站内搜索"), ("/lxwm/", "联系我们"), ("/bzml/", "基层政务公开标准目录")]),
]


def contact_us(request):
    """联系我们: the site's 主办/承办单位 and the contact details of the organ that runs it (its 机构概况)."""
    settings = PortalSettings.for_request(request)
    return TemplateResponse(
        request, "portal/contact.html", {"portal": settings, "organ": settings.organisation}
    )


# --- Error pages (handler400/403/404/500 in zwgk/urls.py) ------------------------------------------
# Chinese, in the portal's layout, never a traceback or a setting. A page that cannot be rendered in
# the full layout (the database is down, the Host header is refused) falls back to the static one.


def _error_page(request, template_name, status, context=None):
    try:
        content = loader.render_to_string(template_name, context or {}, request=request)
    except Exception:  # noqa: BLE001 — the error page itself must not fail
        return _static_error(template_name, status)
    return HttpResponse(content, status=status, content_type="text/html; charset=utf-8")


_STATIC_MESSAGES = {
    400: ("请求有误", "您的请求中有无法处理的内容。请检查网址后重试。"),
    403: ("无权访问", "您没有访问此页面的权限。"),
    404: ("页面不存在", "您访问的页面不存在、已删除或已转移。"),
    500: ("服务器内部错误", "抱歉，服务器处理您的请求时出错。请稍后再试。"),
}


def _static_error(template_name, status):
    """The error page without request, database or context processors (static_error.html)."""
    heading, message = _STATIC_MESSAGES[status]
    try:
        name = "500.html" if status == 500 else "portal/static_error.html"
        content = loader.render_to_string(name, {"heading": f"{heading}（{status}）", "message": message})
    except Exception:  # noqa: BLE001
        content = (
            f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{heading}</title></head>'
            f'<body><h1>{heading}（{status}）</h1><p>{message}</p><p><a href="/">返回首页</a></p></body></html>'
        )
    return HttpResponse(content, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    """403. Staff refused inside the back office stay in its layout, told why, with the way back."""
    user = getattr(request, "user", None)
    if request.path.startswith("/admin/") and getattr(user, "is_staff", False):
        reason = str(exception or "")
        if not any("\u4e00" <= ch <= "\u9fff" for ch in reason):  # only our own Chinese reasons are shown
            reason = "您没有访问此页面的权限。如需办理，请联系本单位管理员。"
        return _error_page(request, "portal/admin_403.html", 403, {"message": reason})
    return _error_page(request, "403.html", 403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's page is English and names the technical reason."""
    return _error_page(request, "portal/403_csrf.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def server_error(request):
    """500: rendered without the request (no context processors, no database)."""
    return _static_error("500.html", 500)
