"""集约化 (issue 22): the fragments of a site (its navigation, its home page's lists and panels, its
breadcrumbs, the site and its settings a request looks up) are cached under that site's generation. A
publish on one department's site re-renders that site's fragments and leaves the other sites' alone;
fragments that span sites follow every change."""

import pytest

from tests.portal import test_site_cache
from tests.portal.test_cache import published
from tests.portal.test_site_cache import FGJ, JTJ
from zwgk.core import cache as core_cache
from zwgk.disclosure.models import HomePage

pytestmark = pytest.mark.django_db
group = test_site_cache.group  # three sites: the government portal and two departments'

SITE_FRAGMENTS = ("nav:{site}", "home_blocks:{home}", "site:{host}", "portal_settings:{site}")


def keys(site):
    """The cache keys of the site's fragments under its current generation."""
    home = HomePage.objects.get(pk=site.root_page_id)
    names = [f.format(site=site.pk, home=home.pk, host=site.hostname) for f in SITE_FRAGMENTS]
    return {name: core_cache.fragment_key(name, site=site.pk) for name in names}


def cached(site) -> dict[str, bool]:
    backend = core_cache.backend()
    return {name: backend.get(key) is not None for name, key in keys(site).items()}


def test_a_publish_on_one_site_leaves_the_other_sites_fragments_valid(group, client, settings):
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    settings.ZWGK_PAGE_CACHE_SECONDS = 0  # every request renders: only the fragments are cached
    settings.ZWGK_FRAGMENT_CACHE_SECONDS = 600
    for host in (FGJ, JTJ):
        assert client.get("/", HTTP_HOST=host).status_code == 200
    assert all(cached(fgj_site).values()) and all(cached(jtj_site).values())
    jtj_keys = keys(jtj_site)

    item = published(news[FGJ], fgj, "发改局发布重点项目清单")

    # The other department's site: the same entries, still valid under its unchanged generation.
    assert keys(jtj_site) == jtj_keys and all(cached(jtj_site).values())
    # The publishing site: its generation moved on, so its fragments are computed again, with the item.
    assert not any(cached(fgj_site).values())
    html = client.get("/", HTTP_HOST=FGJ).content.decode()
    assert item.title in html
    assert all(cached(fgj_site).values())
    assert item.title not in client.get("/", HTTP_HOST=JTJ).content.decode()


def test_cross_site_fragments_follow_every_change(group, settings):
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    settings.ZWGK_FRAGMENT_CACHE_SECONDS = 600
    calls = []

    def count(label):
        return lambda: calls.append(label) or label

    core_cache.remember("count:all", count("all"))
    core_cache.remember("site-id:x", count("records"), site=core_cache.SITE_RECORDS)
    core_cache.remember("nav", count("jtj"), site=jtj_site.pk)
    published(news[FGJ], fgj, "发改局发布通知")
    core_cache.remember("count:all", count("all"))
    core_cache.remember("site-id:x", count("records"), site=core_cache.SITE_RECORDS)
    core_cache.remember("nav", count("jtj"), site=jtj_site.pk)
    assert calls == ["all", "records", "jtj", "all"]  # only the fragment spanning sites again
    core_cache.bump()  # a change of every site (an organisation, a site record)
    core_cache.remember("site-id:x", count("records"), site=core_cache.SITE_RECORDS)
    core_cache.remember("nav", count("jtj"), site=jtj_site.pk)
    assert calls[4:] == ["records", "jtj"]


def test_a_page_belongs_to_the_site_of_its_nearest_root(group):
    gov, fgj, jtj, fgj_site, jtj_site, news = group
    assert core_cache.site_of_path(news[FGJ].path) == fgj_site.pk
    assert core_cache.site_of_path(news[JTJ].path) == jtj_site.pk
    assert core_cache.site_of_path(fgj_site.root_page.path) == fgj_site.pk
    assert core_cache.site_of_path("0001") is None  # the tree's root is on no site
