"""What the portal search finds besides the items' own text (issue 26 "Search", issue 24): the text of
the attachments of live items, with the attachment and its page named on the hit, and the answered
互动交流 messages that were made public, masked. Runs on SQLite and PostgreSQL."""

import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests import factories
from tests.interaction.helpers import clerks, county
from zwgk.disclosure.models import PolicyDocumentPage
from zwgk.interaction import services as messages
from zwgk.screening.models import DocumentText
from zwgk.screening.services import store_document_text
from zwgk.search.indexing import index_page
from zwgk.search.models import SearchEntry
from zwgk.search.query import search

pytestmark = pytest.mark.django_db

COVER = "龙溪县农业农村局 文件"
PHRASE = "高标准农田建设补助资金"
PAGE_TWO = f"第二章 {PHRASE}按每亩1500元拨付，纳入GDP核算口径。"


def pdf(*pages: str) -> bytes:
    """A PDF with a text layer, one string per page (reportlab's built-in Chinese font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    sheet = canvas.Canvas(out)
    for text in pages:
        sheet.setFont("STSong-Light", 12)
        sheet.drawString(72, 700, text)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def document(title: str, data: bytes, filename: str = "附件.pdf"):
    """An uploaded document: its text is read by the (immediate) background task."""
    doc = get_document_model()(title=title, file=ContentFile(data, name=filename))
    doc.save()
    return doc


@pytest.fixture
def site():
    home, column, library = factories.site()
    organ = factories.organisation(name="龙溪县农业农村局", short_name="县农业农村局", slug="nyj")
    return library, organ


def policy(library, organ, title, attachment=None, *, publish=True):
    page = PolicyDocumentPage(
        title=title,
        organisation=organ,
        doc_kind="normative",
        written_date=dt.date(2026, 3, 1),
        body="<p>现将有关事项通知如下，具体内容见附件。</p>",
        attachments=[("document", attachment)] if attachment else [],
    )
    library.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def titles(query, **filters):
    return [hit.title for hit in search(query, limit=None, **filters).hits]


def test_a_policy_whose_content_is_only_in_its_pdf_is_found_with_the_page(client, site):
    library, organ = site
    attachment = document("补助资金管理办法（全文）", pdf(COVER, PAGE_TWO))
    assert "\f" in DocumentText.objects.get(document=attachment).text  # the PDF's pages are kept apart
    page = policy(library, organ, "关于印发补助资金管理办法的通知", attachment)
    policy(library, organ, "关于农田水利的通知")  # an item without the phrase

    assert titles(PHRASE) == ["关于印发补助资金管理办法的通知"]
    assert search(PHRASE).count == 1  # one result per item, whatever its attachments hold
    assert titles(PHRASE, type="政策文件", organisation="nyj") == ["关于印发补助资金管理办法的通知"]

    html = client.get("/search/", {"q": PHRASE}).content.decode()
    hit = html[html.index('<ol class="results">') :]
    assert f'<a href="{page.url}">附件：补助资金管理办法（全文）　第 2 页</a>' in hit
    assert f"<mark>{PHRASE}</mark>" in hit
    # The snippet is the attachment's text as written, not the index's lower-cased text.
    html = client.get("/search/", {"q": "gdp"}).content.decode()
    assert "<mark>GDP</mark>" in html and "第 2 页" in html and "gdp核算" not in html
    # A hit in the item's own text shows that text, without an attachment line.
    html = client.get("/search/", {"q": "现将有关事项"}).content.decode()
    assert "<mark>现将有关事项</mark>" in html and "附件：" not in html


def test_an_unpublished_items_attachment_is_no_longer_found(site):
    library, organ = site
    page = policy(
        library, organ, "关于印发补助资金管理办法的通知", document("管理办法", pdf(COVER, PAGE_TWO))
    )
    assert titles(PHRASE) == ["关于印发补助资金管理办法的通知"]
    page.unpublish()
    assert titles(PHRASE) == [] and not SearchEntry.objects.filter(page=page).exists()


def test_a_drafts_attachment_is_never_found(site):
    library, organ = site
    policy(library, organ, "尚未发布的通知", document("草稿附件", pdf(PAGE_TWO)), publish=False)
    assert titles(PHRASE) == []
    # A live item whose new draft adds an attachment: the public sees the live content only.
    live = policy(library, organ, "已发布的通知")
    draft = live.get_latest_revision_as_object()
    draft.attachments = [("document", document("待审附件", pdf(PAGE_TWO)))]
    draft.save_revision()
    index_page(live)
    assert titles(PHRASE) == []


def test_the_text_arriving_later_reindexes_the_item(site):
    """The extraction is a background task: when the text is stored, the live items using the document
    are indexed again with it; when it is dropped, without it."""
    library, organ = site
    attachment = document("管理办法", pdf(COVER, PAGE_TWO))
    page = policy(library, organ, "关于印发补助资金管理办法的通知", attachment)
    DocumentText.objects.filter(document=attachment).delete()  # as if not read yet
    assert titles(PHRASE) == []
    store_document_text(attachment)  # what the background task does
    assert titles(PHRASE) == ["关于印发补助资金管理办法的通知"]
    assert SearchEntry.objects.get(page=page).page_id == page.pk


def test_a_word_files_text_is_found_too(client, site):
    import docx

    library, organ = site
    word = docx.Document()
    word.add_paragraph("附件1")
    word.add_paragraph(PAGE_TWO)
    out = io.BytesIO()
    word.save(out)
    policy(library, organ, "关于补助资金的通知", document("实施细则", out.getvalue(), "细则.docx"))
    assert titles(PHRASE) == ["关于补助资金的通知"]
    html = client.get("/search/", {"q": PHRASE}).content.decode()
    assert "附件：实施细则</a>" in html  # a Word file without page breaks: no page number


def test_recall_is_unchanged_with_attachments(site):
    """Every item whose text or attachments' text contains the query is found, nothing more."""
    library, organ = site
    policy(library, organ, "关于印发补助资金管理办法的通知", document("管理办法", pdf(COVER, PAGE_TWO)))
    policy(library, organ, "关于农田水利建设的通知")
    policy(library, organ, "补助资金发放情况的公示")
    for query in ("补助资金", "农田", "通知", "高标准", "1500", "文件", "农"):
        expected = {e.title for e in SearchEntry.objects.all() if query.lower() in e.text}
        assert expected, query
        assert set(titles(query)) == expected, query


NAME, PHONE, ID = "王晓红", "13912345678", "350102199001011238"


@pytest.fixture
def interaction(site):
    gov, mzj, other, boxes = county()
    return boxes, clerks(gov, mzj, other)


def answered(boxes, staff, *, subject, publish=True, wants_public=True):
    message, _ = messages.submit(
        boxes["consult"],
        subject=subject,
        content=f"我是{NAME}，身份证{ID}，电话{PHONE}，想问城乡居民医疗保险缴费标准。",
        name=NAME,
        phone=PHONE,
        wants_public=wants_public,
    )
    messages.accept(message, user=staff["xxy"], on=dt.date.today())
    messages.draft(
        message, user=staff["xxy"], text=f"{NAME}您好，城乡居民医疗保险缴费标准已电话{PHONE}告知。"
    )
    messages.approve(message, user=staff["shenhe"], on=dt.date.today(), publish=publish)
    message.refresh_from_db()
    return message


def test_published_messages_are_found_masked_as_their_own_type(client, interaction):
    boxes, staff = interaction
    message = answered(boxes, staff, subject="医疗保险缴费咨询")
    assert message.published
    assert titles("医疗保险缴费") == ["医疗保险缴费咨询"]
    assert titles("医疗保险缴费", type="互动交流") == ["医疗保险缴费咨询"]
    assert titles("医疗保险缴费", type="政策文件") == []
    html = client.get("/search/", {"q": "缴费标准"}).content.decode()
    results = html[html.index('<ol class="results">') :]
    assert f'href="/hudong/liuyan/gongkai/{message.number}/"' in results
    assert "<mark>缴费标准</mark>" in results and "互动交流" in results
    assert (
        "<option selected>互动交流</option>"
        in client.get("/search/", {"q": "缴费", "type": "互动交流"}).content.decode()
    )
    # The citizen's data appears nowhere: the index holds the masked text only.
    for secret in (ID, PHONE, NAME):
        assert titles(secret) == []
        page = client.get("/search/", {"q": secret}).content.decode()
        listed = page[page.index('<ol class="results">') : page.index("</ol>")]
        assert "没有找到相关信息" in listed and secret not in listed
        assert not SearchEntry.objects.filter(text__contains=secret.lower()).exists()
    for secret in (ID, PHONE, NAME):
        assert secret not in results
    assert "139****5678" in results or "王**" in results

    messages.unpublish(message, user=staff["shenhe"], note="撤销")
    assert titles("医疗保险缴费") == []


def test_messages_not_public_or_not_answered_never_appear(interaction):
    boxes, staff = interaction
    answered(boxes, staff, subject="不愿公开的医疗保险咨询", wants_public=False, publish=False)
    answered(boxes, staff, subject="答复后未公开的医疗保险咨询", publish=False)
    pending, _ = messages.submit(boxes["consult"], subject="尚未答复的医疗保险咨询", content="医疗保险缴费")
    messages.accept(pending, user=staff["xxy"], on=dt.date.today())
    assert titles("医疗保险") == []
    assert not SearchEntry.objects.filter(source="message").exists()


def test_reindex_includes_attachments_and_messages(site, interaction):
    from django.core.management import call_command

    library, organ = site
    boxes, staff = interaction
    policy(library, organ, "关于印发补助资金管理办法的通知", document("管理办法", pdf(COVER, PAGE_TWO)))
    answered(boxes, staff, subject="医疗保险缴费咨询")
    progress = []
    call_command(
        "reindex",
        restart=True,
        progress=lambda *a: progress.append(a),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert titles(PHRASE) == ["关于印发补助资金管理办法的通知"]
    assert titles("缴费标准") == ["医疗保险缴费咨询"]
    assert progress and progress[-1][0] == progress[-1][1] == SearchEntry.objects.count() == 2
    assert re.search(r"已写入索引 2 条", progress[-1][2])


def test_the_attachment_snippet_stays_on_the_hits_page_of_a_long_text():
    from zwgk.search.snippets import ATTACHMENT_CHUNK, attachment_snippet

    filler = "各乡镇人民政府，县直各单位：\n" * (ATTACHMENT_CHUNK // 10)
    text = f"封面\f{filler}\f{filler}第三章 实施{PHRASE}，按 ＧＤＰ 口径统计。\f附录"
    parts, page = attachment_snippet(text, ["gdp"])
    assert page == 3 and ("ＧＤＰ", True) in parts  # as written (full width), not the index's "gdp"
    assert not any("附录" in fragment for fragment, _ in parts)  # the next page is not in it
    assert attachment_snippet(text, ["不存在的词"]) is None
    assert attachment_snippet("无分页的文字", ["分页"])[1] is None
