"""行政复议和行政诉讼 records (annual report Table 4) stay inside the 管理员's organ subtree."""

import datetime as dt

import pytest

from tests import factories
from zwgk.applications import services
from zwgk.applications.models import AppealRecord
from zwgk.core import roles

pytestmark = pytest.mark.django_db


def _appeal(organisation, user, description):
    application = services.register_application(
        organisation,
        channel="当面",
        received_on=dt.date(2026, 3, 2),
        user=user,
        applicant_type="自然人",
        applicant_name="李四",
        description=description,
    )
    return AppealRecord.objects.create(application=application, kind="复议", filed_on=dt.date(2026, 5, 6))


def test_township_administrator_sees_and_edits_only_its_own_appeals(client):
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    town_a = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    town_b = factories.organisation(parent=county, name="白沙镇人民政府", slug="bsz")
    factories.site()
    admin_a = factories.staff("guanli_a", town_a, roles.ADMINISTRATOR)
    own = _appeal(town_a, factories.staff("clerk_a", town_a, roles.INFORMANT), "青山镇的申请")
    other = _appeal(town_b, factories.staff("clerk_b", town_b, roles.INFORMANT), "白沙镇的申请")

    client.force_login(admin_a)
    listing = client.get("/admin/appealrecord/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert own.application.number in html and other.application.number not in html

    assert client.get(f"/admin/appealrecord/edit/{own.pk}/").status_code == 200
    response = client.get(f"/admin/appealrecord/edit/{other.pk}/")
    assert response.status_code in (302, 403, 404)
    assert other.application.number not in response.content.decode()
    assert client.post(f"/admin/appealrecord/delete/{other.pk}/").status_code in (302, 403, 404)
    assert AppealRecord.objects.filter(pk=other.pk).exists()

    # The new-record form offers only the subtree's applications.
    form = client.get("/admin/appealrecord/new/").content.decode()
    assert own.application.number in form and other.application.number not in form
    for view in ("history", "usage", "copy"):
        response = client.get(f"/admin/appealrecord/{view}/{other.pk}/")
        assert response.status_code in (302, 403, 404), view
        assert other.application.number not in response.content.decode()
