"""Back-office forms of the 标准目录."""

from django import forms

from zwgk.disclosure.models import ColumnPage
from zwgk.disclosure.vocab import StatutoryCategory

from . import standards
from .models import FIELD_LABELS

CHECKLISTS = {
    "channels": standards.CHANNELS,
    "audience": standards.AUDIENCES,
    "mode": standards.MODES,
    "levels": standards.LEVELS,
}


class ColumnChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, column):
        parent = column.get_parent()
        return f"{parent.title} — {column.title}" if parent and parent.depth > 1 else column.title


def _text(name, *, rows=None, required=True, max_length=None):
    return forms.CharField(
        label=FIELD_LABELS[name],
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": f"请填写{FIELD_LABELS[name]}。",
            "max_length": "不能超过%(limit_value)d个字。",
        },
    )


class ItemFieldsForm(forms.Form):
    """The ten columns of a 标准目录 item; fields still flagged [M] say so."""

    level1 = _text("level1", max_length=100)
    level2 = _text("level2", required=False, max_length=100)
    content = _text("content", rows=3)
    basis = _text("basis", rows=2, required=False)
    time_limit = _text("time_limit", max_length=200)
    update_cycle_days = forms.IntegerField(
        label="更新周期（天）",
        required=False,
        min_value=1,
        max_value=3660,
        help_text="如年度信息填 366；留空则只按公开时限检查",
        error_messages={
            "invalid": "请填写天数（整数）。",
            "min_value": "更新周期至少1天。",
            "max_value": "更新周期不能超过3660天。",
        },
    )
    subject = _text("subject", max_length=200)

    def __init__(self, *args, manual=(), extra_channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in CHECKLISTS.items():
            values = list(vocabulary) + [
                c for c in extra_channels if name == "channels" and c not in vocabulary
            ]
            self.fields[name] = forms.MultipleChoiceField(
                label=FIELD_LABELS[name],
                choices=[(v, v) for v in values],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": f"请至少选择一项{FIELD_LABELS[name]}。"},
            )
        for name in manual:
            if name in self.fields:
                field = self.fields[name]
                field.label = f"{field.label}〔待核实〕"
                field.help_text = (
                    "标准指引原文未核实（[M]）：请核对本地区标准指引后修改，或在下方勾选为已核实。"
                )
        if manual:
            self.fields["confirm"] = forms.MultipleChoiceField(
                label="已核对无误的待核实字段",
                choices=[(n, FIELD_LABELS[n]) for n in manual if n in FIELD_LABELS],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="修改过的字段自动视为已核实",
            )


class EditItemForm(ItemFieldsForm):
    columns = ColumnChoiceField(
        label="发布栏目",
        queryset=ColumnPage.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="该事项的信息在哪些栏目发布（可多选，只列出本机关网站的栏目）",
        error_messages={
            "invalid_choice": "栏目 %(value)s 不属于本机关的网站，不能绑定。",
            "invalid_pk_value": "“%(pk)s”不是有效的栏目。",
        },
    )
    categories = forms.MultipleChoiceField(
        label="法定主动公开内容类别",
        choices=StatutoryCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="按本机关（含下级）该类别的已发布信息统计",
    )

    def __init__(self, *args, columns=None, **kwargs):
        """`columns`: the 栏目 offered and accepted (the organ's own sites, `services.organ_columns`)."""
        super().__init__(*args, **kwargs)
        if columns is not None:
            self.fields["columns"].queryset = columns


class AddItemForm(ItemFieldsForm):
    area_code = forms.ChoiceField(label="领域", choices=())
    area_name = forms.CharField(
        label="新领域名称", required=False, max_length=40, help_text="仅在选择“本机关自定义领域”时填写"
    )

    LOCAL = "90"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [*standards.area_choices(), (self.LOCAL, "本机关自定义领域")]
        self.order_fields(["area_code", "area_name"])

    def clean(self):
        data = super().clean()
        if data.get("area_code") == self.LOCAL and not (data.get("area_name") or "").strip():
            self.add_error("area_name", "请填写新领域名称。")
        return data


class AdoptForm(forms.Form):
    area_code = forms.ChoiceField(label="领域", error_messages={"required": "请选择领域。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = standards.area_choices()
