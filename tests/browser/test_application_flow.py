"""End to end (issue #3): a citizen applies online, the clerk confirms and requests 补正, the supplement
arrives, the clerk replies 部分公开, the citizen downloads the letter and the DOCX and the PDF say 部分公开."""

import io
import re

import docx
import pypdf
import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import login, screenshot_dir
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
    detail = clerk.url
    # Each offered action opens its own short form; the date is today's, in ISO, ready for the date input.
    for action, field, note in (
        ("确认收到", None, ""),
        ("发出补正通知", "#id_note", "请说明所需资金明细的范围"),
        ("收到补正", "#id_note", "已补充说明"),
    ):
        clerk.get_by_role("link", name=action, exact=True).click()
        clerk.wait_for_url("**/action/*/")
        assert clerk.input_value("#id_on") == today
        if field:
            clerk.fill(field, note)
        clerk.get_by_role("button", name=action, exact=True).click()
        clerk.wait_for_url(detail)
    assert clerk.get_by_role("link", name="确认收到", exact=True).count() == 0  # done: no longer offered
    clerk.get_by_role("link", name="作出答复", exact=True).click()
    clerk.select_option("#id_result", "partial")
    clerk.fill("#id_legal_basis", "《中华人民共和国政府信息公开条例》第三十七条")
    clerk.get_by_role("button", name="作出答复…", exact=True).click()
    clerk.wait_for_load_state()
    assert "此操作不可撤销" in clerk.content()  # the confirmation step
    clerk.screenshot(path=f"{SHOTS}/w1-confirm-reply.png", full_page=True)
    clerk.get_by_role("button", name="确认作出答复", exact=True).click()
    clerk.wait_for_url(detail)
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
        citizen.get_by_role("link", name="下载答复告知书（Word）").click()
    path = download_info.value.path()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(open(path, "rb").read())).paragraphs)
    assert "部分公开" in text
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="下载答复告知书（PDF）").click()
    pdf = pypdf.PdfReader(download_info.value.path())
    assert "部分公开" in "".join(page.extract_text() for page in pdf.pages)


SHOTS = str(screenshot_dir())


def test_application_page_per_role_and_state(live_server, new_page):
    """信息员 and 依申请公开审核 see only the actions of the state they are in (screenshots for people)."""
    from zwgk.applications import services
    from zwgk.core.workdays import add_working_days

    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    factories.site()
    factories.staff("xinxiyuan", org, roles.INFORMANT)
    factories.staff("shenhe", org, roles.APPLICATION_REVIEW)
    admin = factories.staff("guanliyuan", org, roles.ADMINISTRATOR)
    today = timezone.localdate()
    online, _ = services.submit_online(
        org, applicant_type="自然人", applicant_name="张晓明", description="2024年城乡低保资金发放明细"
    )
    paper = services.register_application(
        org,
        channel="信函",
        received_on=add_working_days(today, -4),
        user=admin,
        applicant_type="自然人",
        applicant_name="李红",
        phone="13912345678",
        address="龙溪县人民路8号",
        description="县福利院2025年度财务收支情况",
        form_wanted="纸质",
        delivery="邮寄",
    )
    services.consult(paper, on=add_working_days(today, -1), user=admin, party="龙溪县某养老服务有限公司")
    replied = services.register_application(
        org,
        channel="当面",
        received_on=add_working_days(today, -6),
        user=admin,
        applicant_type="商业企业",
        applicant_name="龙溪县某建材有限公司",
        description="城东片区旧改项目批复",
        form_wanted="电子",
        delivery="电子邮件",
        email="a@example.com",
    )
    services.reply(replied, on=today, user=admin, result="granted", legal_basis="条例第二十七条")
    base = live_server.url
    expected = {
        ("xinxiyuan", "unconfirmed"): {"确认收到"},
        ("xinxiyuan", "paused"): {"恢复计时", "起草答复告知书"},
        ("xinxiyuan", "replied"): {"登记送达", "归并相同信息"},  # 条例第四十四条
        ("shenhe", "unconfirmed"): {"确认收到", "分配/转办"},
        ("shenhe", "paused"): {"恢复计时", "起草答复告知书", "延长答复期限", "分配/转办"},
        ("shenhe", "replied"): {"登记送达", "归档", "归并相同信息"},
    }
    for username in ("xinxiyuan", "shenhe"):
        page = new_page()
        login(page, base, username)
        for state, application in (("unconfirmed", online), ("paused", paper), ("replied", replied)):
            page.goto(f"{base}/admin/applications/{application.pk}/")
            links = page.locator(".zwgk-app-actions a").all_inner_texts()
            assert {text.strip() for text in links} == expected[(username, state)], (username, state)
            page.screenshot(path=f"{SHOTS}/w1-{username}-{state}.png", full_page=True)
        page.goto(f"{base}/admin/applications/{paper.pk}/action/resume/")
        page.screenshot(path=f"{SHOTS}/w1-{username}-form.png", full_page=True)
