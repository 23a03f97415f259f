"""台账导出 (issue 19: "the audit log records … exports (… 台账 export)"): a clerk exports the applications of
their own subtree only, in the columns the 台账导入 reads back, and the export is in the access log."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories
from zwgk.applications.importer import validate_row
from zwgk.applications.models import Application
from zwgk.core import roles
from zwgk.core.models import AccessEvent, Organisation

pytestmark = pytest.mark.django_db


def test_a_township_clerk_exports_its_own_ledger_which_imports_back(client):
    county = factories.organisation(name="龙溪县人民政府", slug="county")
    township = factories.organisation(parent=county, name="城关镇人民政府", slug="cgz")
    Application.objects.create(
        organisation=township,
        number="CGZ-2025-001",
        channel="网络",
        applicant_type="自然人",
        applicant_name="张三",
        received_on=dt.date(2025, 3, 3),
        replied_on=dt.date(2025, 3, 20),
        result="granted",
        status="replied",
    )
    Application.objects.create(
        organisation=county, number="XZF-2025-001", channel="信函", applicant_type="自然人"
    )
    client.force_login(factories.staff("cgz_xxy", township, roles.INFORMANT))
    response = client.get(reverse("applications_ledger_export"))
    assert response.status_code == 200 and "ledger.xlsx" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [row[1] for row in body] == ["CGZ-2025-001"]  # the county's application is not in scope
    record = dict(zip(header, body[0], strict=True))
    assert record["applicant_name"] == "张三" and record["result"] == "（一）予以公开"
    # The same row passes the 台账导入's checks unchanged.
    organisations = {o.credit_code: o for o in Organisation.objects.all()}
    assert validate_row(record, organisations)["number"] == "CGZ-2025-001"
    event = AccessEvent.objects.get(action="zwgk.export.ledger")
    assert event.username == "cgz_xxy" and event.ip

    assert client.get(reverse("applications_ledger_export"), {"year": "abc"}).status_code == 400
    by_year = client.get(reverse("applications_ledger_export"), {"year": "2024"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(by_year.content)).active.iter_rows())) == 1


def test_roles_without_applications_cannot_export(client):
    county = factories.organisation(name="龙溪县人民政府", slug="county")
    client.force_login(factories.staff("chushen", county, roles.FIRST_REVIEW))
    response = client.get(reverse("applications_ledger_export"), follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert not AccessEvent.objects.filter(action="zwgk.export.ledger").exists()
