"""Public pages of 意见征集 under /hudong/zhengji/: the list (正在征集 / 已结束 / 反馈), a consultation with
its draft split into articles, the comment form, the approved comments and the published 采纳情况.

Nothing a commenter typed about themselves (name, contact) is ever shown; comment texts are shown only
as masked by the screening engine, and only once approved by the organ that chose to publish them.
"""

import os

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zwgk.core.params import int_param, text_param
from zwgk.core.security import address_count, count_address

from . import services
from .forms import CommentForm
from .models import Attachment, Consultation
from .vocab import Decision, FeedbackStatus, Phase, Status

PUBLIC = (Status.PUBLISHED, Status.CLOSED)
TABS = (Phase.OPEN, Phase.ENDED, Phase.FEEDBACK)
PER_PAGE = 20


def _public():
    return Consultation.objects.filter(status__in=PUBLIC).select_related("organisation")


def consultation_list(request):
    today = timezone.localdate()
    errors = []
    tab, message = text_param(request, "tab", 20, "栏目")
    if message:
        errors.append(message)
    if tab and tab not in TABS:
        errors.append("栏目参数无效，已显示正在征集。")
        tab = ""
    tab = tab or Phase.OPEN
    page, message = int_param(request, "page", 1, 100_000, "页码")
    if message:
        errors.append(message)
    consultations = _public()
    if tab == Phase.OPEN:
        consultations = consultations.filter(
            status=Status.PUBLISHED, starts_on__lte=today, ends_on__gte=today
        )
    elif tab == Phase.ENDED:
        consultations = consultations.filter(status=Status.PUBLISHED, ends_on__lt=today)
    else:
        consultations = consultations.filter(status=Status.CLOSED)
    paginator = Paginator(consultations.order_by("-starts_on", "-pk"), PER_PAGE)
    page_obj = paginator.get_page(min(page or 1, paginator.num_pages))
    return TemplateResponse(
        request,
        "consultations/list.html",
        {
            "tab": tab,
            "tabs": [(t.value, t.label) for t in TABS],
            "page_obj": page_obj,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


COMMENTS = "consultation-comments"  # comments sent, counted per address for an hour


def _over_limit(request) -> bool:
    return address_count(request, COMMENTS) >= settings.ZWGK_CONSULTATION_COMMENTS_PER_HOUR


def _decision_counts(feedback) -> list[tuple[str, int]]:
    counts = dict(feedback.items.values_list("decision").annotate(n=models.Count("pk")).order_by())
    return [(label, counts.get(value, 0)) for value, label in Decision.choices]


@never_cache
def detail(request, pk):
    public_files = Prefetch(
        "attachments", queryset=Attachment.objects.filter(screened_at__isnull=False, blocked=False)
    )
    consultation = get_object_or_404(_public().prefetch_related(public_files), pk=pk)
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST, consultation=consultation)
        if not consultation.accepts_comments():
            messages.error(request, "该意见征集不在征集期内，不能提交意见。")
            status = 409
        elif _over_limit(request):
            messages.error(request, "提交意见过于频繁，请一小时后再试。")
            status = 429
        elif form.is_valid():
            try:
                services.submit_comment(
                    consultation,
                    body=form.cleaned_data["body"],
                    article=form.cleaned_data["article"],
                    answers=form.answers(),
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                )
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
                status = 400
            else:
                count_address(request, COMMENTS, 3600)
                messages.success(
                    request, "您的意见已提交，感谢参与！意见经审核后处理，您的姓名和联系方式不会公开。"
                )
                return redirect(f"{request.path}#comment-form")
        else:
            status = 400
    else:
        article, _ = int_param(request, "article", 1, 10_000, "条款")
        initial = {"article": article} if article in consultation.article_numbers() else {}
        form = CommentForm(consultation=consultation, initial=initial)
    preamble, articles = consultation.articles()
    feedback = consultation.feedback_or_none
    published = feedback is not None and feedback.status == FeedbackStatus.PUBLISHED
    comments = services.public_comments(consultation)
    return TemplateResponse(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "preamble": preamble,
            "articles": articles,
            "form": form,
            "accepts": consultation.accepts_comments(),
            "comments": comments[:200],
            "comment_count": consultation.comments.exclude(status="rejected").count(),
            "feedback": feedback if published else None,
            "items": feedback.items.all() if published else [],
            "counts": _decision_counts(feedback) if published else [],
        },
        status=status,
    )


def attachment(request, pk, attachment):
    """A draft's file, from the private storage: only of a public consultation, only once screened and
    without a 禁止 finding (a blocked or unread file is a 404, whoever asks)."""
    consultation = get_object_or_404(_public(), pk=pk)
    item = get_object_or_404(
        Attachment, pk=attachment, consultation=consultation, screened_at__isnull=False, blocked=False
    )
    try:
        handle = item.file.open("rb")
    except OSError as error:
        raise Http404("附件文件不存在。") from error
    extension = os.path.splitext(item.file.name)[1]
    return FileResponse(handle, filename=f"{item.title}{extension}")
