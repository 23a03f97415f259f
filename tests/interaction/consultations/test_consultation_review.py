"""The 采纳情况's 三审 is the 三审 of published content (zwgk.disclosure.setup.REVIEW_STEPS): 初审 → 复审 (where
the 保密审查 happens: a 保密审查员 may decide it) → 终审, an opinion for every 退回, an audit entry for every
step, and a 禁止 finding in what it publishes stops it as it stops a page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.core import roles
from zwgk.interaction.consultations import services
from zwgk.interaction.consultations.dashboard import ended_without_feedback

from .helpers import consultation, end_window, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    factories.site()
    found = people()
    found["baomi"] = factories.staff("baomi", found["county"], roles.SECRECY_REVIEW)
    return found


def with_one_comment(p, opinion="建议延长免费停车时间。"):
    c = consultation(p["county"], p["clerk"])
    comment = services.submit_comment(c, body="建议延长免费停车时间。", article=3)
    c = end_window(c)
    items = [
        {"opinion": opinion, "decision": "partly", "reason": "部分路段可以延长。", "comments": [comment]}
    ]
    return c, services.save_feedback(c, user=p["clerk"], summary="共收到意见1条。", items=items)


def act(client, user, c, name, opinion=""):
    client.force_login(user)
    return client.post(reverse("consultations_admin_action", args=[c.pk, name]), {"opinion": opinion})


def test_secrecy_reviewer_decides_the_second_step_each_step_audited(client, p):
    c, feedback = with_one_comment(p)
    assert c in ended_without_feedback(p["clerk"])
    services.submit_feedback(feedback, user=p["clerk"])

    act(client, p["chushen"], c, "reject_feedback")  # 退回 without an opinion: refused
    feedback.refresh_from_db()
    assert feedback.status == "in_review" and feedback.step == 0
    act(client, p["chushen"], c, "approve_feedback", "同意")
    act(client, p["baomi"], c, "approve_feedback", "保密审查通过")  # 复审（保密审查）
    feedback.refresh_from_db()
    assert feedback.step == 2
    act(client, p["zhongshen"], c, "approve_feedback")
    feedback.refresh_from_db()
    c.refresh_from_db()
    assert feedback.status == "published" and c.status == "closed"
    assert c not in ended_without_feedback(p["clerk"])

    steps = list(feedback.reviews.order_by("pk").values_list("step", "user__username", "approved"))
    assert steps == [("初审", "chushen", True), ("复审", "baomi", True), ("终审", "zhongshen", True)]
    audited = ModelLogEntry.objects.filter(
        object_id=str(feedback.pk), action="zwgk.consultation.feedback_reviewed"
    ).order_by("pk")
    assert [e.data["step"] for e in audited] == ["初审", "复审", "终审"]
    assert [e.user.username for e in audited] == ["chushen", "baomi", "zhongshen"]
    page = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert "部分路段可以延长" in page


def test_a_forbidden_finding_in_the_feedback_stops_its_review(p):
    c, feedback = with_one_comment(p, opinion="王晓红（身份证350102199001011238）建议延长免费停车时间。")
    with pytest.raises(ValidationError, match="禁止发布的内容（身份证号码）"):
        services.submit_feedback(feedback, user=p["clerk"])
    feedback.refresh_from_db()
    assert feedback.status == "draft"
    items = [{"opinion": "建议延长免费停车时间。", "decision": "adopted", "reason": "", "comments": []}]
    feedback = services.save_feedback(c, user=p["clerk"], summary="共收到意见1条。", items=items)
    assert services.submit_feedback(feedback, user=p["clerk"]).status == "in_review"
