"""答复告知书 files (issue #3, 条例 Art. 36 and Art. 40): DOCX and PDF with its CJK font embedded, both
generated from the same text, kept outside the web server's media folder and handed out only to the
applicant (查询码) or to a clerk of the handling organisation."""

import io

import docx
import pypdf
import pytest
from django.conf import settings
from django.utils import timezone

from tests import factories
from zwgk.applications import services
from zwgk.applications.letters import cjk_font_path
from zwgk.core import roles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        cjk_font_path() is None, reason="no embeddable CJK font (make installs fonts-wqy-microhei)"
    ),
]
NAME = "欧阳明"


@pytest.fixture
def org():
    organisation = factories.organisation(name="龙溪县民政局", slug="mzj")
    factories.site()
    return organisation


@pytest.fixture
def replied(org):
    clerk = factories.staff("clerk", org, roles.INFORMANT, roles.APPLICATION_REVIEW)
    application = services.register_application(
        org,
        channel="当面",
        received_on=timezone.localdate(),
        user=clerk,
        applicant_type="自然人",
        applicant_name=NAME,
        description="2025年城乡低保资金发放情况",
    )
    event = services.reply(
        application,
        on=timezone.localdate(),
        user=clerk,
        result="partial",
        legal_basis="《中华人民共和国政府信息公开条例》第三十七条",
    )
    return application, event, clerk


def pdf_text_and_fonts(data: bytes) -> tuple[str, list]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/FontDescriptor" in font:  # reportlab also lists an unused standard-14 Helvetica
                fonts[str(font["/BaseFont"])] = font["/FontDescriptor"].get_object()
    return text, fonts


def test_pdf_letter_says_the_result_with_its_font_embedded(replied):
    application, event, _ = replied
    text, fonts = pdf_text_and_fonts(event.document_pdf.open("rb").read())
    assert "部分公开" in text and application.number in text and NAME in text
    assert "第三十七条" in text  # the legal basis cited (Art. 36)
    # The Chinese text is drawn with a subset of a TrueType font carried inside the file (not referenced).
    assert fonts and all("/FontFile2" in descriptor for descriptor in fonts.values())
    assert any("WenQuanYi" in name or "Droid" in name or "Ming" in name for name in fonts)
    docx_text = "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)
    assert "部分公开" in docx_text and NAME in docx_text


def test_letters_are_private_files(client, replied):
    application, event, clerk = replied
    assert not event.document.path.startswith(str(settings.MEDIA_ROOT))
    assert event.document.path.startswith(str(settings.ZWGK_PRIVATE_DIR))
    # The citizen with the 查询码 gets both formats; a guessed address under /media/ serves nothing.
    auth = {"number": application.number, "code": application.query_code}
    assert client.get(f"/ysqgk/track/letter/{event.pk}/", {**auth, "format": "pdf"}).status_code == 404
    client.post("/ysqgk/track/", auth)  # the code goes in a POST form, never in the URL
    pdf = client.get(f"/ysqgk/track/letter/{event.pk}/", {"format": "pdf"})
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get("/media/" + event.document.name).status_code == 404
    # In the back office only staff of the handling organisation may open it.
    outsider = factories.staff("outsider", factories.organisation(name="别的县", slug="bdx"), roles.INFORMANT)
    client.force_login(outsider)
    assert client.get(f"/admin/applications/letter/{event.pk}/pdf/").status_code in (302, 403)
    client.force_login(clerk)
    response = client.get(f"/admin/applications/letter/{event.pk}/docx/")
    assert response.status_code == 200
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert "部分公开" in text
