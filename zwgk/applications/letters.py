"""答复告知书 as DOCX (python-docx), from the 管理员-editable template of its result type."""

import io

import docx
from django.utils import timezone

from .vocab import RESULT_LABELS, result_kind

DEFAULT_BODY = (
    "{applicant}：\n"
    "本机关于{received_on}收到您提出的政府信息公开申请，申请获取“{description}”。\n"
    "经审查，现答复如下：{result}。{reason}\n"
    "依据：{legal_basis}\n"
    "如对本答复不服，可以在收到本告知书之日起60日内依法申请行政复议，或者在6个月内依法提起行政诉讼。"
)


def letter_text(application, *, result: str, legal_basis: str, today=None) -> tuple[str, str]:
    from .models import LetterTemplate

    kind = result_kind(result)
    template = LetterTemplate.objects.filter(result_kind=kind).first()
    title = template.title if template else "政府信息公开申请答复告知书"
    body = (template.body if template else DEFAULT_BODY).format(
        applicant=application.applicant_name or "申请人",
        received_on=f"{application.received_on:%Y年%-m月%-d日}" if application.received_on else "",
        description=application.description[:200],
        result=kind,
        reason=RESULT_LABELS[result].split("/", 1)[1] if "/" in RESULT_LABELS[result] else "",
        legal_basis=legal_basis or "《中华人民共和国政府信息公开条例》",
        organisation=application.organisation.name,
        date=f"{today or timezone.localdate():%Y年%-m月%-d日}",
    )
    return title, body


def letter_docx(application, *, result: str, legal_basis: str, today=None, body: str | None = None) -> bytes:
    """The letter as DOCX; `body` is the clerk's edited text when they changed the template's draft."""
    title, drafted = letter_text(application, result=result, legal_basis=legal_basis, today=today)
    body = body.strip() if body and body.strip() else drafted
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(f"{application.number}")
    for line in body.split("\n"):
        document.add_paragraph(line)
    document.add_paragraph(application.organisation.name)
    document.add_paragraph(f"{today or timezone.localdate():%Y年%-m月%-d日}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
