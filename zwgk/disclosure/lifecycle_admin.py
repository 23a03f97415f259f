"""Back office of the 规范性文件 lifecycle (spec §7.3): the 有效期评估 form of one document, and 清理
campaigns (list, start, results, approval). Views only translate HTTP; lifecycle.py and cleanup.py act."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from zwgk.core import roles
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import can_act_for, scope_for

from . import cleanup
from .lifecycle import record_review
from .lifecycle_models import CleanupCampaign, CleanupResultKind, CleanupStatus, ReviewOutcome
from .models import PolicyDocumentPage

EDIT_ROLES = (roles.INFORMANT, roles.ADMINISTRATOR)
APPROVE_ROLES = (roles.FINAL_REVIEW, roles.ADMINISTRATOR)
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # ISO: what <input type=date> reads


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="评估结论", choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    new_expiry_date = forms.DateField(label="延续后有效期至（延续时必填）", required=False, widget=DATE_INPUT)
    reason = forms.CharField(label="评估意见", widget=forms.Textarea(attrs={"rows": 4}))
    on_date = forms.DateField(label="决定日期", initial=timezone.localdate, widget=DATE_INPUT)


def review_view(request, page_id):
    """有效期评估 of one document: 延续 (new period), 修订 or 失效, recorded and shown on its page."""
    document = get_object_or_404(PolicyDocumentPage, pk=page_id)
    if not can_act_for(request.user, document.organisation) or not has_any_role(request.user, EDIT_ROLES):
        raise PermissionDenied("您无权评估该文件。")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_review(
                document,
                form.cleaned_data["outcome"],
                user=request.user,
                on_date=form.cleaned_data["on_date"],
                reason=form.cleaned_data["reason"],
                new_expiry_date=form.cleaned_data["new_expiry_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{document.title}”的有效期评估结论已记录。")
            return redirect("disclosure_reviews")
    return TemplateResponse(
        request,
        "disclosure/admin/review.html",
        {
            "form": form,
            "document": document,
            "reviews": document.reviews.select_related("decided_by"),
            "title": "有效期评估",
        },
    )


class CleanupForm(forms.Form):
    title = forms.CharField(label="清理名称", max_length=200)
    organisation = forms.ModelChoiceField(label="组织清理的机关（含下级机关的文件）", queryset=None)
    basis = forms.CharField(label="清理依据", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="完成时限", widget=DATE_INPUT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scope_for(user)


def _campaigns(user):
    return CleanupCampaign.objects.filter(organisation__in=scope_for(user)).select_related("organisation")


def cleanup_list_view(request):
    if not has_any_role(request.user, EDIT_ROLES + APPROVE_ROLES):
        raise PermissionDenied("您的角色无需处理规范性文件清理。")
    form = CleanupForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not has_any_role(request.user, EDIT_ROLES):
            raise PermissionDenied("只有信息员或管理员可以开始清理。")
        if form.is_valid():
            try:
                campaign = cleanup.start_cleanup(
                    form.cleaned_data["organisation"],
                    title=form.cleaned_data["title"],
                    deadline=form.cleaned_data["deadline"],
                    basis=form.cleaned_data["basis"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已开始清理，共{campaign.results.count()}件文件。")
                return redirect("disclosure_cleanup", campaign.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/cleanup_list.html",
        {"title": "规范性文件清理", "campaigns": _campaigns(request.user), "form": form},
    )


def cleanup_view(request, campaign_id):
    """One 清理: each document's result and reason, then 批准 (终审 or 管理员)."""
    campaign = get_object_or_404(_campaigns(request.user), pk=campaign_id)
    if not has_any_role(request.user, EDIT_ROLES + APPROVE_ROLES):
        raise PermissionDenied("您的角色无需处理规范性文件清理。")
    rows = list(campaign.results.select_related("document", "document__organisation"))
    can_edit = campaign.status == CleanupStatus.OPEN and has_any_role(request.user, EDIT_ROLES)
    can_approve = campaign.status == CleanupStatus.OPEN and has_any_role(request.user, APPROVE_ROLES)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "save":
        if not can_edit:
            raise PermissionDenied("本次清理不能再修改。")
        values = {}
        for row in rows:
            result = request.POST.get(f"result-{row.pk}", "")
            if result and result not in CleanupResultKind.values:
                messages.error(request, "清理结果无效。")
                break
            values[row.pk] = (result, request.POST.get(f"reason-{row.pk}", "")[:500])
        else:
            cleanup.record_results(campaign, values, user=request.user)
            messages.success(request, "清理结果已保存。")
            return redirect("disclosure_cleanup", campaign.pk)
    if action == "approve":
        if not can_approve:
            raise PermissionDenied("只有终审或管理员可以批准清理结果。")
        try:
            if request.POST.get("confirmed") != "1":
                raise ValidationError("请勾选“我已核对清理结果”后再批准。")
            cleanup.approve_cleanup(campaign, user=request.user)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, "清理结果已批准，文件有效性已更新；清理结果公告草稿请提交三审后发布。")
            return redirect("disclosure_cleanup", campaign.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/cleanup.html",
        {
            "title": campaign.title,
            "campaign": campaign,
            "rows": rows,
            "kinds": CleanupResultKind.choices,
            "can_edit": can_edit,
            "can_approve": can_approve,
            "problems": cleanup.approval_problems(campaign) if campaign.status == CleanupStatus.OPEN else [],
        },
    )


@hooks.register("register_admin_urls")
def lifecycle_urls():
    return [
        path("disclosure/review/<int:page_id>/", review_view, name="disclosure_review"),
        path("disclosure/cleanups/", cleanup_list_view, name="disclosure_cleanups"),
        path("disclosure/cleanups/<int:campaign_id>/", cleanup_view, name="disclosure_cleanup"),
    ]


class CleanupMenuItem(MenuItem):
    def is_shown(self, request):
        return has_any_role(request.user, EDIT_ROLES + APPROVE_ROLES)


@hooks.register("register_admin_menu_item")
def cleanup_menu_item():
    return CleanupMenuItem("规范性文件清理", reverse("disclosure_cleanups"), icon_name="list-ul", order=212)


@hooks.register("register_log_actions")
def register_lifecycle_actions(actions):
    for name, label in cleanup.AUDIT_ACTIONS.items():
        actions.register_action(name, label, label)
