"""Issue 23, real-world inputs: encrypted PDFs, WPS (.wps/.et) and old .doc files are read or reported as
unreadable with the reason — a finding of its own, 无法读取，需人工审查 — never skipped in silence: in
`zwgk screen FILE`, in a page's screening (which 三审 then cannot approve) and in the archive scan."""

import io
import shutil
import subprocess

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from pypdf import PdfWriter
from wagtail.documents.models import Document

from tests import factories
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.archive import run_archive_scan
from zwgk.screening.extract import UnsupportedFile, read
from zwgk.screening.guard import publishing_unscreened
from zwgk.screening.models import PageFinding

pytestmark = pytest.mark.django_db
ID = "350102199001011238"


def docx_bytes(line):
    document = docx.Document()
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(row):
    book = openpyxl.Workbook()
    book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("mima-123")  # an open password: nothing can be read without it
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_its_own_finding_in_zwgk_screen(tmp_path, capsys):
    """Rule (issue 23): `zwgk screen FILE` reports an unreadable file as a finding 无法读取，需人工审查."""
    path = tmp_path / "加密.pdf"
    path.write_bytes(encrypted_pdf())
    call_command("screen", str(path))
    kind, severity, *_, suggestion = capsys.readouterr().out.strip().split("\t")
    assert (kind, severity) == ("unreadable", "禁止")
    assert suggestion.startswith("无法读取，需人工审查") and "已加密" in suggestion


def test_wps_files_holding_office_xml_are_read():
    """Newer WPS saves .wps and .et as DOCX/XLSX inside: read by their content, not by the name."""
    assert ID in read("通知.wps", docx_bytes(f"身份证号{ID}")).text
    assert ID in read("名单.et", xlsx_bytes(["张三", ID])).text


def test_a_broken_or_foreign_file_says_why():
    with pytest.raises(UnsupportedFile, match="无法读取文件“坏.doc”：不是 Word 或 WPS 文字文件"):
        read("坏.doc", b"this is not a word file at all")
    with pytest.raises(UnsupportedFile, match="无法读取文件“坏.pdf”"):
        read("坏.pdf", b"%PDF-1.4 broken")
    with pytest.raises(UnsupportedFile, match="不支持审查此类文件"):
        read("视频.mp4", b"\x00\x00\x00\x18ftypmp42")


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice not installed; `make test` installs it"
)
def test_an_old_word_doc_is_read_through_libreoffice(tmp_path):
    source = tmp_path / "通知.docx"
    source.write_bytes(docx_bytes(f"联系人身份证号{ID}"))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "doc"]
        + ["--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = (tmp_path / "通知.doc").read_bytes()
    assert data[:4] == b"\xd0\xcf\x11\xe0"  # a real Word 97 compound file
    assert ID in read("通知.doc", data).text
    assert ID in read("通知.wps", data).text  # classic WPS 文字 files are the same format


@pytest.fixture
def page():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    document = Document.objects.create(
        title="加密名单.pdf", file=ContentFile(encrypted_pdf(), name="加密名单.pdf")
    )
    page = ArticlePage(
        title="2025年城乡低保对象公示",
        organisation=org,
        body="<p>名单见附件</p>",
        attachments=[("document", document)],
        live=False,
    )
    column.add_child(instance=page)
    page.save_revision()
    return page


def test_a_page_with_an_unreadable_attachment_cannot_be_approved(page):
    """Before, an encrypted attachment was screened as having no text and the page passed 三审."""
    findings = services.screen_page(page)
    unreadable = [f for f in findings if f.kind == "unreadable"]
    assert [(f.source, f.severity) for f in unreadable] == [("附件：加密名单.pdf", "禁止")]
    assert "已加密" in unreadable[0].suggestion
    assert any("无法读取" in reason for reason in services.approval_blockers(page))


def test_archive_scan_reports_an_unreadable_attachment(page):
    with publishing_unscreened("模拟存量信息"):
        page.save_revision().publish()
    PageFinding.objects.all().delete()
    run_archive_scan(workers=1, restart=True)
    finding = PageFinding.objects.get(page_id=page.pk, kind="unreadable")
    assert finding.source == "附件：加密名单.pdf" and "已加密" in finding.suggestion
