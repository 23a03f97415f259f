"""Full-page cache for anonymous portal GETs, kept fresh by the cache "generations".

Every cached page is stored under the current generation of its site (`zwgk.core.cache`): publishing,
unpublishing or a 有效性 change of a policy document (a `PolicyStatusChange` row) moves the generation
of every site that shows the page (`sites_showing`: the site it lives on, the sites of its organ and
the organ's superiors, whose 信息公开 lists and the unified 目录 show it, and the sites it is 引用'd on),
so a withdrawn page disappears at once, from every list too, while the other sites keep their cache.
Moving or deleting a page, and edits of the organisations or site records, invalidate every site;
a site's portal settings invalidate that site. The search pages (their 全站 scope spans every site)
are cached under the generation that moves on every change.

Only what is the same for every visitor is cached: GET/HEAD of anonymous visitors (no session, or a
session without a logged-in user) outside /admin/, 200 responses of HTML or RSS that set no cookie
and do not vary on Cookie.

The pages themselves live in Django's cache (local memory by default, Redis with REDIS_URL), under
the generations kept by `zwgk.core.cache` (shared by every process that serves or publishes).
"""

import hashlib

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

# The generation lives in the core (domain apps cache fragments under it); the portal re-exports it.
from zwgk.core.cache import (
    GENERATION_KEY,
    SITE_RECORDS,
    CachedCountPaginator,
    backend,
    bump,
    generation,
    on_site_bump,
    remember,
    site_generation,
)
from zwgk.core.models import Organisation
from zwgk.disclosure.models import PolicyReview, PolicyStatusChange

from . import static_html
from .models import ItemReference, PortalSettings

__all__ = ["GENERATION_KEY", "CachedCountPaginator", "bump", "bump_pages", "generation", "remember"]

CACHEABLE_TYPES = ("text/html", "application/rss+xml")
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/", "/ysqgk/")
# Pages whose content spans every site (the 全站 search): cached under the all-sites generation.
CROSS_SITE_PREFIXES = ("/search/",)


def _site_table():
    """(site id, root page path, the site's organ's path or None) of every site, kept per generation."""

    def compute():
        return list(Site.objects.values_list("id", "root_page__path", "portalsettings__organisation__path"))

    return remember("site-table", compute)


def sites_showing(*pages) -> set[int]:
    """The ids of the sites whose pages show any of `pages`: the site each lives on, the sites of its
    organ and of the organ's superiors (their 信息公开 lists; the government portal's unified 目录), a
    site that names no organ (it shows every organ's items), and the sites it is 引用'd on."""
    table = _site_table()
    paths = {p.path for p in pages if p.path}
    organ_ids = {getattr(p, "organisation_id", None) for p in pages} - {None}
    ids = {p.pk for p in pages if p.pk}
    if ids:
        paths |= set(ItemReference.objects.filter(item_id__in=ids).values_list("column__path", flat=True))
    organ_paths = set(Organisation.objects.filter(pk__in=organ_ids).values_list("path", flat=True))
    found = set()
    for site_id, root_path, organ_path in table:
        if root_path and any(path.startswith(root_path) for path in paths):
            found.add(site_id)
        elif organ_ids and (organ_path is None or any(p.startswith(organ_path) for p in organ_paths)):
            found.add(site_id)
    return found


def bump_pages(*pages) -> None:
    """Invalidate the sites that show `pages` (and every cross-site fragment)."""
    bump(sites=sites_showing(*pages))


def _page_changed(sender=None, instance=None, **kwargs):
    bump_pages(instance)


def _document_changed(sender=None, instance=None, **kwargs):
    bump_pages(instance.document)


def _settings_changed(sender=None, instance=None, **kwargs):
    bump(sites=[instance.site_id])


def _everything_changed(**kwargs):
    bump()


def connect_signals() -> None:
    """Called from the portal app's ready()."""
    on_site_bump(static_html.switch)  # the static-HTML copies follow their sites' generations
    uid = "zwgk.portal.cache"
    page_published.connect(_page_changed, dispatch_uid=uid + ".published")
    page_unpublished.connect(_page_changed, dispatch_uid=uid + ".unpublished")
    # A move or a deletion may take a page away from a site (the deleted row no longer names its organ).
    post_page_move.connect(_everything_changed, dispatch_uid=uid + ".moved")
    post_delete.connect(_everything_changed, sender=Page, dispatch_uid=uid + ".deleted")
    # lifecycle.change_validity updates the page row with .update(); its PolicyStatusChange is saved.
    post_save.connect(_document_changed, sender=PolicyStatusChange, dispatch_uid=uid + ".validity")
    # A 有效期评估 is shown on its document's page (a 延续 moves 有效期至 on with .update()).
    post_save.connect(_document_changed, sender=PolicyReview, dispatch_uid=uid + ".review")
    post_save.connect(_everything_changed, sender=Organisation, dispatch_uid=uid + ".organisation")
    post_save.connect(_settings_changed, sender=PortalSettings, dispatch_uid=uid + ".settings")
    post_save.connect(_everything_changed, sender=Site, dispatch_uid=uid + ".site")
    post_delete.connect(_everything_changed, sender=Site, dispatch_uid=uid + ".site-deleted")


def _anonymous(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # without touching the session (no Vary: Cookie on cached pages)
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def cacheable_request(request) -> bool:
    return settings.ZWGK_PAGE_CACHE_SECONDS > 0 and public_request(request)


def public_request(request) -> bool:
    """An anonymous GET of the portal: what every visitor would be served alike."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and _anonymous(request)
    )


def cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Set-Cookie" in response or "cookie" in response.get("Vary", "").lower():
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    return response.get("Content-Type", "").split(";")[0].strip() in CACHEABLE_TYPES


def cache_key(request, gen: str) -> str:
    url = f"{request.get_host()}{request.get_full_path()}"
    return f"zwgk:page:{gen}:{hashlib.sha1(url.encode()).hexdigest()}"


class PortalCacheMiddleware:
    """Serve anonymous portal GETs from the page cache; store fresh 200 HTML/RSS responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not public_request(request):
            return self.get_response(request)
        _remember_site(request)
        if settings.ZWGK_PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)
        site = getattr(request, "_wagtail_site", None)
        site_id = site.pk if site is not None else None
        gen = generation() if request.path.startswith(CROSS_SITE_PREFIXES) else site_generation(site_id)
        key = cache_key(request, gen)
        cache = backend()
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if cacheable_response(response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("x-cache", "content-length")]
            cache.set(key, (response.content, headers), settings.ZWGK_PAGE_CACHE_SECONDS)
            response["X-Cache"] = "MISS"
            cross_site = request.path.startswith(CROSS_SITE_PREFIXES)
            if (
                request.method == "GET"
                and response["Content-Type"].startswith("text/html")
                and not cross_site
            ):
                static_html.write(
                    gen,
                    request.path,
                    response.content,
                    request.META.get("QUERY_STRING", ""),
                    host=request.get_host(),
                    site=site_id,
                )
        return response


def _remember_site(request) -> None:
    """Wagtail looks the site up by host on every request (one query): keep it.

    Which site a host is changes only with the site records (a change of every site); the site with
    its home page (routing starts from it) and its settings are kept per generation of that site, so
    a publish on another site leaves them cached. Wagtail's `Site.find_for_request` reuses
    `request._wagtail_site` when it is set.
    """
    found = []

    def find():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page.specific  # noqa: B018  (kept with the site: routing starts from it)
        found.append(site)
        return site

    host = request.get_host()
    site_id = remember(f"site-id:{host}", lambda: getattr(find(), "pk", None), site=SITE_RECORDS)
    if site_id is None:
        site = None
    else:  # found just now (new site records, or fragment caching off): kept, not looked up again
        site = remember(f"site:{host}", (lambda: found[0]) if found else find, site=site_id)
    request._wagtail_site = site
    if site is not None:
        # The footer settings likewise (BaseSiteSetting.for_request reuses the request attribute).
        portal_settings = remember(
            f"portal_settings:{site.pk}", lambda: PortalSettings.for_site(site), site=site.pk
        )
        portal_settings._request = request
        setattr(request, PortalSettings.get_cache_attr_name(), portal_settings)
