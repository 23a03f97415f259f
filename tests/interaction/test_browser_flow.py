"""End to end in Chromium: a citizen leaves a message (answering the arithmetic question), the 信息员
accepts it and drafts the reply, the 互动交流审核 approves and publishes it, the citizen reads the reply
with the 查询码 and rates it, and the public list shows it with the personal data masked."""

import re

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import login, shot
from tests.interaction.helpers import clerks, county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page):
    label = page.locator("label[for=id_captcha_answer]").inner_text()
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", label).groups()
    page.fill("#id_captcha_answer", str(int(a) + int(b) if op == "加" else int(a) - int(b)))


def test_citizen_leaves_a_message_and_a_clerk_answers_it(live_server, new_page):
    factories.site()
    gov, mzj, other, boxes = county()
    clerks(gov, mzj, other)
    base = live_server.url

    citizen = new_page()
    citizen.goto(f"{base}/")
    citizen.get_by_role("link", name="我要留言").first.click()  # the home page may offer it twice
    citizen.select_option("#id_box", label="龙溪县民政局 · 咨询")
    citizen.fill("#id_name", "王晓红")
    citizen.fill("#id_phone", "13912345678")
    citizen.fill("#id_subject", "低保申请进度")
    citizen.fill("#id_content", "我是王晓红，电话13912345678，想问低保申请何时审批。")
    citizen.check("#id_wants_public")
    _answer(citizen)
    citizen.screenshot(path=shot("interaction-leave.png"), full_page=True)
    citizen.get_by_role("button", name="提交留言").click()
    citizen.wait_for_url("**/hudong/liuyan/huizhi/")
    receipt = citizen.content()
    number = re.search(r"<dt>留言编号</dt><dd>([^<]+)</dd>", receipt).group(1)
    code = re.search(r"<dt>查询码</dt><dd>([^<]+)</dd>", receipt).group(1)

    clerk = new_page()
    login(clerk, base, "mz_xxy")
    clerk.goto(f"{base}/admin/interaction/")
    clerk.get_by_role("link", name=number).click()
    detail = clerk.url
    clerk.get_by_role("link", name="受理", exact=True).click()
    assert clerk.input_value("#id_on") == timezone.localdate().isoformat()
    clerk.get_by_role("button", name="受理", exact=True).click()
    clerk.wait_for_url(detail)
    clerk.get_by_role("link", name="拟写答复").click()
    clerk.fill("#id_text", "王晓红您好：您的低保申请已进入入户调查阶段，请保持电话13912345678畅通。")
    clerk.get_by_role("button", name="拟写答复").click()
    clerk.wait_for_url(detail)
    clerk.screenshot(path=shot("interaction-clerk-detail.png"), full_page=True)

    reviewer = new_page()
    login(reviewer, base, "mz_shenhe")
    reviewer.goto(detail)
    reviewer.get_by_role("link", name="审核通过并答复").click()
    assert reviewer.is_checked("#id_publish")
    reviewer.get_by_role("button", name="审核通过并答复").click()
    reviewer.wait_for_url(detail)
    assert "已公开" in reviewer.content()

    citizen.goto(f"{base}/hudong/chaxun/")
    citizen.fill("input[name=number]", number)
    citizen.fill("input[name=code]", code)
    citizen.get_by_role("button", name="查询", exact=True).click()
    citizen.get_by_text("您对答复满意吗").wait_for()
    assert "入户调查阶段" in citizen.content()
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    citizen.get_by_text("您的评价：满意").wait_for()

    citizen.goto(f"{base}/hudong/liuyan/gongkai/")
    citizen.get_by_role("link", name="低保申请进度").click()
    page = citizen.content()
    assert "王**" in page and "139****5678" in page
    assert "王晓红" not in page and "13912345678" not in page
    citizen.screenshot(path=shot("interaction-public.png"), full_page=True)
