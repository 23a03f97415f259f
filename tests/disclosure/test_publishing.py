"""索引号 at first publish, Art. 26 late flag, lifecycle with both-way links, 待解读 list."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests import factories
from zwgk.disclosure.lifecycle import change_validity, interpretation_backlog
from zwgk.disclosure.models import ArticlePage, IndexSequence, InterpretationPage, PolicyDocumentPage
from zwgk.disclosure.numbering import next_index_number
from zwgk.disclosure.vocab import Validity

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    home, column, library = factories.site()
    return org, column, library


def draft(parent, org, title="关于做好政务公开工作的通知", model=ArticlePage, **kwargs):
    page = model(title=title, organisation=org, live=False, **kwargs)
    parent.add_child(instance=page)
    return page


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_index_number_assigned_once_at_first_publish(county):
    """spec §7.4: {统一社会信用代码}/{YYYY}-{NNNNN}, assigned at publication, never reused or changed."""
    org, column, _ = county
    page = draft(column, org)
    assert page.index_number == ""
    publish(page)
    year = timezone.localdate().year
    assert page.index_number == f"11441700007280420Y/{year}-00001"
    # Editing and republishing keeps the number; a later revision restored cannot erase it.
    page.title = "关于做好政务公开工作的通知（更正）"
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert page.index_number == f"11441700007280420Y/{year}-00001"
    assert revision.as_object().index_number == f"11441700007280420Y/{year}-00001"


def test_index_numbers_are_gap_free_per_organisation_and_year(county):
    org, column, _ = county
    other = factories.organisation(name="龙溪县财政局")
    pages = [publish(draft(column, org, title=f"信息{i}")) for i in range(3)]
    other_page = publish(draft(column, other, title="财政信息"))
    assert [p.index_number[-5:] for p in pages] == ["00001", "00002", "00003"]
    assert other_page.index_number.endswith("-00001")
    assert IndexSequence.objects.get(organisation=org).last_value == 3


def test_failed_publish_does_not_burn_a_number(county):
    org, column, _ = county
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        next_index_number(org, 2026)
        raise RuntimeError("publish failed after numbering")
    assert next_index_number(org, 2026).endswith("2026-00001")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_index_numbers_are_race_free_on_postgresql():
    """Eight concurrent publishers of one organisation get eight distinct, consecutive numbers."""
    org = factories.organisation(credit_code="11441700007280420Y")
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            from django.db import transaction

            with transaction.atomic():
                results.append(next_index_number(org, 2026))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [f"11441700007280420Y/2026-{i:05d}" for i in range(1, 9)]
    assert connection.vendor == "postgresql"


def test_late_publication_is_flagged_at_first_publish(county):
    """Art. 26: formed more than 20 working days before publication → 超期发布."""
    org, column, _ = county
    late = publish(
        draft(column, org, title="迟发信息", written_date=timezone.localdate() - dt.timedelta(days=60))
    )
    on_time = publish(draft(column, org, title="及时信息", written_date=timezone.localdate()))
    assert late.published_late is True
    assert on_time.published_late is False


def test_revision_links_both_ways_and_repealed_stays_public_with_banner(county, client):
    """spec §7.3: a 修订 links old and new both ways; a repealed document stays public, clearly marked."""
    org, _, library = county
    old = publish(
        draft(library, org, "龙溪县城乡低保管理办法", PolicyDocumentPage, document_number="龙府〔2023〕1号")
    )
    new = publish(
        draft(
            library,
            org,
            "龙溪县城乡低保管理办法（2025年修订）",
            PolicyDocumentPage,
            document_number="龙府〔2025〕2号",
        )
    )
    change_validity(old, Validity.REVISED, user=None, on_date=dt.date(2025, 3, 1), caused_by=new, note="修订")
    old.refresh_from_db()
    assert old.validity == Validity.REVISED and old.replaced_by == new
    assert list(new.replaces.all()) == [old]
    assert old.status_changes.get().caused_by == new

    old_html = client.get(old.url).content.decode()
    assert "本文件已修订" in old_html and new.title in old_html
    new_html = client.get(new.url).content.decode()
    assert "本文件修订或废止了" in new_html and old.title in new_html
    # A later edit of the old document cannot silently undo its lifecycle state.
    old.save_revision().publish()
    old.refresh_from_db()
    assert old.validity == Validity.REVISED


def test_repeal_requires_a_cause_and_expiry_does_not(county):
    org, _, library = county
    doc = publish(draft(library, org, "某暂行办法", PolicyDocumentPage))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        change_validity(doc, Validity.REPEALED, user=None, on_date=dt.date(2025, 1, 1))
    change_validity(doc, Validity.EXPIRED, user=None, on_date=dt.date(2025, 1, 1))
    doc.refresh_from_db()
    assert doc.validity == Validity.EXPIRED


def test_interpretation_backlog_lists_normative_documents_without_interpretation(county):
    """A 行政规范性文件 without interpretation 3 working days after publication is 待解读 (spec §6.2)."""
    org, column, library = county
    doc = publish(draft(library, org, "龙溪县规范性文件甲", PolicyDocumentPage, doc_kind="normative"))
    other = publish(draft(library, org, "其他文件乙", PolicyDocumentPage, doc_kind="other"))
    PolicyDocumentPage.objects.filter(pk__in=[doc.pk, other.pk]).update(
        first_published_at=timezone.now() - dt.timedelta(days=30)
    )
    assert [d.pk for d in interpretation_backlog()] == [doc.pk]

    interpretation = draft(column, org, "政策解读｜龙溪县规范性文件甲", InterpretationPage)
    interpretation.documents.add(doc)
    interpretation.save()
    publish(interpretation)
    assert interpretation_backlog() == []
    assert list(doc.live_interpretations()) == [interpretation.page_ptr.specific]
