"""End to end (issue 19): a township's 信息员 edits a live item (new title, a mobile number in the body),
saves a draft, masks the number on the screening page and submits the draft to 三审. The public page
stays as it was (old title, no number) until the 终审 approves; then the new title is live with the number
masked. Before, 脱敏 published the whole unreviewed draft at once."""

import random
import re

import pytest

from tests import factories
from tests.browser.helpers import approve, login, shot
from zwgk.core import roles
from zwgk.demo.people import create_organisations
from zwgk.disclosure.models import ArticlePage
from zwgk.screening.models import PageFinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OLD_TITLE = "城关镇2026年春季农田水利设施维修公告"
NEW_TITLE = "城关镇2026年春季农田水利设施维修公告（更正）"
MOBILE = "13812345678"
MASKED = "138****5678"
SHOTS = shot("h1-{}.png")


def public_text(new_page, url):
    visitor = new_page()
    visitor.goto(url)
    return visitor.locator("main").inner_text() if visitor.locator("main").count() else visitor.content()


def test_township_informant_edits_masks_and_submits_live_page_changes_only_after_final_review(
    live_server, new_page
):
    _, column, _ = factories.site()  # first: it restores the root collection a flush removed
    orgs = create_organisations(random.Random(7))  # the demo's county and its townships
    town = orgs["cgz"]
    factories.staff("cgz_xxy", town, roles.INFORMANT)
    factories.staff("cgz_cs", town, roles.FIRST_REVIEW)
    factories.staff("fushen", orgs["xzf"], roles.SECOND_REVIEW)
    factories.staff("zhongshen", orgs["xzf"], roles.FINAL_REVIEW)
    item = ArticlePage(
        title=OLD_TITLE, organisation=town, body="<p>近期将对镇内农田水利设施进行维修。</p>", live=False
    )
    column.add_child(instance=item)
    item.save_revision().publish()
    item.refresh_from_db()
    base = live_server.url
    public_url = base + item.url

    # 1. The 信息员 edits the live item: a new title and a body with her mobile number; 保存草稿.
    editor = new_page()
    login(editor, base, "cgz_xxy")
    editor.goto(f"{base}/admin/pages/{item.pk}/edit/")
    editor.fill("#id_title", NEW_TITLE)
    body = editor.locator(".public-DraftEditor-content").first
    body.click()
    editor.keyboard.press("Control+End")
    editor.keyboard.type(f"联系人：吴城关，手机{MOBILE}。")
    # Draftail writes the editor's content to its hidden input after a moment.
    editor.wait_for_function("n => document.querySelector('input[name=body]').value.includes(n)", arg=MOBILE)
    editor.screenshot(path=SHOTS.format("1-edit"), full_page=True)
    editor.get_by_role("button", name="保存草稿").click()
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=SHOTS.format("2-saved"), full_page=True)
    assert MOBILE in editor.locator(".messages").inner_text()
    item.refresh_from_db()
    assert item.title == OLD_TITLE and item.has_unpublished_changes

    # 2. 审查发现 (her organ's findings only), then the item's screening page: tick the number, 脱敏.
    assert "查看全部并处理" in editor.locator(".messages").inner_text()
    editor.get_by_role("link", name="审查发现").click()
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=SHOTS.format("2b-findings"), full_page=True)
    assert MOBILE in editor.locator("table.listing").inner_text()
    editor.get_by_role("link", name=NEW_TITLE).click()
    editor.wait_for_load_state("networkidle")
    editor.get_by_role("checkbox", name=re.compile("选择")).first.check()
    editor.get_by_role("button", name="对所选个人信息脱敏").click()
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=SHOTS.format("3-masked"), full_page=True)
    assert "草稿已脱敏" in editor.locator(".messages").inner_text()
    assert PageFinding.objects.get(page=item, text=MOBILE).status == PageFinding.Status.MASKED
    text = public_text(new_page, public_url)
    assert OLD_TITLE in text and NEW_TITLE not in text and "138" not in text

    # 3. Submit the masked draft to 三审.
    editor.get_by_role("link", name="编辑此信息").click()
    editor.wait_for_load_state("networkidle")
    assert editor.input_value("#id_title") == NEW_TITLE
    assert MASKED in editor.locator(".public-DraftEditor-content").first.inner_text()
    editor.get_by_role("button", name="更多动作").click()
    editor.get_by_role("button", name="提交给三审").click()
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=SHOTS.format("4-submitted"), full_page=True)
    item.refresh_from_db()
    assert item.current_workflow_state is not None

    # 4. 初审 and 复审 approve: the public page is unchanged.
    for username, opinion in (("cgz_cs", "初审同意"), ("fushen", "保密审查通过")):
        approve(new_page(), base, username, item.pk, opinion)
        text = public_text(new_page, public_url)
        assert OLD_TITLE in text and NEW_TITLE not in text and "138" not in text, username

    # 5. The 终审 approves: the new title is live, the number masked.
    final = new_page()
    approve(final, base, "zhongshen", item.pk, "同意发布")
    final.screenshot(path=SHOTS.format("5-approved"), full_page=True)
    visitor = new_page()
    visitor.goto(public_url)
    visitor.screenshot(path=SHOTS.format("6-public"), full_page=True)
    html = visitor.content()
    assert NEW_TITLE in html and MASKED in html and MOBILE not in html
