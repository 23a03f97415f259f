"""Input rules of 依申请公开 shared by the citizen's form, the back office, the 台账 import and the letters:
applicant fields, the dates of the ledger, and the placeholders of 答复告知书 templates."""

import datetime as dt
import re
import string

from django.core.exceptions import ValidationError
from django.utils import timezone

from zwgk.core.codes import is_valid_credit_code
from zwgk.screening.personal import is_id_number
from zwgk.text.normalize import clean_line, fold_width

from .vocab import ApplicantType, IdType

# ---------------------------------------------------------------- applicant fields

MOBILE_OR_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")


def normalise_id_number(value: str) -> str:
    """Full-width digits and letters folded, spaces dropped, upper case (the check digit X)."""
    return re.sub(r"\s+", "", fold_width(clean_line(value))).upper()


def normalise_phone(value: str) -> str:
    """Full-width digits folded; spaces, dots and the dashes people type between groups unified."""
    text = fold_width(clean_line(value))
    text = re.sub(r"[\u2010-\u2015\u2212\uff0d]", "-", text)
    text = re.sub(r"[\s.()]", "", text)
    return text.replace("+86", "", 1) if text.startswith("+86") else text


def applicant_errors(data: dict, *, require_contact: bool) -> dict[str, str]:
    """Field → Chinese error for the applicant fields of 条例 Art. 29 (online and paper alike)."""
    errors = {}
    kind, id_type, number = data.get("applicant_type"), data.get("id_type"), data.get("id_number", "")
    if kind and kind != ApplicantType.PERSON and id_type and id_type != IdType.CREDIT_CODE:
        errors["id_type"] = "法人或其他组织请选择“统一社会信用代码”。"
    elif kind == ApplicantType.PERSON and id_type == IdType.CREDIT_CODE:
        errors["id_type"] = "自然人请选择身份证件类型。"
    if number and not id_type:
        errors["id_type"] = "填写证件号码时请选择证件类型。"
    if number and id_type == IdType.RESIDENT_ID and not is_id_number(number):
        errors["id_number"] = "居民身份证号码不正确（请核对18位号码及最后一位校验码）。"
    if number and id_type == IdType.CREDIT_CODE and not is_valid_credit_code(number):
        errors["id_number"] = "统一社会信用代码不正确（应为18位，并通过校验）。"
    phone = data.get("phone", "")
    if phone and not MOBILE_OR_PHONE.match(phone):
        errors["phone"] = "联系电话格式不正确，请填写11位手机号或带区号的固定电话。"
    if data.get("delivery") == "电子邮件" and not data.get("email"):
        errors["email"] = "选择通过电子邮件获取时，请填写电子邮箱。"
    address = data.get("address", "")
    if data.get("delivery") == "邮寄":
        if not address:
            errors["address"] = "选择邮寄时，请填写通讯地址。"
        elif len(address) < 5 or not re.search(r"[\u4e00-\u9fff]", address):
            errors["address"] = "邮寄地址不完整，请填写省市县（区）、街道和门牌号。"
    if require_contact and not (phone or address or data.get("email")):
        errors.setdefault("phone", "请至少填写一种联系方式（电话、通讯地址或电子邮箱）。")
    return errors


# ---------------------------------------------------------------- dates

# 《中华人民共和国政府信息公开条例》 came into force on 2008-05-01: no application is older.
EARLIEST = dt.date(2008, 5, 1)
# Steps of the handling whose dates follow each other; administrative notes (assignment) are dated today.
_UNORDERED = ("assigned", "transferred")


def check_day(on, label: str = "日期") -> None:
    """Not in the future, not before the 条例 came into force."""
    if not isinstance(on, dt.date):
        raise ValidationError(f"请填写{label}。")
    today = timezone.localdate()
    if on > today:
        raise ValidationError(f"{label}（{on:%Y-%m-%d}）不能晚于今天（{today:%Y-%m-%d}）。")
    if on < EARLIEST:
        raise ValidationError(
            f"{label}（{on:%Y-%m-%d}）早于《政府信息公开条例》施行之日（2008-05-01），请核对。"
        )


def check_event_day(application, on, label: str = "日期") -> None:
    """A step of `application` dated `on`: a real day, not before receipt, not before the previous step."""
    check_day(on, label)
    if application.received_on and on < application.received_on:
        raise ValidationError(
            f"{label}（{on:%Y-%m-%d}）不能早于收到申请之日（{application.received_on:%Y-%m-%d}）。"
        )
    previous = (
        application.events.exclude(kind__in=_UNORDERED).order_by("-on", "-id").first()
        if application.pk
        else None
    )
    if previous is not None and on < previous.on:
        raise ValidationError(
            f"{label}（{on:%Y-%m-%d}）不能早于上一办理环节“{previous.label}”的日期（{previous.on:%Y-%m-%d}）。"
        )


def check_received_replied(received_on, replied_on) -> None:
    """The pair of dates of a 台账 row or a registration."""
    check_day(received_on, "收到申请之日")
    if replied_on is not None:
        check_day(replied_on, "答复日期")
        if replied_on < received_on:
            raise ValidationError(
                f"答复日期（{replied_on:%Y-%m-%d}）不能早于收到申请之日（{received_on:%Y-%m-%d}）。"
            )


# ---------------------------------------------------------------- letter templates

PLACEHOLDERS = {
    "applicant": "申请人",
    "received_on": "收到申请之日",
    "description": "所需信息描述",
    "result": "答复类型",
    "reason": "理由",
    "legal_basis": "法律依据",
    "organisation": "机关名称",
    "date": "答复日期",
    "answer_form": "答复形式（条例第三十六条）",
    "competent_organ": "负责公开的机关",
    "competent_contact": "负责公开机关的联系方式",
}


def template_errors(body: str, placeholders=None) -> list[str]:
    """Chinese errors for a template text: unpaired braces and unknown or decorated placeholders.

    `placeholders`: the names this kind of template may use (the 答复告知书's by default)."""
    placeholders = PLACEHOLDERS if placeholders is None else placeholders
    errors = []
    available = " ".join("{" + name + "}" for name in placeholders)
    try:
        for _, field, spec, conversion in string.Formatter().parse(body or ""):
            if field is None:
                continue
            shown = (
                "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            )
            if field not in placeholders:
                errors.append(f"未知的占位符 {shown}，可用的占位符：{available}。")
            elif spec or conversion:
                errors.append(f"占位符 {shown} 不能带格式说明，请写作 {{{field}}}。")
    except ValueError:
        position = _unpaired_brace(body)
        errors.append(
            f"第{position}个字符处的“{body[position - 1]}”没有配对（要写花括号本身请写成“{{{{”或“}}}}”）。"
            if position
            else "模板中的花括号没有配对。"
        )
    return errors


def _unpaired_brace(body: str) -> int:
    """1-based position of the first brace that does not open or close a placeholder."""
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c in "{}" and i + 1 < n and body[i + 1] == c:
            i += 2
            continue
        if c == "}":
            return i + 1
        if c == "{":
            close = body.find("}", i + 1)
            inner_open = body.find("{", i + 1)
            if close < 0 or (0 <= inner_open < close):
                return i + 1
            i = close + 1
            continue
        i += 1
    return 0
