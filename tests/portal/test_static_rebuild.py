"""`zwgk static rebuild`: a full static-HTML rebuild of a site, in worker processes, with the fragments
cached, resumable after an interruption."""

import io
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from tests import factories
from tests.portal.test_cache import published
from zwgk.core import cache as core_cache
from zwgk.portal import static_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(settings, tmp_path):
    settings.ZWGK_STATIC_HTML_DIR = str(tmp_path / "html")
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    home, column, library = factories.site()
    items = [published(column, org, f"关于第{n}季度重点工作的通知") for n in range(1, 4)]
    return Site.objects.get(is_default_site=True), column, items


def on_disk(site, url):
    path = static_html.served_path(site.hostname, unquote(url))
    return path.read_text() if path is not None and path.exists() else None


def test_a_rebuild_writes_every_page_and_continues_after_an_interruption(county):
    site, column, items = county
    urls = static_html.site_pages(site)
    assert list(urls)[0] == "/" and column.url in urls and all(unquote(item.url) in urls for item in items)

    result = static_html.rebuild_site(site)
    assert (result.written, result.current, result.stale) == (len(urls), 0, False)
    assert items[0].title in on_disk(site, items[0].url)
    assert all(item.title in on_disk(site, column.url) for item in items)

    # Interrupted: one page's file is missing. Run again: only that page is rendered.
    static_html.served_path(site.hostname, unquote(items[1].url)).unlink()
    again = static_html.rebuild_site(site)
    assert (again.written, again.current) == (1, len(urls) - 1)
    assert items[1].title in on_disk(site, items[1].url)


def test_a_rebuilt_page_is_the_page_a_visitor_gets(county, client, settings):
    """The rebuild fetches its pages in bulk and skips Wagtail's routing: the HTML is the same."""
    site, column, items = county
    static_html.rebuild_site(site)
    settings.ZWGK_PAGE_CACHE_SECONDS = 0
    for url in ("/", column.url, items[0].url):
        assert client.get(url, HTTP_HOST=site.hostname).content.decode() == on_disk(site, url), url


def test_a_rebuild_renders_with_the_fragments_cached(county, settings):
    site, column, items = county
    settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0  # off for requests: the rebuild turns it on for itself
    static_html.rebuild_site(site)
    assert core_cache.backend().get(core_cache.fragment_key(f"nav:{site.pk}", site=site.pk)) is not None


def test_a_change_during_the_rebuild_stops_it(county, monkeypatch):
    site, column, items = county
    real_get = static_html.Renderer.get

    def publish_meanwhile(renderer, path, page=None):
        if path == unquote(items[0].url):
            core_cache.bump(sites=[site.pk])  # a publish on the site while the rebuild runs
        return real_get(renderer, path, page)

    monkeypatch.setattr(static_html.Renderer, "get", publish_meanwhile)
    result = static_html.rebuild_site(site)
    assert result.stale and result.written < len(static_html.site_pages(site))
    assert on_disk(site, items[0].url) is None  # rendered under the old generation: never published


def test_pages_are_split_by_path_into_contiguous_runs():
    paths = [f"/{n}/" for n in range(7)]
    runs = static_html._chunks(paths, 3)
    assert [len(r) for r in runs] == [3, 2, 2] and sum(runs, []) == paths


def test_the_command(county):
    site, column, items = county
    out = io.StringIO()
    call_command("static", "rebuild", site.hostname, "--workers", "1", stdout=out)
    text = out.getvalue()
    assert f"{site.hostname}：生成 {len(static_html.site_pages(site))} 页" in text
    assert on_disk(site, items[2].url) is not None
    call_command("static", "rebuild", site.hostname, "--workers", "1", stdout=out)
    assert f"{site.hostname}：生成 0 页，已是最新 {len(static_html.site_pages(site))} 页" in out.getvalue()
    # After an upgrade changed the templates: --restart renders every page again.
    call_command("static", "rebuild", site.hostname, "--workers", "1", "--restart", stdout=out)
    assert out.getvalue().count(f"{site.hostname}：生成 {len(static_html.site_pages(site))} 页") == 2
    with pytest.raises(CommandError, match="没有域名为“nowhere.example”的网站"):
        call_command("static", "rebuild", "nowhere.example", stdout=out)
    with pytest.raises(CommandError, match="二者选一"):
        call_command("static", "rebuild", stdout=out)


def test_the_command_needs_the_static_directory(county, settings):
    settings.ZWGK_STATIC_HTML_DIR = ""
    with pytest.raises(CommandError, match="ZWGK_STATIC_HTML_DIR"):
        call_command("static", "rebuild", "--all")


@pytest.mark.django_db(transaction=True)
def test_worker_processes_share_the_pages(county):
    """Forked workers (each with its own database connection) see committed rows: a transactional test."""
    site, column, items = county
    result = static_html.rebuild_site(site, workers=2)
    assert (result.written, result.stale) == (len(static_html.site_pages(site)), False)
    assert all(item.title in on_disk(site, item.url) for item in items)
