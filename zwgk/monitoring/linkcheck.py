"""Dead links site-wide: collect every live page's links per site, check them, keep one result per link.

`collect(site)` rewrites the site's LinkUse rows (the links on its live pages, internal and external,
and the links of its home page as served); `run()` checks every link not checked since the run began,
in chunks whose results are saved as they come, so an interrupted run resumes where it stopped.
"""

import asyncio
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from zwgk.disclosure.models import ITEM_TYPES, InformationPage

from . import conf
from .fetching import Check, RobotsCache, check_all, fetch_pages
from .models import Link, LinkCheckRun, LinkUse, url_hash
from .sites import page_url, under

LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"'<>\s]+)["']""", re.I)
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")
CHUNK = 2000
BODY_MODELS = (*ITEM_TYPES, InformationPage)


def links_in(html: str, base: str) -> set[str]:
    """Absolute http(s) URLs of the href/src attributes in `html`, fragments dropped."""
    found = set()
    for raw in LINK.findall(html or ""):
        raw = raw.strip().replace("&amp;", "&")
        if not raw or raw.lower().startswith(SKIP_SCHEMES):
            continue
        url = urljoin(base, raw)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        found.add(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, "")))
    return found


def page_links(site: Site):
    """(page_id, url) for the links in every live page's body and attachments of the site."""
    root = site.root_page
    for model in BODY_MODELS:
        fields = ["id", "url_path", "body"] + (["attachments"] if model is not InformationPage else [])
        pages = model.objects.live().filter(under(root)).only(*fields).iterator(chunk_size=500)
        for page in pages:
            base = page_url(site, page.url_path)
            html = expand_db_html(page.body) if "<a" in page.body or "<img" in page.body else ""
            urls = links_in(html, base)
            for block in getattr(page, "attachments", None) or []:
                document = block.value
                if document is not None:
                    urls.add(urljoin(base, document.url))
            for url in urls:
                yield page.pk, url


def home_links(site: Site, timeout: float) -> set[str]:
    """The links of the site's home page as the public gets it (its navigation, lists, footer)."""
    home = site.root_url + "/"
    [(url, status, html, _, _)] = asyncio.run(
        fetch_pages([home], timeout=timeout, user_agent=conf.get("ZWGK_LINKCHECK_USER_AGENT"))
    )
    if status is None or status >= 400:
        return set()
    return links_in(html, home)


def collect(site: Site, *, fetch_home: bool = True) -> int:
    """Rewrite the site's LinkUse rows from its live pages (and home page); returns the number of uses."""
    uses = [(page_id, url, False) for page_id, url in page_links(site)]
    if fetch_home:
        uses += [
            (site.root_page_id, url, True) for url in home_links(site, conf.get("ZWGK_LINKCHECK_TIMEOUT"))
        ]
    hashes = {url_hash(url): url for _, url, _ in uses}
    with transaction.atomic():
        existing = dict(Link.objects.filter(url_hash__in=list(hashes)).values_list("url_hash", "id"))
        new = [
            Link(url=u, url_hash=h, host=urlsplit(u).netloc[:255])
            for h, u in hashes.items()
            if h not in existing
        ]
        Link.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        ids = dict(Link.objects.filter(url_hash__in=list(hashes)).values_list("url_hash", "id"))
        LinkUse.objects.filter(site=site).delete()
        LinkUse.objects.bulk_create(
            [
                LinkUse(link_id=ids[url_hash(url)], site=site, page_id=page_id, on_home=home)
                for page_id, url, home in set(uses)
            ],
            batch_size=1000,
        )
    return len(uses)


def current_run(resume: bool = True) -> LinkCheckRun:
    """The unfinished run to resume, or a new one."""
    run = LinkCheckRun.objects.filter(finished_at=None).first() if resume else None
    return run or LinkCheckRun.objects.create(started_at=timezone.now())


def run(*, sites=None, progress=None, resume: bool = True, fetch_home: bool = True) -> LinkCheckRun:
    """Collect every site's links, then check each link in use not yet checked in this run."""
    sites = list(Site.objects.select_related("root_page")) if sites is None else list(sites)
    check_run = current_run(resume)
    if check_run.total == 0:
        for site in sites:
            collect(site, fetch_home=fetch_home)
    pending = (
        Link.objects.filter(uses__isnull=False)
        .exclude(last_checked__gte=check_run.started_at)
        .distinct()
        .order_by("id")
    )
    if check_run.total == 0:
        check_run.total = pending.count()
        check_run.save(update_fields=["total"])
    robots = RobotsCache(conf.get("ZWGK_LINKCHECK_USER_AGENT"))
    while True:
        chunk = list(pending.values_list("id", "url", "etag", "last_modified")[:CHUNK])
        if not chunk:
            break
        results = asyncio.run(
            check_all(
                [Check(pk, url, etag, lm) for pk, url, etag, lm in chunk],
                concurrency=conf.get("ZWGK_LINKCHECK_CONCURRENCY"),
                per_host=conf.get("ZWGK_LINKCHECK_PER_HOST"),
                timeout=conf.get("ZWGK_LINKCHECK_TIMEOUT"),
                user_agent=conf.get("ZWGK_LINKCHECK_USER_AGENT"),
                robots=robots,
            )
        )
        save_results(results)
        check_run.done += len(results)
        check_run.save(update_fields=["done"])
        if progress:
            progress(check_run.done, check_run.total)
    check_run.finished_at = timezone.now()
    check_run.save(update_fields=["finished_at"])
    return check_run


def save_results(results) -> None:
    now = timezone.now()
    links = {link.pk: link for link in Link.objects.filter(pk__in=[r.key for r in results])}
    for result in results:
        link = links[result.key]
        was_ok = link.ok
        link.ok = result.ok
        link.robots_excluded = result.ok is None
        if not result.not_modified:
            link.status_code = result.status_code
        link.error = result.error[:300]
        link.etag = result.etag[:300]
        link.last_modified = result.last_modified[:100]
        link.last_checked = now
        if result.ok is False and (was_ok is not False or link.broken_since is None):
            link.broken_since = now
        elif result.ok:
            link.broken_since = None
    Link.objects.bulk_update(
        links.values(),
        [
            "ok",
            "robots_excluded",
            "status_code",
            "error",
            "etag",
            "last_modified",
            "last_checked",
            "broken_since",
        ],
        batch_size=500,
    )


def dead_links(site: Site):
    """The site's broken links with where they are (home page first)."""
    return (
        LinkUse.objects.filter(site=site, link__ok=False)
        .select_related("link", "page")
        .order_by("-on_home", "link__url")
    )
