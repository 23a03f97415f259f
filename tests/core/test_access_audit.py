"""The access log: logins, failed logins, logouts, exports and letter downloads, with the user and the IP,
listed in the back office's 网站历史 report for the 管理员."""

import io

import docx
import openpyxl
import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.core import roles
from zwgk.core.models import AccessEvent

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"
IP = "192.0.2.44"


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf")
    factories.site()
    return org


@pytest.fixture
def administrator(county):
    return factories.staff("guanli", county, roles.ADMINISTRATOR)


def _entry(action):
    """The one access event of `action` and its Wagtail log entry."""
    event = AccessEvent.objects.get(action=action)
    log = ModelLogEntry.objects.get(action=action)
    assert log.object_id == str(event.pk) and log.data["ip"] == event.ip
    return event, log


def _site_history(client, user):
    client.force_login(user)
    return client.get("/admin/reports/site-history/").content.decode()


def test_login_and_logout_are_logged_with_user_and_ip(client, county):
    informant = factories.staff("xinxiyuan", county, roles.INFORMANT)
    response = client.post("/admin/login/", {"username": "xinxiyuan", "password": PASSWORD}, REMOTE_ADDR=IP)
    assert response.status_code == 302
    event, log = _entry("zwgk.auth.login")
    assert (event.user, event.username, event.ip) == (informant, "xinxiyuan", IP)
    assert log.user == informant
    client.post("/admin/logout/", REMOTE_ADDR=IP)
    event, log = _entry("zwgk.auth.logout")
    assert (event.user, event.ip) == (informant, IP)


def test_failed_logins_are_logged_also_for_unknown_accounts(client, county):
    informant = factories.staff("xinxiyuan", county, roles.INFORMANT)
    client.post("/admin/login/", {"username": "xinxiyuan", "password": "wrong-pw"}, REMOTE_ADDR=IP)
    client.post("/admin/login/", {"username": "no-such-user", "password": "x"}, REMOTE_ADDR="198.51.100.3")
    known, unknown = AccessEvent.objects.filter(action="zwgk.auth.login_failed").order_by("id")
    assert (known.user, known.username, known.ip) == (informant, "xinxiyuan", IP)
    assert (unknown.user, unknown.username, unknown.ip) == (None, "no-such-user", "198.51.100.3")
    assert ModelLogEntry.objects.filter(action="zwgk.auth.login_failed").count() == 2


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(client, county, settings):
    factories.staff("xinxiyuan", county, roles.INFORMANT)
    forged = {"HTTP_X_FORWARDED_FOR": "10.9.9.9", "REMOTE_ADDR": IP}
    client.post("/admin/login/", {"username": "xinxiyuan", "password": "wrong-pw"}, **forged)
    assert AccessEvent.objects.get().ip == IP
    AccessEvent.objects.all().delete()
    settings.ZWGK_TRUSTED_PROXIES = 1
    # nginx appends the address it saw; what the client sent before it is not believed.
    proxied = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.77", "REMOTE_ADDR": "127.0.0.1"}
    client.post("/admin/login/", {"username": "xinxiyuan", "password": "wrong-pw"}, **proxied)
    assert AccessEvent.objects.get().ip == "203.0.113.77"


def test_annual_report_and_statistics_exports_are_logged(client, county, administrator):
    client.force_login(administrator)
    AccessEvent.objects.all().delete()
    response = client.get(
        "/admin/reports/annual/", {"org": "xzf", "year": "2025", "format": "docx"}, REMOTE_ADDR=IP
    )
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text.endswith("年度报告")
    event, log = _entry("zwgk.export.annual_report")
    assert (event.user, event.ip, event.object_repr) == (administrator, IP, "龙溪县人民政府")
    assert log.data["year"] == 2025 and log.data["format"] == "docx"
    response = client.get(
        "/admin/reports/dashboard/", {"start": "2025-01-01", "end": "2025-12-31", "format": "xlsx"}
    )
    openpyxl.load_workbook(io.BytesIO(response.content))
    event, _ = _entry("zwgk.export.statistics")
    assert event.user == administrator and event.ip == "127.0.0.1"
    # Viewing the report page is not an export.
    client.get("/admin/reports/annual/", {"org": "xzf", "year": "2025"})
    assert AccessEvent.objects.filter(action="zwgk.export.annual_report").count() == 1


def test_letter_download_by_staff_is_logged(client, county):
    from zwgk.applications import services
    from zwgk.applications.letters import cjk_font_path

    if cjk_font_path() is None:
        pytest.skip("no embeddable CJK font (make installs fonts-wqy-microhei)")
    clerk = factories.staff("clerk", county, roles.INFORMANT, roles.APPLICATION_REVIEW)
    application = services.register_application(
        county,
        channel="当面",
        received_on=timezone.localdate(),
        user=clerk,
        applicant_type="自然人",
        applicant_name="欧阳明",
        description="2025年城乡低保资金发放情况",
    )
    event = services.reply(
        application, on=timezone.localdate(), user=clerk, result="partial", legal_basis="第三十七条"
    )
    client.force_login(clerk)
    response = client.get(f"/admin/applications/letter/{event.pk}/pdf/", REMOTE_ADDR=IP)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    access, log = _entry("zwgk.download.letter")
    assert (access.user, access.ip, access.object_repr) == (clerk, IP, str(application))
    assert log.data["model"] == "applications.Application" and log.data["object_id"] == str(application.pk)
    assert log.data["format"] == "pdf"


def test_access_log_is_in_the_site_history_report_for_the_administrator(client, county, administrator):
    informant = factories.staff("xinxiyuan", county, roles.INFORMANT)
    client.post("/admin/login/", {"username": "no-such-user", "password": "x"}, REMOTE_ADDR="198.51.100.3")
    html = _site_history(client, administrator)
    assert "登录失败" in html and "no-such-user" in html and "198.51.100.3" in html
    # Other roles do not read the access log.
    html = _site_history(client, informant)
    assert "no-such-user" not in html
