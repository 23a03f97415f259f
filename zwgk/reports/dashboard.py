"""Statistics for the dashboards and period reports (aggregated in the database)."""

import datetime as dt
import io

import openpyxl
from django.db.models import Count
from django.db.models.functions import TruncMonth
from wagtail.models import Page

from zwgk.applications.models import Application
from zwgk.applications.stats import statistics
from zwgk.core.workdays import working_days_between
from zwgk.disclosure.lifecycle import interpretation_backlog
from zwgk.disclosure.models import ITEM_TYPES


def dashboard_data(organisations, start: dt.date, end: dt.date) -> dict:
    org_ids = [o.pk for o in organisations]
    per_month: dict = {}
    per_column: dict = {}
    late = 0
    for model in ITEM_TYPES:
        items = model.objects.live().filter(
            organisation_id__in=org_ids, first_published_at__date__range=(start, end)
        )
        for month, n in (
            items.annotate(m=TruncMonth("first_published_at")).values_list("m").annotate(n=Count("id"))
        ):
            key = month.strftime("%Y-%m")
            per_month[key] = per_month.get(key, 0) + n
        late += items.filter(published_late=True).count()
        for parent_path, n in items.values_list("path").annotate(n=Count("id")).values_list("path", "n"):
            per_column[parent_path[:-4]] = per_column.get(parent_path[:-4], 0) + n

    titles = dict(Page.objects.filter(path__in=list(per_column)).values_list("path", "title"))
    column_counts: dict = {}
    for path, n in per_column.items():
        column_counts[titles.get(path, "其他")] = column_counts.get(titles.get(path, "其他"), 0) + n
    apps = statistics(organisations, start, end)
    replied = (
        Application.objects.filter(organisation_id__in=org_ids, replied_on__range=(start, end))
        .exclude(received_on=None)
        .values_list("received_on", "replied_on")[:5000]
    )
    days = [working_days_between(r, p) for r, p in replied]
    backlog = [d for d in interpretation_backlog() if d.organisation_id in org_ids]
    return {
        "published_per_month": dict(sorted(per_month.items())),
        "published_per_column": column_counts,
        "late_publications": late,
        "applications": apps,
        "average_working_days_to_reply": round(sum(days) / len(days), 1) if days else None,
        "policies_without_interpretation": len(backlog),
    }


def period_summary(data: dict) -> str:
    """The seeds' quarterly sentence: 信息发布条数, 申请件数 by channel, 办结件数."""
    a = data["applications"]
    channels = "，".join(f"{c}申请{n}件" for c, n in a["by_channel"].items())
    return (
        f"发布政府信息{sum(data['published_per_month'].values())}条；收到政府信息公开申请{a['received']}件，"
        f"{channels}；办结{a['closed']}件。"
    )


def to_xlsx(data: dict, title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "统计"
    sheet.append([title])
    sheet.append(["信息发布（按月）"])
    for month, n in data["published_per_month"].items():
        sheet.append([month, n])
    sheet.append(["信息发布（按栏目）"])
    for column, n in data["published_per_column"].items():
        sheet.append([column, n])
    a = data["applications"]
    sheet.append(["依申请公开"])
    sheet.append(["收到申请", a["received"]])
    for channel, n in a["by_channel"].items():
        sheet.append([f"{channel}申请", n])
    sheet.append(["办结", a["closed"]])
    sheet.append(["按期办结", a["closed_on_time"]])
    sheet.append(["超期办结", a["closed_late"]])
    for label, n in a["by_result"].items():
        sheet.append([label, n])
    sheet.append(["平均答复用时（工作日）", data["average_working_days_to_reply"]])
    sheet.append(["待解读的规范性文件", data["policies_without_interpretation"]])
    sheet.append(["超期发布信息", data["late_publications"]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
