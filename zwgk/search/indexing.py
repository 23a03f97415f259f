"""Keep the index in step with publishing: index on publish (through the task queue), drop at once on
unpublish or delete. Only live, public (no view restriction), 主动公开 items are ever indexed."""

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from zwgk.screening.extract import html_to_text
from zwgk.text.tokenize import index_terms, normalise_for_search

from .models import SearchEntry

TYPE_LABELS = {"articlepage": "文章", "policydocumentpage": "政策文件", "interpretationpage": "政策解读"}


def is_public(page) -> bool:
    return (
        page.live
        and getattr(page, "disclosure_mode", "active") == "active"
        and not page.get_view_restrictions().exists()
    )


def entry_fields(page) -> dict:
    page = page.specific
    body = html_to_text(str(getattr(page, "body", "") or ""))
    org = getattr(page, "organisation", None)
    meta = " ".join(
        filter(
            None,
            [
                page.title,
                getattr(page, "document_number", ""),
                getattr(page, "index_number", ""),
                org.name if org else "",
                org.short_name if org else "",
                getattr(page, "summary", ""),
                getattr(page, "keywords", ""),
            ],
        )
    )
    text = normalise_for_search(meta + "\n" + body)
    ancestors = page.get_ancestors()
    section = ancestors[2] if len(ancestors) > 2 else page.get_parent()
    published = page.first_published_at or timezone.now()
    return dict(
        url=page.url or "",
        title=page.title,
        type=TYPE_LABELS.get(page._meta.model_name, "文章"),
        organisation=org,
        section=section,
        published=published,
        year=timezone.localtime(published).year,
        validity=getattr(page, "validity", ""),
        document_number=getattr(page, "document_number", ""),
        text=text,
        terms=index_terms(text),
    )


@transaction.atomic
def index_page(page) -> SearchEntry | None:
    """(Re)index one page; removes it when it is not (or no longer) public."""
    page = page.specific
    if not is_public(page):
        remove_page(page.pk)
        return None
    old = SearchEntry.objects.filter(page_id=page.pk).values_list("pk", "terms").first()
    if old and connection.vendor == "sqlite":
        _fts_delete([old])
    entry, _ = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=entry_fields(page))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO zwgk_search_fts(rowid, terms) VALUES (%s, %s)", [entry.pk, entry.terms]
            )
    return entry


def _fts_delete(rows):
    """External-content FTS5 forgets a row only when told its old tokens."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO zwgk_search_fts(zwgk_search_fts, rowid, terms) VALUES ('delete', %s, %s)", rows
        )


def remove_page(page_id: int) -> None:
    rows = list(SearchEntry.objects.filter(page_id=page_id).values_list("pk", "terms"))
    if not rows:
        return
    if connection.vendor == "sqlite":
        _fts_delete(rows)
    SearchEntry.objects.filter(pk__in=[pk for pk, _ in rows]).delete()


@task()
def index_page_task(page_id: int):
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        remove_page(page_id)
    else:
        index_page(page)
