"""The back-office actions on an application: the transitions of its state machine.

One class per action, as Wagtail's action classes: `is_available(application, user)` says whether the
state of the application (what the statutory clock and the services allow now) and the user's role
(`permissions.can`, the single table of roles) offer it; `execute(application, user, data)` calls the
one service function that changes the application and writes the ledger and the audit log. Each action
has its own small form with only its fields; irreversible actions (答复, 归档, the closing decisions that
issue a reply) ask for a confirmation first.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from zwgk.core.forms import CleanTextMixin

from . import services
from .forms import MULTILINE
from .permissions import can
from .receiving import supplement_days
from .validation import check_day
from .vocab import OPEN, RESULT_CHOICES, AnswerForm, EventKind, FeeMethod, Status

DELIVERY_CHOICES = [(v, v) for v in ("邮寄", "电子邮件", "当面领取", "网上获取", "传真", "其他")]


# ---------------------------------------------------------------- forms


def _date_field(label):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        # ISO whatever the locale: <input type=date> shows only a YYYY-MM-DD value.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"请填写{label}。", "invalid": f"请按“年-月-日”填写{label}。"},
    )


class DatedForm(CleanTextMixin, forms.Form):
    """A step of the ledger: its date, today by default, not in the future nor before the 条例."""

    date_label = "日期"
    multiline = MULTILINE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"on": _date_field(self.date_label), **self.fields}

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on is not None:
            check_day(on, self.date_label)
        return on


def _text(label, *, required=False, rows=None, max_length=500, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过%(limit_value)d个字。",
        },
    )


class ConfirmForm(DatedForm):
    date_label = "确认收到之日"


class SupplementRequestForm(DatedForm):
    date_label = "补正通知日期"
    note = _text(
        "补正内容",
        required=True,
        rows=4,
        help_text="一次性告知申请人需要补正的事项（条例第三十条：收到申请之日起7个工作日内）；"
        "系统按本机关模板生成补正告知书。",
    )
    period_days = forms.IntegerField(
        label="补正期限（工作日）",
        required=False,
        min_value=1,
        max_value=60,
        error_messages={
            "required": "请填写补正期限。",
            "invalid": "请填写整数。",
            "min_value": "补正期限至少为1个工作日。",
            "max_value": "补正期限不宜超过60个工作日。",
        },
        help_text="条例第三十条规定“合理的补正期限”；留空按本机关设置的期限。",
    )


class SupplementReceivedForm(DatedForm):
    date_label = "收到补正之日"
    note = _text("补正情况", rows=3, help_text="选填。答复期限自收到补正之日起重新计算。")


class DecisionDateForm(DatedForm):
    date_label = "决定日期"


class PauseForm(DatedForm):
    date_label = "暂停计时日期"
    note = _text("暂停原因", required=True, rows=3)


class ConsultForm(DatedForm):
    date_label = "征求意见书发出日期"
    party = _text(
        "第三方名称",
        required=True,
        max_length=200,
        help_text="第三方应在15个工作日内提出意见，其间不计入答复期限（条例第三十二条）。",
    )


class ConsultJointForm(DatedForm):
    date_label = "征求意见书发出日期"
    party = _text(
        "共同制作机关名称",
        required=True,
        max_length=200,
        help_text="逾期未提出意见的视为同意公开（条例第三十四条）。",
    )


class ResumeForm(DatedForm):
    date_label = "恢复计时日期"
    note = _text("恢复原因（如第三方意见）", rows=3)


class ExtendForm(DatedForm):
    date_label = "延期决定日期"
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=20,
        initial=20,
        error_messages={
            "required": "请填写延长的工作日数。",
            "invalid": "请填写1至20之间的整数。",
            "min_value": "延长的工作日数至少为1。",
            "max_value": "延长答复期限最长不得超过20个工作日（条例第三十三条）。",
        },
    )
    approved_by = _text(
        "批准人", required=True, max_length=60, help_text="政府信息公开工作机构负责人（条例第三十三条）。"
    )
    reason = _text("延期理由", required=True, rows=3)


class LetterForm(CleanTextMixin, forms.Form):
    """The reply: its official result, legal basis and the 答复告知书 text (drafted from the template)."""

    multiline = MULTILINE

    result = forms.ChoiceField(
        label="办理结果",
        choices=[("", "请选择")] + RESULT_CHOICES,
        error_messages={"required": "请选择办理结果。", "invalid_choice": "请选择正式的办理结果类型。"},
    )
    answer_form = forms.ChoiceField(
        label="答复形式（条例第三十六条）",
        required=False,
        choices=[("", "不适用或按办理结果确定")] + AnswerForm.choices,
        error_messages={"invalid_choice": "请选择条例第三十六条规定的答复形式。"},
        help_text="第（一）（二）项计入“予以公开”；第（四）（五）项计入“无法提供/本机关不掌握”。",
    )
    competent_organ = _text(
        "负责公开的机关", max_length=100, help_text="第（五）项必填：负责公开该信息的机关名称。"
    )
    competent_contact = _text(
        "负责公开机关的联系方式", max_length=200, help_text="第（五）项必填：电话、地址等。"
    )
    legal_basis = _text("法律依据", max_length=300)
    letter_body = forms.CharField(
        label="答复告知书正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="点“按模板生成正文”从答复模板生成草稿，可修改；留空则按模板生成。",
    )


class ReplyForm(DatedForm, LetterForm):
    date_label = "答复日期"


class DraftForm(LetterForm):
    # The answer form (Art. 36) is chosen by the reviewer who issues the reply.
    answer_form = competent_organ = competent_contact = None
    result = forms.ChoiceField(
        label="拟办理结果",
        required=False,
        choices=[("", "请选择")] + RESULT_CHOICES,
        error_messages={"invalid_choice": "请选择正式的办理结果类型。"},
    )


class DeliverForm(DatedForm):
    date_label = "送达日期"
    how = forms.ChoiceField(
        label="送达方式", choices=DELIVERY_CHOICES, error_messages={"required": "请选择送达方式。"}
    )
    tracking = _text("邮件号或说明", max_length=100, help_text="选填，如挂号信、EMS单号。")


class ArchiveForm(DatedForm):
    date_label = "归档日期"


class AssignForm(CleanTextMixin, forms.Form):
    handler = forms.ModelChoiceField(
        label="承办人",
        queryset=get_user_model().objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择承办人。", "invalid_choice": "请选择本机关的承办人。"},
    )
    reason = _text("转办理由", max_length=200, help_text="已有承办人时（转办）必填。")


class FeeNoticeForm(DatedForm):
    date_label = "收费通知日期"
    method = forms.ChoiceField(
        label="收费方式",
        choices=FeeMethod.choices,
        error_messages={"required": "请选择收费方式。"},
    )
    quantity = forms.IntegerField(
        label="页数或本申请计件数",
        min_value=1,
        initial=1,
        help_text="按量计收：本申请提供的页数；按件计收：本申请按“一事一申请”计的件数（通常为1）。"
        "同一申请人当月在本级政府各机关此前的申请件数由系统累计。",
        error_messages={
            "required": "请填写件数或页数。",
            "invalid": "请填写整数。",
            "min_value": "件数或页数至少为1。",
        },
    )
    reduction = forms.DecimalField(
        label="减免金额（元）",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "请填写金额。", "min_value": "减免金额不能为负数。"},
    )
    reduction_reason = _text("减免理由", max_length=200, help_text="有减免时必填。")


class FeePaidForm(DatedForm):
    date_label = "缴费日期"
    receipt_number = _text(
        "票据号码", required=True, max_length=40, help_text="财政票据（非税收入缴款书）号码。"
    )


class InformationItemForm(CleanTextMixin, forms.Form):
    item = _text(
        "所申请信息（归并名称）",
        max_length=200,
        help_text="多个申请人申请相同的政府信息时填写同一名称；可以公开的，工作台提示纳入主动公开（条例第四十四条）。",
    )


# ---------------------------------------------------------------- state helpers


def _last(application, *kinds):
    return application.last_event(*kinds)


def _fee_pause(application) -> bool:
    """Is the open pause the wait for a fee (the 收费通知 follows its pause_started)?"""
    last = _last(application, EventKind.PAUSE_STARTED, EventKind.PAUSE_ENDED, EventKind.FEE_NOTICE)
    return application.status == Status.PAUSED and last is not None and last.kind == EventKind.FEE_NOTICE


# ---------------------------------------------------------------- actions


class Action:
    name = ""
    label = ""  # the button and the page title
    done = ""  # the success message
    permission = ""  # key of permissions.TABLE; the name by default
    states: tuple = ()
    form_class = DatedForm
    confirm = False  # irreversible: a confirmation step before execute
    confirm_text = ""
    primary = False
    help = ""  # one line under the title: what the step means in law

    def permission_name(self):
        return self.permission or self.name

    def state_allows(self, application) -> bool:
        """What the application's state (and the statutory clock) allows now, whoever asks."""
        return application.status in self.states

    def state_refusal(self, application) -> str:
        return f"该申请当前状态为“{application.get_status_display()}”，不能{self.label}。"

    def is_available(self, application, user) -> bool:
        return self.state_allows(application) and can(user, self.permission_name(), application)

    def initial(self, application) -> dict:
        return {}

    def get_form(self, application, data=None):
        return self.form_class(data, initial=self.initial(application))

    def execute(self, application, user, data):
        raise NotImplementedError


class ConfirmAction(Action):
    name, label, done = "confirm", "确认收到", "已确认收到申请，答复期限自确认之日起计算。"
    states = (Status.UNCONFIRMED,)
    form_class = ConfirmForm
    primary = True
    help = "网络申请以双方确认之日为收到申请之日（条例第三十一条）。"

    def execute(self, application, user, data):
        services.confirm(application, on=data["on"], user=user)


class RequestSupplementAction(Action):
    name, label, done = "request_supplement", "发出补正通知", "已发出补正通知，等待申请人补正期间暂停计时。"
    states = (Status.PROCESSING,)
    form_class = SupplementRequestForm
    help = "申请内容不明确的，一次性告知补正事项（条例第三十条）。"

    def state_allows(self, application):
        return (
            super().state_allows(application) and _last(application, EventKind.SUPPLEMENT_REQUESTED) is None
        )

    def state_refusal(self, application):
        if _last(application, EventKind.SUPPLEMENT_REQUESTED) is not None:
            return "补正通知只能一次性发出（条例第三十条），该申请已发出过补正通知。"
        return super().state_refusal(application)

    def initial(self, application):
        return {"period_days": supplement_days(application.organisation)}

    def execute(self, application, user, data):
        services.request_supplement(
            application, on=data["on"], user=user, note=data["note"], period_days=data["period_days"]
        )


class ReceiveSupplementAction(Action):
    name, label, done = "receive_supplement", "收到补正", "已登记收到补正，答复期限重新计算。"
    states = (Status.SUPPLEMENT,)
    form_class = SupplementReceivedForm
    primary = True

    def execute(self, application, user, data):
        services.receive_supplement(application, on=data["on"], user=user, note=data["note"])


class CloseWithoutSupplementAction(Action):
    name, label, done = (
        "close_without_supplement",
        "逾期未补正，不再处理",
        "已按“申请人无正当理由逾期不补正”作出答复。",
    )
    states = (Status.SUPPLEMENT,)
    form_class = DecisionDateForm
    confirm = True
    confirm_text = "将以“其他处理/申请人无正当理由逾期不补正”作出答复并生成答复告知书，答复后不能修改。"
    help = "申请人无正当理由逾期不补正的，视为放弃申请（条例第三十条）。补正期限届满后可用。"

    def state_allows(self, application):
        return super().state_allows(application) and services.supplement_lapsed(
            application, timezone.localdate()
        )

    def state_refusal(self, application):
        if application.status == Status.SUPPLEMENT:
            return "补正期限尚未届满，不能按逾期未补正处理。"
        return super().state_refusal(application)

    def execute(self, application, user, data):
        services.close_without_supplement(application, on=data["on"], user=user)


class PauseAction(Action):
    name, label, done = "pause", "暂停计时（其他情形）", "已暂停计时。"
    states = (Status.PROCESSING,)
    form_class = PauseForm
    help = "征求第三方或其他机关意见、等待缴费以外依法不计入答复期限的情形。"

    def execute(self, application, user, data):
        services.pause(application, on=data["on"], user=user, note=data["note"])


class ConsultAction(Action):
    name, label, done = "consult", "征求第三方意见", "已登记征求第三方意见，暂停计时。"
    states = (Status.PROCESSING,)
    form_class = ConsultForm
    help = "依申请公开的信息可能损害第三方合法权益的，书面征求第三方意见（条例第三十二条）。"

    def execute(self, application, user, data):
        services.consult(application, on=data["on"], user=user, party=data["party"])


class ConsultJointAction(ConsultAction):
    name, label, done = "consult_joint", "征求共同制作机关意见", "已登记征求共同制作机关意见，暂停计时。"
    form_class = ConsultJointForm
    help = "由两个以上行政机关共同制作的信息，征求相关机关意见（条例第三十四条）。"

    def execute(self, application, user, data):
        services.consult(application, on=data["on"], user=user, party=data["party"], joint=True)


class ResumeAction(Action):
    name, label, done = "resume", "恢复计时", "已恢复计时。"
    states = (Status.PAUSED,)
    form_class = ResumeForm
    primary = True

    def state_allows(self, application):
        return super().state_allows(application) and not _fee_pause(application)

    def state_refusal(self, application):
        if _fee_pause(application):
            return "该申请在等待缴费，请登记“已缴费”或“逾期未缴费，不再处理”。"
        return super().state_refusal(application)

    def execute(self, application, user, data):
        services.resume(application, on=data["on"], user=user, note=data["note"])


class ExtendAction(Action):
    name, label, done = "extend", "延长答复期限", "已延长答复期限。"
    states = (Status.PROCESSING, Status.PAUSED)
    form_class = ExtendForm
    help = "确需延长的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过20个工作日（条例第三十三条）。"

    def state_allows(self, application):
        return super().state_allows(application) and _last(application, EventKind.EXTENDED) is None

    def state_refusal(self, application):
        if _last(application, EventKind.EXTENDED) is not None:
            return "答复期限只能延长一次（条例第三十三条）。"
        return super().state_refusal(application)

    def execute(self, application, user, data):
        services.extend(
            application,
            on=data["on"],
            user=user,
            days=data["days"],
            approved_by=data["approved_by"],
            reason=data["reason"],
        )


class LetterActionMixin:
    """Actions with the 答复告知书 text: the saved draft fills the form; 预览 drafts it from the template."""

    previews = True

    def initial(self, application):
        if application.draft_result or application.draft_letter:
            return {
                "result": application.draft_result,
                "legal_basis": application.draft_legal_basis,
                "letter_body": application.draft_letter,
            }
        return {}

    def reply_fields(self, data) -> dict:
        return {name: data.get(name, "") for name in ("answer_form", "competent_organ", "competent_contact")}


class ReplyAction(LetterActionMixin, Action):
    name, label, done = "reply", "作出答复", "已作出答复，答复告知书已生成。"
    states = (Status.PROCESSING,)
    form_class = ReplyForm
    confirm = True
    confirm_text = "答复告知书签发后成为不可更改的办理记录，申请人可凭查询码查看和下载。"
    primary = True
    help = "审核答复告知书并签发（条例第三十六条）。"

    def execute(self, application, user, data):
        return services.reply(
            application,
            on=data["on"],
            user=user,
            result=data["result"],
            legal_basis=data["legal_basis"],
            letter_body=data["letter_body"],
            **self.reply_fields(data),
        )


class DraftAction(LetterActionMixin, Action):
    name, label, done = "save_draft", "起草答复告知书", "已保存答复草稿，待审核人签发。"
    permission = "draft_reply"
    states = (Status.PROCESSING, Status.PAUSED, Status.SUPPLEMENT)
    form_class = DraftForm
    help = "起草并保存答复告知书，由依申请公开审核人员审核签发。"

    def execute(self, application, user, data):
        services.save_draft(
            application,
            user=user,
            result=data["result"],
            legal_basis=data["legal_basis"],
            letter_body=data["letter_body"],
        )


class DeliverAction(Action):
    name, label, done = "deliver", "登记送达", "已登记送达。"
    states = (Status.REPLIED,)
    form_class = DeliverForm
    primary = True

    def state_allows(self, application):
        return super().state_allows(application) and _last(application, EventKind.DELIVERED) is None

    def state_refusal(self, application):
        if _last(application, EventKind.DELIVERED) is not None:
            return "该申请的答复已登记送达。"
        return super().state_refusal(application)

    def initial(self, application):
        return {"how": application.delivery} if application.delivery else {}

    def execute(self, application, user, data):
        services.deliver(application, on=data["on"], user=user, how=data["how"], tracking=data["tracking"])


class ArchiveAction(Action):
    name, label, done = "archive", "归档", "已归档。"
    states = (Status.REPLIED,)
    form_class = ArchiveForm
    confirm = True
    confirm_text = "归档后申请办结，不能再办理任何操作。"

    def execute(self, application, user, data):
        services.archive(application, on=data["on"], user=user)


class AssignAction(Action):
    name, label, done = "assign", "分配/转办", "已分配承办人。"
    states = OPEN
    form_class = AssignForm

    def get_form(self, application, data=None):
        form = super().get_form(application, data)
        form.fields["handler"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, staff_profile__organisation__in=application.organisation.subtree()
            )
            .order_by("username")
        )
        return form

    def initial(self, application):
        return {"handler": application.handler_id} if application.handler_id else {}

    def execute(self, application, user, data):
        services.assign(application, handler=data["handler"], user=user, reason=data["reason"])


class FeeNoticeAction(Action):
    name, label, done = "fee_notice", "发出收费通知", "已发出收费通知，等待缴费期间暂停计时。"
    states = (Status.PROCESSING,)
    form_class = FeeNoticeForm
    help = (
        "申请数量、频次明显超过合理范围的，按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收费。"
    )

    def execute(self, application, user, data):
        amount = services.send_fee_notice(
            application,
            on=data["on"],
            user=user,
            method=data["method"],
            quantity=data["quantity"],
            reduction=data.get("reduction") or 0,
            reduction_reason=data.get("reduction_reason", ""),
        )
        return f"已发出收费通知（应缴{amount:g}元），收费通知书已生成，等待缴费期间暂停计时。"


class FeePaidAction(Action):
    name, label, done = "fee_paid", "已缴费", "已登记缴费，恢复计时。"
    states = (Status.PAUSED,)
    form_class = FeePaidForm
    primary = True

    def state_allows(self, application):
        return super().state_allows(application) and _fee_pause(application)

    def execute(self, application, user, data):
        services.record_fee_payment(
            application, on=data["on"], user=user, receipt_number=data["receipt_number"]
        )


class CloseFeeUnpaidAction(Action):
    name, label, done = (
        "close_fee_unpaid",
        "逾期未缴费，不再处理",
        "已按“申请人逾期未按收费通知要求缴纳费用”作出答复。",
    )
    states = (Status.PAUSED,)
    form_class = DecisionDateForm
    confirm = True
    confirm_text = (
        "将以“其他处理/申请人逾期未按收费通知要求缴纳费用”作出答复并生成答复告知书，答复后不能修改。"
    )
    help = "申请人自收到收费通知次日起20个工作日内未缴费的，视为放弃申请。缴费期限届满后可用。"

    def state_allows(self, application):
        return (
            super().state_allows(application)
            and _fee_pause(application)
            and services.fee_lapsed(application, timezone.localdate())
        )

    def state_refusal(self, application):
        if _fee_pause(application):
            return "缴费期限尚未届满，不能按逾期未缴费处理。"
        return super().state_refusal(application)

    def execute(self, application, user, data):
        services.close_fee_unpaid(application, on=data["on"], user=user)


class InformationItemAction(Action):
    name, label, done = "information_item", "归并相同信息", "已保存所申请信息的归并名称。"
    permission = "draft_reply"
    states = (Status.REPLIED, Status.CLOSED)  # whether the information can be disclosed is known then
    form_class = InformationItemForm
    help = "多个申请人就相同政府信息提出申请、且该信息可以公开的，可以纳入主动公开范围（条例第四十四条）。"

    def initial(self, application):
        return {"item": application.information_item}

    def execute(self, application, user, data):
        services.set_information_item(application, user=user, item=data["item"])


# In the order the page offers them.
ACTIONS = {
    action.name: action
    for action in (
        ConfirmAction(),
        ReceiveSupplementAction(),
        ResumeAction(),
        FeePaidAction(),
        ReplyAction(),
        DeliverAction(),
        DraftAction(),
        RequestSupplementAction(),
        ConsultAction(),
        ConsultJointAction(),
        FeeNoticeAction(),
        PauseAction(),
        ExtendAction(),
        AssignAction(),
        CloseWithoutSupplementAction(),
        CloseFeeUnpaidAction(),
        InformationItemAction(),
        ArchiveAction(),
    )
}


def available_actions(application, user) -> list[Action]:
    """The actions this user may do on this application now, in the page's order."""
    return [action for action in ACTIONS.values() if action.is_available(application, user)]
