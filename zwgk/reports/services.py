"""What happens to an annual report: its texts are started, its draft item is created (each with its audit entry)."""

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents.models import Document

from zwgk.core.audit import record
from zwgk.core.models import Organisation
from zwgk.disclosure.models import ArticlePage, ColumnPage

from .annual import T3, build_annual_report
from .models import AnnualReportInput
from .render import to_docx, to_html, to_xlsx

AUDIT_ACTIONS = {
    "zwgk.annual_report.start": "开始填写年度报告",
    "zwgk.annual_report.draft": "生成年度报告草稿",
}


def report_title(org: Organisation, year: int) -> str:
    return f"{org.name}{year}年政府信息公开工作年度报告"


def starting_texts(org: Organisation, year: int) -> dict:
    """Sections 一, 五 and 六 start from this year's figures and the 30号 outline, never from last year's
    prose (国办公开办函〔2021〕30号 warns against 内容雷同): last year's text is shown beside, not copied."""
    report = build_annual_report(org, year)
    t3 = report[T3]
    first = report["二、主动公开政府信息情况"]["第二十条第（一）项"]
    normative = first["行政规范性文件"]
    closed = t3["三、本年度办理结果"]["（七）总计"]["总计"]
    overview = "\n".join(
        [
            f"（一）主动公开。本年制发行政规范性文件{normative['本年制发件数']}件，废止{normative['本年废止件数']}件，"
            f"现行有效{normative['现行有效件数']}件。",
            f"（二）依申请公开。本年新收政府信息公开申请{t3['一、本年新收政府信息公开申请数量']['总计']}件，"
            f"上年结转{t3['二、上年结转政府信息公开申请数量']['总计']}件，办结{closed}件，"
            f"结转下年度继续办理{t3['四、结转下年度继续办理']['总计']}件。",
            "（三）政府信息管理。",
            "（四）政府信息公开平台建设。",
            "（五）监督保障。",
        ]
    )
    problems = "\n".join(["（一）上年度问题改进情况。", "（二）存在的主要问题。", "（三）改进措施。"])
    return {"overview": overview, "problems": problems, "other_matters": ""}


@transaction.atomic
def start_texts(org: Organisation, year: int, *, user) -> AnnualReportInput:
    """This year's 填报 record: returned as it is when it exists, else created from `starting_texts`."""
    existing = AnnualReportInput.objects.filter(organisation=org, year=year).first()
    if existing:
        return existing
    entry = AnnualReportInput.objects.create(organisation=org, year=year, **starting_texts(org, year))
    record(entry, "zwgk.annual_report.start", user=user, data={"year": year})
    return entry


@transaction.atomic
def create_draft_item(org: Organisation, year: int, *, user, rollup: bool = False) -> ArticlePage:
    """The report as an item under 政府信息公开年报 (spec §2.1: published in that sub-column), a draft that
    goes through 三审 like any item, with the DOCX and XLSX attached."""
    report = build_annual_report(org, year, include_subtree=rollup)
    title = report_title(org, year)
    column = ColumnPage.objects.filter(slug="gknb").first() or ColumnPage.objects.first()
    documents = [
        Document.objects.create(
            title=f"{title}（DOCX）",
            file=ContentFile(to_docx(report, title), name=f"{org.slug}-{year}-nb.docx"),
            uploaded_by_user=user,
        ),
        Document.objects.create(
            title=f"{title}（XLSX）",
            file=ContentFile(to_xlsx(report, title), name=f"{org.slug}-{year}-nb.xlsx"),
            uploaded_by_user=user,
        ),
    ]
    page = ArticlePage(
        title=title,
        organisation=org,
        statutory_category="15",
        live=False,
        body=to_html(report, title),
        attachments=[("document", d) for d in documents],
    )
    column.add_child(instance=page)
    page.save_revision(user=user)
    record(page, "zwgk.annual_report.draft", user=user, data={"year": year, "rollup": rollup})
    return page
