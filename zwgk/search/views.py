"""Portal search: /search/?q= with filters, sorting, pagination and highlighted snippets."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse

from zwgk.core.models import Organisation

from .query import TYPES, search, suggest

PAGE_SIZE = 20


def results(request):
    params = {k: request.GET.get(k, "") for k in ("q", "type", "org", "year", "validity", "sort", "section")}
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    result = search(
        params["q"],
        type=params["type"],
        organisation=params["org"],
        year=params["year"],
        validity=params["validity"],
        section=params["section"],
        sort=params["sort"] or "relevance",
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    paginator = Paginator(range(result.count), PAGE_SIZE)
    page = paginator.get_page(number)
    response = TemplateResponse(
        request,
        "search/results.html",
        {
            "params": params,
            "result": result,
            "items": page,
            "types": TYPES,
            "organisations": Organisation.objects.all(),
            "years": _years(),
            "sections": _sections(),
        },
    )
    return response


def _years():
    from .models import SearchEntry

    return list(SearchEntry.objects.values_list("year", flat=True).distinct().order_by("-year"))


def suggestions(request):
    return JsonResponse(
        {"suggestions": suggest(request.GET.get("q", ""))}, json_dumps_params={"ensure_ascii": False}
    )


def _sections():
    """Site sections a hit can be filtered by: the top-level sections that hold indexed items."""
    from wagtail.models import Page

    from .models import SearchEntry

    ids = SearchEntry.objects.values_list("section_id", flat=True).distinct()
    return Page.objects.filter(pk__in=ids).order_by("path")
