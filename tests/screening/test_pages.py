"""Screening where it runs: on save, in the 三审 approval, over attachments and the archive (issue #4)."""

import datetime as dt
import io
import json

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageLogEntry

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.archive import run_archive_scan
from zwgk.screening.extract import extract_text, read
from zwgk.screening.guard import BLOCKED_ACTION, UNSCREENED_ACTION, PublishBlocked, publishing_unscreened
from zwgk.screening.models import ArchiveScan, PageFinding

pytestmark = pytest.mark.django_db
ID = "350102199001011238"


def docx_bytes(*lines, table=None):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF with a real text layer (Helvetica, ASCII), written by hand."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_attachment_formats_are_read_back():
    assert ID in extract_text(
        "名单.docx", docx_bytes("低保对象名单", table=[["姓名", "身份证号"], ["张三", ID]])
    )
    assert ID in extract_text(
        "名单.xlsx", xlsx_bytes([["姓名", "身份证号"], ["张三", int(ID[:17] + "0")], ["李四", ID]])
    )
    assert ID in extract_text("名单.pdf", pdf_bytes(f"ID {ID}"))
    assert ID in extract_text("名单.csv", f"姓名,身份证号\n张三,{ID}\n".encode("gb18030"))
    assert ID in extract_text("名单.html", f"<table><tr><td>{ID}</td></tr></table>".encode())


def test_office_files_read_like_their_libraries_and_headers_count_too():
    """The fast XML readers give the text python-docx/openpyxl give (rows tab-separated, numbers whole),
    plus what python-docx's paragraph list leaves out: page headers and footers."""
    document = docx.Document()
    document.add_paragraph("关于发放2025年高龄津贴的公示")
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(["姓名", "身份证号", "金额"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["张三", ID, "600"]):
        table.cell(1, c).text = value
    document.add_paragraph("公示期7天。")
    document.sections[0].footer.paragraphs[0].text = "经办人手机13912345678"
    out = io.BytesIO()
    document.save(out)
    text = extract_text("公示.docx", out.getvalue())
    assert text.split("\n")[:3] == [
        "关于发放2025年高龄津贴的公示",
        "姓名\t身份证号\t金额",
        f"张三\t{ID}\t600",
    ]
    assert "公示期7天。" in text and "经办人手机13912345678" in text

    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "电话", "补贴"])
    workbook.active.append(["李四", 13912345678, 1.5])
    workbook.active["E5"] = "卡号6222020200112233445"  # a gap before it keeps the columns
    workbook.create_sheet("第二页").append(["王五", ID])
    out = io.BytesIO()
    workbook.save(out)
    rows = extract_text("名单.xlsx", out.getvalue()).split("\n")
    assert rows[:2] == ["姓名\t电话\t补贴", "李四\t13912345678\t1.5"]
    assert "\t\t\t\t卡号6222020200112233445" in rows and f"王五\t{ID}" in rows


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    home, column, library = factories.site()
    return org, column


def make_page(column, org, body="<p>正文</p>", attachment=None):
    attachments = []
    if attachment:
        name, data = attachment
        document = Document.objects.create(title=name, file=ContentFile(data, name=name))
        attachments = [("document", document)]
    page = ArticlePage(
        title="2025年城乡低保对象公示", organisation=org, body=body, attachments=attachments, live=False
    )
    column.add_child(instance=page)
    page.save_revision()
    return page


def publish_legacy(page):
    """Content published before screening existed (or before the lexicon knew a word): the archive
    scan and the remediation actions are for these."""
    with publishing_unscreened("模拟系统上线前已发布的存量信息"):
        page.save_revision().publish()


def test_findings_from_text_and_attachments(county):
    org, column = county
    page = make_page(
        column,
        org,
        body="<p>联系人手机13812345678</p>",
        attachment=("低保名单.docx", docx_bytes(table=[["张三", ID]])),
    )
    findings = services.screen_page(page)
    got = {(f.kind, f.source, f.severity) for f in findings}
    assert ("mobile", "正文", "提示") in got
    assert ("id_card", "附件：低保名单.docx", "禁止") in got
    assert any("张三" in f.context for f in findings if f.kind == "id_card")


def test_blocking_finding_stops_approval_until_secrecy_reviewer_overrides(county):
    org, column = county
    clerk = factories.staff("clerk", org, roles.INFORMANT)
    reviewer = factories.staff("first", org, roles.FIRST_REVIEW)
    secrecy = factories.staff("secrecy", org, roles.SECRECY_REVIEW)
    page = make_page(column, org, body=f"<p>申请人身份证号{ID}</p>")
    services.screen_page(page)
    state = page.get_workflow().start(page, clerk)
    task_state = state.current_task_state
    task = task_state.task.specific
    # 批准 only opens the modal that says why (tests/disclosure/test_review_ux.py); it approves nothing.
    assert [a for a in task.get_actions(page, reviewer) if a[0] == "approve"] == [
        ("approve", "批准（存在禁止类问题，查看原因）", True)
    ]
    with pytest.raises(PermissionDenied, match="禁止类"):
        task.on_action(task_state, reviewer, "approve")

    with pytest.raises(PermissionDenied):
        services.override(page, user=reviewer, reason="同意")  # only a 保密审查员 may override
    with pytest.raises(PermissionDenied):
        services.override(page, user=secrecy, reason="  ")  # a written reason is required
    services.override(page, user=secrecy, reason="经核实为已公开的法人代表证件号")
    assert "approve" in [a[0] for a in task.get_actions(page, reviewer)]
    task.on_action(task_state, reviewer, "approve", comment="同意")
    entry = PageLogEntry.objects.get(page=page, action="zwgk.screening.override")
    assert entry.user == secrecy and "法人代表" in entry.data["reason"]


def test_no_path_publishes_a_revision_with_blocking_findings_until_overridden(county):
    """Publishing in code, the final 三审 approval and bulk publish all end in `revision.publish()`:
    the guard screens the revision's own content (here an ID number in an attachment added later)."""
    org, column = county
    secrecy = factories.staff("secrecy", org, roles.SECRECY_REVIEW)
    page = make_page(column, org, attachment=("名单.xlsx", xlsx_bytes([["张三", ID]])))
    with pytest.raises(PublishBlocked, match="禁止类"):
        page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert PageFinding.objects.filter(page=page, kind="id_card", status="open").exists()

    services.override(page, user=secrecy, reason="经核实为公示期内依法公开的名单")
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_a_publish_without_the_guard_is_audit_logged_with_its_reason(county):
    """`publishing_unscreened(reason)` lets a revision past the guard (masking re-publishes a page to remove
    data): the audit log names the revision and the reason."""
    org, column = county
    page = make_page(column, org, body=f"<p>申请人身份证号{ID}</p>")
    with publishing_unscreened("模拟系统上线前已发布的存量信息"):
        revision = page.save_revision()
        revision.publish()
    page.refresh_from_db()
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action=UNSCREENED_ACTION)
    assert entry.data == {"revision": revision.pk, "reason": "模拟系统上线前已发布的存量信息"}
    assert entry.message == "未经发布审查发布（注明原因）"


def test_a_scheduled_publish_with_blocking_findings_is_unscheduled_and_logged(county):
    """Wagtail's `publish_scheduled` command publishes revisions directly: a blocked one stays a draft,
    loses its go-live date (so it is not retried every minute) and the audit log says why; the other
    scheduled revisions still go live."""
    org, column = county
    past = timezone.now() - dt.timedelta(minutes=5)
    leak = make_page(column, org, body=f"<p>申请人身份证号{ID}</p>")
    blocked = leak.save_revision(approved_go_live_at=past)
    clean = make_page(column, org, body="<p>全县一般公共预算收入稳步增长。</p>")
    clean.save_revision(approved_go_live_at=past)

    call_command("publish_scheduled")

    leak.refresh_from_db()
    clean.refresh_from_db()
    blocked.refresh_from_db()
    assert clean.live and not leak.live
    assert blocked.approved_go_live_at is None
    entry = PageLogEntry.objects.get(page=leak, action=BLOCKED_ACTION)
    assert entry.data["revision"] == blocked.pk and ID in entry.data["blockers"][0]


def test_mask_keeps_the_original_in_history_and_withdraw_shows_reason(county, client):
    org, column = county
    admin = factories.staff("admin", org, roles.ADMINISTRATOR, superuser=True)
    page = make_page(column, org, body=f"<p>张三，手机13812341234，身份证{ID}</p>")
    publish_legacy(page)
    findings = services.screen_page(page)
    services.mask_in_text(page, user=admin, findings=findings)
    page.refresh_from_db()
    assert "138****1234" in page.body and "35**************38" in page.body and ID not in page.body
    assert any(ID in r.content["body"] for r in page.revisions.all())  # original kept, back office only
    assert ID not in client.get(page.url).content.decode()

    services.withdraw(page, user=admin, reason="含有个人隐私信息，已撤下整改")
    response = client.get(page.url)
    assert response.status_code == 410
    assert "含有个人隐私信息，已撤下整改" in response.content.decode()
    assert PageLogEntry.objects.filter(page=page, action="zwgk.screening.withdraw").exists()


def test_archive_scan_is_resumable(county):
    org, column = county
    for i in range(5):
        page = make_page(column, org, body=f"<p>第{i}条，手机1381234567{i}</p>")
        page.save_revision().publish()
    first = run_archive_scan(workers=1, limit=2)
    assert first.finished_at is None
    done = run_archive_scan(workers=1)
    assert done.pk == first.pk and done.finished_at is not None and done.pages_done >= 5
    assert PageFinding.objects.filter(kind="mobile").count() == 5
    assert ArchiveScan.objects.count() == 1


def test_archive_scan_with_workers_reads_attachments_like_the_page_screen(county):
    """The archive reads items and attachments in bulk for its worker processes: same findings as
    screening each page, and written over (not added to) the open findings of an earlier scan."""
    org, column = county
    page = make_page(
        column,
        org,
        body="<p>联系人手机13812345678</p>",
        attachment=("低保名单.xlsx", xlsx_bytes([["姓名", "身份证号"], ["张三", ID]])),
    )
    publish_legacy(page)
    expected = sorted((f.source, f.kind, f.start, f.text) for f in services.screen_page(page))
    assert ("附件：低保名单.xlsx", "id_card") in {(s, k) for s, k, _, _ in expected}
    run_archive_scan(workers=2, restart=True)
    got = sorted((f.source, f.kind, f.start, f.text) for f in PageFinding.objects.filter(page=page))
    assert got == expected


def test_zwgk_screen_command_json_lines(tmp_path, capsys):
    path = tmp_path / "公示.docx"
    path.write_bytes(docx_bytes(f"张三 {ID} 手机13812345678"))
    call_command("screen", str(path), "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["kind"] for line in lines] == ["id_card", "mobile"]
    assert set(lines[0]) == {"kind", "severity", "start", "end", "text", "suggestion"}
    assert lines[0]["text"] == ID and lines[0]["suggestion"] == "35**************38"


def test_back_office_lists_and_bulk_false_positive(county, client):
    org, column = county
    admin = factories.staff("admin", org, roles.ADMINISTRATOR, superuser=True)
    page = make_page(column, org, body="<p>手机13812345678</p>")
    finding = services.screen_page(page)[0]
    client.force_login(admin)
    html = client.get("/admin/screening/findings/?kind=mobile").content.decode()
    assert "13812345678" in html and "138****5678" in html
    assert "13812345678" in client.get(f"/admin/screening/page/{page.pk}/").content.decode()
    client.post(
        "/admin/screening/findings/",
        {"finding": [finding.pk], "action": "false_positive", "note": "单位公开电话"},
    )
    finding.refresh_from_db()
    assert finding.status == PageFinding.Status.FALSE_POSITIVE
    # A false positive stays resolved when the page is screened again.
    services.screen_page(page)
    assert not PageFinding.objects.filter(page=page, status=PageFinding.Status.OPEN).exists()
    assert PageLogEntry.objects.filter(page=page, action="zwgk.screening.false_positive").exists()


def test_masking_regenerates_docx_and_xlsx_and_keeps_originals_private(county, client):
    from wagtail.documents.models import Document as WagtailDocument

    org, column = county
    admin = factories.staff("admin", org, roles.ADMINISTRATOR, superuser=True)
    page = make_page(
        column, org, attachment=("低保名单.xlsx", xlsx_bytes([["姓名", "身份证号"], ["张三", ID]]))
    )
    publish_legacy(page)
    findings = [f for f in services.screen_page(page) if f.kind == "id_card"]
    assert findings and findings[0].source == "附件：低保名单.xlsx"
    services.mask_in_text(page, user=admin, findings=findings)
    page.refresh_from_db()
    new_doc = page.attachments[0].value
    with new_doc.file.open("rb") as handle:
        text = extract_text("x.xlsx", handle.read())
    assert ID not in text and "35**************38" in text
    original = WagtailDocument.objects.exclude(pk=new_doc.pk).get()
    assert original.collection.name == "审查原件（不公开）"
    assert client.get(original.url).status_code in (302, 403, 404)  # not for the public
    assert not PageFinding.objects.filter(page=page, kind="id_card", status="open").exists()
    docx_page = make_page(column, org, attachment=("名单.docx", docx_bytes(f"身份证号码：{ID}")))
    services.mask_in_text(
        docx_page, user=admin, findings=[f for f in services.screen_page(docx_page) if f.kind == "id_card"]
    )
    docx_page.refresh_from_db()
    latest = docx_page.get_latest_revision_as_object()
    with latest.attachments[0].value.file.open("rb") as handle:
        assert "35**************38" in extract_text("x.docx", handle.read())


def test_an_attachment_is_parsed_once_while_its_bytes_are_unchanged(county, monkeypatch):
    """A bulk 发布 screens a page in the admin hook and again in the publish guard: the attachment's text
    was read once when it was uploaded (DocumentText), and from the file again once its bytes change."""
    org, column = county
    page = make_page(column, org, attachment=("名单.xlsx", xlsx_bytes([["张三", ID]])))
    parsed = []

    def counting(name, data):
        parsed.append(name)
        return read(name, data)

    monkeypatch.setattr(services, "read", counting)
    for _ in range(2):
        findings = services.screen_page(page.get_latest_revision_as_object())
        assert [f.kind for f in findings] == ["id_card"]
    assert len(parsed) == 0
    document = page.attachments[0].value
    with document.file.open("wb") as handle:  # the same file, other bytes
        handle.write(xlsx_bytes([["李四", "无"]]))
    assert services.screen_page(page.get_latest_revision_as_object()) == []
    assert len(parsed) == 1


def test_bulk_publish_is_refused_on_blocking_findings_until_overridden(county, client):
    """Issue #4: a 禁止 finding blocks publishing on every path, the page listing's bulk 发布 included."""
    from django.urls import reverse

    org, column = county
    admin = factories.staff("guanli", org, superuser=True)
    secrecy = factories.staff("secrecy", org, roles.SECRECY_REVIEW)
    page = make_page(column, org, body=f"<p>申请人身份证号{ID}</p>")
    client.force_login(admin)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={page.pk}"
    response = client.post(url, {"include_descendants": ""})
    page.refresh_from_db()
    assert response.status_code == 302 and not page.live
    assert PageFinding.objects.filter(page=page, kind="id_card", status="open").exists()
    services.override(page, user=secrecy, reason="经核实为已公开的法人代表证件号")
    client.post(url, {"include_descendants": ""})
    page.refresh_from_db()
    assert page.live
