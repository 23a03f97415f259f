"""三审 as the reviewers use it (issue 26): a blocked 批准 says why and links to the finding; 退回修改 needs a
审核意见, which the workflow history shows under that label; masking by a reviewer keeps the review going."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.disclosure.workflow import REJECT_NEEDS_OPINION, REVIEW_KEPT_ACTION
from zwgk.screening import services
from zwgk.screening.guard import publishing_unscreened
from zwgk.screening.models import PageFinding

pytestmark = pytest.mark.django_db
ID = "350102199001011238"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    return {
        "org": org,
        "column": column,
        "clerk": factories.staff("xinxiyuan", org, roles.INFORMANT),
        "first": factories.staff("chushen", org, roles.FIRST_REVIEW),
        "second": factories.staff("fushen", org, roles.SECOND_REVIEW),
        "secrecy": factories.staff("baomi", org, roles.SECRECY_REVIEW),
        "final": factories.staff("zhongshen", org, roles.FINAL_REVIEW),
    }


def make_page(county, body="<p>正文</p>", title="2025年城乡低保对象公示"):
    page = ArticlePage(title=title, organisation=county["org"], body=body, live=False)
    county["column"].add_child(instance=page)
    page.save_revision(user=county["clerk"])
    services.screen_page(page)
    return page


def submit(page, clerk):
    return page.get_workflow().start(page, clerk)


def current(page):
    return ArticlePage.objects.get(pk=page.pk).current_workflow_state


def act(page, user, action, **kwargs):
    task_state = current(page).current_task_state
    return task_state.task.specific.on_action(task_state, user, action, **kwargs)


def modal_html(response) -> str:
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)["html"]


# ---- a blocked 批准 says why and links to the finding ---------------------------------------------------


def test_blocked_approval_explains_and_links_to_the_finding(county, client):
    page = make_page(county, body=f"<p>申请人身份证号{ID}</p>")
    finding = PageFinding.objects.get(page=page, kind="id_card", status="open")
    submit(page, county["clerk"])
    task_state = current(page).current_task_state
    link = f"/admin/screening/page/{page.pk}/#finding-{finding.pk}"
    client.force_login(county["first"])

    # The editor says why 批准 is not possible, with the finding's link.
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "暂不能批准" in editor and "1 个禁止类审查问题" in editor
    assert f'href="{link}"' in editor and ID in editor

    # The 批准 action is still offered: its modal explains instead of approving.
    actions = task_state.task.specific.get_actions(page, county["first"])
    assert ("approve", "批准（存在禁止类问题，查看原因）", True) in actions
    modal_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    html = modal_html(client.get(modal_url, **XHR))
    assert "不能批准" in html and f'href="{link}"' in html and ID in html
    assert 'type="submit"' not in html

    # Posting 批准 anyway is refused with the reasons, and nothing moves.
    refused = client.post(modal_url, {"comment": "同意"}, **XHR)
    assert refused.status_code == 403
    assert "存在禁止类审查问题" in refused.content.decode()
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    # The link lands on the finding's row.
    screening = client.get(link.split("#")[0]).content.decode()
    assert f'id="finding-{finding.pk}"' in screening


def test_a_clean_item_offers_plain_approval_and_no_warning(county, client):
    page = make_page(county)
    submit(page, county["clerk"])
    task_state = current(page).current_task_state
    assert [a[1] for a in task_state.task.specific.get_actions(page, county["first"])] == [
        "退回修改",
        "批准",
        "批准并填写审核意见",
    ]
    client.force_login(county["first"])
    assert "暂不能批准" not in client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()


# ---- 退回修改 needs a 审核意见 ----------------------------------------------------------------------------


def test_reject_without_an_opinion_is_refused_and_with_one_is_recorded(county, client):
    page = make_page(county)
    state = submit(page, county["clerk"])
    act(page, county["first"], "approve", comment="初审同意")
    task_state = current(page).current_task_state
    assert task_state.task.name == "复审（保密审查）"
    reviewer = county["second"]
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])

    # The modal's form asks for the 审核意见 (required).
    form = modal_html(client.get(url, **XHR))
    assert "审核意见" in form and "退回修改" in form and "Comment" not in form

    for empty in ("", "   "):
        html = modal_html(client.post(url, {"comment": empty}, **XHR))
        assert REJECT_NEEDS_OPINION in html
    with pytest.raises(PermissionDenied, match="审核意见"):
        act(page, reviewer, "reject", comment="  ")
    with pytest.raises(PermissionDenied, match="审核意见"):
        act(page, reviewer, "reject")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    opinion = "请补充低保对象的认定依据和公示期限。"
    done = json.loads(client.post(url, {"comment": opinion}, **XHR).content)
    assert done["step"] == "success"
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED and task_state.comment == opinion
    assert task_state.finished_by == reviewer
    state.refresh_from_db()
    assert state.status == state.STATUS_NEEDS_CHANGES

    # The submitter reads it in the workflow history, labelled 审核意见.
    client.force_login(county["clerk"])
    history = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[page.pk, state.pk])
    ).content.decode()
    assert (
        f"审核意见： <b>&quot;{opinion}&quot;</b>" in history or f'审核意见： <b>"{opinion}"</b>' in history
    )
    assert "with comment" not in history and "有评论" not in history


# ---- masking by a reviewer keeps the review ------------------------------------------------------------


def test_secrecy_reviewer_masks_a_draft_in_review_and_the_same_step_goes_on(county, client):
    """A mobile number in a new item at 复审: the 保密审查员 masks it on the screening page; the item stays
    at 复审 (the 初审 approval still counts), the reviewer is told so, and the log says why."""
    page = make_page(county, body="<p>联系人手机13812345678</p>")
    state = submit(page, county["clerk"])
    act(page, county["first"], "approve", comment="初审同意")
    finding = PageFinding.objects.get(page=page, kind="mobile", status="open")
    secrecy = county["secrecy"]
    client.force_login(secrecy)

    response = client.post(
        f"/admin/screening/page/{page.pk}/", {"action": "mask", "finding": [finding.pk]}, follow=True
    )

    text = response.content.decode()
    assert "进行中的三审继续" in text and "复审（保密审查）" in text and "已取消" not in text
    page.refresh_from_db()
    state.refresh_from_db()
    assert state.status == state.STATUS_IN_PROGRESS and current(page).pk == state.pk
    task_state = state.current_task_state
    assert task_state.task.name == "复审（保密审查）"
    assert task_state.revision_id == page.latest_revision_id  # the masked draft is what is reviewed
    assert "138****5678" in page.get_latest_revision_as_object().body
    entry = PageLogEntry.objects.get(page=page, action=REVIEW_KEPT_ACTION)
    assert entry.user == secrecy and entry.data["step"] == "复审（保密审查）"
    assert entry.data["approvals_kept"] == ["初审"]
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.workflow.cancel").exists()

    # 复审 then 终审 approve: no detour back to 初审, and the masked version goes live.
    act(page, secrecy, "approve", comment="保密审查通过")
    assert current(page).current_task_state.task.name == "终审"
    act(page, county["final"], "approve", comment="同意发布")
    page.refresh_from_db()
    assert page.live and "138****5678" in page.body and "13812345678" not in page.body
    names = [ts.task.name for ts in state.task_states.filter(status="approved").order_by("id")]
    assert sorted(names) == sorted(
        ["初审", "初审", "复审（保密审查）", "终审"]
    )  # 初审 carried to the masked revision


def test_masking_live_content_during_review_republishes_without_cancelling_it(county, client):
    """Online content with the number and a draft in 三审: the live page is masked and republished, the
    draft is masked, and the 三审 is neither cancelled nor restarted."""
    page = make_page(county, body="<p>联系人手机13812345678</p>")
    with publishing_unscreened("测试：存量已发布信息"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    draft.title = "2025年城乡低保对象公示（第二批）"
    draft.save_revision(user=county["clerk"])
    services.screen_page(draft)
    state = submit(page, county["clerk"])
    act(page, county["first"], "approve", comment="初审同意")
    findings = list(PageFinding.objects.filter(page=page, kind="mobile", status="open"))

    result = services.mask_in_text(page, user=county["secrecy"], findings=findings)

    page.refresh_from_db()
    state.refresh_from_db()
    assert result.published_revision and result.draft_revision and not result.workflow_cancelled
    assert result.review_step == "复审（保密审查）"
    assert state.status == state.STATUS_IN_PROGRESS and current(page).pk == state.pk
    assert page.title == "2025年城乡低保对象公示" and "138****5678" in page.body
    assert state.current_task_state.revision_id == result.draft_revision == page.latest_revision_id
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.workflow.cancel").exists()
    assert "13812345678" not in client.get(page.url).content.decode()

    act(page, county["second"], "approve", comment="保密审查通过")
    act(page, county["final"], "approve", comment="同意发布")
    page.refresh_from_db()
    assert page.title == "2025年城乡低保对象公示（第二批）" and "138****5678" in page.body


def test_masking_after_a_reject_keeps_the_workflow_waiting_for_the_submitter(county):
    page = make_page(county, body="<p>联系人手机13812345678</p>")
    state = submit(page, county["clerk"])
    act(page, county["first"], "reject", comment="请删去个人手机号")
    finding = PageFinding.objects.get(page=page, kind="mobile", status="open")

    result = services.mask_in_text(page, user=county["first"], findings=[finding])

    state.refresh_from_db()
    assert result.review_step == "" and state.status == state.STATUS_NEEDS_CHANGES
    assert current(page).pk == state.pk
