"""Issue #4: after a lexicon change only the affected content is re-screened (in the background), and
the findings come out as a full scan would give them. Runs on SQLite and PostgreSQL."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from wagtail.documents.models import Document

from tests import factories
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.models import (
    ExpressionRule,
    LexiconRescreen,
    PageFinding,
    SensitiveWord,
    WhitelistEntry,
)
from zwgk.screening.rescreen import affected_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    pages = {}

    def publish(key, body, attachment=None):
        attachments = []
        if attachment:
            document = Document.objects.create(
                title="附件", file=ContentFile(attachment.encode(), name="a.txt")
            )
            attachments = [("document", document)]
        page = ArticlePage(
            title=f"通知{key}", organisation=org, body=f"<p>{body}</p>", attachments=attachments
        )
        column.add_child(instance=page)
        page.save_revision().publish()  # indexed through the (immediate) task queue
        services.screen_page(page)
        pages[key] = page

    publish("spaced", "会上有人推销“龙 溪-灵 丹”，请群众提高警惕。")
    publish("plain", "全县一般公共预算收入稳步增长。")
    publish("file", "详见附件。", attachment="附件中也提到龙溪灵丹。")
    publish("phone", "请在工作日时间咨询，电话：13912345678。")
    return pages


def findings(page, kind):
    return list(
        PageFinding.objects.filter(page=page, kind=kind, status="open").values_list("text", flat=True)
    )


def test_a_new_word_rescreens_the_items_containing_it_and_those_the_index_cannot_answer_for(archive):
    candidates = affected_pages(added=["龙溪灵丹"])
    # The spaced-out variant is found through the index; the item with an attachment is checked too,
    # because attachments are not indexed; the unrelated items are left alone.
    assert candidates == {archive["spaced"].pk, archive["file"].pk}

    SensitiveWord.objects.create(word="龙溪灵丹", category="广告/SEO", severity="禁止")
    assert findings(archive["spaced"], "sensitive_word") == ["龙 溪-灵 丹"]
    assert findings(archive["file"], "sensitive_word") == ["龙溪灵丹"]
    assert findings(archive["plain"], "sensitive_word") == []


def test_disabling_or_changing_a_word_rescreens_the_items_with_its_findings(archive):
    word = SensitiveWord.objects.create(word="龙溪灵丹", category="广告/SEO", severity="禁止")
    assert affected_pages(removed=["龙溪灵丹"]) == {archive["spaced"].pk, archive["file"].pk}
    word.severity = "提示"
    word.save()
    assert set(
        PageFinding.objects.filter(kind="sensitive_word", status="open").values_list("severity", flat=True)
    ) == {"提示"}
    word.enabled = False
    word.save()
    assert PageFinding.objects.filter(kind="sensitive_word", status="open").count() == 0


def test_expression_rules_and_whitelist_follow_the_same_path(archive):
    ExpressionRule.objects.create(kind="typo", wrong="工作日时间", correct="工作时间")
    assert findings(archive["phone"], "typo") == ["工作日时间"]
    assert findings(archive["phone"], "mobile") == ["13912345678"]
    # An office number published on purpose: whitelisting it clears its findings at once.
    assert affected_pages(whitelisted=["139 1234 5678"]) == {archive["phone"].pk}
    entry = WhitelistEntry.objects.create(value="139-1234-5678", note="热线")
    assert findings(archive["phone"], "mobile") == []
    assert findings(archive["phone"], "typo") == ["工作日时间"]
    entry.delete()
    assert findings(archive["phone"], "mobile") == ["13912345678"]


def test_changes_in_one_transaction_make_one_background_task(
    archive, settings, django_capture_on_commit_callbacks
):
    settings.TASKS_MODE = "database"  # enqueue on commit, as in production
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for word in ("龙溪灵丹", "灵丹妙药", "包治百病"):
                SensitiveWord.objects.create(word=word, category="广告/SEO", severity="禁止")
    job = LexiconRescreen.objects.get()
    assert len(callbacks) == 1 and job.added == ["龙溪灵丹", "灵丹妙药", "包治百病"]
    assert job.finished_at and job.pages_done == job.pages_total == 2  # spaced + file
    assert findings(archive["spaced"], "sensitive_word") == ["龙 溪-灵 丹"]


def test_an_interrupted_rescreen_resumes_with_zwgk_rescreen(archive, settings, capsys):
    """The job row is written with the change; if the worker dies, `zwgk rescreen` finishes it."""
    settings.TASKS_MODE = "database"
    with transaction.atomic():  # committed, but its on-commit task is never run: a lost worker
        SensitiveWord.objects.create(word="龙溪灵丹", category="广告/SEO", severity="禁止")
    job = LexiconRescreen.objects.get()
    job.last_page_id, job.pages_done = archive["spaced"].pk, 1  # it had done the first candidate
    job.save()
    call_command("rescreen")
    job.refresh_from_db()
    assert job.finished_at and job.pages_done == 2
    assert findings(archive["file"], "sensitive_word") == ["龙溪灵丹"]  # the one left was done
    assert findings(archive["spaced"], "sensitive_word") == []  # skipped: before the checkpoint
    assert "已复查 2 条" in capsys.readouterr().out


def test_a_new_word_rescreens_a_draft_waiting_for_review(archive):
    """The search index holds live content; a draft in 三审 is what goes live next, so it is screened too."""
    page = archive["plain"]
    page.body = "<p>草稿里写了龙溪灵丹的广告。</p>"
    page.save_revision()  # a draft; the live version stays clean
    assert page.pk in affected_pages(added=["龙溪灵丹"])
    SensitiveWord.objects.create(word="龙溪灵丹", category="广告/SEO", severity="禁止")
    assert findings(page, "sensitive_word") == ["龙溪灵丹"]
