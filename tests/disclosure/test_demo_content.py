"""The demo reads like a real county's site (issue 26): linked 解读, clean prose that fits its title,
revision and repeal chains within one organ, real planted findings, starter 答复告知书 templates, and no
reading outside the repository."""

import datetime as dt
import random
import re
from pathlib import Path

import docx
import pytest

from zwgk.applications import services
from zwgk.applications.letter_templates import STARTER_TEMPLATES
from zwgk.applications.models import LetterTemplate
from zwgk.demo import content as demo_content
from zwgk.demo.content import clean_prose, corpus_sentences, generate
from zwgk.demo.findings import DEMO_ID_NUMBER
from zwgk.demo.people import create_organisations
from zwgk.disclosure.models import (
    ArticlePage,
    InterpretationPage,
    PolicyDocumentPage,
    PolicyStatusChange,
)
from zwgk.screening.engine import scan_text
from zwgk.screening.extract import extract_text, html_to_text

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
REPO = Path(__file__).resolve().parents[2]
BAD_PROSE = re.compile(r"\(|\*\*|[\u4e00-\u9fff],|,[\u4e00-\u9fff]")


@pytest.fixture
def county():
    orgs = create_organisations(random.Random(3))
    generate(orgs, seed=3, articles=80, policies=60, interpretations=25, today=TODAY)
    return orgs


def test_the_corpus_is_read_from_the_package_only(monkeypatch, tmp_path):
    assert demo_content.CORPUS_DIR.resolve().is_relative_to(REPO / "zwgk")
    assert "shared" not in Path(demo_content.__file__).read_text(encoding="utf-8")
    assert len(corpus_sentences()) >= 20
    # Without its corpus the demo stops with a clear message instead of three built-in sentences.
    monkeypatch.setattr(demo_content, "CORPUS_DIR", tmp_path)
    with pytest.raises(Exception, match="演示语料缺失"):
        corpus_sentences()


def test_clean_prose_strips_pinyin_markdown_and_ascii_punctuation():
    assert clean_prose("來(lái)源,網(wǎng)絡(luò )問(wèn)政") == "来源，网络问政"
    assert clean_prose("## 一、**重点**工作:加强(试点)领域") == "一、重点工作：加强（试点）领域"
    assert clean_prose("IPV6, HTTP (2)") == "IPV6, HTTP (2)"  # ASCII stays ASCII between ASCII words
    for sentence in corpus_sentences():
        assert not BAD_PROSE.search(sentence), sentence
        assert not re.search("铁岭|龙亭|银州|盘锦", sentence)


def test_every_interpretation_is_linked_to_its_document(county):
    interpretations = InterpretationPage.objects.all()
    assert interpretations.count() == 25
    for page in interpretations:
        (document,) = page.documents.all()
        assert page.title.endswith(document.title) and document.document_number in str(page.body)


def test_bodies_are_clean_and_fit_their_titles(county):
    for model in (ArticlePage, PolicyDocumentPage, InterpretationPage):
        for title, body, keywords in model.objects.values_list("title", "body", "keywords"):
            text = str(body)
            assert not BAD_PROSE.search(text), (title, text)
            if keywords and keywords in title:
                assert keywords in html_to_text(text), title


def test_revision_and_repeal_chains_stay_within_one_organ(county):
    changes = PolicyStatusChange.objects.exclude(caused_by=None).select_related("document", "caused_by")
    assert changes.exists()
    for change in changes:
        document = PolicyDocumentPage.objects.get(pk=change.document_id)
        cause = PolicyDocumentPage.objects.get(pk=change.caused_by_id)
        assert document.organisation_id == cause.organisation_id


def test_planted_findings_are_real_and_there_is_no_bracket_noise(county):
    kinds = {}
    for model in (ArticlePage, PolicyDocumentPage, InterpretationPage):
        for page in model.objects.all():
            for text in (page.title, page.summary, html_to_text(str(page.body))):
                for finding in scan_text(text):
                    kinds.setdefault(finding.kind, []).append(page.title)
            for block in page.attachments:
                data = block.value.file.open("rb").read()
                for finding in scan_text(extract_text(block.value.file.name, data)):
                    kinds.setdefault(finding.kind, []).append(block.value.title)
    assert set(kinds) == {"mobile", "typo", "id_card"}, kinds
    assert kinds["id_card"] == ["拟聘用人员名单"] and DEMO_ID_NUMBER.startswith("360799")


def test_one_starter_template_per_reply_type_passes_the_back_office_checks():
    kinds = {v for v, _ in LetterTemplate._meta.get_field("result_kind").choices}
    assert (
        set(LetterTemplate.objects.values_list("result_kind", flat=True)) == kinds == set(STARTER_TEMPLATES)
    )
    for template in LetterTemplate.objects.all():
        template.full_clean()  # the same validation as a template saved in the back office
        assert "第" in template.body and "条" in template.body and "行政复议" in template.body


def test_a_reply_uses_the_template_of_its_type():
    orgs = create_organisations(random.Random(5))
    application = services.register_application(
        orgs["mzj"],
        channel="online",
        received_on=dt.date(2026, 3, 2),
        user=None,
        applicant_type="自然人",
        applicant_name="张伟",
        description="2025年城乡低保资金发放情况",
        form_wanted="电子",
        delivery="电子邮件",
        email="demo@example.com",
    )
    event = services.reply(
        application,
        on=dt.date(2026, 3, 10),
        user=None,
        result="partial",
        legal_basis="《中华人民共和国政府信息公开条例》第三十七条",
    )
    text = "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)
    assert "能够作区分处理" in text and "张伟" in text and "{" not in text
