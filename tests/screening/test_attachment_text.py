"""Issue 19: attachments are read in the background, never inside a request.

Page screening (the editor's save, 三审, the publish guard) reads an attachment's text from DocumentText,
filled once per file content by the background task `screen_document`. Until the task has run, the page
has a 禁止 finding 附件待审查: 三审 cannot approve it and the guard cannot publish it. A file over a limit is
a 禁止 finding naming the limit.
"""

import io

import docx
import lxml.html
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.models import ModelLogEntry

from tests import factories
from tests.screening.test_upload_limits import bomb_docx
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.guard import PublishBlocked
from zwgk.screening.models import DocumentText, PageFinding

pytestmark = pytest.mark.django_db
ID = "350102199001011238"
MB = 1024 * 1024


def docx_bytes(line):
    document = docx.Document()
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def town():
    top = factories.organisation(name="龙溪县人民政府", slug="lxx")
    town = factories.organisation(parent=top, name="城关镇人民政府", slug="cgz")
    _, column, _ = factories.site()
    page = ArticlePage(title="2025年城乡低保对象公示", organisation=town, body="<p>正文</p>", live=False)
    column.add_child(instance=page)
    page.save_revision()
    return {"org": town, "page": page}


def save_in_editor(client, page, document):
    """POST the Wagtail editor's form (保存草稿) with `document` as the page's attachment."""
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    data = dict(lxml.html.fromstring(html).get_element_by_id("page-edit-form").form_values())
    data.update(
        {
            "attachments-count": "1",
            "attachments-0-type": "document",
            "attachments-0-value": str(document.pk),
            "attachments-0-deleted": "",
            "attachments-0-order": "0",
            "attachments-0-id": "",
        }
    )
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def open_findings(page, kind):
    return PageFinding.objects.filter(page_id=page.pk, kind=kind, status=PageFinding.Status.OPEN)


def test_a_page_save_never_reads_an_attachment_and_approval_waits_for_the_task(
    town, client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS_MODE = "database"  # tasks are queued on commit, as in production
    org, page = town["org"], town["page"]
    clerk = factories.staff("xinxiyuan", org, roles.INFORMANT)
    first = factories.staff("chushen", org, roles.FIRST_REVIEW)
    secrecy = factories.staff("baomi", org, roles.SECRECY_REVIEW)
    with django_capture_on_commit_callbacks() as upload_tasks:  # the worker has not run yet
        document = Document.objects.create(
            title="低保名单.docx", file=ContentFile(docx_bytes(f"身份证号{ID}"), name="低保名单.docx")
        )
    assert len(upload_tasks) == 1

    client.force_login(clerk)
    with django_capture_on_commit_callbacks() as save_tasks:
        response = save_in_editor(client, page, document)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().attachments[0].value.pk == document.pk
    # The request did not read the file: no text stored, a task queued, and the page waits for it.
    assert not DocumentText.objects.exists()
    assert len(save_tasks) == 1
    pending = open_findings(page, "attachment_pending").get()
    assert pending.severity == "禁止" and pending.text == "低保名单.docx"
    assert not open_findings(page, "id_card").exists()
    messages = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "附件待审查" in messages

    # 三审 cannot approve, the 保密审查员 cannot wave it through, and the publish guard refuses it.
    page.get_workflow().start(page, clerk)
    state = ArticlePage.objects.get(pk=page.pk).current_workflow_state.current_task_state
    with pytest.raises(PermissionDenied, match="附件《低保名单.docx》尚在审查中，请稍后"):
        state.task.specific.on_action(state, first, "approve", comment="同意")
    assert services.override(page, user=secrecy, reason="已核查") == 0
    with pytest.raises(PermissionDenied, match="尚在审查中"):
        services.mark_false_positive([pending], user=secrecy, note="已核查")
    with django_capture_on_commit_callbacks():
        with pytest.raises(PublishBlocked, match="尚在审查中"):
            page.get_latest_revision().publish(user=secrecy)
    assert not DocumentText.objects.exists()

    # The worker runs the queued task: it reads the file once and re-screens the page.
    with django_capture_on_commit_callbacks(execute=True):
        upload_tasks[0]()
    stored = DocumentText.objects.get(document=document)
    assert ID in stored.text and not stored.error and len(stored.sha256) == 64
    assert not open_findings(page, "attachment_pending").exists()
    assert open_findings(page, "id_card").get().source == "附件：低保名单.docx"
    assert ModelLogEntry.objects.filter(action="zwgk.document.screened").count() == 1
    # The task queued by the page save finds the text there: nothing is read or logged again.
    with django_capture_on_commit_callbacks(execute=True):
        save_tasks[0]()
    assert DocumentText.objects.get() == stored
    assert ModelLogEntry.objects.filter(action="zwgk.document.screened").count() == 1
    blockers = services.approval_blockers(page)
    assert blockers and all("尚在审查中" not in b for b in blockers)
    assert any("身份证号码" in b for b in blockers)


def test_a_page_saved_while_the_task_ran_is_screened_by_the_next_one(
    town, settings, django_capture_on_commit_callbacks
):
    """The text was stored after the page's screening saw none: the second task re-screens the page."""
    settings.TASKS_MODE = "database"
    page = town["page"]
    with django_capture_on_commit_callbacks() as upload_tasks:
        document = Document.objects.create(
            title="名单.docx", file=ContentFile(docx_bytes(f"身份证{ID}"), name="名单.docx")
        )
        draft = page.get_latest_revision_as_object()
        draft.attachments = [("document", document)]
        draft.save_revision()
    with django_capture_on_commit_callbacks() as save_tasks:
        services.screen_page(draft)
    assert open_findings(page, "attachment_pending").exists()
    PageFinding.objects.filter(page_id=page.pk).update(suggestion="")  # as if saved after the task looked
    with django_capture_on_commit_callbacks(execute=True):
        upload_tasks[0]()
    assert open_findings(page, "attachment_pending").exists()  # the page was not among those it knew
    PageFinding.objects.filter(page_id=page.pk).update(suggestion=services.pending_note(document.pk))
    with django_capture_on_commit_callbacks(execute=True):
        save_tasks[0]()
    assert not open_findings(page, "attachment_pending").exists()
    assert open_findings(page, "id_card").exists()


def test_a_stored_file_over_a_limit_is_a_blocking_finding_naming_it(town):
    """Refused at upload today, but files stored before the limits existed may exceed them: screening
    never reads them and says which limit they exceed; 三审 cannot approve until they are replaced."""
    page = town["page"]
    bomb = Document.objects.create(title="名单.docx", file=ContentFile(bomb_docx(150), name="名单.docx"))
    row = DocumentText.objects.get(document=bomb)
    assert row.over_limit and "ZWGK_UNZIPPED_MAX_MB" in row.error and row.text == ""
    draft = page.get_latest_revision_as_object()
    draft.attachments = [("document", bomb)]
    draft.save_revision()
    services.screen_page(draft)
    finding = open_findings(page, "attachment_limit").get()
    assert finding.severity == "禁止" and "ZWGK_UNZIPPED_MAX_MB" in finding.text
    assert any("附件超出限制" in b and "ZWGK_UNZIPPED_MAX_MB" in b for b in services.approval_blockers(page))
    masked = services.mask_in_text(
        page, user=factories.staff("xinxiyuan", town["org"], roles.INFORMANT), findings=[finding]
    )
    assert not masked.changed  # nothing to mask in a file that was never read

    big = Document.objects.create(title="大.txt", file=ContentFile(b"x" * (2 * MB), name="big.txt"))
    draft.attachments = [("document", big)]
    draft.save_revision()
    with override_settings(ZWGK_UPLOAD_MAX_MB=1):
        services.screen_page(draft)
    finding = open_findings(page, "attachment_limit").get()
    assert "超过上传上限 1 MB（ZWGK_UPLOAD_MAX_MB）" in finding.text


def test_new_bytes_of_the_same_document_are_read_again_and_the_old_text_dropped(town):
    page = town["page"]
    document = Document.objects.create(
        title="名单.docx", file=ContentFile(docx_bytes("无"), name="名单.docx")
    )
    old = DocumentText.objects.get(document=document)
    draft = page.get_latest_revision_as_object()
    draft.attachments = [("document", document)]
    draft.save_revision()
    assert not services.screen_page(draft)
    with document.file.open("wb") as handle:  # the same file name, other bytes
        handle.write(docx_bytes(f"身份证号{ID}"))
    assert [f.kind for f in services.screen_page(draft)] == ["id_card"]
    new = DocumentText.objects.get(document=document)
    assert new.sha256 != old.sha256 and ID in new.text
