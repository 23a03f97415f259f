from django.http import HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Page, Site


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ysqgk/track/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def site_map(request):
    """网站地图: every column and section of the portal as a nested list (items themselves are in sitemap.xml)."""
    from zwgk.disclosure.models import ArticlePage, InterpretationPage, PolicyDocumentPage

    site = Site.find_for_request(request)
    root = site.root_page if site else Page.get_first_root_node()
    # Items are excluded in the database: a city site has 450,000 of them under the same root.
    pages = list(
        root.get_descendants()
        .live()
        .public()
        .not_type(ArticlePage, PolicyDocumentPage, InterpretationPage)
        .order_by("path")
    )
    nodes = {root.path: {"page": root, "children": []}}
    for page in pages:
        node = {"page": page, "children": []}
        parent = nodes.get(page.path[: -Page.steplen])
        if parent is not None:
            parent["children"].append(node)
            nodes[page.path] = node
    return TemplateResponse(request, "portal/site_map.html", {"tree": nodes[root.path]["children"]})
