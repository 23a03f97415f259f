"""Uploads are bounded: size, unzipped size and compression ratio of Office/ZIP files, PDF pages (issue 19).

A file over a limit is refused at upload with a Chinese error naming the limit, and `zwgk screen` says the
same instead of reading it."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from pypdf import PdfWriter
from wagtail.documents.models import Document

from tests import factories
from zwgk.core import roles
from zwgk.screening.extract import FileOverLimit, extract_text

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def bomb_docx(megabytes: int) -> bytes:
    """A real DOCX whose word/document.xml expands to `megabytes` MB of paragraphs (a few hundred KB zipped)."""
    out = io.BytesIO()
    docx.Document().save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    paragraph = b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item.filename))
                continue
            with target.open("word/document.xml", "w", force_zip64=True) as handle:
                handle.write(
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                )
                for _ in range(megabytes * MB // len(paragraph)):
                    handle.write(paragraph)
                handle.write(b"</w:body></w:document>")
    return bomb.getvalue()


def pdf_with_pages(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def never_read(monkeypatch):
    """Make opening any member of a zip archive fail the test: a refused file is judged by its directory."""

    def read(self, name, *args, **kwargs):
        raise AssertionError(f"{name} was read")

    monkeypatch.setattr(zipfile.ZipFile, "open", read)


def test_zip_bomb_docx_is_refused_before_it_is_read(tmp_path, monkeypatch):
    data = bomb_docx(150)
    assert len(data) < 2 * MB  # small on disk, 150 MB of XML inside
    with monkeypatch.context() as patch:
        never_read(patch)
        with pytest.raises(FileOverLimit, match="ZWGK_UNZIPPED_MAX_MB"):
            extract_text("公示.docx", data)  # the directory is read, not the XML
    # Under the size limit but compressed far beyond any real document: the ratio limit.
    with pytest.raises(FileOverLimit, match="ZWGK_ZIP_MAX_RATIO"):
        extract_text("公示.docx", bomb_docx(20))
    # `zwgk screen` prints the same error instead of reading the file.
    path = tmp_path / "公示.docx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="解压后.*ZWGK_UNZIPPED_MAX_MB"):
        call_command("screen", str(path))


def test_unzipped_limit_follows_its_setting():
    """ZWGK_UNZIPPED_MAX_MB from the environment: a 2 MB document is refused under a 1 MB limit."""
    data = bytearray(bomb_docx(2))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    with override_settings(ZWGK_UNZIPPED_MAX_MB=1):
        with pytest.raises(FileOverLimit, match="ZWGK_UNZIPPED_MAX_MB"):
            extract_text("公示.docx", bytes(data))
    assert info.file_size > MB


def test_screen_command_refuses_an_oversize_file_unread(tmp_path):
    path = tmp_path / "大.txt"
    path.write_bytes(b"x" * (2 * MB))
    with override_settings(ZWGK_UPLOAD_MAX_MB=1):
        with pytest.raises(CommandError, match="超过上传上限 1 MB（ZWGK_UPLOAD_MAX_MB）"):
            call_command("screen", str(path))


def test_pdf_with_too_many_pages_is_refused(tmp_path):
    assert extract_text("短.pdf", pdf_with_pages(3)) is not None
    with pytest.raises(FileOverLimit, match="501 页.*ZWGK_PDF_MAX_PAGES"):
        extract_text("长.pdf", pdf_with_pages(501))
    path = tmp_path / "长.pdf"
    path.write_bytes(pdf_with_pages(501))
    with pytest.raises(CommandError, match="ZWGK_PDF_MAX_PAGES"):
        call_command("screen", str(path))


@pytest.fixture
def clerk():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    town = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    factories.site()
    return factories.staff("town", town, roles.INFORMANT)


def upload(client, name, data):
    return client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, data)},
    )


def test_uploads_over_a_limit_get_a_chinese_error_naming_it(client, clerk, monkeypatch):
    client.force_login(clerk)
    data = bomb_docx(150)
    with monkeypatch.context() as patch:
        never_read(patch)  # refused from the archive's directory
        response = upload(client, "名单.docx", data)
    assert response.status_code == 200
    assert "ZWGK_UNZIPPED_MAX_MB" in response.content.decode()
    response = upload(client, "报告.pdf", pdf_with_pages(501))
    assert "ZWGK_PDF_MAX_PAGES" in response.content.decode()
    with override_settings(ZWGK_UPLOAD_MAX_MB=1, WAGTAILDOCS_MAX_UPLOAD_SIZE=None):
        response = upload(client, "大.txt", b"x" * (2 * MB))
    assert "超过上传上限 1 MB" in response.content.decode()
    assert "ZWGK_UPLOAD_MAX_MB" in response.content.decode()
    assert not Document.objects.exists()
    # A file within the limits is accepted, and screened by the background task.
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("身份证号350102199001011238")
    document.save(out)
    response = upload(client, "正常.docx", out.getvalue())
    assert response.status_code == 302
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="zwgk.document.screened")
    assert entry.data["count"] >= 1


def test_limits_come_from_settings():
    from django.conf import settings

    assert settings.ZWGK_UPLOAD_MAX_MB == 50
    assert settings.ZWGK_UNZIPPED_MAX_MB == 100
    assert settings.ZWGK_ZIP_MAX_RATIO == 100
    assert settings.ZWGK_PDF_MAX_PAGES == 500
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 50 * MB
