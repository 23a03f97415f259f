"""Full-page cache of the anonymous portal: served from cache, and fresh at once after every change."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.utils import timezone

from tests import factories
from zwgk.disclosure.lifecycle import change_validity
from zwgk.disclosure.models import ArticlePage, PolicyDocumentPage
from zwgk.disclosure.vocab import Validity
from zwgk.portal import cache as page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(client):
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    home, column, library = factories.site()
    client.get(home.url)  # the first request creates the site's PortalSettings row (a change: bump)
    return org, home, column, library


def published(parent, org, title, model=ArticlePage, **kwargs):
    page = model(title=title, organisation=org, live=False, **kwargs)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode()


def test_second_anonymous_get_is_served_from_the_cache(county, client, django_assert_num_queries):
    org, home, column, _ = county
    page = published(column, org, "关于做好防汛工作的通知")
    first, html = get(client, page.url)
    assert first["X-Cache"] == "MISS" and page.title in html
    with django_assert_num_queries(0):
        second, cached_html = get(client, page.url)
    assert second["X-Cache"] == "HIT"
    assert cached_html == html
    assert second["Content-Type"] == first["Content-Type"]
    # The query string is part of the key; RSS is cached too.
    assert client.get(column.url + "?page=1")["X-Cache"] == "MISS"
    feed = client.get(column.url + "rss/")
    assert feed["X-Cache"] == "MISS" and feed["Content-Type"].startswith("application/rss+xml")
    assert client.get(column.url + "rss/")["X-Cache"] == "HIT"


def test_publish_and_unpublish_invalidate_lists_and_details(county, client):
    org, home, column, _ = county
    old = published(column, org, "关于开展安全生产检查的通知")
    _, listing = get(client, column.url)
    get(client, old.url)
    assert old.title in listing

    new = published(column, org, "关于高标准农田建设的公示")
    response, listing = get(client, column.url)
    assert response["X-Cache"] == "MISS"
    assert new.title in listing
    _, home_html = get(client, home.url)
    assert new.title in home_html

    old.unpublish()
    assert client.get(old.url).status_code == 404
    _, listing = get(client, column.url)
    assert old.title not in listing and new.title in listing
    _, home_html = get(client, home.url)
    assert old.title not in home_html

    new.delete()
    assert client.get(new.url).status_code == 404
    assert new.title not in get(client, column.url)[1]


def test_validity_change_shows_at_once(county, client):
    org, _, _, library = county
    kwargs = dict(model=PolicyDocumentPage, written_date=dt.date(2024, 3, 1))
    old = published(library, org, "龙溪县城乡居民最低生活保障管理办法", **kwargs)
    new = published(library, org, "龙溪县城乡居民最低生活保障管理办法（修订）", **kwargs)
    _, html = get(client, old.url)
    assert "本文件已废止" not in html
    assert get(client, old.url)[0]["X-Cache"] == "HIT"
    change_validity(old, Validity.REPEALED, user=None, on_date=timezone.localdate(), caused_by=new)
    response, html = get(client, old.url)
    assert response["X-Cache"] == "MISS"
    assert "本文件已废止" in html and new.title in html


def test_logged_in_staff_and_posts_bypass_the_cache(county, client):
    org, _, column, _ = county
    page = published(column, org, "关于做好政务公开工作的通知")
    user = factories.staff("editor", org, superuser=True)
    client.force_login(user)
    for _ in range(2):
        response = client.get(page.url)
        assert response.status_code == 200 and "X-Cache" not in response
    assert "X-Cache" not in client.get("/admin/")
    client.logout()
    # Nothing the logged-in user saw was stored for visitors.
    assert client.get(page.url)["X-Cache"] == "MISS"
    assert "X-Cache" not in client.post(page.url)


def test_only_plain_public_responses_are_stored():
    ok = HttpResponse("<p>公开</p>", content_type="text/html; charset=utf-8")
    assert page_cache.cacheable_response(ok)
    with_cookie = HttpResponse("x", content_type="text/html")
    with_cookie.set_cookie("csrftoken", "abc")
    varies = HttpResponse("x", content_type="text/html")
    varies["Vary"] = "Accept-Language, Cookie"
    private = HttpResponse("x", content_type="text/html")
    private["Cache-Control"] = "private"
    for response in (
        with_cookie,
        varies,
        private,
        HttpResponse("x", content_type="text/html", status=404),
        HttpResponse(b"%PDF", content_type="application/pdf"),
    ):
        assert not page_cache.cacheable_response(response)


def test_generation_is_shared_through_the_stamp_file(settings, tmp_path):
    """Every process on the machine sees a bump (local-memory cache: one cache per process)."""
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    assert page_cache.generation() == "0"
    page_cache.bump()
    first = page_cache.generation()
    page_cache.bump()
    assert page_cache.generation() not in ("0", first)
    assert str((tmp_path / "stamp").stat().st_mtime_ns) == page_cache.generation()


def test_footer_settings_and_site_changes_show_at_once(county, client):
    from wagtail.models import Site

    from zwgk.portal.models import PortalSettings

    org, home, column, _ = county
    get(client, column.url)
    assert get(client, column.url)[0]["X-Cache"] == "HIT"
    site = Site.objects.get(is_default_site=True)
    settings_row = PortalSettings.for_site(site)
    settings_row.sponsor = "龙溪县人民政府办公室（新）"
    settings_row.save()
    assert "龙溪县人民政府办公室（新）" in get(client, column.url)[1]
    site.site_name = "改名"
    site.root_page = column
    site.save()
    response, html = get(client, "/")
    assert response["X-Cache"] == "MISS"
    assert f"<title>{column.title}_" in html  # the new root page, not the cached home page


def test_generation_lives_in_a_shared_cache_when_there_is_one(settings, tmp_path):
    """With Redis (any cache shared between processes) the generation is a key in that cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    from django.core.cache import cache

    first = page_cache.generation()
    page_cache.bump()
    second = page_cache.generation()
    assert second != first and int(second) == int(first) + 1
    assert cache.get(page_cache.GENERATION_KEY) == int(second)
    assert not (tmp_path / "stamp").exists()
    # Evicted (Redis under memory pressure): the next generation must not be one already used.
    cache.delete(page_cache.GENERATION_KEY)
    page_cache.bump()
    assert page_cache.generation() not in (first, second)
    cache.delete(page_cache.GENERATION_KEY)
    assert page_cache.generation() not in (first, second)
