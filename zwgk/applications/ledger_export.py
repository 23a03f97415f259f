"""台账导出: the applications of the clerk's organ subtree as an .xlsx in the columns the 台账导入 reads, so
an exported ledger can be imported again (into another installation, after a correction). Every export is
written to the access log with the user and the address (issue 19: exports are audited)."""

import io

import openpyxl
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from zwgk.core.audit import record_access
from zwgk.core.params import year_param
from zwgk.core.scoping import scope_for

from .models import Application
from .permissions import TABLE, has_any_role
from .vocab import RESULT_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The import's columns first (importer.py), then what helps a reader; the importer ignores the rest.
COLUMNS = (
    "organization",
    "number",
    "channel",
    "applicant_type",
    "received_on",
    "replied_on",
    "result",
    "applicant_name",
    "description",
    "organisation_name",
    "status",
)


def ledger_rows(applications):
    for application in applications:
        yield (
            application.organisation.credit_code,
            application.number,
            application.channel,
            application.applicant_type,
            application.received_on,
            application.replied_on,
            RESULT_LABELS.get(application.result, "") if application.replied_on else "",
            application.applicant_name,
            application.description,
            application.organisation.name,
            application.get_status_display(),
        )


def ledger_xlsx(applications) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("依申请公开台账")
    sheet.append(COLUMNS)
    for row in ledger_rows(applications):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(request):
    """GET ?year=YYYY (optional: applications received that year) → the ledger of the user's subtree."""
    if not has_any_role(request.user, TABLE["view"][1]):
        raise PermissionDenied("您的角色无权导出依申请公开台账。")
    year, problem = year_param(request)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    applications = (
        Application.objects.filter(organisation__in=scope_for(request.user))
        .select_related("organisation")
        .order_by("received_on", "number")
    )
    if year:
        applications = applications.filter(received_on__year=year)
    record_access(request, "zwgk.export.ledger", data={"year": year, "count": applications.count()})
    response = HttpResponse(ledger_xlsx(applications.iterator()), content_type=XLSX)
    name = f"ledger-{year}.xlsx" if year else "ledger.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
