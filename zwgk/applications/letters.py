"""答复告知书 as DOCX (python-docx) and PDF (reportlab, CJK font embedded), from one drafted text.

The text comes from the 管理员-editable template of the result type, or from the clerk's edit of it;
both files are generated once, at the reply, and never change afterwards.
"""

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from django.conf import settings
from django.utils import timezone

from zwgk.text.normalize import clean_line, clean_text

from .models import LetterTemplate
from .validation import template_errors
from .vocab import RESULT_LABELS, AnswerForm, result_kind

logger = logging.getLogger(__name__)

DEFAULT_BODY = (
    "{applicant}：\n"
    "本机关于{received_on}收到您提出的政府信息公开申请，申请获取“{description}”。\n"
    "经审查，现答复如下：{result}。{reason}\n"
    "依据：{legal_basis}\n"
    "如对本答复不服，可以在收到本告知书之日起60日内依法申请行政复议，或者在6个月内依法提起行政诉讼。"
)

# TrueType-outline CJK fonts that reportlab can embed (CFF/OpenType fonts such as Noto CJK cannot be).
# Debian: fonts-wqy-microhei (what `make` installs), fonts-wqy-zenhei, fonts-droid-fallback, fonts-arphic-uming.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


class NoCJKFont(RuntimeError):
    pass


@dataclass
class Letter:
    title: str
    number: str
    body: str
    organisation: str
    date: str

    def __post_init__(self):
        # Control characters (from old data or a pasted text) would make python-docx and reportlab fail.
        self.title, self.number = clean_line(self.title), clean_line(self.number)
        self.body, self.organisation = clean_text(self.body), clean_line(self.organisation)
        self.date = clean_line(self.date)

    @property
    def lines(self) -> list[str]:
        return self.body.split("\n")


def chinese_date(day) -> str:
    return f"{day:%Y年%-m月%-d日}"


def letter_text(
    application, *, result: str, legal_basis: str, today=None, answer_form: str = "", competent=("", "")
) -> tuple[str, str]:
    """(title, body) of the 答复告知书. `answer_form`: its Art. 36 form; `competent`: (name, contact) of the
    organ responsible for the information, which a 36(5) letter always states (added when the template
    does not place {competent_organ} itself)."""
    kind = result_kind(result)
    template = LetterTemplate.objects.filter(result_kind=kind).first()
    title = clean_line(template.title) if template else "政府信息公开申请答复告知书"
    text = template.body if template else DEFAULT_BODY
    if template_errors(text):
        # A template saved before templates were checked: draft from the default text rather than fail.
        logger.error("答复告知书模板（%s）的占位符有误，已改用默认正文", kind)
        text = DEFAULT_BODY
    body = text.format(
        applicant=clean_line(application.applicant_name) or "申请人",
        received_on=chinese_date(application.received_on) if application.received_on else "",
        description=clean_text(application.description)[:200],
        result=kind,
        reason=RESULT_LABELS[result].split("/", 1)[1] if "/" in RESULT_LABELS[result] else "",
        legal_basis=clean_line(legal_basis) or "《中华人民共和国政府信息公开条例》",
        organisation=application.organisation.name,
        date=chinese_date(today or timezone.localdate()),
        answer_form=AnswerForm(answer_form).label if answer_form else "",
        competent_organ=clean_line(competent[0]),
        competent_contact=clean_line(competent[1]),
    )
    if answer_form == AnswerForm.NOT_OURS and "{competent_organ}" not in text:
        lines = body.split("\n")
        lines.insert(
            max(len(lines) - 2, 1),
            f"该政府信息不属于本机关负责公开，负责公开该政府信息的行政机关为{clean_line(competent[0])}，"
            f"联系方式：{clean_line(competent[1])}（条例第三十六条第（五）项）。",
        )
        body = "\n".join(lines)
    return title, clean_text(body)


def compose(
    application,
    *,
    result: str,
    legal_basis: str,
    today=None,
    body: str | None = None,
    answer_form: str = "",
    competent=("", ""),
) -> Letter:
    """The letter as issued: `body` is the clerk's edited text when they changed the template's draft."""
    title, drafted = letter_text(
        application,
        result=result,
        legal_basis=legal_basis,
        today=today,
        answer_form=answer_form,
        competent=competent,
    )
    body = body.strip() if body and body.strip() else drafted
    if answer_form == AnswerForm.NOT_OURS and clean_line(competent[0]) not in body:
        # The clerk's edit dropped it: a 36(5) letter must still name the competent organ and its contact.
        body += f"\n负责公开该政府信息的行政机关：{clean_line(competent[0])}，联系方式：{clean_line(competent[1])}。"
    return Letter(
        title=title,
        number=application.number,
        body=body,
        organisation=application.organisation.name,
        date=chinese_date(today or timezone.localdate()),
    )


def letter_docx(letter: Letter) -> bytes:
    document = docx.Document()
    document.add_heading(letter.title, level=1)
    document.add_paragraph(letter.number)
    for line in letter.lines:
        document.add_paragraph(line)
    document.add_paragraph(letter.organisation)
    document.add_paragraph(letter.date)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def cjk_font_path() -> str | None:
    configured = getattr(settings, "ZWGK_CJK_FONT", "")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if Path(candidate).is_file():
            return candidate
    return None


_registered: dict[str, str] = {}


def _font_name() -> str:
    # heavy: reportlab (0.2 s to import) loads only when a PDF is made
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = cjk_font_path()
    if path is None:
        raise NoCJKFont("服务器未安装可嵌入的中文字体（如 fonts-wqy-microhei），无法生成PDF答复告知书。")
    if path not in _registered:
        name = f"zwgk-cjk-{len(_registered)}"
        # subfontIndex picks the first face of a .ttc collection; the subset used is embedded.
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        _registered[path] = name
    return _registered[path]


def letter_pdf(letter: Letter) -> bytes:
    """A4 in the layout of GB/T 9704 (title centred, body indented two characters, signature right)."""
    # heavy: reportlab loads only when a PDF is made
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = _font_name()
    base = ParagraphStyle("body", fontName=font, fontSize=15, leading=27, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=21, leading=34, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    indented = ParagraphStyle("indented", parent=base, firstLineIndent=30)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=letter.title,
        author=letter.organisation,
    )
    story = [Paragraph(escape(letter.title), title), Paragraph(escape(letter.number), right), Spacer(1, 12)]
    lines = letter.lines
    for i, line in enumerate(lines):
        # The salutation (first line, ending with "：") is not indented; every paragraph after it is.
        style = base if i == 0 and line.endswith(("：", ":")) else indented
        story.append(Paragraph(escape(line) or "&nbsp;", style))
    story += [
        Spacer(1, 30),
        Paragraph(escape(letter.organisation), right),
        Paragraph(escape(letter.date), right),
    ]
    document.build(story)
    return out.getvalue()
