"""规范性文件清理 (spec §7.3; 国办发〔2018〕37号 动态清理机制): a campaign over an organ's documents, each
result 继续有效 / 修订 / 废止 / 宣布失效 with its reason, validity changed in one transaction on approval, the
清理结果 drafted for publication as a page with the list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.disclosure import cleanup
from zwgk.disclosure.lifecycle import change_validity
from zwgk.disclosure.lifecycle_models import CleanupStatus
from zwgk.disclosure.models import ArticlePage, ColumnPage, PolicyDocumentPage
from zwgk.disclosure.vocab import Validity

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    department = factories.organisation(parent=org, name="龙溪县财政局", slug="czj")
    home, _, library = factories.site()
    home.add_child(
        instance=ColumnPage(title="规范性文件清理结果", slug="qljg", column_type="policy", live=True)
    )
    docs = {}
    for title, owner, kind in (
        ("县政府甲办法", org, "normative"),
        ("县政府乙办法", org, "normative"),
        ("财政局丙规定", department, "normative"),
        ("县政府丁通知", org, "other"),
        ("县政府戊规章", org, "rule"),
    ):
        page = PolicyDocumentPage(title=title, organisation=owner, doc_kind=kind, live=False)
        library.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        docs[title] = page
    return org, department, docs


def results(campaign):
    return {r.document.title: r for r in campaign.results.select_related("document")}


def test_a_campaign_covers_the_documents_in_force_of_the_organs_subtree(county):
    """37号: 清理 covers the 规章 and 行政规范性文件 in force (not other documents, not already repealed)."""
    org, department, docs = county
    clerk = factories.staff("clerk", org, "信息员")
    change_validity(docs["县政府乙办法"], Validity.EXPIRED, user=None, on_date=D(2025, 1, 1))
    campaign = cleanup.start_cleanup(
        org, title="2026年规范性文件集中清理", deadline=D(2026, 6, 30), user=clerk
    )
    assert set(results(campaign)) == {"县政府甲办法", "财政局丙规定", "县政府戊规章"}
    only_department = cleanup.start_cleanup(
        department, title="财政局清理", deadline=D(2026, 6, 30), user=clerk
    )
    assert set(results(only_department)) == {"财政局丙规定"}
    assert ModelLogEntry.objects.filter(action="zwgk.cleanup.start", user=clerk).count() == 2


def test_approval_changes_every_validity_in_one_transaction_and_drafts_the_result_page(county):
    """37号 清理结果: 废止 and 宣布失效 need a reason; on approval the documents change together (all or
    none) and the 清理结果 (a page with the list) goes to 三审 for publication."""
    org, _, docs = county
    clerk = factories.staff("clerk", org, "信息员")
    approver = factories.staff("zhongshen", org, "终审")
    campaign = cleanup.start_cleanup(
        org, title="2026年规范性文件集中清理", deadline=D(2026, 6, 30), user=clerk
    )
    rows = results(campaign)
    cleanup.record_results(
        campaign,
        {
            rows["县政府甲办法"].pk: ("repeal", "上位法已废止<script>"),
            rows["财政局丙规定"].pk: ("declare_expired", ""),
            rows["县政府戊规章"].pk: ("keep", ""),
            rows["县政府乙办法"].pk: ("revise", "启动修订"),
        },
        user=clerk,
    )
    problems = cleanup.approval_problems(campaign)
    assert problems == ["《财政局丙规定》的清理结果为“宣布失效”，须填写理由。"]
    with pytest.raises(ValidationError):
        cleanup.approve_cleanup(campaign, user=approver, on_date=D(2026, 6, 1))
    cleanup.record_results(
        campaign, {rows["财政局丙规定"].pk: ("declare_expired", "调整对象已消失")}, user=clerk
    )

    # A document changed meanwhile stops the approval, and nothing changes (one transaction).
    change_validity(docs["财政局丙规定"], Validity.EXPIRED, user=None, on_date=D(2026, 5, 1))
    with pytest.raises(ValidationError):
        cleanup.approve_cleanup(campaign, user=approver, on_date=D(2026, 6, 1))
    assert PolicyDocumentPage.objects.get(pk=docs["县政府甲办法"].pk).validity == Validity.VALID
    change_validity(docs["财政局丙规定"], Validity.VALID, user=None, on_date=D(2026, 5, 2))

    campaign = cleanup.approve_cleanup(campaign, user=approver, on_date=D(2026, 6, 1))
    assert campaign.status == CleanupStatus.APPROVED and campaign.approved_by == approver
    repealed = PolicyDocumentPage.objects.get(pk=docs["县政府甲办法"].pk)
    expired = PolicyDocumentPage.objects.get(pk=docs["财政局丙规定"].pk)
    kept = PolicyDocumentPage.objects.get(pk=docs["县政府戊规章"].pk)
    revising = PolicyDocumentPage.objects.get(pk=docs["县政府乙办法"].pk)  # in force until revised
    assert (repealed.validity, expired.validity, kept.validity, revising.validity) == (
        Validity.REPEALED,
        Validity.EXPIRED,
        Validity.VALID,
        Validity.VALID,
    )
    change = repealed.status_changes.get()
    assert change.cleanup == campaign and change.changed_on == D(2026, 6, 1) and "上位法已废止" in change.note
    page = ArticlePage.objects.get(pk=campaign.result_page_id)
    assert not page.live and page.get_parent().slug == "qljg"
    assert "县政府甲办法" in page.body and "废止" in page.body and "&lt;script&gt;" in page.body
    assert ModelLogEntry.objects.filter(action="zwgk.cleanup.approve", user=approver).exists()
    with pytest.raises(ValidationError):
        cleanup.record_results(campaign, {rows["县政府戊规章"].pk: ("repeal", "晚了")}, user=clerk)


def test_back_office_campaign_by_the_clerk_and_approval_by_the_final_reviewer(client, county):
    org, _, docs = county
    clerk = factories.staff("clerk", org, "信息员")
    approver = factories.staff("zhongshen", org, "终审")
    client.force_login(clerk)
    response = client.post(
        "/admin/disclosure/cleanups/",
        {"title": "专项清理", "organisation": org.pk, "deadline": "2026-06-30", "basis": "上位法修改"},
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url).content.decode()
    rows = {r.document.title: r for r in cleanup.CleanupResult.objects.select_related("document")}
    assert "县政府甲办法" in page and f'name="result-{rows["县政府甲办法"].pk}"' in page
    form = {"action": "save"}
    for row in rows.values():
        form[f"result-{row.pk}"] = "keep"
        form[f"reason-{row.pk}"] = ""
    form[f"result-{rows['县政府甲办法'].pk}"] = "repeal"
    form[f"reason-{rows['县政府甲办法'].pk}"] = "已被新办法取代"
    assert client.post(url, form).status_code == 302
    # Not the clerk's step (Wagtail answers a refusal by a redirect to the 工作台 with the message).
    assert client.post(url, {"action": "approve", "confirmed": "1"}).status_code in (302, 403)
    assert PolicyDocumentPage.objects.get(pk=docs["县政府甲办法"].pk).validity == Validity.VALID
    assert client.post(url, {**form, f"result-{rows['县政府甲办法'].pk}": "bogus"}).status_code == 200

    client.force_login(approver)
    page = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "请勾选" in page
    assert PolicyDocumentPage.objects.get(pk=docs["县政府甲办法"].pk).validity == Validity.VALID
    client.post(url, {"action": "approve", "confirmed": "1"})
    assert PolicyDocumentPage.objects.get(pk=docs["县政府甲办法"].pk).validity == Validity.REPEALED

    outsider = factories.staff("other", factories.organisation(name="邻县人民政府"), "信息员")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
