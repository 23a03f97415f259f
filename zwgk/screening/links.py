"""Links in content (issue #4, kind `link`): internal links to pages that do not exist or are not published,
checked at once; external links checked by a background task at a bounded rate."""

import re
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.test import RequestFactory
from django_tasks import task
from wagtail.models import Page, Site

from .findings import WARN, Finding
from .models import PageFinding

PAGE_LINK = re.compile(r'<a[^>]*\blinktype="page"[^>]*\bid="(\d+)"[^>]*>(.*?)</a>', re.S)
HREF = re.compile(r'<a[^>]*\bhref="([^"]+)"[^>]*>(.*?)</a>', re.S)
RATE_PER_SECOND = 2  # external checks: at most this many requests per second
TIMEOUT = 10


def internal_link_findings(html: str) -> list[Finding]:
    """Links to Wagtail pages that are missing or unpublished, and relative links to paths that do not resolve."""
    findings = []
    ids = {int(m.group(1)) for m in PAGE_LINK.finditer(html)}
    live = set(Page.objects.filter(pk__in=ids, live=True).values_list("pk", flat=True))
    for m in PAGE_LINK.finditer(html):
        if int(m.group(1)) not in live:
            findings.append(
                Finding(
                    "link",
                    WARN,
                    m.start(),
                    m.end(),
                    re.sub(r"<[^>]+>", "", m.group(2))[:100],
                    "链接的页面不存在或未发布",
                )
            )
    for m in HREF.finditer(html):
        url = m.group(1)
        if url.startswith("/") and not url.startswith(("/documents/", "/media/", "/static/")):
            if _resolve_path(url) is None:
                findings.append(Finding("link", WARN, m.start(), m.end(), url[:100], "站内链接无法打开"))
    return findings


def _resolve_path(url: str):
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    components = [c for c in path.split("/") if c]
    request = RequestFactory().get(path)  # routing wants a request; nothing is served
    try:
        return site.root_page.specific.route(request, components)
    except Exception:  # Http404 and friends: the path does not lead to a live page
        return None


def external_urls(html: str) -> list[str]:
    return sorted({m.group(1) for m in HREF.finditer(html) if m.group(1).startswith(("http://", "https://"))})


def check_url(url: str) -> str:
    """'' when the link works, otherwise a Chinese reason."""
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "zwgk-linkcheck"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return "" if response.status < 400 else f"外部链接返回错误 {response.status}"
    except urllib.error.HTTPError as error:
        if error.code == 405:  # HEAD not allowed: try GET
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                    return "" if response.status < 400 else f"外部链接返回错误 {response.status}"
            except (urllib.error.URLError, OSError) as error2:
                return f"外部链接无法访问：{error2}"
        return f"外部链接返回错误 {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"外部链接无法访问：{getattr(error, 'reason', error)}"


@task()
def check_external_links(page_id: int) -> int:
    """Check a page's external links at a bounded rate and store a `link` finding for each broken one."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    html = str(getattr(page.specific, "body", "") or "")
    broken = []
    for url in external_urls(html):
        started = time.monotonic()
        reason = check_url(url)
        if reason:
            broken.append((url, reason))
        time.sleep(max(0.0, 1 / RATE_PER_SECOND - (time.monotonic() - started)))
    with transaction.atomic():
        PageFinding.objects.filter(page_id=page_id, kind="link", source="外部链接", status="open").delete()
        PageFinding.objects.bulk_create(
            [
                PageFinding(
                    page_id=page_id,
                    source="外部链接",
                    kind="link",
                    severity=WARN,
                    start=0,
                    end=0,
                    text=url[:200],
                    suggestion=reason[:200],
                )
                for url, reason in broken
            ]
        )
    return len(broken)
