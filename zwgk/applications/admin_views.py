"""Back office of 依申请公开: the workbench, one application with its actions, registration."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zwgk.core.audit import record_access
from zwgk.core.scoping import scope_for

from . import services
from .actions import ACTIONS, available_actions
from .forms import ApplicantFieldsMixin
from .ledger_upload import may_import
from .letters import letter_text
from .models import Application, ApplicationEvent
from .permissions import TABLE, can, has_any_role
from .receiving import receiving_organisations
from .validation import check_day
from .views import letter_response
from .vocab import FINISHED, OPEN, RESULT_LABELS, ApplicantType, Channel, Status


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
    for application in applications.filter(status__in=FINISHED if show_closed else OPEN)[:1000]:
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
            "can_import": may_import(request.user),
        },
    )


def letter(request, event_id, format_):
    """A letter for a clerk whose organisation scope covers the application (files are private)."""
    event = get_object_or_404(
        ApplicationEvent.objects.select_related("application__organisation"), pk=event_id
    )
    if not can(request.user, "view", event.application):
        raise PermissionDenied
    response = letter_response(event, format_)
    record_access(
        request, "zwgk.download.letter", obj=event.application, data={"event": event.pk, "format": format_}
    )
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
        # 条例第二十七条: only organs that may receive applications (register_application refuses the rest).
        self.fields["organisation"].queryset = receiving_organisations(scope_for(user))
        self.fields["channel"].choices = [
            (c, c) for c in (Channel.IN_PERSON, Channel.LETTER, Channel.FAX, Channel.OTHER)
        ]
        self.fields["received_on"].required = True
        self.fields["received_on"].error_messages["invalid"] = "请按“年-月-日”填写收到申请之日。"
        self.fields["applicant_type"].choices = ApplicantType.choices
        # 条例第二十九条（三）: the form of the information wanted and how the applicant will get it.
        for name, label in (("form_wanted", "获取信息的形式"), ("delivery", "获取信息的方式")):
            field = self.fields[name]
            field.label, field.required = label, True
            field.choices = [("", "请选择")] + [c for c in field.choices if c[0]]
            field.error_messages["required"] = (
                f"请选择{label}（申请书中载明的要求；未载明的请与申请人确认）。"
            )

    def clean_received_on(self):
        return _check_day_field(self.cleaned_data.get("received_on"), "收到申请之日")


def register_page(request):
    """登记申请: the page (the service that registers is `services.register_application`)."""
    if not can(request.user, "register"):
        raise PermissionDenied("您的角色无权登记依申请公开申请。")
    form = RegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = services.register_application(
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


def _application(request, pk):
    application = get_object_or_404(Application.objects.select_related("organisation", "handler"), pk=pk)
    if not can(request.user, "view", application):
        raise PermissionDenied
    return application


def _page_context(application):
    return {
        "application": application,
        "clock": application.clock(),
        "consultation": application.consultation(),
    }


def detail(request, pk):
    """One application: what it is, where its clock stands, its ledger, and the actions offered now."""
    application = _application(request, pk)
    if request.method == "POST":
        # A form posting its action to the page itself is handled as the action's own page.
        name = request.POST.get("action", "")
        if name == "preview_letter":
            name = "reply" if ACTIONS["reply"].is_available(application, request.user) else "save_draft"
            return action_view(request, pk, name, preview=True)
        if name not in ACTIONS:
            messages.error(request, "未知的操作。")
            return redirect("applications_admin_detail", application.pk)
        return action_view(request, pk, name)
    offered = available_actions(application, request.user)
    return TemplateResponse(
        request,
        "applications/admin/detail.html",
        {
            "title": f"申请 {application.number}",
            **_page_context(application),
            "events": application.events.select_related("actor"),
            "primary_actions": [a for a in offered if a.primary],
            "other_actions": [a for a in offered if not a.primary],
            "drafted_by": application.drafted_by if application.draft_letter else None,
        },
    )


def _refusal(request, application, action) -> str:
    """Why `action` is not offered to this user now (role, organ or state), in Chinese; "" if it is."""
    if not can(request.user, action.permission_name(), application):
        label, allowed = TABLE[action.permission_name()]
        return f"您的角色无权{label}，须由{'、'.join(allowed)}办理。"
    if not action.state_allows(application):
        return action.state_refusal(application)
    return ""


def _preview(application, action, form, data):
    """Fill the letter text from the template for the chosen result (the clerk edits it before issuing)."""
    form.is_valid()
    result = form.cleaned_data.get("result") if hasattr(form, "cleaned_data") else None
    if result not in RESULT_LABELS:
        return form, "请先选择办理结果，再按模板生成正文。"
    _, body = letter_text(
        application,
        result=result,
        legal_basis=form.cleaned_data.get("legal_basis", ""),
        today=form.cleaned_data.get("on") or timezone.localdate(),
    )
    data = data.copy()
    data["letter_body"] = body
    form = action.get_form(application, data)
    form.is_valid()
    return form, ""


def _summary(form):
    """(label, value as shown) of a valid form, for the confirmation step."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "letter_body" and not value:
            value = "（留空：按该办理结果的答复模板生成）"
        if value in (None, ""):
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        rows.append((field.label, value, name == "letter_body"))
    return rows


def action_view(request, pk, name, preview=False):
    """One action's own page: its short form, a confirmation for the irreversible ones, then execute."""
    application = _application(request, pk)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404("没有这个操作。")
    refusal = _refusal(request, application, action)
    status, confirming, form = 200, False, None
    if refusal:
        status = 403 if not can(request.user, action.permission_name(), application) else 409
        if request.method == "POST":
            messages.error(request, refusal)
            # Keep what the clerk typed: a refused reply stays in the draft form when the user may draft.
            fallback = ACTIONS.get("save_draft")
            if name == "reply" and fallback.is_available(application, request.user):
                action, form = fallback, fallback.get_form(application, request.POST)
                form.is_valid()
    elif request.method == "POST":
        form = action.get_form(application, request.POST)
        preview = preview or "preview" in request.POST
        if preview and getattr(action, "previews", False):
            form, error = _preview(application, action, form, request.POST)
            if error:
                messages.error(request, error)
        elif not form.is_valid():
            messages.error(request, "请修改表单中标出的问题后再提交（已填写的内容已保留）。")
        elif action.confirm and request.POST.get("confirmed") != "1" or "back" in request.POST:
            confirming = "back" not in request.POST
        else:
            try:
                done = action.execute(application, request.user, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                # Keep everything the clerk typed (the edited letter above all) and say what went wrong.
                messages.error(request, "；".join(getattr(error, "messages", None) or [str(error)]))
                application = Application.objects.select_related("organisation").get(pk=application.pk)
            else:
                messages.success(request, done if isinstance(done, str) else action.done)
                return redirect("applications_admin_detail", application.pk)
    else:
        form = action.get_form(application)
    response = TemplateResponse(
        request,
        "applications/admin/action.html",
        {
            "title": f"{action.label} — 申请 {application.number}",
            **_page_context(application),
            "action": action,
            "form": form,
            "refusal": refusal,
            "confirming": confirming,
            "summary": _summary(form) if confirming else [],
        },
    )
    response.status_code = status
    return response
