"""The citizen's application form (条例 Art. 29), with a clear Chinese error on every bad field."""

from django import forms

from zwgk.core.forms import CleanTextMixin
from zwgk.core.models import Organisation
from zwgk.text.normalize import clean_line, fold_width

from .receiving import receiving_organisations
from .validation import (
    applicant_errors,
    normalise_id_number,
    normalise_phone,
)
from .vocab import ApplicantType, IdType

MULTILINE = ("description", "note", "letter_body")  # the text fields that keep their line breaks


class ApplicantFieldsMixin(CleanTextMixin):
    """条例 Art. 29 applicant fields, checked the same way online and on paper; full-width digits folded."""

    multiline = MULTILINE
    require_contact = False

    def clean_id_number(self):
        return normalise_id_number(self.cleaned_data.get("id_number", ""))

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_address(self):
        return clean_line(self.cleaned_data.get("address", ""))

    def clean(self):
        data = super().clean()
        for field, message in applicant_errors(data, require_contact=self.require_contact).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class ApplicationForm(ApplicantFieldsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="申请机关",
        queryset=Organisation.objects.all(),  # narrowed in __init__ to the organs that receive (Art. 27)
        empty_label="请选择",
        error_messages={"required": "请选择向哪个机关提出申请。"},
    )
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(
        label="姓名或名称", max_length=100, error_messages={"required": "请填写申请人姓名或单位名称。"}
    )
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(
        label="证件号码", max_length=30, error_messages={"required": "请填写证件号码。"}
    )
    phone = forms.CharField(
        label="联系电话", max_length=30, error_messages={"required": "请填写联系电话，便于我们联系您。"}
    )
    address = forms.CharField(label="通讯地址", max_length=200, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"}
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或者特征描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "请描述您需要的政府信息（名称、文号或其他特征）。"},
    )
    form_wanted = forms.ChoiceField(
        label="获取信息的形式", choices=[(v, v) for v in ("纸质", "电子", "其他")]
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式", choices=[(v, v) for v in ("邮寄", "电子邮件", "当面领取", "网上获取")]
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = receiving_organisations()

    def clean_phone(self):
        phone = super().clean_phone()
        if not phone:
            raise forms.ValidationError("请填写联系电话，便于我们联系您。")
        return phone


class TrackForm(CleanTextMixin, forms.Form):
    number = forms.CharField(label="申请编号", max_length=40, error_messages={"required": "请填写申请编号。"})
    code = forms.CharField(label="查询码", max_length=12, error_messages={"required": "请填写查询码。"})

    def clean_number(self):
        return "".join(fold_width(self.cleaned_data["number"]).split())

    def clean_code(self):
        return normalise_id_number(self.cleaned_data["code"])
