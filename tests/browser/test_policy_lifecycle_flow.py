"""规范性文件 lifecycle in Chromium (spec §7.3): the 信息员 records a 有效期评估 from the 工作台 and starts a 清理;
the 终审 approves it; the 年度报告 page shows the official tables. Screenshots <screenshot dir>/lifecycle-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.helpers import login, shot
from zwgk.disclosure.models import PolicyDocumentPage
from zwgk.disclosure.vocab import Validity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_and_cleanup_by_their_roles(live_server, new_page):
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    _, _, library = factories.site()
    today = timezone.localdate()
    docs = []
    for title, expiry in (("龙溪县某暂行办法", today + dt.timedelta(days=90)), ("龙溪县某管理办法", None)):
        page = PolicyDocumentPage(
            title=title, organisation=org, doc_kind="normative", expiry_date=expiry, live=False
        )
        library.add_child(instance=page)
        page.save_revision().publish()
        docs.append(page)
    factories.staff("xinxi", org, "信息员")
    factories.staff("zhongshen", org, "终审")
    base = live_server.url

    page = new_page()
    login(page, base, "xinxi")
    page.wait_for_load_state("networkidle")
    assert "有效期评估：6个月内到期的规范性文件（1）" in page.inner_text("main")
    page.get_by_role("link", name="评估", exact=True).first.click()
    page.wait_for_url(f"{base}/admin/disclosure/review/{docs[0].pk}/")
    page.get_by_label("延续", exact=True).check()
    page.get_by_label("延续后有效期至（延续时必填）").fill((today + dt.timedelta(days=1900)).isoformat())
    page.get_by_label("评估意见").fill("经评估，本办法仍符合实际，继续执行。")
    page.get_by_role("button", name="保存评估结论").click()
    page.wait_for_load_state("networkidle")
    assert "有效期评估结论已记录" in page.inner_text("body")

    page.goto(f"{base}/admin/disclosure/cleanups/")
    page.get_by_label("清理名称").fill("2026年规范性文件集中清理")
    page.get_by_label("组织清理的机关（含下级机关的文件）").select_option(label="龙溪县人民政府")
    page.get_by_label("完成时限").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="开始清理").click()
    page.get_by_label("《龙溪县某管理办法》的清理结果").select_option(label="废止")
    page.get_by_label("《龙溪县某管理办法》的理由").fill("已被新的管理办法取代")
    page.get_by_label("《龙溪县某暂行办法》的清理结果").select_option(label="继续有效")
    page.get_by_role("button", name="保存清理结果").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shot("lifecycle-cleanup-xinxi.png"), full_page=True)
    url = page.url

    page = new_page()
    login(page, base, "zhongshen")
    page.goto(url)
    page.get_by_label("我已核对清理结果").check()
    page.get_by_role("button", name="批准清理结果").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shot("lifecycle-cleanup-approved.png"), full_page=True)
    assert "清理结果已批准" in page.inner_text("body")
    assert PolicyDocumentPage.objects.get(pk=docs[1].pk).validity == Validity.REPEALED

    portal = new_page()
    portal.goto(f"{base}{docs[0].url}")
    portal.screenshot(path=shot("lifecycle-document.png"), full_page=True)
    assert "评估结论：延续" in portal.inner_text("main")

    admin = new_page()
    factories.staff("guanli", org, "管理员")
    login(admin, base, "guanli")
    admin.goto(f"{base}/admin/reports/annual/?org=xzf&year={today.year - 1}")
    admin.wait_for_load_state("networkidle")
    admin.screenshot(path=shot("lifecycle-annual-report.png"), full_page=True)
    assert "申请人情况" in admin.inner_text("main")
