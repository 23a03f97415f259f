"""The notices of 依申请公开 other than the 答复告知书, each drafted from its organ's template.

补正告知书 (条例第三十条), 延期答复告知书 (第三十三条), 征求第三方意见函 (第三十二条), 征求意见函 to the
co-makers (第三十四条), 收费通知书 (国办函〔2020〕109号) and the 转送函 to the organ responsible for the
information (第三十六条第（五）项). Each kind fills its own placeholders (notice_placeholders.py); a
template (`NoticeTemplate`) may use only those, checked on save and again before use. The organ's own
template wins over its parent's, the default (no organ) is the last resort; the starter texts below are
seeded by migration 0007 and never overwrite an edited template.
"""

import logging

from django.utils import timezone

from zwgk.text.normalize import clean_line, clean_text

from .letters import Letter, NoCJKFont, chinese_date, letter_docx, letter_pdf
from .models import NoticeTemplate
from .notice_placeholders import placeholders_for
from .validation import template_errors
from .vocab import NoticeKind

logger = logging.getLogger(__name__)

# Who receives it: the applicant (shown on the tracking page) or another body (back office only).
TO_APPLICANT = {
    NoticeKind.SUPPLEMENT: True,
    NoticeKind.EXTENSION: True,
    NoticeKind.THIRD_PARTY: False,
    NoticeKind.CO_MAKER: False,
    NoticeKind.FEE: True,
    NoticeKind.REFERRAL: False,
}


_REMEDY = (
    "如对本告知不服，可以自收到本告知书之日起60日内依法申请行政复议，"
    "或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。\n"
)

STARTER_NOTICES = {
    NoticeKind.SUPPLEMENT: (
        "政府信息公开申请补正告知书",
        "{applicant}：\n"
        "本机关于{received_on}收到您提出的政府信息公开申请（编号{number}），您申请获取“{description}”。"
        "经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第三十条的规定，"
        "请您对以下事项作出补正：{items}。\n"
        "请您在收到本告知书之日起{period_days}个工作日内（{deadline}前）补正。答复期限自本机关收到补正的"
        "申请之日起计算；您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
        "特此告知。",
    ),
    NoticeKind.EXTENSION: (
        "政府信息公开申请延期答复告知书",
        "{applicant}：\n"
        "本机关于{received_on}收到您提出的政府信息公开申请（编号{number}），您申请获取“{description}”。"
        "因{reason}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款"
        "的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{days}个工作日，"
        "本机关将于{due}前作出答复。\n特此告知。",
    ),
    NoticeKind.THIRD_PARTY: (
        "政府信息公开征求第三方意见函",
        "{party}：\n"
        "本机关于{received_on}收到政府信息公开申请（编号{number}），申请获取“{description}”。"
        "该政府信息的公开可能损害您（单位）的合法权益，根据《中华人民共和国政府信息公开条例》第三十二条的规定，"
        "现书面征求您（单位）的意见。请自收到本函之日起{period_days}个工作日内（{answer_by}前）提出书面意见；"
        "逾期未提出意见的，本机关将依照条例的规定决定是否公开。"
        "第三方不同意公开且有合理理由的，本机关不予公开；但不公开可能对公共利益造成重大影响的，"
        "本机关可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。\n此函。",
    ),
    NoticeKind.CO_MAKER: (
        "政府信息公开征求意见函",
        "{party}：\n"
        "本机关于{received_on}收到政府信息公开申请（编号{number}），申请获取“{description}”。"
        "该政府信息由本机关与贵单位共同制作，根据《中华人民共和国政府信息公开条例》第三十四条的规定，"
        "现征求贵单位意见。请自收到本函之日起{period_days}个工作日内（{answer_by}前）提出意见；"
        "逾期未提出意见的，视为同意公开。\n此函。",
    ),
    NoticeKind.FEE: (
        "政府信息公开信息处理费收费通知书",
        "{applicant}：\n"
        "本机关于{received_on}收到您提出的政府信息公开申请（编号{number}），您申请获取“{description}”。"
        "您申请公开政府信息的数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第四十二条和"
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定收取信息处理费：\n"
        "计收方式：{method}，{quantity}；按规定计算应收{amount}元{reduction}；应缴纳{payable}元。\n"
        "请您自收到本通知书次日起{period_days}个工作日内（{pay_by}前）缴纳。"
        "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
        "收取信息处理费期间不计入答复期限。\n" + _REMEDY + "特此通知。",
    ),
    NoticeKind.REFERRAL: (
        "政府信息公开申请转送函",
        "{competent_organ}：\n"
        "本机关于{received_on}收到政府信息公开申请（编号{number}），申请获取“{description}”。"
        "经审查，该政府信息不属于本机关负责公开，根据《中华人民共和国政府信息公开条例》第三十六条第（五）项"
        "的规定，本机关已告知申请人贵单位的名称和联系方式（{competent_contact}），现将有关情况函告贵单位，"
        "请依法办理。\n此函。",
    ),
}


def install_starter_notices(model) -> int:
    """Create the default template of every notice kind that has none; returns how many were created.

    `model` is the NoticeTemplate model (in a migration: the historical one, which has no `clean`)."""
    created = 0
    for kind, (title, body) in STARTER_NOTICES.items():
        if model.objects.filter(kind=kind, organisation=None).exists():
            continue
        body = clean_text(body)
        errors = template_errors(body, placeholders_for(kind))
        if errors:  # a mistake in this file: fail the migration rather than seed a template that breaks
            raise ValueError(f"告知书模板（{kind}）有误：{'；'.join(errors)}")
        model.objects.create(kind=kind, organisation=None, title=title, body=body)
        created += 1
    return created


def template_for(kind: str, organisation):
    """The organ's own template of `kind`, else its nearest ancestor's, else the default (or None)."""
    lineage = list(organisation.ancestors())  # the organ itself included, top first
    candidates = {
        t.organisation_id: t for t in NoticeTemplate.objects.filter(kind=kind, organisation__in=lineage)
    }
    for ancestor in reversed(lineage):
        if ancestor.pk in candidates:
            return candidates[ancestor.pk]
    return NoticeTemplate.objects.filter(kind=kind, organisation=None).first()


def compose_notice(kind: str, application, values: dict, today=None) -> Letter:
    """The notice as issued: its organ's template filled with the application's facts and `values`."""
    today = today or timezone.localdate()
    template = template_for(kind, application.organisation)
    starter_title, starter_body = STARTER_NOTICES[kind]
    title, text = (template.title, template.body) if template else (starter_title, starter_body)
    allowed = placeholders_for(kind)
    if template_errors(text, allowed):
        # Saved before it was checked (or by hand in the database): draft from the starter text instead.
        logger.error("告知书模板（%s）的占位符有误，已改用默认正文", kind)
        title, text = starter_title, starter_body
    facts = {
        "applicant": clean_line(application.applicant_name) or "申请人",
        "number": application.number,
        "received_on": chinese_date(application.received_on) if application.received_on else "",
        "description": clean_text(application.description)[:200],
        "organisation": application.organisation.name,
        "date": chinese_date(today),
    }
    filled = {name: "" for name in allowed} | facts | {k: str(v) for k, v in values.items() if k in allowed}
    return Letter(
        title=title,
        number=application.number,
        body=clean_text(text.format(**filled)),
        organisation=application.organisation.name,
        date=chinese_date(today),
    )


def notice_files(letter: Letter, application, kind: str) -> tuple[tuple, tuple | None]:
    """(docx, pdf) as (filename, bytes); the PDF is None when the server has no CJK font (logged)."""
    label = NoticeKind(kind).label.split("（")[0]
    docx_file = (f"{application.number}-{label}.docx", letter_docx(letter))
    try:
        pdf = (f"{application.number}-{label}.pdf", letter_pdf(letter))
    except NoCJKFont:
        logger.error("PDF %s for %s not generated: no CJK font installed", label, application.number)
        pdf = None
    return docx_file, pdf
