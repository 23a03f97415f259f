"""Back office of 互动交流: the workbench, one message with its chain and actions, registering a report
forwarded by the national 找错 platform, bulk reply to similar messages, statistics with XLSX export."""

import datetime as dt

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zwgk.core.audit import record_access
from zwgk.core.forms import CleanTextMixin
from zwgk.core.params import choice_param, date_param, int_param, text_param
from zwgk.core.scoping import scope_for

from . import services
from .actions import ACTIONS, available_actions
from .dashboard import unanswered_since
from .forms import MULTILINE
from .models import Box, Message, ReplyTemplate
from .permissions import TABLE, can
from .replies import fill_template
from .rules import VETO_MONTHS
from .stats import GROUPS, chart_bars, statistics, xlsx
from .vocab import ERROR_TYPES, OPEN, BoxKind, Source, Status

FILTERS = {"open": "办理中", "overdue": "已超期", "veto": "超过3个月未答复", "new": "待受理", "all": "全部"}


def _require_view(user):
    if not can(user, "view"):
        raise PermissionDenied("您的角色无权查看留言。")


def workbench(request):
    """Open messages of the user's organ subtree, most urgent first, with filters and a search."""
    _require_view(request.user)
    today = timezone.localdate()
    which, error1 = choice_param(request, "filter", list(FILTERS), label="范围")
    q, error2 = text_param(request, "q", max_length=50, label="关键词")
    number, error3 = int_param(request, "page", 1, 10_000, label="页码")
    scoped = Message.objects.filter(organisation__in=scope_for(request.user))
    which = which or "open"
    chosen = {
        "open": scoped.filter(status__in=OPEN),
        "overdue": scoped.filter(status__in=OPEN, due_on__lt=today),
        "veto": unanswered_since(scoped, VETO_MONTHS, today, more_than=True),
        "new": scoped.filter(status=Status.NEW),
        "all": scoped,
    }[which]
    if q:
        chosen = chosen.filter(Q(number__icontains=q) | Q(subject__icontains=q) | Q(content__icontains=q))
    ordering = ("due_on", "pk") if which != "all" else ("-received_on", "-pk")
    page = Paginator(
        chosen.select_related("organisation", "box", "handler").order_by(*ordering), 50
    ).get_page(number or 1)
    return TemplateResponse(
        request,
        "interaction/admin/workbench.html",
        {
            "title": "留言办理",
            "page_obj": page,
            "filters": FILTERS,
            "which": which,
            "q": q,
            "today": today,
            "param_errors": [e for e in (error1, error2, error3) if e],
            "can_register": can(request.user, "register"),
        },
    )


def _message(request, pk):
    message = get_object_or_404(Message.objects.select_related("organisation", "box", "handler"), pk=pk)
    if not can(request.user, "view", message):
        raise PermissionDenied("该留言属于其他机关，您无权查看。")
    return message


def detail(request, pk):
    message = _message(request, pk)
    services.screen_pending(message)  # files a crash left unscreened (normally none)
    offered = available_actions(message, request.user)
    return TemplateResponse(
        request,
        "interaction/admin/detail.html",
        {
            "title": f"留言 {message.number}",
            "message": message,
            "events": message.events.select_related("actor", "from_organisation", "to_organisation"),
            "attachments": message.attachments.all(),
            "duplicates": message.duplicates.only("pk", "number"),
            "actions": offered,
            "today": timezone.localdate(),
            "public_refusal": services.publishable(message) if message.status == Status.ANSWERED else "",
        },
    )


def action_view(request, pk, name):
    """One action's own page: its short form, then the service; on error the clerk's text is kept."""
    message = _message(request, pk)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404("没有这个操作。")
    if not action.is_available(message, request.user):
        if not can(request.user, action.permission or action.name, message):
            raise PermissionDenied(f"您的角色无权{TABLE[action.permission or action.name][0]}。")
        flash.error(request, f"该留言当前状态为“{message.get_status_display()}”，不能{action.label}。")
        return redirect("interaction_admin_detail", message.pk)
    form = action.get_form(message, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "preview" in request.POST and getattr(action, "previews", False):
            text, errors = action.preview(message, request.POST, timezone.localdate())
            data = request.POST.copy()
            data["text"] = text
            form = action.get_form(message, data)
            for error in errors:
                flash.error(request, error)
        elif form.is_valid():
            try:
                action.execute(message, request.user, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                flash.error(request, "；".join(getattr(error, "messages", None) or [str(error)]))
            else:
                flash.success(request, action.done)
                return redirect("interaction_admin_detail", message.pk)
        else:
            flash.error(request, "请修改表单中标出的问题后再提交（已填写的内容已保留）。")
    return TemplateResponse(
        request,
        "interaction/admin/action.html",
        {
            "title": f"{action.label} — 留言 {message.number}",
            "message": message,
            "action": action,
            "form": form,
        },
    )


class RegisterForm(CleanTextMixin, forms.Form):
    multiline = MULTILINE
    """A report the national 找错 platform forwarded, or a message received by phone or letter."""

    box = forms.ModelChoiceField(
        label="信箱", queryset=Box.objects.none(), error_messages={"required": "请选择信箱。"}
    )
    source = forms.ChoiceField(
        label="来源", choices=[(Source.NATIONAL, Source.NATIONAL.label), (Source.OTHER, Source.OTHER.label)]
    )
    received_on = forms.DateField(
        label="收到日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写收到日期。", "invalid": "请按“年-月-日”填写收到日期。"},
    )
    subject = forms.CharField(label="标题", max_length=100, error_messages={"required": "请填写标题。"})
    content = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "请填写内容。"},
    )
    page_url = forms.CharField(label="出错网页地址", max_length=500, required=False)
    error_type = forms.ChoiceField(label="错误类型", choices=[("", "—")] + ERROR_TYPES, required=False)
    name = forms.CharField(label="姓名", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"}
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = Box.objects.filter(organisation__in=scope_for(user)).select_related(
            "organisation"
        )
        self.fields["box"].label_from_instance = lambda box: f"{box.organisation.name} · {box.name}"

    def clean_received_on(self):
        on = self.cleaned_data["received_on"]
        if on > timezone.localdate():
            raise forms.ValidationError("收到日期不能晚于今天。")
        if on.year < 2000:
            raise forms.ValidationError("收到日期不正确。")
        return on


def register(request):
    if not can(request.user, "register"):
        raise PermissionDenied("您的角色无权登记留言。")
    initial = {}
    kind = request.GET.get("kind")
    if kind == "error":
        first = Box.objects.filter(organisation__in=scope_for(request.user), kind=BoxKind.ERROR).first()
        initial = {"box": first.pk if first else None, "source": Source.NATIONAL}
    form = RegisterForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            message, _ = services.submit(data.pop("box"), user=request.user, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, "；".join(getattr(error, "messages", None) or [str(error)]))
        else:
            flash.success(request, f"已登记 {message.number}。")
            return redirect("interaction_admin_detail", message.pk)
    return TemplateResponse(
        request, "interaction/admin/register.html", {"title": "登记留言或找错平台转办件", "form": form}
    )


class BulkReplyForm(CleanTextMixin, forms.Form):
    multiline = MULTILINE
    template = forms.ModelChoiceField(
        label="答复模板",
        queryset=ReplyTemplate.objects.all(),
        error_messages={"required": "请选择答复模板。"},
    )
    ids = forms.ModelMultipleChoiceField(
        label="留言",
        queryset=Message.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一件留言。"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = candidates
        self.fields["ids"].label_from_instance = lambda m: f"{m.number} {m.subject}"


def bulk_reply(request):
    """批量答复: one template filled for each chosen message (same 信箱 and words), each sent to 审核."""
    if not can(request.user, "draft"):
        raise PermissionDenied("您的角色无权拟写答复。")
    q, error = text_param(request, "q", max_length=50, label="关键词")
    candidates = Message.objects.filter(
        organisation__in=scope_for(request.user), status__in=(Status.PROCESSING, Status.REVIEW)
    )
    if q:
        candidates = candidates.filter(Q(subject__icontains=q) | Q(content__icontains=q))
    candidates = candidates.select_related("organisation").order_by("due_on", "pk")[:200]
    form = BulkReplyForm(
        request.POST or None, candidates=Message.objects.filter(pk__in=[m.pk for m in candidates])
    )
    if request.method == "POST" and form.is_valid():
        done, failed = 0, []
        today = timezone.localdate()
        for message in form.cleaned_data["ids"].select_related("organisation"):
            text, errors = fill_template(form.cleaned_data["template"].body, message, today)
            try:
                if errors:
                    raise ValidationError(errors)
                services.draft(message, user=request.user, text=text)
                done += 1
            except (ValidationError, PermissionDenied) as err:
                failed.append(f"{message.number}：{'；'.join(getattr(err, 'messages', [str(err)]))}")
        if done:
            flash.success(request, f"已为 {done} 件留言拟写答复并送审核。")
        for line in failed:
            flash.error(request, line)
        return redirect("interaction_admin")
    return TemplateResponse(
        request,
        "interaction/admin/bulk_reply.html",
        {
            "title": "批量答复相似留言",
            "form": form,
            "q": q,
            "param_errors": [error] if error else [],
            "count": len(candidates),
        },
    )


def stats_view(request):
    """留言办理统计 of the user's organ subtree: by organ, box or month; chart and XLSX export."""
    _require_view(request.user)
    today = timezone.localdate()
    start, e1 = date_param(request, "start", label="开始日期")
    end, e2 = date_param(request, "end", label="结束日期")
    group, e3 = choice_param(request, "group", list(GROUPS), label="分组")
    start, end, group = start or dt.date(today.year, 1, 1), end or today, group or "organisation"
    errors = [e for e in (e1, e2, e3) if e]
    if end < start:
        errors.append("结束日期早于开始日期，已按本年度统计。")
        start, end = dt.date(today.year, 1, 1), today
    scoped = Message.objects.filter(organisation__in=scope_for(request.user))
    total, rows = statistics(scoped, start, end, group)
    if request.GET.get("format") == "xlsx":
        record_access(request, "zwgk.export.statistics", data={"what": "留言办理统计", "group": group})
        response = HttpResponse(
            xlsx(total, rows, group, start, end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="liuyan-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    return TemplateResponse(
        request,
        "interaction/admin/stats.html",
        {
            "title": "留言办理统计",
            "total": total,
            "rows": rows,
            "bars": chart_bars(rows),
            "chart_height": 20 * len(rows) + 10,
            "group_label": GROUPS[group],
            "group": group,
            "groups": GROUPS,
            "start": start,
            "end": end,
            "param_errors": errors,
            "query": request.GET.urlencode(),
        },
    )
