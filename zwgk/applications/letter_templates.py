"""Starter 答复告知书 templates, one per 答复类型 (条例 Art. 36, 37, 30, 35, 38, 39; 国办函〔2020〕109号).

Installed by the data migration 0005 on every install (a real county gets them too) and again by
`zwgk demo --reset` after its flush; an existing template of a type is never overwritten, so a county's
edits survive. Every text passes the same checks as a template saved in the back office
(`text.normalize.clean_text` and `validation.template_errors`, which `LetterTemplate.clean` runs).

Contents of every letter (条例 Art. 36 and common practice): the applicant, the date the application was
received, what was asked for, the decision with its reason and article, how to obtain the information or
whom to turn to, and the remedies (行政复议 within 60 days, 行政诉讼 within 6 months, Art. 51).
"""

from zwgk.text.normalize import clean_text

from .validation import template_errors

TITLE = "政府信息公开申请答复告知书"

_OPENING = (
    "{applicant}：\n"
    "本机关于{received_on}收到您提出的政府信息公开申请，您申请获取“{description}”。"
    "经审查，现答复如下：{result}。\n"
)
_CLOSING = (
    "依据：{legal_basis}\n"
    "如对本答复不服，可以自收到本告知书之日起60日内依法申请行政复议，"
    "或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。\n"
    "特此告知。"
)

STARTER_TEMPLATES = {
    "予以公开": _OPENING
    + "您申请获取的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项、"
    "第（二）项的规定，本机关决定予以公开：已经主动公开的，可通过本机关门户网站“政府信息公开”专栏查阅、下载；"
    "其余信息随本告知书一并提供，您也可以在收到本告知书之日起10个工作日内，于工作日到本机关政府信息公开工作机构查阅、抄录。\n"
    + _CLOSING,
    "部分公开": _OPENING
    + "您申请获取的政府信息中含有依法不应当公开的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》"
    "第三十七条的规定，本机关向您提供可以公开的部分，随本告知书一并送达；对不予公开的部分，理由及依据见下文。\n"
    + _CLOSING,
    "不予公开": _OPENING
    + "您申请获取的政府信息依法不予公开，理由：{reason}。根据《中华人民共和国政府信息公开条例》"
    "第三十六条第（三）项的规定，本机关决定不予公开，并向您说明理由如上。"
    "属于工商、不动产登记资料等有关法律、行政法规另有规定的信息的，请依照相关法律、行政法规的规定办理"
    "（条例第三十六条第（七）项）。\n" + _CLOSING,
    "无法提供": _OPENING
    + "本机关无法提供您申请获取的政府信息，理由：{reason}。根据《中华人民共和国政府信息公开条例》"
    "第三十六条第（四）项、第（五）项和第三十八条的规定，经检索，本机关未制作或者获取该政府信息的，"
    "该政府信息不存在；不属于本机关负责公开的，能够确定负责公开机关的，本机关将其名称、联系方式一并告知；"
    "需要对现有政府信息进行加工、分析才能提供的，本机关可以不予提供。\n" + _CLOSING,
    "不予处理": _OPENING
    + "本机关对您的申请不予处理，理由：{reason}。根据《中华人民共和国政府信息公开条例》第三十六条第（六）项、"
    "第三十五条和第三十九条的规定：本机关已就同一政府信息作出答复、您重复申请的，不予重复处理；"
    "申请实为信访、投诉、举报等诉求的，请通过相应渠道提出；要求提供政府公报、报刊、书籍等公开出版物的，"
    "可以通过公开发行渠道获取。\n" + _CLOSING,
    "其他处理": _OPENING
    + "本机关不再处理您的政府信息公开申请，理由：{reason}。根据《中华人民共和国政府信息公开条例》第三十条的规定，"
    "申请人无正当理由逾期不补正的，视为放弃申请；根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
    "申请人逾期未缴纳信息处理费的，视为放弃申请。您可以重新提出政府信息公开申请。\n" + _CLOSING,
}


def install_starter_templates(model) -> int:
    """Create the starter template of every 答复类型 that has none yet; returns how many were created.

    `model` is the LetterTemplate model (in a migration: the historical one, which has no `clean`)."""
    created = 0
    for kind, body in STARTER_TEMPLATES.items():
        if model.objects.filter(result_kind=kind).exists():
            continue
        body = clean_text(body)
        errors = template_errors(body)
        if (
            errors
        ):  # a mistake in this file: fail the migration rather than seed a template that breaks replies
            raise ValueError(f"答复告知书模板（{kind}）有误：{'；'.join(errors)}")
        model.objects.create(result_kind=kind, title=TITLE, body=body)
        created += 1
    return created
