"""The citizen's application form (条例 Art. 29), with a clear Chinese error on every bad field."""

import re

from django import forms

from zwgk.core.codes import is_valid_credit_code
from zwgk.core.models import Organisation
from zwgk.screening.personal import is_id_number

from .vocab import ApplicantType, IdType

MOBILE_OR_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="申请机关",
        queryset=Organisation.objects.all(),
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

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper().replace(" ", "")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip().replace(" ", "")
        if not MOBILE_OR_PHONE.match(phone):
            raise forms.ValidationError("联系电话格式不正确，请填写11位手机号或带区号的固定电话。")
        return phone

    def clean(self):
        data = super().clean()
        kind, id_type, number = data.get("applicant_type"), data.get("id_type"), data.get("id_number", "")
        if kind and kind != ApplicantType.PERSON and id_type != IdType.CREDIT_CODE:
            self.add_error("id_type", "法人或其他组织请选择“统一社会信用代码”。")
        elif kind == ApplicantType.PERSON and id_type == IdType.CREDIT_CODE:
            self.add_error("id_type", "自然人请选择身份证件类型。")
        if number and id_type == IdType.RESIDENT_ID and not is_id_number(number):
            self.add_error("id_number", "居民身份证号码不正确（请核对18位号码及最后一位校验码）。")
        if number and id_type == IdType.CREDIT_CODE and not is_valid_credit_code(number):
            self.add_error("id_number", "统一社会信用代码不正确（应为18位，并通过校验）。")
        if data.get("delivery") == "电子邮件" and not data.get("email"):
            self.add_error("email", "选择通过电子邮件获取时，请填写电子邮箱。")
        if data.get("delivery") == "邮寄" and not data.get("address"):
            self.add_error("address", "选择邮寄时，请填写通讯地址。")
        return data


class TrackForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=40)
    code = forms.CharField(label="查询码", max_length=12)
