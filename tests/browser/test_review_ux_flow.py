"""三审 in Chromium (issue 26): the 初审 reviewer of an item with a 禁止 finding reads why at the top of the
editor and in the 批准 modal, with a link to the finding; 退回修改 without a 审核意见 is refused in the modal;
with one it goes back to the submitter, who reads it labelled 审核意见. Screenshots: w3-*.png."""

import pytest

from tests import factories
from tests.browser.helpers import login, shot
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.models import PageFinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ID = "350102199001011238"
SHOTS = shot("w3-{}.png")


def test_reviewer_sees_why_approval_is_blocked_and_must_give_an_opinion_to_reject(live_server, new_page):
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    clerk = factories.staff("clerk", org, roles.INFORMANT)
    factories.staff("first", org, roles.FIRST_REVIEW)
    item = ArticlePage(title="2025年低保对象公示", organisation=org, live=False, body=f"<p>身份证号{ID}</p>")
    column.add_child(instance=item)
    item.save_revision(user=clerk)
    services.screen_page(item)
    finding = PageFinding.objects.get(page=item, kind="id_card")
    item.get_workflow().start(item, clerk)
    base = live_server.url

    reviewer = new_page()
    login(reviewer, base, "first")
    reviewer.goto(f"{base}/admin/pages/{item.pk}/edit/")
    message = reviewer.locator(".messages")
    assert "暂不能批准" in message.inner_text() and ID in message.inner_text()
    link = message.get_by_role("link", name=ID)
    assert link.get_attribute("href") == f"/admin/screening/page/{item.pk}/#finding-{finding.pk}"
    reviewer.screenshot(path=SHOTS.format("editor-blocked"), full_page=True)

    reviewer.get_by_role("button", name="更多动作").click()
    reviewer.get_by_role("button", name="批准（存在禁止类问题，查看原因）").click()
    dialog = reviewer.get_by_role("dialog")
    dialog.get_by_text("不能批准").wait_for()
    assert dialog.get_by_role("link", name=ID).count() == 1
    assert dialog.get_by_role("button", name="批准").count() == 0
    reviewer.screenshot(path=SHOTS.format("modal-blocked"))
    dialog.get_by_role("link", name="打开发布审查页处理").click()
    reviewer.wait_for_url(f"{base}/admin/screening/page/{item.pk}/#finding-{finding.pk}")
    assert reviewer.locator(f"#finding-{finding.pk}").count() == 1

    # 退回修改: the modal asks for the 审核意见 and refuses an empty one.
    reviewer.goto(f"{base}/admin/pages/{item.pk}/edit/")
    reviewer.get_by_role("button", name="更多动作").click()
    reviewer.get_by_role("button", name="退回修改").click()
    dialog = reviewer.get_by_role("dialog")
    dialog.get_by_label("审核意见").wait_for()
    dialog.get_by_role("button", name="退回修改").click()
    dialog.get_by_text("退回修改须填写审核意见").wait_for()
    reviewer.screenshot(path=SHOTS.format("modal-reject-empty"))
    dialog.get_by_label("审核意见").fill("请删去申请人身份证号后重新提交。")
    with reviewer.expect_navigation():
        dialog.get_by_role("button", name="退回修改").click()
    reviewer.wait_for_load_state("networkidle")
    state = ArticlePage.objects.get(pk=item.pk).current_workflow_state
    assert state.status == state.STATUS_NEEDS_CHANGES

    submitter = new_page()
    login(submitter, base, "clerk")
    submitter.goto(f"{base}/admin/pages/{item.pk}/workflow_history/detail/{state.pk}/")
    text = submitter.locator("main").inner_text()
    assert "审核意见" in text and "请删去申请人身份证号后重新提交。" in text
    submitter.screenshot(path=SHOTS.format("history"), full_page=True)
