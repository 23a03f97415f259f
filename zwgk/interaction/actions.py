"""The back-office actions on a 留言: one class each, `is_available(message, user)` / `execute(...)`.

`is_available` combines the message's state and the user's role in its organ subtree (`permissions.can`);
`execute` calls the one service that changes the message and writes its chain and the audit log.
"""

from django import forms
from django.utils import timezone

from zwgk.core.forms import CleanTextMixin
from zwgk.core.models import Organisation
from zwgk.text.normalize import clean_text

from . import services
from .forms import MULTILINE
from .models import ReplyTemplate
from .permissions import can
from .replies import fill_template
from .vocab import OPEN, Status


def _date(label):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"请填写{label}。", "invalid": f"请按“年-月-日”填写{label}。"},
    )


def _text(label, *, required=True, rows=3, max_length=5000, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过%(limit_value)d个字。",
        },
    )


class ActionForm(CleanTextMixin, forms.Form):
    multiline = MULTILINE


class AcceptForm(ActionForm):
    on = _date("受理日期")


class RejectForm(ActionForm):
    on = _date("决定日期")
    reason = _text("不予受理的理由", help_text="留言人凭查询码可看到此理由。")


class TransferForm(ActionForm):
    on = _date("转办日期")
    to_organisation = forms.ModelChoiceField(
        label="转至机关",
        queryset=Organisation.objects.all(),
        empty_label="请选择",
        error_messages={"required": "请选择承办机关。"},
    )
    note = _text("转办说明", required=False, help_text="答复期限不因转办重新计算。")


class DraftForm(ActionForm):
    template = forms.ModelChoiceField(
        label="答复模板", queryset=ReplyTemplate.objects.all(), required=False, empty_label="不使用模板"
    )
    text = _text(
        "答复内容", required=False, rows=10, help_text="选择模板并点“按模板生成”可预填；提交后送审核。"
    )


class ApproveForm(ActionForm):
    on = _date("答复日期")
    text = _text("答复内容（可修改）", rows=10)
    publish = forms.BooleanField(label="同时公开（留言人已同意公开且信箱公开答复时）", required=False)


class ReturnForm(ActionForm):
    note = _text("退回意见")


class ExtendForm(ActionForm):
    on = _date("延期决定日期")
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=60,
        error_messages={"required": "请填写延长的工作日数。", "invalid": "请填写整数。"},
    )
    reason = _text("延期理由")


class PublishForm(ActionForm):
    pass


class UnpublishForm(ActionForm):
    note = _text("撤销公开的原因")


def int_or_zero(value) -> int:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


class Action:
    name = label = done = permission = help = ""
    states: tuple = ()
    form_class = ActionForm
    primary = False

    def state_allows(self, message) -> bool:
        return message.status in self.states

    def is_available(self, message, user) -> bool:
        return self.state_allows(message) and can(user, self.permission or self.name, message)

    def initial(self, message) -> dict:
        return {}

    def get_form(self, message, data=None):
        return self.form_class(data, initial=self.initial(message))

    def execute(self, message, user, data):
        raise NotImplementedError


class AcceptAction(Action):
    name, label, done, primary = "accept", "受理", "已受理。", True
    states = (Status.NEW,)
    form_class = AcceptForm

    def execute(self, message, user, data):
        services.accept(message, user=user, on=data["on"])


class RejectAction(Action):
    name, label, done = "reject", "不予受理", "已作出不予受理决定。"
    states = (Status.NEW,)
    form_class = RejectForm
    help = "重复留言、无实质内容、不属于本信箱受理范围等情形，写明理由。"

    def execute(self, message, user, data):
        services.reject(message, user=user, on=data["on"], reason=data["reason"])


class TransferAction(Action):
    name, label, done = "transfer", "分办/转办", "已转办。"
    states = (Status.NEW, Status.PROCESSING)
    form_class = TransferForm
    help = "分办给下级机关或转办给有权处理的机关；办理过程保留，答复期限不重新计算。"

    def get_form(self, message, data=None):
        form = super().get_form(message, data)
        form.fields["to_organisation"].queryset = Organisation.objects.exclude(pk=message.organisation_id)
        return form

    def execute(self, message, user, data):
        services.transfer(
            message, user=user, to_organisation=data["to_organisation"], on=data["on"], note=data["note"]
        )


class DraftAction(Action):
    name, label, done, primary = "draft", "拟写答复", "答复已送审核。", True
    states = (Status.PROCESSING, Status.REVIEW)
    form_class = DraftForm
    previews = True

    def initial(self, message):
        return {"text": message.reply} if message.reply else {}

    def preview(self, message, form_data, today):
        """(text, errors): the chosen template filled in; whatever the clerk already wrote is kept as it is
        (a text in the box, a missing or broken template: the text comes back with the reason)."""
        text = clean_text(form_data.get("text", ""))
        template = ReplyTemplate.objects.filter(pk=int_or_zero(form_data.get("template"))).first()
        if template is None:
            return text, ["请先选择答复模板。"]
        if text.strip():
            return text, ["答复内容中已有文字：如需按模板生成，请先清空答复内容。"]
        return fill_template(template.body, message, today)

    def execute(self, message, user, data):
        services.draft(message, user=user, text=data["text"])


class ApproveAction(Action):
    name, label, done, primary = "approve", "审核通过并答复", "已答复。", True
    permission = "review"
    states = (Status.REVIEW,)
    form_class = ApproveForm

    def initial(self, message):
        return {"text": message.reply, "publish": message.wants_public and message.box.publish_replies}

    def execute(self, message, user, data):
        services.approve(message, user=user, on=data["on"], text=data["text"], publish=data["publish"])


class ReturnAction(Action):
    name, label, done = "send_back", "退回修改", "已退回承办人修改。"
    permission = "review"
    states = (Status.REVIEW,)
    form_class = ReturnForm

    def execute(self, message, user, data):
        services.send_back(message, user=user, note=data["note"])


class ExtendAction(Action):
    name, label, done = "extend", "延期", "已延期。"
    states = OPEN
    form_class = ExtendForm
    help = "情况复杂不能按期答复的，经负责人同意延期一次，写明理由。"

    def state_allows(self, message):
        return super().state_allows(message) and not message.extension_days

    def execute(self, message, user, data):
        services.extend(message, user=user, on=data["on"], days=data["days"], reason=data["reason"])


class PublishAction(Action):
    name, label, done = "publish", "公开", "已公开（个人信息已遮盖）。"
    states = (Status.ANSWERED,)
    form_class = PublishForm

    def state_allows(self, message):
        return not message.published and not services.publishable(message)

    def execute(self, message, user, data):
        services.publish_message(message, user=user)


class UnpublishAction(Action):
    name, label, done = "unpublish", "撤销公开", "已撤销公开。"
    permission = "publish"
    states = (Status.ANSWERED,)
    form_class = UnpublishForm

    def state_allows(self, message):
        return message.published

    def execute(self, message, user, data):
        services.unpublish(message, user=user, note=data["note"])


ACTIONS = {
    a.name: a
    for a in (
        AcceptAction(),
        DraftAction(),
        ApproveAction(),
        PublishAction(),
        ReturnAction(),
        TransferAction(),
        ExtendAction(),
        RejectAction(),
        UnpublishAction(),
    )
}


def available_actions(message, user) -> list[Action]:
    return [a for a in ACTIONS.values() if a.is_available(message, user)]
