"""The public 标准目录: the organs that keep one, and each organ's catalogue as the official table.

Each item links to where its content is published (its columns, its 法定主动公开内容 categories).
Nothing here is personal: the table holds the organ's catalogue only.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.models import Site

from zwgk.core.models import Organisation
from zwgk.disclosure.models import ColumnPage, DisclosureIndexPage

from .coverage import organs_with_catalog
from .models import CatalogItem


def index(request):
    organs = organs_with_catalog(Organisation.objects.all())
    return TemplateResponse(request, "catalog/public_index.html", {"organs": organs})


def _category_base_url(request) -> str:
    site = Site.find_for_request(request)
    pages = DisclosureIndexPage.objects.live()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    page = pages.first()
    return f"{page.url}fdzdgknr/" if page else ""


def organ(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    items = list(
        CatalogItem.objects.filter(organisation=organisation).prefetch_related(
            Prefetch("columns", queryset=ColumnPage.objects.live().order_by("path"))
        )
    )
    areas = {}
    for item in items:
        areas.setdefault((item.area_code, item.area_name), []).append(item)
    return TemplateResponse(
        request,
        "catalog/public_organ.html",
        {
            "organisation": organisation,
            "areas": [(code, name, rows) for (code, name), rows in sorted(areas.items())],
            "category_base": _category_base_url(request),
        },
    )
