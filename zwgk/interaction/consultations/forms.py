"""Forms of 意见征集: the clerk's consultation form (refuses a window shorter than the law allows), the
citizen's comment form with the questionnaire, the 采纳情况 form and the 三审 decision."""

from django import forms

from zwgk.core.forms import CleanTextMixin
from zwgk.core.scoping import scope_for
from zwgk.core.uploads import read_upload
from zwgk.disclosure.models import PolicyDocumentPage

from . import rules
from .models import EDITABLE_FIELDS, Consultation, Question
from .vocab import Decision, QuestionKind


def _messages(label, max_length=None):
    messages = {"required": f"请填写{label}。", "invalid": f"{label}格式不正确。"}
    if max_length:
        messages["max_length"] = f"{label}不能超过{max_length}个字。"
    return messages


class ConsultationForm(CleanTextMixin, forms.ModelForm):
    multiline = ("draft_text", "explanation")
    attachment = forms.FileField(label="上传附件", required=False, help_text="选填：征求意见稿全文等。")
    attachment_title = forms.CharField(label="附件名称", required=False, max_length=200)
    questions = forms.CharField(
        label="调查问卷",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="选填，每题一行：“单选|题目|选项一/选项二”，“多选|题目|选项一/选项二”或“文字|题目”。",
    )

    class Meta:
        model = Consultation
        fields = ["organisation", *EDITABLE_FIELDS]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "draft_text": forms.Textarea(attrs={"rows": 14}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "organisation": {"required": "请选择征集机关。", "invalid_choice": "请选择本机关或下级机关。"},
            "title": _messages("标题", 200),
            "kind": {"required": "请选择草案类别。", "invalid_choice": "请选择草案类别。"},
            "draft_text": _messages("征求意见稿正文"),
            "starts_on": {"required": "请填写征集开始日期。", "invalid": "请按“年-月-日”填写征集开始日期。"},
            "ends_on": {"required": "请填写征集截止日期。", "invalid": "请按“年-月-日”填写征集截止日期。"},
            "contact": _messages("联系方式", 300),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scope_for(user)
        if self.instance.pk and not self.is_bound:
            self.initial["questions"] = "\n".join(
                "|".join(
                    [q.get_kind_display().replace("文字回答", "文字"), q.text]
                    + (["/".join(q.options)] if q.kind != QuestionKind.TEXT else [])
                )
                for q in self.instance.questions.all()
            )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            read_upload(upload)
        return upload

    def clean_questions(self):
        parsed = []
        kinds = {"单选": QuestionKind.SINGLE, "多选": QuestionKind.MULTIPLE, "文字": QuestionKind.TEXT}
        for number, line in enumerate(self.cleaned_data.get("questions", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            kind = kinds.get(parts[0])
            if kind is None or len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(f"第{number}行格式不正确：应为“单选|题目|选项一/选项二”等。")
            options = [o.strip() for o in parts[2].split("/") if o.strip()] if len(parts) > 2 else []
            if kind != QuestionKind.TEXT and len(options) < 2:
                raise forms.ValidationError(f"第{number}行：选择题至少要有两个选项，用“/”分隔。")
            parsed.append((kind, parts[1][:300], options))
        return parsed

    def clean(self):
        data = super().clean()
        kind, starts_on, ends_on = data.get("kind"), data.get("starts_on"), data.get("ends_on")
        if kind and starts_on and ends_on and "ends_on" not in self.errors:
            error = rules.window_error(kind, starts_on, ends_on)
            if error:
                self.add_error("ends_on", error)
        if data.get("draft_text") and not rules.split_articles(data["draft_text"])[1]:
            self.add_error(
                "draft_text", "正文中没有找到“第X条”：请让每一条以“第一条”“第二条”……开头另起一行。"
            )
        return data

    def save_questions(self, consultation):
        consultation.questions.all().delete()
        for order, (kind, text, options) in enumerate(self.cleaned_data.get("questions") or [], 1):
            Question.objects.create(
                consultation=consultation, order=order, text=text, kind=kind, options_text="\n".join(options)
            )


class CommentForm(CleanTextMixin, forms.Form):
    """The citizen's comment: on the whole draft or on one article, with the questionnaire."""

    multiline = ("body",)
    article = forms.TypedChoiceField(label="针对条款", coerce=int, empty_value=None, required=False)
    body = forms.CharField(
        label="意见内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=_messages("意见内容", 5000),
    )
    name = forms.CharField(
        label="姓名（选填，不公开）", required=False, max_length=60, error_messages=_messages("姓名", 60)
    )
    contact = forms.CharField(
        label="联系电话或邮箱（选填，不公开）",
        required=False,
        max_length=100,
        error_messages=_messages("联系方式", 100),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.fields["article"].choices = [("", "全文")] + [
            (number, heading) for number, heading, _ in consultation.articles()[1]
        ]
        self.fields["article"].error_messages["invalid_choice"] = "请选择征求意见稿中的条款。"
        self.questions = list(consultation.questions.all())
        for question in self.questions:
            label, name = question.text, f"q{question.pk}"
            required = {"required": f"请回答：{question.text}", "invalid_choice": "请从给出的选项中选择。"}
            if question.kind == QuestionKind.TEXT:
                field = forms.CharField(
                    label=label,
                    required=question.required,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                field.error_messages.update(required, max_length="回答不能超过1000个字。")
            else:
                choices = [(o, o) for o in question.options]
                field_class = (
                    forms.ChoiceField if question.kind == QuestionKind.SINGLE else forms.MultipleChoiceField
                )
                widget = (
                    forms.RadioSelect
                    if question.kind == QuestionKind.SINGLE
                    else forms.CheckboxSelectMultiple
                )
                field = field_class(label=label, required=question.required, choices=choices, widget=widget)
                field.error_messages.update(required)
            self.fields[name] = field

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self) -> dict:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value:
                result[question.text] = value
        return result


class FeedbackForm(CleanTextMixin, forms.Form):
    """采纳情况: the summary, then one decision and reason per comment (rows built by the view)."""

    multiline = ("summary",)
    summary = forms.CharField(
        label="总体情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_messages("总体情况", 5000),
    )

    def __init__(self, *args, comments, initial_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.comments = list(comments)
        initial_items = initial_items or {}
        for comment in self.comments:
            decision, reason = initial_items.get(comment.pk, ("", ""))
            self.fields[f"decision_{comment.pk}"] = forms.ChoiceField(
                label=f"意见 {comment.pk} 的采纳情况",
                choices=[("", "请选择")] + list(Decision.choices),
                initial=decision,
                error_messages={"required": "请选择采纳情况。", "invalid_choice": "请选择采纳情况。"},
            )
            self.fields[f"reason_{comment.pk}"] = forms.CharField(
                label=f"意见 {comment.pk} 的理由",
                required=False,
                max_length=2000,
                initial=reason,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages=_messages("理由", 2000),
            )
            self.multiline = (*self.multiline, f"reason_{comment.pk}")

    def rows(self):
        return [(c, self[f"decision_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.comments]

    def clean(self):
        data = super().clean()
        for comment in self.comments:
            decision, reason = data.get(f"decision_{comment.pk}"), data.get(f"reason_{comment.pk}")
            if decision and decision != Decision.ADOPTED and not reason:
                self.add_error(f"reason_{comment.pk}", "部分采纳或不予采纳的意见须说明理由。")
        return data

    def items(self) -> list[dict]:
        return [
            {
                "opinion": comment.public_text,
                "decision": self.cleaned_data[f"decision_{comment.pk}"],
                "reason": self.cleaned_data.get(f"reason_{comment.pk}", ""),
                "comments": [comment],
            }
            for comment in self.comments
        ]


class ReviewForm(CleanTextMixin, forms.Form):
    multiline = ("opinion",)
    opinion = forms.CharField(
        label="审核意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="批准时选填；退回修改时必填，说明需要修改的内容。",
        error_messages=_messages("审核意见", 2000),
    )


class ModerateForm(CleanTextMixin, forms.Form):
    note = forms.CharField(
        label="审核说明", required=False, max_length=300, error_messages=_messages("审核说明", 300)
    )


class LinkDocumentForm(forms.Form):
    document = forms.ModelChoiceField(
        label="形成的规范性文件",
        queryset=PolicyDocumentPage.objects.none(),
        required=False,
        empty_label="（不关联）",
        error_messages={"invalid_choice": "请选择本机关或下级机关发布的文件。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = (
            PolicyDocumentPage.objects.live().filter(organisation__in=scope_for(user)).order_by("-pk")
        )
