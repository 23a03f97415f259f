"""End to end in Chromium: a citizen comments on 第三条, the clerk accepts the comment and writes the
采纳情况, 初审 → 复审 → 终审 approve it, and the consultation's public page shows it."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import login, shot
from zwgk.core import roles
from zwgk.interaction.consultations.models import Comment, Consultation

from .helpers import consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_comment_feedback_three_reviews_published(live_server, new_page):
    factories.site()
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    clerk = factories.staff("clerk", county, roles.INFORMANT)
    for username, role in (
        ("chushen", roles.FIRST_REVIEW),
        ("fushen", roles.SECOND_REVIEW),
        ("zhongshen", roles.FINAL_REVIEW),
    ):
        factories.staff(username, county, role)
    c = consultation(county, clerk)
    base = live_server.url

    citizen = new_page()
    citizen.goto(f"{base}/hudong/zhengji/")
    citizen.get_by_role("link", name=c.title).click()
    citizen.get_by_role("link", name="对第三条提意见").click()
    assert citizen.locator("#id_article").input_value() == "3"
    citizen.fill("#id_body", "建议第三条写明收费标准的公示地点。我的身份证号11010519491231002X。")
    citizen.fill("#id_name", "李四")
    citizen.get_by_role("button", name="提交意见").click()
    citizen.get_by_text("您的意见已提交").wait_for()
    citizen.screenshot(path=shot("consultation-comment.png"), full_page=True)
    comment = Comment.objects.get()
    assert comment.article == 3

    page = new_page()
    login(page, base, "clerk")
    page.goto(f"{base}/admin/consultations/")
    page.get_by_role("link", name=c.title).click()
    page.wait_for_url(f"**/admin/consultations/{c.pk}/")
    detail = page.url
    assert "禁止：身份证号码" in page.content()
    with page.expect_navigation():  # the form posts to the same page it redirects back to
        page.get_by_role("button", name="审核通过").click()
    assert f"意见 {comment.pk}：审核通过" in page.content()
    # The window ends (the comment was given while it was open).
    today = timezone.localdate()
    Consultation.objects.filter(pk=c.pk).update(ends_on=today - dt.timedelta(days=1))
    page.goto(detail)
    page.get_by_role("link", name="编写采纳情况").click()
    page.fill("#id_summary", "共收到意见1条，部分采纳1条。")
    page.select_option(f"#id_decision_{comment.pk}", "partly")
    with page.expect_navigation():  # refused: the same page comes back with the message
        page.get_by_role("button", name="保存采纳情况").click()
    assert "部分采纳或不予采纳的意见须说明理由。" in page.content()  # the form kept the summary
    assert page.input_value("#id_summary") == "共收到意见1条，部分采纳1条。"
    page.fill(f"#id_reason_{comment.pk}", "公示地点由收费单位确定，办法中增加“在停车场入口显著位置公示”。")
    page.get_by_role("button", name="保存采纳情况").click()
    page.wait_for_url(detail)
    page.get_by_role("link", name="采纳情况提交三审").click()
    page.get_by_role("button", name="采纳情况提交三审").click()
    page.wait_for_url(detail)
    assert "当前步骤：初审" in page.content()
    page.screenshot(path=shot("consultation-admin-review.png"), full_page=True)

    for username in ("chushen", "fushen", "zhongshen"):
        reviewer = new_page()
        login(reviewer, base, username)
        reviewer.goto(detail)
        reviewer.get_by_role("link", name="批准采纳情况").click()
        reviewer.fill("#id_opinion", f"{username}同意")
        reviewer.get_by_role("button", name="批准采纳情况").click()
        reviewer.wait_for_url(detail)
    assert "意见征集已办结" in reviewer.content()

    citizen.goto(f"{base}/hudong/zhengji/{c.pk}/")
    html = citizen.content()
    assert "意见采纳情况" in html and "部分采纳" in html and "在停车场入口显著位置公示" in html
    assert "11010519491231002X" not in html and "李四" not in html
    citizen.screenshot(path=shot("consultation-feedback.png"), full_page=True)
    citizen.goto(f"{base}/hudong/zhengji/?tab=feedback")
    assert c.title in citizen.content()
