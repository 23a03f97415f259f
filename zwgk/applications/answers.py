"""条例第三十六条: the seven legal forms of a reply, and the 年报 表三 row each counts under (spec §2.6)."""

from django.core.exceptions import ValidationError

from .vocab import ANSWER_FORM_ROWS, RESULT_LABELS, AnswerForm


def rows_for(answer_form: str) -> tuple[str, ...]:
    """The 表三 result codes a reply of this form may be counted under (36(1)/(2) → （一）予以公开,
    36(3) → （三）1–7 by reason, 36(4)/(5) → （四）1, 36(6) → （五）2, 36(7) → （三）8; spec §2.6)."""
    return ANSWER_FORM_ROWS[AnswerForm(answer_form)]


def default_form(result: str) -> str:
    """The Art. 36 form a result code implies when only one does (e.g. （五）2 → 36(6)); "" otherwise."""
    forms = [form for form, rows in ANSWER_FORM_ROWS.items() if result in rows]
    return forms[0].value if len(forms) == 1 else ""


def check_answer(
    answer_form: str, result: str, competent_organ: str = "", competent_contact: str = ""
) -> None:
    """The reply's legal form (条例第三十六条) must fit its 表三 row, and a 36(5) reply names the organ that
    is responsible and how to reach it (第三十六条第（五）项: “告知申请人该行政机关的名称、联系方式”).

    Results no Art. 36 form covers (Art. 30 补正, Art. 35, 37, 38, 39, 109号 fees) take no form."""
    if not answer_form:
        return
    if answer_form not in AnswerForm.values:
        raise ValidationError("请选择条例第三十六条规定的答复形式。")
    if result not in rows_for(answer_form):
        allowed = "、".join(RESULT_LABELS[code] for code in rows_for(answer_form))
        raise ValidationError(
            f"答复形式“{AnswerForm(answer_form).label}”在年报中计入：{allowed}，与所选办理结果不符（条例第三十六条）。"
        )
    if answer_form == AnswerForm.NOT_OURS and not (competent_organ.strip() and competent_contact.strip()):
        raise ValidationError(
            "不属于本机关负责公开的，应告知申请人负责公开机关的名称和联系方式（条例第三十六条第（五）项）。"
        )
