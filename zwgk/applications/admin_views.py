"""Back office of 依申请公开: the workbench, one application with its actions, registration."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zwgk.core.audit import record_access
from zwgk.core.scoping import scope_for

from . import services
from .forms import ApplicantFieldsMixin, CleanTextMixin
from .models import Application, ApplicationEvent
from .permissions import TABLE, can, has_any_role
from .validation import check_day
from .vocab import RESULT_CHOICES, ApplicantType, Channel, Status

OPEN = (Status.UNCONFIRMED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAUSED)


def workbench(request):
    """Unconfirmed online applications first, then open ones by working days left (overdue first)."""
    if not has_any_role(request.user, TABLE["view"][1]):
        raise PermissionDenied("您的角色无权查看依申请公开申请。")
    today = timezone.localdate()
    applications = (
        Application.objects.filter(organisation__in=scope_for(request.user))
        .select_related("organisation", "handler")
        .prefetch_related("events")
    )
    show_closed = request.GET.get("closed") == "1"
    rows = []
    for application in applications.filter(
        status__in=[Status.REPLIED, Status.CLOSED] if show_closed else OPEN
    )[:1000]:
        state = application.clock(today)
        if application.status == Status.UNCONFIRMED:
            rank, css = (0, -10_000), "unconfirmed"
        elif state is None:
            rank, css = (2, 0), "closed"
        else:
            rank = (1, state.days_left)
            css = "overdue" if state.overdue else "due-soon" if state.days_left <= 5 else "ok"
        consultation = application.consultation(today) if state and state.paused else None
        if consultation and consultation["lapsed"]:
            css = "overdue"  # the other side's 15 working days are over: decide and resume the clock
        rows.append((rank, application, state, css, consultation))
    rows.sort(key=lambda row: row[0])
    return TemplateResponse(
        request,
        "applications/admin/workbench.html",
        {
            "title": "依申请公开工作台",
            "rows": rows,
            "show_closed": show_closed,
            "can_register": can(request.user, "register"),
        },
    )


def letter(request, event_id, format_):
    """A letter for a clerk whose organisation scope covers the application (files are private)."""
    from .views import letter_response

    event = get_object_or_404(
        ApplicationEvent.objects.select_related("application__organisation"), pk=event_id
    )
    if not can(request.user, "view", event.application):
        raise PermissionDenied
    response = letter_response(event, format_)
    record_access(request, "zwgk.download.letter", obj=event.application, data={"event": event.pk, "format": format_})
    return response


def _check_day_field(value, label):
    if value is not None:
        try:
            check_day(value, label)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
    return value


class RegisterForm(ApplicantFieldsMixin, forms.ModelForm):
    require_contact = True

    class Meta:
        model = Application
        fields = [
            "organisation",
            "channel",
            "received_on",
            "applicant_type",
            "applicant_name",
            "id_type",
            "id_number",
            "phone",
            "address",
            "email",
            "description",
            "form_wanted",
            "delivery",
        ]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "received_on": "当面：提交之日；挂号信：签收之日；平信：与申请人确认之日；传真：双方确认之日（条例第三十一条）"
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scope_for(user)
        self.fields["channel"].choices = [
            (c, c) for c in (Channel.IN_PERSON, Channel.LETTER, Channel.FAX, Channel.OTHER)
        ]
        self.fields["received_on"].required = True
        self.fields["received_on"].error_messages["invalid"] = "请按“年-月-日”填写收到申请之日。"
        self.fields["applicant_type"].choices = ApplicantType.choices

    def clean_received_on(self):
        return _check_day_field(self.cleaned_data.get("received_on"), "收到申请之日")


def register(request):
    if not can(request.user, "register"):
        raise PermissionDenied("您的角色无权登记依申请公开申请。")
    form = RegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = services.register(
                data.pop("organisation"),
                channel=data.pop("channel"),
                received_on=data.pop("received_on"),
                user=request.user,
                **data,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, "；".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, f"已登记申请 {application.number}。")
            return redirect("applications_admin_detail", application.pk)
    return TemplateResponse(request, "applications/admin/register.html", {"title": "登记申请", "form": form})


class ActionForm(CleanTextMixin, forms.Form):
    on = forms.DateField(
        label="日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写日期。", "invalid": "请按“年-月-日”填写日期。"},
    )
    note = forms.CharField(label="说明（征求意见时填被征求意见方名称）", required=False, max_length=500)
    days = forms.IntegerField(label="天数（延期）", required=False, min_value=1, max_value=20)
    approved_by = forms.CharField(label="批准人（延期）", required=False, max_length=60)
    result = forms.ChoiceField(label="办理结果（答复）", required=False, choices=[("", "—")] + RESULT_CHOICES)
    fee_method = forms.ChoiceField(
        label="收费方式", required=False, choices=[("按件", "按件计收"), ("按量", "按量计收")]
    )
    fee_quantity = forms.IntegerField(label="件数/页数（收费）", required=False, min_value=0)
    handler = forms.ModelChoiceField(label="承办人（分配/转办）", required=False, queryset=None)
    legal_basis = forms.CharField(label="法律依据（答复）", required=False, max_length=300)
    letter_body = forms.CharField(
        label="答复告知书正文（先点“预览答复告知书”生成草稿，可修改后再作出答复）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_on(self):
        return _check_day_field(self.cleaned_data.get("on"), "日期")


ACTIONS = {
    "confirm": ("确认收到", lambda a, d, u: services.confirm(a, on=d["on"], user=u)),
    "request_supplement": (
        "发出补正通知",
        lambda a, d, u: services.request_supplement(a, on=d["on"], user=u, note=d["note"]),
    ),
    "receive_supplement": (
        "收到补正",
        lambda a, d, u: services.receive_supplement(a, on=d["on"], user=u, note=d["note"]),
    ),
    "close_without_supplement": (
        "逾期未补正，不再处理",
        lambda a, d, u: services.close_without_supplement(a, on=d["on"], user=u),
    ),
    "pause": (
        "征求意见/待缴费：暂停计时",
        lambda a, d, u: services.pause(a, on=d["on"], user=u, note=d["note"]),
    ),
    "consult": (
        "征求第三方意见（暂停计时）",
        lambda a, d, u: services.consult(a, on=d["on"], user=u, party=d["note"]),
    ),
    "consult_joint": (
        "征求共同制作机关意见（暂停计时）",
        lambda a, d, u: services.consult(a, on=d["on"], user=u, party=d["note"], joint=True),
    ),
    "resume": ("恢复计时", lambda a, d, u: services.resume(a, on=d["on"], user=u, note=d["note"])),
    "extend": (
        "延长答复期限",
        lambda a, d, u: services.extend(
            a, on=d["on"], user=u, days=d["days"] or 0, approved_by=d["approved_by"]
        ),
    ),
    "reply": (
        "作出答复",
        lambda a, d, u: services.reply(
            a,
            on=d["on"],
            user=u,
            result=d["result"],
            legal_basis=d["legal_basis"],
            letter_body=d["letter_body"],
        ),
    ),
    "deliver": ("送达", lambda a, d, u: services.deliver(a, on=d["on"], user=u, how=d["note"] or "送达")),
    "archive": ("归档", lambda a, d, u: services.archive(a, on=d["on"], user=u)),
    "save_draft": (
        "保存答复草稿",
        lambda a, d, u: services.save_draft(
            a, user=u, result=d["result"], legal_basis=d["legal_basis"], letter_body=d["letter_body"]
        ),
    ),
    "assign": (
        "分配/转办",
        lambda a, d, u: services.assign(a, handler=d["handler"], user=u, reason=d["note"]),
    ),
    "fee_notice": (
        "发出收费通知",
        lambda a, d, u: services.fee_notice(
            a, on=d["on"], user=u, method=d["fee_method"] or "按件", quantity=d["fee_quantity"] or 0
        ),
    ),
    "fee_paid": ("已缴费", lambda a, d, u: services.fee_paid(a, on=d["on"], user=u)),
    "close_fee_unpaid": (
        "逾期未缴费，不再处理",
        lambda a, d, u: services.close_fee_unpaid(a, on=d["on"], user=u),
    ),
}


def permission_for(action: str) -> str:
    """The permission (`permissions.TABLE`) an action button needs."""
    return "draft_reply" if action in ("save_draft", "preview_letter") else action


def _action_form(application, data):
    """The action form, offering as handlers only staff of the application's organisation subtree."""
    from django.contrib.auth import get_user_model

    form = ActionForm(data)
    form.fields["handler"].queryset = (
        get_user_model()
        .objects.filter(staff_profile__organisation__in=application.organisation.subtree())
        .order_by("username")
    )
    return form


def _draft_data(application):
    """The form's initial values: the saved draft of the reply, if a clerk saved one."""
    initial = {"on": timezone.localdate()}
    if application.draft_result or application.draft_letter:
        initial.update(
            result=application.draft_result,
            legal_basis=application.draft_legal_basis,
            letter_body=application.draft_letter,
        )
    return initial


def detail(request, pk):
    application = get_object_or_404(Application.objects.select_related("organisation"), pk=pk)
    if not can(request.user, "view", application):
        raise PermissionDenied
    offered = [k for k in ACTIONS if can(request.user, permission_for(k), application)]
    may_draft = can(request.user, "draft_reply", application)
    if request.method == "POST":
        form = _action_form(application, request.POST)
    else:
        form = _action_form(application, None)
        form.initial = _draft_data(application)
    status = 200
    action_key = request.POST.get("action") if request.method == "POST" else None
    if action_key and action_key != "preview_letter" and action_key not in ACTIONS:
        messages.error(request, "未知的操作。")
        status = 400
    elif action_key and not can(request.user, permission_for(action_key), application):
        label, allowed = TABLE[permission_for(action_key)]
        messages.error(request, f"您的角色无权{label}，须由{'、'.join(allowed)}办理。")
        status = 403
    elif action_key == "preview_letter" and form.is_valid():
        # Draft the letter from the template for the chosen result; the clerk edits it, then replies.
        from .letters import letter_text
        from .vocab import RESULT_LABELS

        if form.cleaned_data["result"] in RESULT_LABELS:
            _, body = letter_text(
                application,
                result=form.cleaned_data["result"],
                legal_basis=form.cleaned_data["legal_basis"],
                today=form.cleaned_data["on"],
            )
            data = request.POST.copy()
            data["letter_body"] = body
            form = _action_form(application, data)
            form.is_valid()
        else:
            messages.error(request, "请先选择办理结果。")
    elif action_key and form.is_valid():
        label, run = ACTIONS[action_key]
        try:
            run(application, form.cleaned_data, request.user)
        except (ValidationError, PermissionDenied) as error:
            # Keep everything the clerk typed (the edited letter above all) and say what went wrong.
            messages.error(request, "；".join(getattr(error, "messages", None) or [str(error)]))
            application = Application.objects.select_related("organisation").get(pk=application.pk)
        else:
            messages.success(request, f"已{label}。")
            return redirect("applications_admin_detail", application.pk)
    elif action_key:
        messages.error(request, "请修改表单中标出的问题后再提交（已填写的内容已保留）。")
    response = TemplateResponse(
        request,
        "applications/admin/detail.html",
        {
            "title": f"申请 {application.number}",
            "application": application,
            "events": application.events.all(),
            "clock": application.clock(),
            "consultation": application.consultation(),
            "form": form,
            "actions": [(k, ACTIONS[k][0]) for k in offered],
            "may_draft": may_draft,
            "drafted_by": application.drafted_by if application.draft_letter else None,
        },
    )
    response.status_code = status
    return response
