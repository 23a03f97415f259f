"""End to end (issue #4): an editor sees an ID number planted in an attachment flagged before approval,
the reviewer cannot approve and a 管理员 cannot publish directly until a 保密审查员 overrides it."""

import io

import docx
import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests import factories
from tests.browser.helpers import login
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ID = "350102199001011238"


def publish_directly(admin):
    """The 发布 button; the page is in 三审, so Wagtail asks to confirm cancelling the workflow."""
    admin.get_by_role("button", name="更多动作").click()
    admin.get_by_role("button", name="发布", exact=True).click()
    admin.get_by_role("dialog").get_by_role("button", name="发布", exact=True).click()
    admin.wait_for_load_state("networkidle")


def test_planted_id_in_attachment_is_flagged_and_blocks_approval(live_server, new_page):
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    factories.staff("clerk", org, roles.INFORMANT)
    factories.staff("first", org, roles.FIRST_REVIEW)
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(f"低保对象：张三，身份证号 {ID}")
    document.save(out)
    attachment = Document.objects.create(
        title="低保对象名单", file=ContentFile(out.getvalue(), name="名单.docx")
    )
    item = ArticlePage(
        title="2025年低保对象公示", organisation=org, live=False, attachments=[("document", attachment)]
    )
    column.add_child(instance=item)
    base = live_server.url

    editor = new_page()
    login(editor, base, "clerk")
    editor.goto(f"{base}/admin/pages/{item.pk}/edit/")
    editor.get_by_role("button", name="更多动作").click()
    editor.get_by_role("button", name="提交给三审").click()
    editor.wait_for_load_state("networkidle")
    message = editor.locator(".messages").inner_text()
    assert (
        "身份证号码" in message
        and ID in message
        and "附件：低保对象名单" in message
        and "禁止类问题" in message
    )

    reviewer = new_page()
    login(reviewer, base, "first")
    reviewer.goto(f"{base}/admin/pages/{item.pk}/edit/")
    reviewer.get_by_role("button", name="更多动作").click()
    assert reviewer.get_by_role("button", name="批准", exact=True).count() == 0
    assert reviewer.get_by_role("button", name="退回修改").count() == 1
    # 批准 opens a modal that says why it cannot approve (tests/browser/test_review_ux_flow.py).
    assert reviewer.get_by_role("button", name="批准（存在禁止类问题，查看原因）").count() == 1

    # A 管理员's direct 发布 skips 三审 but not screening: refused, the item stays unpublished.
    factories.staff("guanli", org, superuser=True)
    admin = new_page()
    login(admin, base, "guanli")
    admin.goto(f"{base}/admin/pages/{item.pk}/edit/")
    publish_directly(admin)
    assert "未发布" in admin.locator(".messages").inner_text()
    item.refresh_from_db()
    assert not item.live

    # After a 保密审查员's written override the same button publishes.
    secrecy = factories.staff("baomi", org, roles.SECRECY_REVIEW)
    services.override(item, user=secrecy, reason="经核实已取得本人同意公开")
    admin.goto(f"{base}/admin/pages/{item.pk}/edit/")
    publish_directly(admin)
    item.refresh_from_db()
    assert item.live
