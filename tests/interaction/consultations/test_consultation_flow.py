"""Services and the back office of 意见征集: the form refuses a short window, moderation, the 采纳情况
through 三审, closing only with it, scoping, audit entries."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.disclosure.models import PolicyDocumentPage
from zwgk.interaction.consultations import services
from zwgk.interaction.consultations.dashboard import ended_without_feedback
from zwgk.interaction.consultations.models import Consultation

from .helpers import DRAFT, consultation, end_window, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return people()


def _feedback_through_review(c, p, decision="adopted", reason=""):
    comments = list(c.comments.all())
    items = [
        {"opinion": x.public_text, "decision": decision, "reason": reason, "comments": [x]} for x in comments
    ]
    feedback = services.save_feedback(c, user=p["clerk"], summary="共收到意见若干条。", items=items)
    services.submit_feedback(feedback, user=p["clerk"])
    for reviewer in ("chushen", "fushen", "zhongshen"):
        feedback = services.review_feedback(feedback, user=p[reviewer], approve=True)
    return feedback


def test_form_refuses_a_short_window_in_chinese_and_keeps_the_input(client, p):
    """《规章制定程序条例》第十五条: a 规章 draft gets at least 30 days; the clerk's text is kept."""
    client.force_login(p["clerk"])
    data = {
        "organisation": p["county"].pk,
        "title": "龙溪县停车管理规定（草案）",
        "kind": "rule",
        "draft_text": DRAFT,
        "explanation": "说明文字",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-15",
        "contact": "县司法局",
        "publish_comments": "on",
    }
    response = client.post(reverse("consultations_admin_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "规章征求意见的期限不得少于30日（《规章制定程序条例》第十五条），当前期限为14日。" in html
    assert "龙溪县停车管理规定（草案）" in html and "第三条　公共停车场实行政府指导价" in html
    assert not Consultation.objects.exists()
    data["ends_on"] = "2026-03-31"
    response = client.post(reverse("consultations_admin_new"), data)
    assert response.status_code == 302
    assert Consultation.objects.get().kind == "rule"


def test_service_refuses_a_short_normative_window(p):
    """国办发〔2018〕37号: 7 working days for a 行政规范性文件, also when a service is called directly."""
    with pytest.raises(ValidationError, match="7个工作日"):
        services.create(
            organisation=p["county"],
            user=p["clerk"],
            title="x",
            kind="normative",
            draft_text=DRAFT,
            starts_on=dt.date(2025, 9, 29),
            ends_on=dt.date(2025, 10, 14),
        )


def test_bad_input_gives_chinese_errors(client, p):
    client.force_login(p["clerk"])
    response = client.post(
        reverse("consultations_admin_new"),
        {
            "title": "",
            "kind": "nonsense",
            "starts_on": "2026-13-45",
            "draft_text": "没有条款的正文",
            "questions": "判断|x",
        },
    )
    html = response.content.decode()
    for message in (
        "请选择征集机关。",
        "请填写标题。",
        "请选择草案类别。",
        "请按“年-月-日”填写征集开始日期。",
    ):
        assert message in html
    assert "没有找到“第X条”" in html and "第1行格式不正确" in html
    assert "没有条款的正文" in html


def test_cannot_close_without_published_feedback(p):
    """rules.closing_refusal: no 采纳情况, or one not through 三审, and the consultation stays open."""
    c = consultation(p["county"], p["clerk"])
    services.submit_comment(c, body="建议延长免费停车时间。", article=3)
    c = end_window(c)
    with pytest.raises(ValidationError, match="尚未编写采纳情况"):
        services.close(c, user=p["clerk"])
    comment = c.comments.get()
    feedback = services.save_feedback(
        c,
        user=p["clerk"],
        summary="收到1条意见。",
        items=[{"opinion": comment.public_text, "decision": "adopted", "comments": [comment]}],
    )
    services.submit_feedback(feedback, user=p["clerk"])
    services.review_feedback(feedback, user=p["chushen"], approve=True)
    c.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未经三审批准并发布"):
        services.close(c, user=p["clerk"])
    assert c in ended_without_feedback(p["clerk"])
    services.review_feedback(feedback, user=p["fushen"], approve=True)
    feedback = services.review_feedback(feedback, user=p["zhongshen"], approve=True)
    c.refresh_from_db()
    assert feedback.status == "published" and c.status == "closed"
    assert c not in ended_without_feedback(p["clerk"])
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {
        "zwgk.consultation.feedback_reviewed",
        "zwgk.consultation.close",
        "zwgk.consultation.publish",
    } <= actions


def test_three_reviews_each_by_its_role_never_the_submitter(p):
    """三审 as in zwgk.disclosure.workflow: the step's role, in scope, not the submitter; 退回 needs an opinion."""
    c = end_window(consultation(p["county"], p["clerk"]))
    feedback = services.save_feedback(c, user=p["clerk"], summary="未收到意见。", items=[])
    services.submit_feedback(feedback, user=p["clerk"])
    with pytest.raises(PermissionDenied, match="须由初审人员审核"):
        services.review_feedback(feedback, user=p["fushen"], approve=True)
    with pytest.raises(ValidationError, match="退回修改须填写审核意见"):
        services.review_feedback(feedback, user=p["chushen"], approve=False)
    feedback = services.review_feedback(feedback, user=p["chushen"], approve=False, opinion="请补充理由")
    assert feedback.status == "rejected"
    services.submit_feedback(feedback, user=p["clerk"])
    both = p["clerk"]  # a 信息员 who is also 初审 may not review what they submitted
    both.groups.add(Group.objects.get(name="初审"))
    both._zwgk_role_names = None
    with pytest.raises(PermissionDenied, match="不能审核本人提交的"):
        services.review_feedback(feedback, user=both, approve=True)


def test_feedback_needs_a_reason_unless_adopted(p):
    c = consultation(p["county"], p["clerk"])
    comment = services.submit_comment(c, body="不同意第二条。", article=2)
    c = end_window(c)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.save_feedback(
            c,
            user=p["clerk"],
            summary="s",
            items=[{"opinion": "x", "decision": "not_adopted", "comments": [comment]}],
        )


def test_feedback_only_after_the_window(p):
    c = consultation(p["county"], p["clerk"])
    with pytest.raises(ValidationError, match="征集期结束后"):
        services.save_feedback(c, user=p["clerk"], summary="s", items=[])


def test_township_clerk_cannot_open_a_county_consultation(client, p):
    c = consultation(p["county"], p["clerk"])
    client.force_login(p["town_clerk"])
    for name, args in (
        ("detail", [c.pk]),
        ("feedback", [c.pk]),
        ("action", [c.pk, "close"]),
        ("edit", [c.pk]),
    ):
        # Wagtail's admin answers PermissionDenied with a redirect to the dashboard and the message.
        response = client.get(reverse(f"consultations_admin_{name}", args=args), follow=True)
        assert response.redirect_chain[0][1] == 302, name
        assert c.title not in response.content.decode()
    assert c.title not in client.get(reverse("consultations_admin")).content.decode()
    with pytest.raises(PermissionDenied):
        services.update(c, user=p["town_clerk"], title="改")
    client.force_login(p["clerk"])
    assert c.title in client.get(reverse("consultations_admin")).content.decode()
    assert client.get(reverse("consultations_admin_detail", args=[c.pk])).status_code == 200


def test_dashboard_lists_ended_consultations_without_feedback(client, p):
    c = end_window(consultation(p["county"], p["clerk"]))
    client.force_login(p["clerk"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "征集期已结束、尚未发布采纳情况（1）" in html and c.title in html
    client.force_login(p["town_clerk"])
    assert "征集期已结束、尚未发布采纳情况（0）" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_clerk_writes_feedback_and_reviewers_approve_in_the_back_office(client, p):
    c = consultation(p["county"], p["clerk"])
    comment = services.submit_comment(c, body="建议第三条明确收费公示方式。", article=3)
    services.moderate(comment, user=p["clerk"], approve=True)
    c = end_window(c)
    client.force_login(p["clerk"])
    url = reverse("consultations_admin_feedback", args=[c.pk])
    bad = client.post(
        url, {"summary": "收到1条", f"decision_{comment.pk}": "partly", f"reason_{comment.pk}": ""}
    )
    assert "部分采纳或不予采纳的意见须说明理由。" in bad.content.decode()
    assert "收到1条" in bad.content.decode()
    ok = client.post(
        url, {"summary": "收到1条", f"decision_{comment.pk}": "adopted", f"reason_{comment.pk}": ""}
    )
    assert ok.status_code == 302
    assert (
        client.post(reverse("consultations_admin_action", args=[c.pk, "submit_feedback"])).status_code == 302
    )
    for reviewer in ("chushen", "fushen", "zhongshen"):
        client.force_login(p[reviewer])
        detail = client.get(reverse("consultations_admin_detail", args=[c.pk])).content.decode()
        assert "批准采纳情况" in detail
        client.post(reverse("consultations_admin_action", args=[c.pk, "approve_feedback"]), {"opinion": ""})
    c.refresh_from_db()
    assert c.status == "closed" and c.feedback.published_at is not None


def test_result_document_links_both_ways(client, p):
    _, _, library = factories.site()
    document = library.add_child(
        instance=PolicyDocumentPage(
            title="龙溪县城市公共停车场管理办法",
            organisation=p["county"],
            live=True,
            first_published_at=timezone.now(),
        )
    )
    c = consultation(p["county"], p["clerk"])
    services.link_document(c, user=p["clerk"], document=document)
    with pytest.raises(PermissionDenied):
        services.link_document(c, user=p["town_clerk"], document=document)
    assert f"/hudong/zhengji/{c.pk}/" in client.get(document.url).content.decode()
    assert document.url in client.get(reverse("consultations:detail", args=[c.pk])).content.decode()


@override_settings(ZWGK_UPLOAD_MAX_MB=0)
def test_oversized_attachment_is_refused_with_the_limit_named(client, p):
    client.force_login(p["clerk"])
    today = timezone.localdate()
    response = client.post(
        reverse("consultations_admin_new"),
        {
            "organisation": p["county"].pk,
            "title": "带附件的征集",
            "kind": "other",
            "draft_text": DRAFT,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=10)).isoformat(),
            "attachment": SimpleUploadedFile("草案.docx", b"x" * 2048),
        },
    )
    html = response.content.decode()
    assert "超过上传上限 0 MB" in html and "ZWGK_UPLOAD_MAX_MB" in html and "带附件的征集" in html
    assert not Consultation.objects.exists()
