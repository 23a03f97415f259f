"""Full-page cache for anonymous portal GETs, kept fresh by a cache "generation".

Every cached page is stored under the current generation; publishing, unpublishing, deleting or
moving a page, a 有效性 change of a policy document (a `PolicyStatusChange` row), and edits of the
organisations or the portal settings bump the generation, so every page rendered before the change
is ignored from the next request on: a withdrawn page disappears at once, from every list too.

Only what is the same for every visitor is cached: GET/HEAD of anonymous visitors (no session, or a
session without a logged-in user) outside /admin/, 200 responses of HTML or RSS that set no cookie
and do not vary on Cookie.

The pages themselves live in Django's cache (local memory by default, Redis with REDIS_URL), under
the generation kept by `zwgk.core.cache` (shared by every process that serves or publishes).
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse

# The generation lives in the core (domain apps cache fragments under it); the portal re-exports it.
from zwgk.core.cache import GENERATION_KEY, CachedCountPaginator, backend, bump, generation, on_bump, remember

from . import static_html

__all__ = ["GENERATION_KEY", "CachedCountPaginator", "bump", "generation", "remember"]

CACHEABLE_TYPES = ("text/html", "application/rss+xml")
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/", "/ysqgk/")


def connect_signals() -> None:
    """Called from the portal app's ready()."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from zwgk.core.models import Organisation
    from zwgk.disclosure.models import PolicyReview, PolicyStatusChange

    from .models import PortalSettings

    on_bump(static_html.switch)  # the static-HTML copy follows the generation
    uid = "zwgk.portal.cache"
    page_published.connect(bump, dispatch_uid=uid + ".published")
    page_unpublished.connect(bump, dispatch_uid=uid + ".unpublished")
    post_page_move.connect(bump, dispatch_uid=uid + ".moved")
    post_delete.connect(bump, sender=Page, dispatch_uid=uid + ".deleted")
    # lifecycle.change_validity updates the page row with .update(); its PolicyStatusChange is saved.
    post_save.connect(bump, sender=PolicyStatusChange, dispatch_uid=uid + ".validity")
    # A 有效期评估 is shown on its document's page (a 延续 moves 有效期至 on with .update()).
    post_save.connect(bump, sender=PolicyReview, dispatch_uid=uid + ".review")
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
            if request.method == "GET" and response["Content-Type"].startswith("text/html"):
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
