"""Static-HTML publishing: pages written for the web server, and gone from it at once on a change."""

import re
from urllib.parse import unquote

import pytest

from tests import factories
from tests.portal.test_cache import published
from zwgk.portal import static_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(client, settings, tmp_path):
    settings.ZWGK_STATIC_HTML_DIR = str(tmp_path / "html")
    settings.ZWGK_PAGE_CACHE_STAMP = tmp_path / "stamp"
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    home, column, library = factories.site()
    client.get(home.url)
    return org, home, column, tmp_path / "html" / "current"


def served(current, url):
    """What nginx would serve (docs/nginx-static.conf: current/$host$uri/index[.q-$args].html), or None.
    The test client's host is `testserver`: each site has its own directory."""
    path, _, query = url.partition("?")
    if query and not re.fullmatch(r"[a-z0-9=&_-]+", query):  # the nginx map's pattern
        return None
    name = f"index.q-{query}.html" if query else "index.html"
    path = current.joinpath("testserver", *[p for p in unquote(path).split("/") if p], name)
    return path.read_bytes().decode() if path.exists() else None


def test_anonymous_pages_are_published_and_withdrawn_at_once(county, client):
    org, home, column, current = county
    page = published(column, org, "关于做好防汛工作的通知")
    assert served(current, page.url) is None
    html = client.get(page.url).content.decode()
    assert served(current, page.url) == html
    listing = client.get(column.url).content.decode()
    assert served(current, column.url) == listing and page.title in listing

    page.unpublish()
    assert served(current, page.url) is None  # the web server no longer has it
    assert served(current, column.url) is None
    assert client.get(page.url).status_code == 404
    assert page.title not in client.get(column.url).content.decode()
    assert page.title not in served(current, column.url)
    # Exactly one generation directory of the site is left.
    assert [p.resolve() for p in (current.parent / "sites" / "testserver").iterdir()] == [
        (current / "testserver").resolve()
    ]


def test_only_plain_anonymous_html_is_published(county, client):
    org, home, column, current = county
    page = published(column, org, "关于开展安全生产检查的通知")
    # A plain query string (filters, page numbers) is published under its own name.
    listing = client.get(column.url + "?page=1").content.decode()
    assert served(current, column.url + "?page=1") == listing
    assert served(current, column.url) is None
    for odd in ("?q=%E5%85%AC%E5%BC%80", "?a=../../x", "?A=1"):
        assert client.get(column.url + odd).status_code == 200
        assert served(current, column.url + odd) is None
    assert not [p for p in current.rglob("*") if p.is_file() and p.name != "index.q-page=1.html"]
    client.get(column.url + "rss/")
    assert served(current, column.url + "rss/") is None
    client.force_login(factories.staff("editor", org, superuser=True))
    client.get(page.url)
    assert served(current, page.url) is None


def site_id():
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).pk


def test_a_page_rendered_before_a_change_is_never_published(county):
    from zwgk.core import cache as core_cache

    site = site_id()
    old_generation = core_cache.site_generation(site)
    assert (
        static_html.write(old_generation, "/ywdt/a/", b"<p>old</p>", host="testserver", site=site) is not None
    )
    current = county[3]
    assert served(current, "/ywdt/a/") == "<p>old</p>"
    core_cache.bump(sites=[site])  # what a publish on the site does
    assert served(current, "/ywdt/a/") is None  # withdrawn from the web server at once
    assert (
        static_html.write(old_generation, "/ywdt/b/", b"<p>stale</p>", host="testserver", site=site) is None
    )
    assert served(current, "/ywdt/a/") is None and served(current, "/ywdt/b/") is None
    gen = core_cache.site_generation(site)
    assert static_html.path_for(gen, "/../etc/", host="testserver", site=site) is None
    assert static_html.path_for(gen, "/ywdt/x.html", host="testserver", site=site) is None
    assert static_html.path_for(gen, "/ywdt/", "a=../x", host="testserver", site=site) is None
    assert static_html.path_for(gen, "/ywdt/", host="testserver") is None  # no site: not published
    assert static_html.path_for(
        gen, "/ywdt/", "kind=normative&page=2", host="testserver", site=site
    ).name == ("index.q-kind=normative&page=2.html")


def test_current_never_moves_back_to_an_earlier_generation(county):
    """Two processes render around a change: the slower one must not point the web server at its older view."""
    from zwgk.core import cache as core_cache

    current, site = county[3], site_id()
    older = core_cache.site_generation(site)
    assert static_html.write(older, "/ywdt/a/", b"<p>old</p>", host="testserver", site=site) is not None
    core_cache.bump(sites=[site])
    newer = core_cache.site_generation(site)
    assert core_cache.parse(newer) > core_cache.parse(older)
    assert static_html.write(newer, "/ywdt/a/", b"<p>fresh</p>", host="testserver", site=site) is not None
    # The slower process (its view rendered before the change) cannot move `current` back.
    assert static_html._point(static_html.root(), "testserver", f"{site}-{older}") is False
    assert static_html.write(older, "/ywdt/a/", b"<p>stale</p>", host="testserver", site=site) is None
    assert served(current, "/ywdt/a/") == "<p>fresh</p>"
    assert static_html.current("testserver") == f"{site}-{newer}"
