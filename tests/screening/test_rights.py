"""Issue 19: screening's remediation and who decides on findings.

- 脱敏 never publishes an unreviewed draft: live content is masked in the live revision and only that is
  republished; a draft is masked as a new draft that goes through 三审.
- 误报 and 同意发布 of a 禁止 finding belong to the 保密审查员 and the 管理员, each with a written reason.
- The findings list answers every role with only its organ subtree's findings, whatever the parameters.
"""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import PageLogEntry

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.extract import extract_text
from zwgk.screening.guard import UNSCREENED_ACTION, publishing_unscreened
from zwgk.screening.models import PageFinding, SensitiveWord

pytestmark = pytest.mark.django_db
ID = "350102199001011238"
ID_MASKED = "35**************38"
OLD_TITLE = "2025年城乡低保对象公示"
NEW_TITLE = "2025年城乡低保对象公示（第二批）"
LIST = "/admin/screening/findings/"


@pytest.fixture
def county():
    """龙溪县 → 城关镇 (with a 村) and 溪口镇; the township 城关镇 is where the staff work."""
    top = factories.organisation(name="龙溪县人民政府", slug="lxx")
    town = factories.organisation(parent=top, name="城关镇人民政府", slug="cgz")
    village = factories.organisation(parent=town, name="城关镇东街村", slug="cgz-dj")
    other = factories.organisation(parent=top, name="溪口镇人民政府", slug="xkz")
    _, column, _ = factories.site()
    return {"top": top, "town": town, "village": village, "other": other, "column": column}


def make_page(column, org, body="<p>正文</p>", title=OLD_TITLE, attachments=()):
    page = ArticlePage(title=title, organisation=org, body=body, attachments=list(attachments), live=False)
    column.add_child(instance=page)
    page.save_revision()
    return page


def publish(page):
    """Content online before this test (e.g. before screening existed)."""
    with publishing_unscreened("测试：存量已发布信息"):
        page.specific.save_revision().publish()
    page.refresh_from_db()


def save_draft(page, user, **changes):
    """What the Wagtail editor's 保存草稿 does: a new revision, screened by the after-edit hook."""
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision(user=user)
    services.screen_page(draft)
    return draft


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def approve_all(page, reviewers):
    for reviewer in reviewers:
        state = ArticlePage.objects.get(pk=page.pk).current_workflow_state
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve", comment="同意")


def reviewers(org):
    return [
        factories.staff("chushen", org, roles.FIRST_REVIEW),
        factories.staff("fushen", org, roles.SECOND_REVIEW),
        factories.staff("zhongshen", org, roles.FINAL_REVIEW),
    ]


# ---- 脱敏 never publishes a draft -------------------------------------------------------------------


def test_masking_a_draft_only_finding_masks_the_draft_and_publishes_nothing(county, client):
    """The reported case: a 信息员 edits a live item (new title, a mobile number in the body), saves a
    draft and uses 脱敏. Before, the whole unreviewed draft went live; now only the draft changes, and it
    goes live after 三审."""
    town, column = county["town"], county["column"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    page = make_page(column, town, body="<p>经审核，以下对象符合条件。</p>")
    publish(page)
    live_revision = page.live_revision_id
    save_draft(page, clerk, title=NEW_TITLE, body="<p>经审核，以下对象符合条件。联系人手机13812345678</p>")
    finding = PageFinding.objects.get(page=page, kind="mobile", status="open")

    result = services.mask_in_text(page, user=clerk, findings=[finding])

    page.refresh_from_db()
    assert result.published_revision is None and result.draft_revision
    assert page.live_revision_id == live_revision and page.title == OLD_TITLE
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.title == NEW_TITLE and "138****5678" in draft.body and "13812345678" not in draft.body
    public = client.get(page.url).content.decode()
    assert OLD_TITLE in public and NEW_TITLE not in public and "138" not in public
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.MASKED
    entry = PageLogEntry.objects.get(page=page, action="zwgk.screening.mask")
    assert entry.user == clerk and entry.data["draft_revision"] == result.draft_revision
    assert PageLogEntry.objects.filter(page=page, action=UNSCREENED_ACTION).count() == 1  # publish()

    # The masked draft goes through 三审 like any edit; only the 终审 puts it live.
    page.get_workflow().start(page, clerk)
    first, second, final = reviewers(town)
    approve_all(page, [first, second])
    page.refresh_from_db()
    assert page.title == OLD_TITLE
    approve_all(page, [final])
    page.refresh_from_db()
    assert page.title == NEW_TITLE and "138****5678" in page.body
    public = client.get(page.url).content.decode()
    assert NEW_TITLE in public and "138****5678" in public and "13812345678" not in public


def test_masking_live_content_republishes_only_the_masked_live_revision(county, client):
    """A number online and still in a newer draft: the live revision is masked and republished (old
    title), the draft is masked too and stays a draft with the new title."""
    town, column = county["town"], county["column"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    page = make_page(column, town, body="<p>联系人手机13812345678</p>")
    publish(page)
    save_draft(page, clerk, title=NEW_TITLE)
    finding = PageFinding.objects.get(page=page, kind="mobile", status="open")

    result = services.mask_in_text(page, user=clerk, findings=[finding])

    page.refresh_from_db()
    assert result.published_revision == page.live_revision_id
    assert page.title == OLD_TITLE and "138****5678" in page.body and "13812345678" not in page.body
    assert page.has_unpublished_changes and page.latest_revision_id == result.draft_revision
    draft = page.get_latest_revision_as_object()
    assert draft.title == NEW_TITLE and "138****5678" in draft.body
    public = client.get(page.url).content.decode()
    assert OLD_TITLE in public and NEW_TITLE not in public and "13812345678" not in public
    entry = PageLogEntry.objects.filter(page=page, action=UNSCREENED_ACTION).latest("pk")
    assert entry.data["revision"] == result.published_revision
    assert entry.data["reason"] == "脱敏后重新发布在线版本"


def test_masking_live_content_keeps_a_draft_that_no_longer_has_it(county, client):
    """The draft already removed the number: the live page is masked and republished, and the
    editor's draft is saved again on top, so it stays the latest version (not lost, not published)."""
    town, column = county["town"], county["column"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    page = make_page(column, town, body="<p>联系人手机13812345678</p>")
    publish(page)
    save_draft(page, clerk, title=NEW_TITLE, body="<p>联系人：民政办</p>")
    # Still online, no longer in the draft: listed for the live version, not blocking the draft.
    finding = PageFinding.objects.get(page=page, status="open")
    assert finding.live_only and finding.text == "13812345678"

    result = services.mask_in_text(page, user=clerk, findings=[finding])

    page.refresh_from_db()
    assert result.published_revision and result.draft_revision
    assert page.title == OLD_TITLE and "138****5678" in page.body
    draft = page.get_latest_revision_as_object()
    assert draft.title == NEW_TITLE and draft.body == "<p>联系人：民政办</p>"
    assert "13812345678" not in client.get(page.url).content.decode()


def test_masking_an_attachment_of_a_live_item_with_a_draft(county, client):
    """An ID number in a live XLSX: the live revision gets the masked copy and is republished; the
    draft (new title, same file) gets the same masked copy and stays a draft."""
    town, column = county["town"], county["column"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    original = Document.objects.create(
        title="低保名单", file=ContentFile(xlsx([["张三", ID]]), name="名单.xlsx")
    )
    page = make_page(column, town, attachments=[("document", original)])
    publish(page)
    save_draft(page, clerk, title=NEW_TITLE)
    findings = list(PageFinding.objects.filter(page=page, kind="id_card", status="open"))
    assert findings and findings[0].source == "附件：低保名单"

    services.mask_in_text(page, user=clerk, findings=findings)

    page.refresh_from_db()
    live_doc = page.attachments[0].value
    draft = page.get_latest_revision_as_object()
    assert page.title == OLD_TITLE and draft.title == NEW_TITLE
    assert draft.attachments[0].value.pk == live_doc.pk != original.pk
    with live_doc.file.open("rb") as handle:
        text = extract_text("x.xlsx", handle.read())
    assert ID not in text and ID_MASKED in text
    original.refresh_from_db()
    assert original.collection.name == "审查原件（不公开）"


def test_masking_is_for_staff_of_the_organ_subtree(county):
    page = make_page(county["column"], county["town"], body="<p>手机13812345678</p>")
    finding = services.screen_page(page)[0]
    outsider = factories.staff("waiguan", county["other"], roles.SECRECY_REVIEW)
    with pytest.raises(PermissionDenied):
        services.mask_in_text(page, user=outsider, findings=[finding])
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.OPEN


# ---- 误报 and 同意发布 belong to the 保密审查员 and the 管理员 ------------------------------------------------


def test_informant_cannot_mark_a_blocking_finding_false_positive_from_the_list(county, client):
    town = county["town"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    page = make_page(county["column"], town, body=f"<p>申请人身份证号{ID}</p>")
    finding = services.screen_page(page)[0]
    assert finding.severity == "禁止"
    client.force_login(clerk)

    response = client.post(
        LIST, {"finding": [finding.pk], "action": "false_positive", "note": "是法人代表的证件号"}, follow=True
    )

    assert response.status_code == 200
    assert "禁止类问题只能由保密审查员或管理员认定为误报" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.OPEN
    assert not PageLogEntry.objects.filter(page=page, action="zwgk.screening.false_positive").exists()
    # …and the page still cannot pass 三审.
    state = page.get_workflow().start(page, clerk)
    first = factories.staff("chushen", town, roles.FIRST_REVIEW)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert ("approve", "批准", False) not in task.get_actions(page, first)  # only the modal saying why
    with pytest.raises(PermissionDenied, match="禁止类"):
        task.on_action(task_state, first, "approve")
    # The page screen refuses the same way.
    client.post(
        f"/admin/screening/page/{page.pk}/",
        {"finding": [finding.pk], "action": "false_positive", "note": "是法人代表的证件号"},
    )
    client.post(f"/admin/screening/page/{page.pk}/", {"action": "override", "reason": "同意"})
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.OPEN


def test_informant_may_mark_a_warning_false_positive_with_a_reason(county, client):
    town = county["town"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    page = make_page(county["column"], town, body="<p>办公电话13812345678</p>")
    finding = services.screen_page(page)[0]
    assert finding.severity == "提示"
    client.force_login(clerk)
    response = client.post(
        LIST, {"finding": [finding.pk], "action": "false_positive", "note": " "}, follow=True
    )
    assert "请填写认定为误报的理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.OPEN
    client.post(LIST, {"finding": [finding.pk], "action": "false_positive", "note": "单位公开的值班电话"})
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.FALSE_POSITIVE
    entry = PageLogEntry.objects.get(page=page, action="zwgk.screening.false_positive")
    assert entry.user == clerk and entry.data["note"] == "单位公开的值班电话"


def test_secrecy_reviewer_and_a_non_superuser_administrator_decide_blocking_findings(county):
    town = county["town"]
    secrecy = factories.staff("baomi", town, roles.SECRECY_REVIEW)
    admin = factories.staff("guanli", county["top"], roles.ADMINISTRATOR)
    outsider = factories.staff("waibaomi", county["other"], roles.SECRECY_REVIEW)
    page = make_page(county["column"], town, body=f"<p>申请人身份证号{ID}</p>")
    finding = services.screen_page(page)[0]

    with pytest.raises(PermissionDenied):
        services.mark_false_positive([finding], user=secrecy, note="")  # a reason is required
    with pytest.raises(PermissionDenied):
        services.mark_false_positive([finding], user=outsider, note="误报")  # another township
    with pytest.raises(PermissionDenied):
        services.override(page, user=outsider, reason="同意")
    services.mark_false_positive([finding], user=secrecy, note="系示例号码")
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.FALSE_POSITIVE and finding.resolution_note == "系示例号码"

    other = make_page(county["column"], county["village"], body=f"<p>身份证号{ID}</p>")
    services.screen_page(other)
    assert services.override(other, user=admin, reason="经核实为依法公开的名单") == 1
    entry = PageLogEntry.objects.get(page=other, action="zwgk.screening.override")
    assert entry.user == admin and entry.data["reason"] == "经核实为依法公开的名单"
    assert not services.blocking_findings(other).exists()


def test_a_warning_marked_false_positive_does_not_hide_the_word_once_it_blocks(county):
    """A 信息员's 误报 on a 提示 must not silence the same text after the lexicon grades it 禁止."""
    town = county["town"]
    clerk = factories.staff("xinxiyuan", town, roles.INFORMANT)
    word = SensitiveWord.objects.create(word="某某网赌平台", category="赌博", severity="提示")
    page = make_page(county["column"], town, body="<p>警惕某某网赌平台诈骗。</p>")
    finding = next(f for f in services.screen_page(page) if f.text == "某某网赌平台")
    services.mark_false_positive([finding], user=clerk, note="反诈宣传")
    word.severity = "禁止"
    word.save()
    services.screen_page(page)
    assert services.blocking_findings(page).filter(text="某某网赌平台").exists()


# ---- the findings list for every role --------------------------------------------------------------

ROLES = [
    roles.INFORMANT,
    roles.FIRST_REVIEW,
    roles.SECOND_REVIEW,
    roles.SECRECY_REVIEW,
    roles.FINAL_REVIEW,
    roles.ADMINISTRATOR,
]
QUERIES = [
    "",
    "?status=open",
    "?status=",
    "?status=masked",
    "?status=nonsense",
    "?kind=mobile",
    "?kind=id_card",
    "?kind=%3Cscript%3E",
    "?severity=禁止",
    "?severity=提示",
    "?severity=9",
    "?org=cgz",
    "?org=cgz-dj",
    "?org=xkz",
    "?org=lxx",
    "?org=nonexistent",
    "?page=abc",
    "?page=99999",
    "?page=-1",
    "?status=open&kind=mobile&severity=提示&org=cgz&page=1",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lists_only_its_subtree_findings_whatever_the_filter(county, client, role):
    user = factories.staff("staff", county["town"], role)
    make_page(county["column"], county["town"], body="<p>手机13800000001，身份证号" + ID + "</p>")
    make_page(county["column"], county["village"], body="<p>手机13800000002</p>")
    make_page(county["column"], county["other"], body="<p>手机13800000003</p>")
    make_page(county["column"], county["top"], body="<p>手机13800000004</p>")
    for page in ArticlePage.objects.all():
        services.screen_page(page)
    client.force_login(user)
    for query in QUERIES:
        response = client.get(LIST + query)
        assert response.status_code == 200, query
        html = response.content.decode()
        assert "13800000003" not in html and "13800000004" not in html, query
        assert "溪口镇人民政府" not in html and "龙溪县人民政府</option>" not in html, query
    html = client.get(LIST).content.decode()
    assert "13800000001" in html and "13800000002" in html and ID in html
    html = client.get(LIST + "?org=cgz-dj").content.decode()
    assert "13800000002" in html and "13800000001" not in html
    html = client.get(LIST + "?org=xkz").content.decode()
    assert "已忽略" in html and "13800000001" in html
    assert "13800000001" in client.get(LIST + "?status=nonsense").content.decode()
    # Bulk actions ignore ids that are not numbers and findings outside the scope.
    outside = PageFinding.objects.get(text="13800000003")
    response = client.post(LIST, {"finding": ["abc", outside.pk], "action": "false_positive", "note": "x"})
    assert response.status_code == 302
    outside.refresh_from_db()
    assert outside.status == PageFinding.Status.OPEN


def test_a_county_administrator_filters_by_township(county, client):
    """管理员 (not a superuser) of the county: ?org= answered 500 before."""
    admin = factories.staff("guanli", county["top"], roles.ADMINISTRATOR)
    make_page(county["column"], county["town"], body="<p>手机13800000001</p>")
    make_page(county["column"], county["other"], body="<p>手机13800000003</p>")
    for page in ArticlePage.objects.all():
        services.screen_page(page)
    client.force_login(admin)
    html = client.get(LIST + "?org=xkz").content.decode()
    assert "13800000003" in html and "13800000001" not in html
    html = client.get(LIST).content.decode()
    assert "13800000003" in html and "13800000001" in html
    assert "溪口镇人民政府" in html and "城关镇东街村" in html
    # The demo's 管理员 is a superuser: the same filter, all organs.
    client.force_login(factories.staff("admin", county["top"], roles.ADMINISTRATOR, superuser=True))
    html = client.get(LIST + "?org=cgz").content.decode()
    assert "13800000001" in html and "13800000003" not in html


def test_messages_of_the_list_are_shown(county, client):
    clerk = factories.staff("xinxiyuan", county["town"], roles.INFORMANT)
    client.force_login(clerk)
    response = client.get(LIST + "?kind=bogus")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["筛选条件“类型”的值无效，已忽略。"]
