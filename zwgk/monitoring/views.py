"""The public 政府网站工作年度报表 of the site a visitor is on: its list (/ndbb/) and each published year
(/ndbb/<year>/). Only reports a 管理员 reviewed and published are shown, with the form's fields and nothing
else (no reviewer, no draft state); a draft's address is a 404 like any unknown page."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.models import Site

from . import annual
from .models import WebsiteAnnualReport

PUBLISHED = WebsiteAnnualReport.State.PUBLISHED


def _site(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("没有这个网站")
    return site


def annual_index(request):
    site = _site(request)
    reports = WebsiteAnnualReport.objects.filter(site=site, state=PUBLISHED).order_by("-year")
    return TemplateResponse(
        request,
        "portal/ndbb/index.html",
        {
            "reports": [
                {"year": r.year, "title": annual.title(r), "published_at": r.published_at} for r in reports
            ]
        },
    )


def annual_detail(request, year: int):
    site = _site(request)
    report = get_object_or_404(WebsiteAnnualReport, site=site, year=year, state=PUBLISHED)
    rows = [(label, report.data.get(key, "")) for key, label, _ in annual.FIELDS]
    return TemplateResponse(
        request,
        "portal/ndbb/detail.html",
        {
            "title": annual.title(report),
            "year": report.year,
            "rows": rows,
            "published_at": report.published_at,
        },
    )
