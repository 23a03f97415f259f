"""Back-office screens: all findings (filter, bulk actions) and one page's findings with its actions."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.models import Page

from zwgk.core.scoping import can_act_for, scope_for

from . import services
from .findings import BLOCK, KIND_LABELS, WARN
from .models import LexiconRescreen, PageFinding
from .scope import findings_in_scope, pages_of


def _organisation_of(page):
    return getattr(page.specific, "organisation", None)


def _choice(request, name, allowed, label, default=""):
    """A validated query parameter: an allowed value, "" for all, or (unknown) the default with a message."""
    value = request.GET.get(name, default)
    if value == "" or value in allowed:
        return value
    if request.method == "GET":
        messages.warning(request, f"筛选条件“{label}”的值无效，已忽略。")
    return default


def _finding_ids(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("finding") if v.isdigit() and len(v) < 19]


def findings_view(request):
    findings = findings_in_scope(request.user)
    organisations = scope_for(request.user).order_by("path")
    status = _choice(request, "status", PageFinding.Status.values, "状态", PageFinding.Status.OPEN)
    kind = _choice(request, "kind", KIND_LABELS, "类型")
    severity = _choice(request, "severity", (BLOCK, WARN), "级别")
    org_slug = _choice(request, "org", set(organisations.values_list("slug", flat=True)), "机关")
    if status:
        findings = findings.filter(status=status)
    if kind:
        findings = findings.filter(kind=kind)
    if severity:
        findings = findings.filter(severity=severity)
    if org_slug:
        findings = findings.filter(pages_of(organisations.get(slug=org_slug).subtree()))
    if request.method == "POST":
        chosen = list(findings.filter(pk__in=_finding_ids(request)))
        note = request.POST.get("note", "").strip()
        action = request.POST.get("action")
        if not chosen:
            messages.error(request, "请先勾选审查发现。")
        elif action == "false_positive":
            try:
                count = services.mark_false_positive(chosen, user=request.user, note=note)
            except PermissionDenied as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, f"已将 {count} 条标记为误报，理由已记入日志。")
        elif action == "withdraw":
            if not note:
                messages.error(request, "撤下信息须填写公开的撤下原因。")
            else:
                for page in {f.page for f in chosen}:
                    services.withdraw(page, user=request.user, reason=note)
                messages.success(request, "已撤下所选信息。")
        return redirect(request.get_full_path())
    page = Paginator(findings.order_by("-found_at", "page_id", "start"), 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "screening/admin/findings.html",
        {
            "title": "审查发现",
            "findings": page,
            "kinds": KIND_LABELS.items(),
            "statuses": PageFinding.Status.choices,
            "severities": (BLOCK, WARN),
            "organisations": organisations,
            "selected": {"status": status, "kind": kind, "severity": severity, "org": org_slug},
            "query": _query(status=status, kind=kind, severity=severity, org=org_slug),
            "can_decide_blocking": services.may_decide_blocking(request.user),
            "rescreens": LexiconRescreen.objects.filter(finished_at=None)[:5],
        },
    )


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v or k == "status"})


class OverrideForm(forms.Form):
    reason = forms.CharField(label="同意发布的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=300)


def _mask_message(result) -> str:
    if not result.masked:
        return "所选问题未能脱敏（未在当前内容中找到，或为 PDF 等不能直接修改的附件）。"
    parts = [f"已对 {len(result.masked)} 个问题脱敏"]
    if result.published_revision:
        parts.append("在线版本已脱敏并重新发布（仅脱敏，未发布任何未经三审的修改）")
    if result.draft_revision:
        parts.append("草稿已脱敏并保存为新版本，仍须提交三审后才能发布")
    if result.workflow_cancelled:
        parts.append("进行中的三审已因重新发布而取消，请重新提交")
    if result.review_step:
        parts.append(
            f"进行中的三审继续，脱敏后的版本仍在“{result.review_step}”步骤审核，已完成的审核仍然有效"
        )
    elif result.review_step == "":
        parts.append("三审已退回修改，脱敏后的版本待提交人修改后重新提交")
    return "；".join(parts) + "。原文保留在版本历史中。"


def page_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not can_act_for(request.user, _organisation_of(page)):
        raise PermissionDenied
    can_decide = services.may_decide_blocking(request.user)
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        chosen = list(PageFinding.objects.filter(page=page, pk__in=_finding_ids(request)))
        try:
            if action == "override" and can_decide and form.is_valid():
                count = services.override(page, user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"已同意发布（{count} 个禁止类问题），理由已记入日志。")
                return redirect("screening_page", page.pk)
            if action == "override" and not can_decide:
                raise PermissionDenied("只有保密审查员或管理员可以同意带有禁止类问题的内容发布。")
            if action in ("mask", "false_positive") and not chosen:
                messages.error(request, "请先勾选审查发现。")
                return redirect("screening_page", page.pk)
            if action == "mask":
                result = services.mask_in_text(page, user=request.user, findings=chosen)
                (messages.success if result.masked else messages.warning)(request, _mask_message(result))
                return redirect("screening_page", page.pk)
            if action == "false_positive":
                count = services.mark_false_positive(
                    chosen, user=request.user, note=request.POST.get("note", "")
                )
                messages.success(request, f"已将 {count} 条标记为误报，理由已记入日志。")
                return redirect("screening_page", page.pk)
            if action == "rescreen":
                services.screen_page(services.latest_version(page))
                return redirect("screening_page", page.pk)
        except PermissionDenied as refused:
            messages.error(request, str(refused) or "没有权限执行此操作。")
            return redirect("screening_page", page.pk)
    return TemplateResponse(
        request,
        "screening/admin/page.html",
        {
            "title": "发布审查",
            "page": page,
            "findings": PageFinding.objects.filter(page=page).order_by("status", "start"),
            "form": form,
            "can_override": can_decide,
            "can_decide_blocking": can_decide,
            "has_draft": page.has_unpublished_changes,
            "blocking": services.blocking_findings(page).exists(),
        },
    )
