"""End to end (issue #3): a citizen applies online, the clerk confirms and requests 补正, the supplement
arrives, the clerk replies 部分公开, the citizen downloads the letter and the DOCX and the PDF say 部分公开."""

import io
import re

import docx
import pypdf
import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import login
from zwgk.applications.models import Application
from zwgk.core import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_supplement_reply_download(live_server, new_page):
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    factories.site()
    factories.staff("clerk", org, roles.INFORMANT, roles.APPLICATION_REVIEW)
    base = live_server.url

    citizen = new_page()
    citizen.goto(f"{base}/ysqgk/")
    citizen.select_option("#id_organisation", label="龙溪县民政局")
    citizen.fill("#id_applicant_name", "张晓明")
    citizen.fill("#id_id_number", "350102199001011238")
    citizen.fill("#id_phone", "13912345678")
    citizen.fill("#id_email", "zxm@example.com")
    citizen.fill("#id_description", "2024年城乡低保资金发放明细")
    citizen.select_option("#id_delivery", "电子邮件")
    citizen.get_by_role("button", name="提交申请").click()
    citizen.wait_for_url("**/ysqgk/receipt/")
    receipt = citizen.content()
    number = re.search(r"<dt>申请编号</dt><dd><strong>([^<]+)</strong>", receipt).group(1)
    code = re.search(r"<dt>查询码</dt><dd><strong>([^<]+)</strong>", receipt).group(1)
    application = Application.objects.get(number=number)

    clerk = new_page()
    login(clerk, base, "clerk")
    clerk.goto(f"{base}/admin/applications/")
    clerk.get_by_role("link", name=number).click()
    today = timezone.localdate().isoformat()
    for action, note in (
        ("确认收到", ""),
        ("发出补正通知", "请说明所需资金明细的范围"),
        ("收到补正", "已补充说明"),
    ):
        clerk.fill("#id_on", today)
        clerk.fill("#id_note", note)
        clerk.get_by_role("button", name=action, exact=True).click()
        clerk.wait_for_load_state()
    clerk.fill("#id_on", today)
    clerk.select_option("#id_result", "partial")
    clerk.fill("#id_legal_basis", "《中华人民共和国政府信息公开条例》第三十七条")
    clerk.get_by_role("button", name="作出答复", exact=True).click()
    clerk.wait_for_load_state()
    application.refresh_from_db()
    assert application.result == "partial"
    assert list(application.events.values_list("kind", flat=True)) == [
        "submitted",
        "confirmed",
        "supplement_requested",
        "supplement_received",
        "replied",
    ]

    citizen.goto(f"{base}/ysqgk/track/")
    citizen.fill("input[name=number]", number)
    citizen.fill("input[name=code]", code)
    citizen.get_by_role("button", name="查询", exact=True).click()
    citizen.wait_for_load_state()
    assert "部分公开" in citizen.content()
    assert code not in citizen.url  # the 查询码 goes in a POST form, never in the address
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="下载文书（Word）").click()
    path = download_info.value.path()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(open(path, "rb").read())).paragraphs)
    assert "部分公开" in text
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="下载文书（PDF）").click()
    pdf = pypdf.PdfReader(download_info.value.path())
    assert "部分公开" in "".join(page.extract_text() for page in pdf.pages)
