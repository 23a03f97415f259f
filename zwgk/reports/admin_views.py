"""Back office: see an organisation's annual report with its checks, download it, create the draft item."""

import datetime as dt
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zwgk.core.audit import record_access
from zwgk.core.params import date_param, text_param, year_param
from zwgk.core.scoping import can_act_for, scope_for

from . import services
from .annual import (
    build_annual_report,
    consistency_errors,
    consistency_warnings,
    open_applications_at_year_end,
)
from .dashboard import dashboard_data, period_summary
from .dashboard import to_xlsx as stats_xlsx
from .render import to_docx, to_html, to_xlsx


def _params(request):
    """(organisations in scope, org, year, rollup); a bad 机关 or 年度 is reported and the default used."""
    organisations = scope_for(request.user)
    slug, slug_error = text_param(request, "org", label="机关")
    year, year_error = year_param(request, "year", label="年度")
    for error in (slug_error, year_error):
        if error:
            messages.error(request, error)
    org = (organisations.filter(slug=slug).first() if slug else None) or organisations.first()
    year = year or timezone.localdate().year - 1
    rollup = request.GET.get("rollup") == "1"
    return organisations, org, year, rollup


def annual_view(request):
    organisations, org, year, rollup = _params(request)
    if org is None or not can_act_for(request.user, org):
        raise PermissionDenied
    report = build_annual_report(org, year, include_subtree=rollup)
    scope = list(org.subtree()) if rollup else [org]
    errors = consistency_errors(report, open_applications_at_year_end(scope, year))
    warnings = consistency_warnings(report, build_annual_report(org, year - 1, include_subtree=rollup))
    title = services.report_title(org, year)
    fmt = request.GET.get("format")
    if fmt in ("docx", "xlsx"):
        record_access(request, "zwgk.export.annual_report", obj=org, data={"year": year, "format": fmt})
    if fmt == "docx":
        response = HttpResponse(
            to_docx(report, title),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{year}-annual-report.docx"
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(report, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{year}-annual-report.xlsx"
        return response
    if request.method == "POST" and request.POST.get("action") == "texts":
        entry = services.start_texts(org, year, user=request.user)
        return redirect("reports_input:edit", entry.pk)
    if request.method == "POST" and request.POST.get("action") == "draft":
        if errors:
            messages.error(request, "校验未通过，不能生成年报信息。")
        else:
            page = services.create_draft_item(org, year, user=request.user, rollup=rollup)
            messages.success(request, "已生成年报草稿，请在编辑页面提交三审。")
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "reports/admin/annual.html",
        {
            "title": "政府信息公开工作年度报告",
            "organisations": organisations,
            "org": org,
            "year": year,
            "rollup": rollup,
            "errors": errors,
            "warnings": warnings,
            "html": to_html(report, title),
        },
    )


def dashboard_view(request):
    organisations = scope_for(request.user)
    slug, slug_error = text_param(request, "org", label="机关")
    org = organisations.filter(slug=slug).first() if slug else None
    scope = list(org.subtree()) if org else list(organisations)
    today = timezone.localdate()
    start, start_error = date_param(request, "start", label="起始日期")
    end, end_error = date_param(request, "end", label="截止日期")
    for error in (slug_error, start_error, end_error):
        if error:
            messages.error(request, error)
    start, end = start or dt.date(today.year, 1, 1), end or today
    if start > end:
        messages.error(request, "起始日期晚于截止日期，已按本年统计。")
        start, end = dt.date(today.year, 1, 1), today
    data = dashboard_data(scope, start, end)
    title = f"{org.name if org else '全县'} {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 统计"
    if request.GET.get("format") == "xlsx":
        record_access(request, "zwgk.export.statistics", obj=org, data={"title": title, "format": "xlsx"})
        response = HttpResponse(
            stats_xlsx(data, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''statistics.xlsx"
        return response
    return TemplateResponse(
        request,
        "reports/admin/dashboard.html",
        {
            "title": "统计分析",
            "organisations": organisations,
            "org": org,
            "start": start,
            "end": end,
            "data": data,
            "summary": period_summary(data),
            # Plain JSON values for json_script (dates and decimals as text, as the charts want them).
            "chart_data": json.loads(json.dumps(data, ensure_ascii=False, default=str)),
            "period_title": title,
        },
    )
