"""Back office: 网站监测 (each site's indicators, 自查报告 downloads), one site's detail (evidence, dead links,
tampering), the 政府网站工作年度报表, and the 新媒体 posts import. Every view is scoped to the user's sites."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zwgk.core.audit import record_access
from zwgk.core.params import year_param
from zwgk.core.roles import ADMINISTRATOR, ALL_ROLES, INFORMANT, has_any_role
from zwgk.core.scoping import can_act_for, scope_for

from . import annual, selfcheck, services
from .indicators import account_report, site_report
from .linkcheck import dead_links
from .models import AccountStatus, NewMediaAccount, TamperFinding, WebsiteAnnualReport
from .rules import OK
from .sites import site_label, site_organisation, sites_for
from .warnings import cached_site_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_WORDS = {"ok": "正常", "warn50": "预警50%", "warn80": "预警80%", "fail": "不合格"}
UPLOAD_MAX = 5 * 1024 * 1024


def _require_staff(user):
    if not has_any_role(user, ALL_ROLES):
        raise PermissionDenied


def _site(request, site_id):
    _require_staff(request.user)
    for site in sites_for(request.user):
        if site.pk == site_id:
            return site
    raise Http404("没有这个网站，或不在您的管理范围内")


def overview_view(request):
    _require_staff(request.user)
    rows = []
    for site in sites_for(request.user):
        report = cached_site_report(site)
        failing = [r["name"] for r in report["indicators"] if r["veto"] and r["status"] == "fail"]
        warned = [r["name"] for r in report["indicators"] if r["status"] in ("warn50", "warn80")]
        rows.append({"site": site, "report": report, "failing": failing, "warned": warned})
    accounts = NewMediaAccount.objects.filter(
        organisation__in=scope_for(request.user), status=AccountStatus.OPEN
    ).select_related("organisation")
    account_rows = []
    for account in accounts:
        report = account_report(account)
        account_rows.append(
            {
                "account": account,
                "report": report,
                "failing": [r["name"] for r in report["indicators"] if r["status"] == "fail"],
                "warned": [r["name"] for r in report["indicators"] if r["status"] in ("warn50", "warn80")],
            }
        )
    return TemplateResponse(
        request,
        "monitoring/admin/overview.html",
        {"title": "网站监测", "rows": rows, "account_rows": account_rows},
    )


def site_view(request, site_id):
    site = _site(request, site_id)
    report = site_report(site) if request.GET.get("fresh") == "1" else cached_site_report(site)
    today = timezone.localdate()
    for row in report["indicators"]:
        row["status_words"] = STATUS_WORDS[row["status"]]
    return TemplateResponse(
        request,
        "monitoring/admin/site.html",
        {
            "title": f"网站监测：{report['name']}",
            "site": site,
            "report": report,
            "ok": OK,
            "dead": dead_links(site)[:200],
            "tampering": TamperFinding.objects.filter(site=site).order_by("status", "-found_at")[:50],
            "month": f"{today:%Y-%m}",
            "year": today.year - 1 if today.month == 1 else today.year,
            "can_resolve": has_any_role(request.user, [ADMINISTRATOR]),
        },
    )


def selfcheck_download(request, site_id):
    """自查报告 of a month (?month=2026-11) as DOCX or XLSX (?format=)."""
    site = _site(request, site_id)
    today = timezone.localdate()
    raw = (request.GET.get("month") or f"{today:%Y-%m}").strip()
    try:
        year, month = (int(x) for x in raw.split("-", 1))
        if not (2000 <= year <= today.year and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        messages.error(request, "月份应写作 2026-11 这样的格式，且不晚于本月。")
        return redirect("monitoring_site", site.pk)
    fmt = request.GET.get("format")
    if fmt not in ("docx", "xlsx"):
        messages.error(request, "格式应为 docx 或 xlsx。")
        return redirect("monitoring_site", site.pk)
    report = selfcheck.report_for_month(site, year, month)
    record_access(request, "zwgk.export.monitoring_report", obj=site, data={"month": raw, "format": fmt})
    data = selfcheck.to_docx(report, year, month) if fmt == "docx" else selfcheck.to_xlsx(report, year, month)
    response = HttpResponse(data, content_type=DOCX if fmt == "docx" else XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''selfcheck-{site_label(site)}-{year}-{month:02d}.{fmt}"
    )
    return response


@require_POST
def resolve_tampering_view(request, site_id, finding_id):
    site = _site(request, site_id)
    if not has_any_role(request.user, [ADMINISTRATOR]):
        raise PermissionDenied
    finding = get_object_or_404(TamperFinding, pk=finding_id, site=site)
    try:
        services.resolve_tampering(finding, user=request.user)
        messages.success(request, "已标记为已处置（证据保留）。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("monitoring_site", site.pk)


def annual_view(request, site_id):
    """政府网站工作年度报表 of a site: fill from the data, enter the rest, review, publish, download."""
    site = _site(request, site_id)
    year, error = year_param(request, "year", label="年度")
    if error:
        messages.error(request, error)
    year = year or timezone.localdate().year - 1
    report = WebsiteAnnualReport.objects.filter(site=site, year=year).first()
    is_admin = has_any_role(request.user, [ADMINISTRATOR])
    organisation = site_organisation(site)
    if organisation is not None and not can_act_for(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "fill":
                report = services.fill_annual_report(site, year, user=request.user)
                messages.success(request, "已根据数据生成报表草稿，请填写其余项目。")
            elif report is None:
                messages.error(request, "请先生成报表。")
            elif action == "save":
                values = {k: request.POST.get(k, "") for k, _, filled in annual.FIELDS if not filled}
                services.edit_annual_report(report, values, user=request.user)
                messages.success(request, "已保存。")
            elif action in ("review", "publish") and not is_admin:
                raise PermissionDenied
            elif action == "review":
                services.review_annual_report(report, user=request.user)
                messages.success(request, "已审核。")
            elif action == "publish":
                services.publish_annual_report(report, user=request.user)
                messages.success(request, "已发布。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(f"{request.path}?year={year}")
    fmt = request.GET.get("format")
    if report is not None and fmt in ("docx", "xlsx"):
        record_access(request, "zwgk.export.website_annual_report", obj=report, data={"format": fmt})
        response = HttpResponse(
            annual.to_docx(report) if fmt == "docx" else annual.to_xlsx(report),
            content_type=DOCX if fmt == "docx" else XLSX,
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''website-annual-{year}.{fmt}"
        return response
    fields = [
        {"key": key, "label": label, "filled": filled, "value": (report.data.get(key, "") if report else "")}
        for key, label, filled in annual.FIELDS
    ]
    return TemplateResponse(
        request,
        "monitoring/admin/annual.html",
        {
            "title": f"政府网站工作年度报表：{site_label(site)}",
            "site": site,
            "year": year,
            "report": report,
            "fields": fields,
            "is_admin": is_admin,
            "due": services.annual_report_due(year),
        },
    )


def import_posts_view(request):
    """新媒体发布记录 from a platform's CSV export (columns: 平台,账号ID,发布日期,标题,链接), by the accounts'
    信息员 or the 管理员."""
    if not has_any_role(request.user, (INFORMANT, ADMINISTRATOR)):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择CSV文件。")
        elif upload.size > UPLOAD_MAX:
            messages.error(request, "文件超过5 MB，请分批导入。")
        else:
            try:
                result = services.import_posts(upload.read(), user=request.user)
                messages.success(request, f"导入 {result['created']} 条，重复跳过 {result['skipped']} 条。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
    return TemplateResponse(
        request,
        "monitoring/admin/import_posts.html",
        {"title": "导入新媒体发布记录", "result": result, "columns": list(services.CSV_COLUMNS)},
    )
