"""Back office of 意见征集: the list (organ subtree), the form, one consultation with its comments, actions
and 采纳情况. Every view checks the role and the organ through permissions.can; changes go through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zwgk.core.scoping import scope_for

from . import services
from .actions import ACTIONS, available_actions
from .dashboard import ended_without_feedback
from .forms import ConsultationForm, FeedbackForm, ModerateForm
from .models import Consultation
from .permissions import can
from .vocab import CommentStatus, Status


def _errors(error) -> str:
    return "；".join(getattr(error, "messages", None) or [str(error)])


def _consultation(request, pk) -> Consultation:
    consultation = get_object_or_404(Consultation.objects.select_related("organisation"), pk=pk)
    if not can(request.user, "view", consultation):
        raise PermissionDenied("该意见征集属于其他机关，或您的角色无权查看。")
    return consultation


def index(request):
    if not can(request.user, "view"):
        raise PermissionDenied("您的角色无权查看意见征集。")
    consultations = (
        Consultation.objects.filter(organisation__in=scope_for(request.user))
        .select_related("organisation", "feedback")
        .order_by("-starts_on", "-pk")
    )
    return TemplateResponse(
        request,
        "consultations/admin/index.html",
        {"title": "意见征集", "consultations": consultations[:500], "can_create": can(request.user, "edit")},
    )


def _save_attachment(form, consultation, user):
    upload = form.cleaned_data.get("attachment")
    if upload:
        services.add_attachment(
            consultation,
            user=user,
            title=form.cleaned_data.get("attachment_title") or upload.name,
            upload=upload,
        )


def edit(request, pk=None):
    consultation = _consultation(request, pk) if pk else None
    if not can(request.user, "edit", consultation):
        raise PermissionDenied("您的角色无权发布和修改意见征集。")
    if request.method == "POST":
        form = ConsultationForm(request.POST, request.FILES, instance=consultation, user=request.user)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
            try:
                with transaction.atomic():
                    if consultation is None:
                        consultation = services.create(
                            organisation=form.cleaned_data["organisation"], user=request.user, **fields
                        )
                    else:
                        services.update(consultation, user=request.user, **fields)
                    form.save_questions(consultation)
                    _save_attachment(form, consultation, request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, "已保存。")
                return redirect("consultations_admin_detail", consultation.pk)
        else:
            messages.error(request, "请修改表单中标出的问题后再提交（已填写的内容已保留）。")
    else:
        form = ConsultationForm(instance=consultation, user=request.user)
    return TemplateResponse(
        request,
        "consultations/admin/edit.html",
        {
            "title": "修改意见征集" if consultation else "新建意见征集",
            "form": form,
            "consultation": consultation,
        },
    )


def detail(request, pk):
    consultation = _consultation(request, pk)
    feedback = consultation.feedback_or_none
    return TemplateResponse(
        request,
        "consultations/admin/detail.html",
        {
            "title": consultation.title,
            "consultation": consultation,
            "comments": consultation.comments.all(),
            "attachments": consultation.attachments.all(),
            "feedback": feedback,
            "items": feedback.items.all() if feedback else [],
            "reviews": feedback.reviews.select_related("user") if feedback else [],
            "step": services.current_step(feedback) if feedback else "",
            "actions": available_actions(consultation, request.user),
            "can_edit": can(request.user, "edit", consultation) and consultation.status != Status.CLOSED,
            "can_moderate": can(request.user, "moderate", consultation),
            "can_write_feedback": can(request.user, "write_feedback", consultation),
        },
    )


@require_POST
def moderate(request, pk, comment_id):
    consultation = _consultation(request, pk)
    comment = get_object_or_404(consultation.comments, pk=comment_id)
    form = ModerateForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject") or not form.is_valid():
        messages.error(request, "请选择审核通过或不予采用，审核说明不超过300字。")
        return redirect("consultations_admin_detail", consultation.pk)
    try:
        services.moderate(
            comment, user=request.user, approve=decision == "approve", note=form.cleaned_data["note"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"意见 {comment.pk}：{comment.get_status_display()}。")
    return redirect("consultations_admin_detail", consultation.pk)


def feedback(request, pk):
    """Write the 采纳情况: a decision and a reason for every comment not set aside in moderation."""
    consultation = _consultation(request, pk)
    if not can(request.user, "write_feedback", consultation):
        raise PermissionDenied("您的角色无权编写采纳情况。")
    comments = consultation.comments.exclude(status=CommentStatus.REJECTED)
    existing = consultation.feedback_or_none
    initial_items = {}
    if existing is not None:
        for item in existing.items.prefetch_related("comments"):
            for comment in item.comments.all():
                initial_items[comment.pk] = (item.decision, item.reason)
    form = FeedbackForm(
        request.POST if request.method == "POST" else None,
        comments=comments,
        initial_items=initial_items,
        initial={"summary": existing.summary if existing else ""},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_feedback(
                    consultation, user=request.user, summary=form.cleaned_data["summary"], items=form.items()
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, "采纳情况已保存。核对无误后请“提交三审”。")
                return redirect("consultations_admin_detail", consultation.pk)
        else:
            messages.error(request, "请修改表单中标出的问题后再提交（已填写的内容已保留）。")
    return TemplateResponse(
        request,
        "consultations/admin/feedback.html",
        {"title": f"编写采纳情况 — {consultation.title}", "consultation": consultation, "form": form},
    )


def action_view(request, pk, name):
    consultation = _consultation(request, pk)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404("没有这个操作。")
    if not action.is_available(consultation, request.user):
        messages.error(request, f"当前不能{action.label}（状态或您的角色、机关不允许）。")
        return redirect("consultations_admin_detail", consultation.pk)
    form = action.get_form(consultation, request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                done = action.execute(consultation, request.user, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, done or action.done)
                return redirect("consultations_admin_detail", consultation.pk)
        else:
            messages.error(request, "请修改表单中标出的问题后再提交（已填写的内容已保留）。")
    return TemplateResponse(
        request,
        "consultations/admin/action.html",
        {"title": action.label, "consultation": consultation, "action": action, "form": form},
    )


def ended_without_feedback_list(request):
    """The dashboard's full list: windows ended, no published 采纳情况."""
    if not can(request.user, "view"):
        raise PermissionDenied("您的角色无权查看意见征集。")
    rows = ended_without_feedback(request.user)
    return TemplateResponse(
        request,
        "consultations/admin/index.html",
        {"title": "征集期已结束、尚未发布采纳情况", "consultations": rows[:500], "can_create": False},
    )
