"""Back-office screens render for staff: the editor with read-only 索引号, 待解读, 超期发布, 变更有效性."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import PolicyDocumentPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    township = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    home, column, library = factories.site()
    doc = PolicyDocumentPage(
        title="龙溪县规范性文件", organisation=county, doc_kind="normative", written_date=dt.date(2024, 1, 2)
    )
    library.add_child(instance=doc)
    doc.save_revision().publish()
    PolicyDocumentPage.objects.filter(pk=doc.pk).update(
        first_published_at=timezone.now() - dt.timedelta(days=40)
    )
    doc.refresh_from_db()
    admin = factories.staff("admin", county, roles.ADMINISTRATOR, superuser=True)
    town = factories.staff("town", township, roles.INFORMANT)
    return dict(doc=doc, library=library, admin=admin, town=town, county=county)


def test_editor_shows_index_number_read_only(client, setup):
    client.force_login(setup["admin"])
    html = client.get(f"/admin/pages/{setup['doc'].pk}/edit/").content.decode()
    assert setup["doc"].index_number in html
    assert 'name="index_number"' not in html  # not an input: cannot be edited


def test_backlog_and_late_lists(client, setup):
    client.force_login(setup["admin"])
    assert "龙溪县规范性文件" in client.get("/admin/disclosure/backlog/").content.decode()
    assert "龙溪县规范性文件" in client.get("/admin/disclosure/late/").content.decode()
    # A township clerk does not see the county's documents in either list.
    client.force_login(setup["town"])
    assert "龙溪县规范性文件" not in client.get("/admin/disclosure/backlog/").content.decode()


def test_validity_form_records_change_and_audit_entry(client, setup):
    from wagtail.models import PageLogEntry

    client.force_login(setup["admin"])
    url = f"/admin/disclosure/validity/{setup['doc'].pk}/"
    response = client.post(url, {"new_validity": "repealed", "on_date": "2025-06-01", "note": "清理"})
    assert "须关联引起变更的文件" in response.content.decode()  # 废止 without the repealing document
    response = client.post(url, {"new_validity": "expired", "on_date": "2025-06-01", "note": "有效期届满"})
    assert response.status_code == 302
    setup["doc"].refresh_from_db()
    assert setup["doc"].validity == "expired"
    entry = PageLogEntry.objects.filter(page=setup["doc"], action="zwgk.policy.status").get()
    assert entry.user == setup["admin"] and entry.data["new"] == "expired"


def test_validity_form_refuses_out_of_scope_staff(client, setup):
    client.force_login(setup["town"])
    url = f"/admin/disclosure/validity/{setup['doc'].pk}/"
    # Wagtail turns PermissionDenied into a redirect to the dashboard with an error message.
    assert client.get(url).status_code == 302
    client.post(url, {"new_validity": "expired", "on_date": "2025-06-01"})
    setup["doc"].refresh_from_db()
    assert setup["doc"].validity == "valid"


def test_new_item_defaults_to_the_editors_organisation_and_offers_only_their_subtree(client, setup):
    client.force_login(setup["town"])
    html = client.get(
        f"/admin/pages/add/disclosure/policydocumentpage/{setup['library'].pk}/"
    ).content.decode()
    assert "青山镇人民政府" in html
    assert "龙溪县人民政府</option>" not in html  # the county is outside a township clerk's subtree
    assert "selected>青山镇人民政府" in html
