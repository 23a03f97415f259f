"""Full-page cache for anonymous portal GETs, kept fresh by a cache "generation".

Every cached page is stored under the current generation; publishing, unpublishing, deleting or
moving a page, a 有效性 change of a policy document (a `PolicyStatusChange` row), and edits of the
organisations or the portal settings bump the generation, so every page rendered before the change
is ignored from the next request on: a withdrawn page disappears at once, from every list too.

Only what is the same for every visitor is cached: GET/HEAD of anonymous visitors (no session, or a
session without a logged-in user) outside /admin/, 200 responses of HTML or RSS that set no cookie
and do not vary on Cookie.

The pages themselves live in Django's cache (local memory by default, Redis with REDIS_URL). The
generation must be shared by every process that serves or publishes (gunicorn workers, the task
worker doing scheduled publishing): with Redis it is a key in Redis; with a per-process local-memory
cache it is the modification time of a stamp file under ZWGK_VAR_DIR, which every process on the
machine sees.
"""

import hashlib
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.functional import cached_property

GENERATION_KEY = "zwgk:portal:generation"
CACHEABLE_TYPES = ("text/html", "application/rss+xml")
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/", "/ysqgk/")


def _cache():
    return caches[settings.ZWGK_PAGE_CACHE_ALIAS]


def _shared_cache() -> bool:
    return "locmem" not in _cache().__class__.__module__


def _stamp() -> Path:
    return Path(settings.ZWGK_PAGE_CACHE_STAMP)


def generation() -> str:
    """The current generation: part of every page's cache key."""
    if _shared_cache():
        value = _cache().get(GENERATION_KEY)
        if value is None:
            _cache().add(GENERATION_KEY, _fresh(), timeout=None)
            value = _cache().get(GENERATION_KEY, 0)
        return str(value)
    try:
        return str(os.stat(_stamp()).st_mtime_ns)
    except FileNotFoundError:
        return "0"


def _fresh() -> int:
    """A starting value no earlier generation can have had (should the key ever be evicted)."""
    return time.time_ns()


def bump(**kwargs) -> None:
    """Invalidate every cached page (a signal receiver, so it takes any signal arguments)."""
    from . import static_html

    if _shared_cache():
        try:
            _cache().incr(GENERATION_KEY)
        except ValueError:  # no key yet, or evicted
            _cache().add(GENERATION_KEY, _fresh(), timeout=None)
    else:
        _bump_stamp()
    static_html.switch(generation())


def _bump_stamp() -> None:
    stamp = _stamp()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    previous = generation()
    now = time.time_ns()
    stamp.touch()
    os.utime(stamp, ns=(now, now))
    if generation() == previous:  # a coarse file-system clock: move it forward by hand
        later = int(previous) + 1
        os.utime(stamp, ns=(later, later))


def connect_signals() -> None:
    """Called from the portal app's ready()."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from zwgk.core.models import Organisation
    from zwgk.disclosure.models import PolicyStatusChange

    from .models import PortalSettings

    uid = "zwgk.portal.cache"
    page_published.connect(bump, dispatch_uid=uid + ".published")
    page_unpublished.connect(bump, dispatch_uid=uid + ".unpublished")
    post_page_move.connect(bump, dispatch_uid=uid + ".moved")
    post_delete.connect(bump, sender=Page, dispatch_uid=uid + ".deleted")
    # lifecycle.change_validity updates the page row with .update(); its PolicyStatusChange is saved.
    post_save.connect(bump, sender=PolicyStatusChange, dispatch_uid=uid + ".validity")
    post_save.connect(bump, sender=Organisation, dispatch_uid=uid + ".organisation")
    post_save.connect(bump, sender=PortalSettings, dispatch_uid=uid + ".settings")
    post_save.connect(bump, sender=Site, dispatch_uid=uid + ".site")
    post_delete.connect(bump, sender=Site, dispatch_uid=uid + ".site-deleted")


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
        gen = generation()
        key = cache_key(request, gen)
        cache = _cache()
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
            if request.method == "GET" and response["Content-Type"].startswith("text/html"):
                from . import static_html

                static_html.write(
                    gen,
                    request.path,
                    response.content,
                    request.META.get("QUERY_STRING", ""),
                    host=request.get_host(),
                )
        return response


def _remember_site(request) -> None:
    """Wagtail looks the site up by host on every request (one query): keep it per generation.

    Wagtail's `Site.find_for_request` reuses `request._wagtail_site` when it is set.
    """
    from wagtail.models import Site

    from .models import PortalSettings

    def find():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page.specific  # noqa: B018  (kept with the site: routing starts from it)
        return site

    host = request.get_host()
    site = request._wagtail_site = remember(f"site:{host}", find)
    if site is not None:
        # The footer settings likewise (BaseSiteSetting.for_request reuses the request attribute).
        portal_settings = remember(f"portal_settings:{site.pk}", lambda: PortalSettings.for_site(site))
        portal_settings._request = request
        setattr(request, PortalSettings.get_cache_attr_name(), portal_settings)


def remember(name: str, compute, timeout: int | None = None):
    """A fragment (a count, a home-page list) cached until the next change of published content."""
    if settings.ZWGK_FRAGMENT_CACHE_SECONDS <= 0:
        return compute()
    key = f"zwgk:fragment:{generation()}:{hashlib.sha1(name.encode()).hexdigest()}"
    cache = _cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout or settings.ZWGK_FRAGMENT_CACHE_SECONDS)
    return value


class CachedCountPaginator(Paginator):
    """Paginator whose COUNT(*) (a scan of up to 450,000 rows) is computed once per generation."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        return remember(f"count:{query}", lambda: Paginator.count.func(self))
