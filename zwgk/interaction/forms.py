"""The citizen's forms: 留言 and 纠错, each field with a Chinese error and the input kept on error."""

from django import forms
from django.conf import settings

from zwgk.applications.validation import normalise_phone
from zwgk.core.forms import CleanTextMixin
from zwgk.core.uploads import read_upload

from . import captcha
from .models import Box
from .vocab import ERROR_TYPES, BoxKind

# The text fields that keep their line breaks (every other text field is one line).
MULTILINE = ("content", "description", "text", "reason", "note")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class CaptchaMixin:
    """A fresh arithmetic question on every rendering; the answer checked once (zwgk.interaction.captcha)."""

    def add_captcha(self):
        question, token = captcha.new_question()
        self.captcha_question = question
        self.fields["captcha_answer"] = forms.CharField(
            label=f"验证问题：{question}",
            max_length=4,
            error_messages={"required": "请回答验证问题。"},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        # The template renders the answer field empty with this token: a re-shown form asks a new question.
        self.new_token = token

    def clean_captcha_answer(self):
        error = captcha.check(self.data.get("captcha_token", ""), self.cleaned_data.get("captcha_answer", ""))
        if error:
            raise forms.ValidationError(error)
        return ""


def _text(label, max_length, *, required=True, rows=None, message=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": message or f"请填写{label}。",
            "max_length": f"{label}不能超过%(limit_value)d个字（现有%(show_value)d个字）。",
        },
    )


class MessageForm(CaptchaMixin, CleanTextMixin, forms.Form):
    multiline = MULTILINE
    box = forms.ModelChoiceField(
        label="信箱",
        queryset=Box.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择留言的信箱。", "invalid_choice": "请选择列表中的信箱。"},
    )
    name = _text("姓名", 60, message="请填写您的姓名（公开时会遮盖）。")
    phone = _text("联系电话", 30, message="请填写联系电话，便于办理单位联系您（不会公开）。")
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"}
    )
    subject = _text("标题", 100)
    content = _text("留言内容", 3000, rows=8)
    wants_public = forms.BooleanField(
        label="同意公开（答复后连同答复在网站上公开，您的姓名、电话等个人信息会被遮盖）", required=False
    )
    attachments = MultipleFileField(label="附件", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = (
            Box.objects.filter(active=True)
            .exclude(kind=BoxKind.ERROR)
            .select_related("organisation")
            .order_by("organisation__path", "sort_order", "pk")
        )
        self.fields["box"].label_from_instance = lambda box: f"{box.organisation.name} · {box.name}"
        self.fields["attachments"].help_text = (
            f"选填，最多{settings.ZWGK_INTERACTION_MAX_FILES}个文件，每个不超过{settings.ZWGK_UPLOAD_MAX_MB} MB。"
            "附件不会公开。"
        )
        self.add_captcha()

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone", ""))
        if not phone:
            raise forms.ValidationError("请填写联系电话，便于办理单位联系您（不会公开）。")
        digits = phone.replace("-", "")
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            raise forms.ValidationError("联系电话格式不正确，请填写手机号码或带区号的固定电话。")
        return phone

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        limit = settings.ZWGK_INTERACTION_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(f"最多上传{limit}个附件（您选择了{len(files)}个）。")
        return [(upload.name, read_upload(upload)) for upload in files]


class ErrorReportForm(CaptchaMixin, CleanTextMixin, forms.Form):
    multiline = MULTILINE
    page_url = _text("出错网页地址", 500, message="请填写出错网页的地址。")
    error_type = forms.ChoiceField(
        label="错误类型",
        choices=[("", "请选择")] + ERROR_TYPES,
        error_messages={"required": "请选择错误类型。", "invalid_choice": "请选择列表中的错误类型。"},
    )
    description = _text("问题描述", 2000, rows=5)
    email = forms.EmailField(
        label="电子邮箱（选填，用于告知处理结果）",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确。"},
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_captcha()


class TrackForm(CleanTextMixin, forms.Form):
    number = _text("留言编号", 40)
    code = _text("查询码", 12)

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()
