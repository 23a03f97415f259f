"""Portal search: /search/?q= with filters, sorting, pagination and highlighted snippets."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from wagtail.models import Page, Site

from zwgk.core.cache import remember
from zwgk.core.distinct import distinct_values
from zwgk.core.models import Organisation
from zwgk.core.params import ID_MAX, choice_param, int_param, text_param, year_param
from zwgk.disclosure.vocab import Validity

from .models import SearchEntry
from .query import search, suggest, types
from .snippets import attach_snippets

PAGE_SIZE = 20


# Deep pages are not served: 500 pages of 20 hits is more than anyone reads.
MAX_PAGE = 500
SORTS = ("relevance", "date")
SCOPES = ("site", "all")  # 本站 / 全站 (集约化: many sites on one installation)


def _search_params(request):
    """The validated filters ({name: str}), the page number and the Chinese messages for bad values."""
    q, q_error = text_param(request, "q", max_length=1000, label="关键词")
    year, year_error = year_param(request, "year", label="年份")
    section, section_error = int_param(request, "section", 1, ID_MAX, label="栏目")
    page, page_error = int_param(request, "page", 1, MAX_PAGE, label="页码")
    checked = {
        "q": (q[:100], q_error),
        "type": choice_param(request, "type", types(), label="类型"),
        "org": text_param(request, "org", label="发布机构"),
        "year": (str(year or ""), year_error),
        "validity": choice_param(request, "validity", Validity.values, label="有效性"),
        "sort": choice_param(request, "sort", SORTS, label="排序"),
        "section": (str(section or ""), section_error),
        "scope": choice_param(request, "scope", SCOPES, label="搜索范围"),
    }
    params = {name: value for name, (value, _) in checked.items()}
    errors = [error for _, error in checked.values() if error]
    if page_error:
        errors.append(page_error)
    return params, page or 1, errors


def results(request):
    params, number, errors = _search_params(request)
    result = search(
        params["q"],
        type=params["type"],
        organisation=params["org"],
        year=params["year"],
        validity=params["validity"],
        section=params["section"],
        site=_site_path(request, params["scope"]),
        sort=params["sort"] or "relevance",
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    attach_snippets(result.hits, result.variants)
    paginator = Paginator(range(result.count), PAGE_SIZE)
    page = paginator.get_page(number)
    response = TemplateResponse(
        request,
        "search/results.html",
        {
            "params": params,
            "errors": errors,
            "result": result,
            "items": page,
            "types": types(),
            "organisation_options": _organisation_options(params["org"]),
            "years": remember("search-years", _years),
            "sections": _sections(request),
            "site_group": _site_count() > 1,
        },
    )
    return response


def _site_count() -> int:
    return remember("site_count", Site.objects.count)


def _site_path(request, scope: str) -> str:
    """本站 (the default where one installation runs several sites): the tree path of this site's home."""
    if scope == "all" or _site_count() < 2:
        return ""
    site = Site.find_for_request(request)
    return site.root_page.path if site else ""


def _years():
    return distinct_values(SearchEntry, "year")[::-1]


def suggestions(request):
    return JsonResponse(
        {"suggestions": suggest(text_param(request, "q", max_length=100)[0])},
        json_dumps_params={"ensure_ascii": False},
    )


def _organisation_options(selected: str):
    """The 发布机构 choices as <option> elements, names escaped: built here, not by a template loop,
    which took 10 ms a search for a province's 500 organisations (three template lookups an option)."""
    choices = remember("search-organisations", lambda: list(Organisation.objects.values_list("slug", "name")))
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((slug, " selected" if slug == selected else "", name) for slug, name in choices),
    )


def _sections(request):
    """The 栏目 a hit can be filtered by, (id, title): this site's top-level sections that hold indexed
    items (those of the group's other sites would list one 工作动态 per site; a section of another site
    given in the URL still filters). Cached until the next change anywhere, as the index is."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    indexed = SearchEntry.objects.filter(section_id=OuterRef("pk"))
    return remember(
        f"search-sections:{site.pk}",
        lambda: list(
            Page.objects.child_of(site.root_page)
            .filter(Exists(indexed))
            .order_by("path")
            .values_list("pk", "title")
        ),
    )
