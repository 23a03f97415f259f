"""Back-office screens: all findings (filter, bulk actions) and one page's findings with its actions."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.models import Page

from zwgk.core import roles
from zwgk.core.models import Organisation
from zwgk.core.scoping import can_act_for, scope_for

from . import services
from .findings import KIND_LABELS
from .models import LexiconRescreen, PageFinding


def _organisation_of(page):
    return getattr(page.specific, "organisation", None)


def _scoped_findings(user):
    from zwgk.disclosure.wagtail_hooks import ITEM_MODELS

    findings = PageFinding.objects.select_related("page")
    if user.is_superuser:
        return findings
    scope = scope_for(user)
    ids = None
    for model in ITEM_MODELS:
        q = model.objects.filter(organisation__in=scope).values("pk")
        ids = q if ids is None else ids.union(q)
    return findings.filter(page_id__in=ids)


def findings_view(request):
    findings = _scoped_findings(request.user)
    status = request.GET.get("status", PageFinding.Status.OPEN)
    if status:
        findings = findings.filter(status=status)
    if kind := request.GET.get("kind"):
        findings = findings.filter(kind=kind)
    if severity := request.GET.get("severity"):
        findings = findings.filter(severity=severity)
    if org := request.GET.get("org"):
        from zwgk.disclosure.wagtail_hooks import ITEM_MODELS

        ids = None
        for model in ITEM_MODELS:
            q = model.objects.filter(organisation__slug=org).values("pk")
            ids = q if ids is None else ids.union(q)
        findings = findings.filter(page_id__in=ids)
    if request.method == "POST":
        chosen = list(findings.filter(pk__in=request.POST.getlist("finding")))
        note = request.POST.get("note", "")
        if request.POST.get("action") == "false_positive" and chosen:
            services.mark_false_positive(chosen, user=request.user, note=note)
            messages.success(request, f"已将 {len(chosen)} 条标记为误报。")
        elif request.POST.get("action") == "withdraw" and chosen:
            if not note.strip():
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
            "organisations": scope_for(request.user)
            if not request.user.is_superuser
            else Organisation.objects.all(),
            "selected": request.GET,
            "rescreens": LexiconRescreen.objects.filter(finished_at=None)[:5],
        },
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(label="同意发布的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=300)


def page_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not can_act_for(request.user, _organisation_of(page)):
        raise PermissionDenied
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        chosen = list(PageFinding.objects.filter(page=page, pk__in=request.POST.getlist("finding")))
        if action == "override" and form.is_valid():
            count = services.override(page, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, f"已同意发布（{count} 个禁止类问题），理由已记入日志。")
            return redirect("screening_page", page.pk)
        if action == "mask" and chosen:
            services.mask_in_text(page, user=request.user, findings=chosen)
            messages.success(request, "已脱敏并保存新版本；原文保留在版本历史中。")
            return redirect("screening_page", page.pk)
        if action == "rescreen":
            services.screen_page(page)
            return redirect("screening_page", page.pk)
    return TemplateResponse(
        request,
        "screening/admin/page.html",
        {
            "title": "发布审查",
            "page": page,
            "findings": PageFinding.objects.filter(page=page).order_by("status", "start"),
            "form": form,
            "can_override": roles.has_role(request.user, roles.SECRECY_REVIEW),
            "blocking": services.blocking_findings(page).exists(),
        },
    )
