"""年度报告 deadlines (条例 Art. 49) on the 工作台 from 1 January: each organ in the user's scope whose report
for last year is not yet published, with its statutory date."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from zwgk.core import roles
from zwgk.core.dashboard import TodoPanel
from zwgk.core.models import Organisation
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import scope_for
from zwgk.disclosure.models import ArticlePage

from .services import report_title

REMINDER_ROLES = (roles.INFORMANT, roles.ADMINISTRATOR)


def annual_report_due(kind: str, report_year: int) -> dt.date:
    """条例 Art. 49: a 县级以上人民政府部门 submits last year's report to the 主管部门 and publishes it by
    31 January; the 主管部门 publishes the government's report by 31 March. Townships, sub-districts and the
    office report to the government's office like its departments (31 January; local rules may set an
    earlier internal date)."""
    if kind == Organisation.Kind.GOVERNMENT:
        return dt.date(report_year + 1, 3, 31)
    return dt.date(report_year + 1, 1, 31)


def pending_reports(user, today: dt.date | None = None) -> list[tuple]:
    """(organisation, due date, words, overdue) for last year's reports not yet published, soonest first."""
    today = today or timezone.localdate()
    year = today.year - 1
    organisations = list(scope_for(user))
    published = set(
        ArticlePage.objects.live()
        .filter(organisation__in=organisations, title__in=[report_title(o, year) for o in organisations])
        .values_list("organisation_id", flat=True)
    )
    rows = []
    for organisation in organisations:
        if organisation.pk in published:
            continue
        due = annual_report_due(organisation.kind, year)
        days = (due - today).days
        words = f"已超过法定期限 {-days} 天" if days < 0 else ("今日到期" if days == 0 else f"还有 {days} 天")
        rows.append((organisation, due, words, days < 0))
    return sorted(rows, key=lambda row: (row[1], row[0].path))


class AnnualReportDeadlinePanel(TodoPanel):
    """From 1 January (Art. 49): 31 January for departments, 31 March for the government."""

    panel_id = "zwgk-todo-annual-report"
    body_template = "reports/dashboard/deadlines.html"
    icon = "doc-full"
    full_label = "打开年度报告"
    order = 108

    @property
    def heading(self):
        return f"{timezone.localdate().year - 1}年度政府信息公开工作年度报告：待发布"

    def is_shown(self, user):
        # Shown from 1 January through the government's 31 March and after it while a report is overdue.
        if not has_any_role(user, REMINDER_ROLES):
            return False
        return timezone.localdate().month <= 3 or bool(pending_reports(user))

    def items(self, request):
        rows = pending_reports(request.user)
        return len(rows), rows

    def full_url(self, request):
        return reverse("reports_annual")
