"""政府网站工作年度报表 (国办秘函〔2019〕19号 format, spec §5.2; published by 31 January): its fields,
filled from zwgk's data where zwgk has it (政务咨询 from the 互动交流 statistics); the rest (访问量, 办事服务…)
is entered by staff."""

import datetime as dt
import importlib
import io

from django.apps import apps
from django.db.models import Count, Q
from docx import Document
from openpyxl import Workbook
from wagtail.models import Site

from zwgk.disclosure.models import (
    ArticlePage,
    ColumnPage,
    InformationPage,
    InterpretationPage,
    PolicyDocumentPage,
)
from zwgk.disclosure.vocab import ColumnType

from .models import AccountStatus, NewMediaAccount, Probe, TamperFinding
from .sites import site_label, site_organisation, under

# (key, label, filled from data?) in the form's order (spec §5.2 [M]: the 2019 format's fields)
FIELDS = [
    ("site_name", "网站名称", True),
    ("home_url", "首页网址", True),
    ("sponsor", "主办单位", True),
    ("site_type", "网站类型", True),
    ("site_code", "政府网站标识码", True),
    ("icp_number", "ICP备案号", True),
    ("police_number", "公安机关备案号", True),
    ("unique_visitors", "独立用户访问总量（单位：个）", False),
    ("page_views", "网站总访问量（单位：次）", False),
    ("items_total", "信息发布总数（单位：条）", True),
    ("items_overview", "其中：概况类信息更新量", True),
    ("items_news", "其中：政务动态信息更新量", True),
    ("items_catalogue", "其中：信息公开目录信息更新量", True),
    ("special_columns", "专栏专题：维护数量（单位：个）", True),
    ("interpretations", "解读回应：解读信息发布总数（单位：条）", True),
    ("services", "办事服务：注册用户数、办件量等", False),
    ("interaction", "互动交流：留言办理情况", False),
    ("consultations", "政务咨询：收到留言数量、办结数量、平均办理时间", True),
    ("surveys", "调查征集：开展次数、收到意见数量", False),
    ("interviews", "在线访谈：访谈期数、网民留言数量、答复网民提问数量", False),
    ("smart_qa", "是否提供智能问答", False),
    ("security", "安全防护：安全检测评估次数、发现问题数量、问题整改数量", True),
    ("newmedia", "移动新媒体：微博、微信及其他新媒体账号数", True),
    ("innovation", "创新发展", False),
]
LABELS = {key: label for key, label, _ in FIELDS}


def _portal_settings(site):
    """The site's footer facts (网站名称、标识码、ICP…) where the portal keeps them; None without."""
    try:
        model = apps.get_model("portal", "PortalSettings")
    except LookupError:
        return None
    return model.objects.filter(site=site).first()


def filled_fields(site: Site, year: int) -> dict:
    """The fields zwgk can fill for `site` and `year` from its own data."""
    root = site.root_page
    organisation = site_organisation(site)
    settings = _portal_settings(site)
    start = dt.date(year, 1, 1)
    end = dt.date(year + 1, 1, 1)
    in_year = Q(first_published_at__date__gte=start, first_published_at__date__lt=end)

    def count(model, *filters):
        return model.objects.live().filter(in_year, under(root), *filters).count()

    news_columns = list(ColumnPage.objects.live().filter(under(root), column_type=ColumnType.NEWS))
    news = sum(count(ArticlePage, under(column)) for column in news_columns)
    items = count(ArticlePage) + count(PolicyDocumentPage) + count(InterpretationPage)
    catalogue = sum(
        count(m, ~Q(statutory_category="")) for m in (ArticlePage, PolicyDocumentPage, InterpretationPage)
    )
    probes = Probe.objects.filter(site=site, checked_at__date__gte=start, checked_at__date__lt=end).aggregate(
        n=Count("id"), failed=Count("id", filter=Q(ok=False))
    )
    tampering = TamperFinding.objects.filter(site=site, found_at__date__gte=start, found_at__date__lt=end)
    accounts = (
        NewMediaAccount.objects.filter(organisation__in=organisation.subtree(), status=AccountStatus.OPEN)
        if organisation
        else NewMediaAccount.objects.none()
    )
    by_platform = dict(accounts.values_list("platform").annotate(n=Count("id")))
    return {
        "site_name": (settings.site_name if settings else "") or site.site_name or root.title,
        "home_url": site.root_url + "/",
        "sponsor": (settings.sponsor if settings else "") or (organisation.name if organisation else ""),
        "site_type": "政府门户网站" if organisation is None or organisation.parent_id is None else "部门网站",
        "site_code": (settings.site_code if settings else "")
        or (organisation.site_code if organisation else ""),
        "icp_number": settings.icp_number if settings else "",
        "police_number": settings.police_number if settings else "",
        "items_total": items,
        "items_overview": count(InformationPage),
        "items_news": news,
        "items_catalogue": catalogue,
        "special_columns": ColumnPage.objects.live().filter(under(root)).count(),
        "interpretations": count(InterpretationPage),
        "security": (
            f"可访问性探测{probes['n']}次，打不开{probes['failed']}次；"
            f"发现篡改、暗链{tampering.count()}处，已处置{tampering.filter(status='resolved').count()}处"
        ),
        "consultations": consultations(organisation, start, end),
        "newmedia": (
            f"微博{by_platform.get('weibo', 0)}个，微信{by_platform.get('wechat', 0)}个，"
            f"其他{sum(by_platform.values()) - by_platform.get('weibo', 0) - by_platform.get('wechat', 0)}个"
        ),
    }


def consultations(organisation, start: dt.date, end: dt.date) -> str:
    """政务咨询 of the year from the 互动交流 app's statistics (`zwgk.interaction.stats`): messages received,
    办结 and the average working days to reply, for the site's organ subtree."""
    if organisation is None or not apps.is_installed("zwgk.interaction"):
        return ""
    stats = importlib.import_module("zwgk.interaction.stats")
    messages = apps.get_model("interaction", "Message").objects.filter(
        organisation__in=organisation.subtree()
    )
    total, _ = stats.statistics(messages, start, end - dt.timedelta(days=1))
    average = "—" if total.average_days is None else f"{total.average_days}个工作日"
    return f"收到留言{total.received}条，办结{total.answered}条，平均办理时间{average}"


def title(report) -> str:
    """“龙溪县人民政府网站工作年度报表（2025年度）”: the site's name joined to the form's name without saying
    政府 or 网站 twice."""
    name = report.data.get("site_name") or site_label(report.site)
    if name.endswith("网站"):
        form = "工作年度报表"
    elif name.endswith("政府"):
        form = "网站工作年度报表"
    else:
        form = "政府网站工作年度报表"
    return f"{name}{form}（{report.year}年度）"


def to_xlsx(report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "年度报表"
    sheet.append([title(report)])
    sheet.append(["项目", "内容"])
    for key, label, _ in FIELDS:
        sheet.append([label, report.data.get(key, "")])
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_docx(report) -> bytes:
    document = Document()
    document.add_heading(title(report), level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "项目", "内容"
    for key, label, _ in FIELDS:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, str(report.data.get(key, ""))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
