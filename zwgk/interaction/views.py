"""Citizen pages under /hudong/: leave a message, report an error, track with the 查询码, read answered
public messages. Nothing personal without the 查询码; the public list shows only masked texts.

The 查询码 travels in a POST form only (as for 依申请公开: never in a URL); wrong codes are counted per
address (ZWGK_TRACK_MAX_FAILURES in ZWGK_TRACK_WINDOW_MINUTES); a granted look-up lives in the session.
Leaving messages is limited per address (ZWGK_INTERACTION_MAX_PER_HOUR) and asks an arithmetic question.
"""

import secrets

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from zwgk.core.cache import CachedCountPaginator
from zwgk.core.params import ID_MAX, int_param, text_param
from zwgk.core.private_pages import grant, granted, noindex
from zwgk.core.security import address_count, client_ip, count_address

from . import services
from .forms import ErrorReportForm, MessageForm, TrackForm
from .models import Box, Message
from .vocab import BoxKind, Rating, Status

SENT, TRACKED = "zwgk_message_sent", "zwgk_message_tracked"
PAGE_SIZE = 20
LIST_FIELDS = (
    "number",
    "public_subject",
    "received_on",
    "answered_on",
    "box__name",
    "organisation__name",
)
# A public page reads the masked texts computed when the message was published, never what was typed.
PAGE_FIELDS = (*LIST_FIELDS, "public_content", "public_reply")
MAX_PAGE = 500


# What is counted per address: messages sent (for an hour), wrong 查询码 (ZWGK_TRACK_WINDOW_MINUTES).
SENT_COUNT, FAILURES = "interaction:sent", "interaction:track-failures"


def _over_rate(request) -> bool:
    return address_count(request, SENT_COUNT) >= settings.ZWGK_INTERACTION_MAX_PER_HOUR


def index(request):
    boxes = (
        Box.objects.filter(active=True)
        .exclude(kind=BoxKind.ERROR)
        .select_related("organisation")
        .order_by("organisation__path", "sort_order", "pk")
    )
    latest = (
        Message.objects.filter(published=True)
        .order_by("-published_on", "-pk")
        .only("number", "public_subject", "answered_on")[:10]
    )
    return TemplateResponse(request, "interaction/index.html", {"boxes": boxes, "latest": latest})


def _receipt_for(request, message):
    grant(request, SENT, [message.number, message.query_code])
    grant(request, TRACKED, message.number)
    return redirect("interaction:receipt")


def _submit_response(request, form, template, status=200):
    return TemplateResponse(
        request,
        template,
        {"form": form, "limit": settings.ZWGK_INTERACTION_MAX_PER_HOUR},
        status=status,
    )


@never_cache
def leave_message(request):
    if request.method == "POST":
        sent = services.find_submitted(request.POST.get("token", ""))
        if sent is not None:  # a retry of a form already stored (the first response was lost): its receipt
            return _receipt_for(request, sent)
        form = MessageForm(request.POST, request.FILES)
        if _over_rate(request):
            form.is_valid()
            form.add_error(
                None,
                f"同一网络地址每小时最多提交{settings.ZWGK_INTERACTION_MAX_PER_HOUR}件留言，请稍后再试（已填写的内容已保留）。",
            )
            return _submit_response(request, form, "interaction/leave.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            message, created = services.submit(
                data["box"],
                subject=data["subject"],
                content=data["content"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                wants_public=data["wants_public"],
                ip=client_ip(request),
                idempotency_key=data["token"],
                files=data["attachments"],
            )
            if created:
                count_address(request, SENT_COUNT, 3600)
            return _receipt_for(request, message)
        return _submit_response(request, form, "interaction/leave.html", status=400)
    box, _ = int_param(request, "box", 1, ID_MAX, label="信箱")
    form = MessageForm(initial={"token": secrets.token_urlsafe(24), "box": box})
    return _submit_response(request, form, "interaction/leave.html")


@never_cache
def report_error(request):
    """网站纠错: the page's address pre-filled (?url=), the report handled on the 纠错 box's clock."""
    box = Box.objects.filter(kind=BoxKind.ERROR, active=True).order_by("organisation__path", "pk").first()
    if request.method == "POST" and box is not None:
        sent = services.find_submitted(request.POST.get("token", ""))
        if sent is not None:
            return _receipt_for(request, sent)
        form = ErrorReportForm(request.POST)
        if _over_rate(request):
            form.is_valid()
            form.add_error(None, "提交过于频繁，请稍后再试（已填写的内容已保留）。")
            return _submit_response(request, form, "interaction/report_error.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            message, created = services.submit(
                box,
                subject=f"网站纠错：{data['error_type']}",
                content=data["description"],
                email=data["email"],
                page_url=data["page_url"],
                error_type=data["error_type"],
                ip=client_ip(request),
                idempotency_key=data["token"],
            )
            if created:
                count_address(request, SENT_COUNT, 3600)
            return _receipt_for(request, message)
        return _submit_response(request, form, "interaction/report_error.html", status=400)
    url, _ = text_param(request, "url", max_length=500, label="网页地址")
    form = ErrorReportForm(initial={"token": secrets.token_urlsafe(24), "page_url": url})
    response = _submit_response(request, form, "interaction/report_error.html")
    response.context_data["unavailable"] = box is None
    return response


@noindex
def receipt(request):
    number, code = granted(request, SENT) or [None, None]
    if not number:
        return redirect("interaction:leave")
    message = get_object_or_404(Message.objects.select_related("box", "organisation"), number=number)
    return TemplateResponse(request, "interaction/receipt.html", {"message": message, "code": code})


@noindex
def track(request):
    status, error = 200, ""
    form = TrackForm()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "forget":
        request.session.pop(TRACKED, None)
        request.session.pop(SENT, None)
        return redirect("interaction:track")
    number = granted(request, TRACKED)
    message = Message.objects.filter(number=number).select_related("box", "organisation").first()
    if action == "rate" and message is not None:
        try:
            services.rate(message, rating=request.POST.get("rating", ""), note=request.POST.get("note", ""))
        except services.ValidationError as err:
            error, status = "；".join(err.messages), 400
        else:
            return redirect("interaction:track")
    elif request.method == "POST" and action != "rate":
        form = TrackForm(request.POST)
        window = 60 * settings.ZWGK_TRACK_WINDOW_MINUTES
        if address_count(request, FAILURES) >= settings.ZWGK_TRACK_MAX_FAILURES:
            error, status = f"查询码错误次数过多，请{settings.ZWGK_TRACK_WINDOW_MINUTES}分钟后再试。", 429
        elif form.is_valid():
            found = Message.objects.filter(number=form.cleaned_data["number"]).first()
            if found is not None and constant_time_compare(found.query_code, form.cleaned_data["code"]):
                grant(request, TRACKED, found.number)
                return redirect("interaction:track")
            count_address(request, FAILURES, window)
            error, status = "留言编号或查询码不正确。", 400
        else:
            error, status = "请填写留言编号和查询码。", 400
    context = {"form": form, "error": error, "message": message if status != 429 else None}
    if message is not None:
        context["events"] = message.events.select_related("to_organisation")
        context["ratings"] = Rating.choices
        context["answered"] = message.status in (Status.ANSWERED, Status.REJECTED)
    return TemplateResponse(request, "interaction/track.html", context, status=status)


def public_list(request):
    """留言选登: answered messages whose writer chose 公开, masked texts only."""
    errors = []
    box_id, error = int_param(request, "box", 1, ID_MAX, label="信箱")
    errors += [error] if error else []
    q, error = text_param(request, "q", max_length=50, label="关键词")
    errors += [error] if error else []
    number, error = int_param(request, "page", 1, MAX_PAGE, label="页码")
    errors += [error] if error else []
    messages = Message.objects.filter(published=True)
    if box_id:
        messages = messages.filter(box_id=box_id)
    if q:
        messages = messages.filter(
            Q(public_subject__icontains=q) | Q(public_content__icontains=q) | Q(public_reply__icontains=q)
        )
    # A page of ids from the partial index first, then those 20 rows with their box and organ: a join
    # before the ORDER BY would sort every published row. The count is computed once per cache generation
    # (publishing or withdrawing a message moves it on), not over every published row on every request.
    ids = CachedCountPaginator(
        messages.order_by("-published_on", "-pk").values_list("pk", flat=True), PAGE_SIZE
    )
    page = ids.get_page(number or 1)
    rows = Message.objects.filter(pk__in=list(page.object_list)).select_related("box", "organisation")
    by_pk = {m.pk: m for m in rows.only(*LIST_FIELDS)}
    items = [by_pk[pk] for pk in page.object_list]
    # The filter's options as (id, label, selected): one query of three columns, nothing to localise.
    boxes = [
        (str(pk), f"{organ} · {name}", pk == box_id)
        for pk, organ, name in Box.objects.filter(active=True, publish_replies=True)
        .order_by("organisation__path", "sort_order", "pk")
        .values_list("pk", "organisation__name", "name")
    ]
    return TemplateResponse(
        request,
        "interaction/public_list.html",
        {"page_obj": page, "items": items, "q": q, "box_id": box_id, "boxes": boxes, "param_errors": errors},
    )


def public_message(request, number):
    message = get_object_or_404(
        Message.objects.select_related("box", "organisation").only(*PAGE_FIELDS),
        number=number,
        published=True,
    )
    return TemplateResponse(request, "interaction/public_message.html", {"message": message})
