"""The notices of 依申请公开 in Chromium (issue 21): the reviewer sees the lapsed 补正 period on the 工作台,
issues a 36(5) reply naming the competent organ from the reply form, and the application page lists the
答复告知书 and the 转送函 (screenshots law-*.png)."""

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import login, shot
from zwgk.applications import services
from zwgk.applications.models import Application
from zwgk.core import roles
from zwgk.core.models import Organisation
from zwgk.core.workdays import add_working_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lapsed_supplement_on_the_dashboard_and_a_36_5_reply(live_server, new_page):
    county = factories.organisation(name="龙溪县人民政府", slug="xzf", kind=Organisation.Kind.GOVERNMENT)
    factories.site()
    factories.staff("shenhe", county, roles.APPLICATION_REVIEW)
    today = timezone.localdate()
    waiting = services.register_application(
        county,
        channel="信函",
        received_on=add_working_days(today, -20),
        user=None,
        applicant_type="自然人",
        applicant_name="周建国",
        description="农村危房改造补助名单",
    )
    services.request_supplement(waiting, on=add_working_days(today, -19), user=None, note="请说明乡镇和年份")
    other = services.register_application(
        county,
        channel="当面",
        received_on=add_working_days(today, -3),
        user=None,
        applicant_type="自然人",
        applicant_name="郑志强",
        description="某地块不动产登记信息",
    )
    base = live_server.url
    page = new_page()
    login(page, base, "shenhe")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="依申请公开：补正和缴费期限（1）")
    ).first
    text = panel.inner_text()
    assert waiting.number in text and "可按逾期未补正处理" in text
    page.screenshot(path=shot("law-dashboard.png"), full_page=True)

    page.goto(f"{base}/admin/applications/{other.pk}/action/reply/")
    page.select_option("#id_result", "unable.1")
    page.select_option("#id_answer_form", "36.5")
    page.fill("#id_competent_organ", "龙溪县自然资源局")
    page.fill("#id_competent_contact", "0797-6125678")
    page.get_by_role("button", name="作出答复").first.click()
    page.get_by_role("button", name="确认作出答复").click()
    page.wait_for_url(f"**/admin/applications/{other.pk}/")
    text = page.inner_text("main")
    assert "告知负责公开的机关" in text and "转送函" in text and "龙溪县自然资源局" in text
    page.screenshot(path=shot("law-referral.png"), full_page=True)
    assert Application.objects.get(pk=other.pk).answer_form == "36.5"
