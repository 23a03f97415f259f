"""站点无法访问 and tampering: an outside-in prober of each site's home page and a sample of its pages.

`zwgk probe` (run it at least 20 times a day, e.g. hourly from cron or the task worker) requests each
site's home page and `ZWGK_MONITOR_PROBE_SAMPLE` other live pages with a 15 s timeout (19号), records
every probe, checks the home page for the 找错 entry and IPv6, and compares each page with what zwgk
renders for it (tamper.py). A round that stops half-way resumes with the sites not done.
"""

import asyncio
import datetime as dt
import random
import socket
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, Site

from zwgk.core import audit
from zwgk.disclosure.models import ColumnPage

from . import conf
from .fetching import fetch_pages
from .models import Probe, ProbeRun, TamperFinding
from .sites import page_url, site_label, under
from .tamper import compare

ROUND_HOURS = 1
ERROR_REPORT_MARKERS = ("找错", "zfwzzc.www.gov.cn")


def sample_urls(site: Site, size: int, rng: random.Random) -> list[str]:
    """The home page plus `size` pages drawn from the site's columns and its 50 newest items."""
    root = site.root_page
    pool = list(ColumnPage.objects.live().filter(under(root)).values_list("url_path", flat=True))
    pool += list(
        Page.objects.live()
        .filter(under(root), depth__gt=root.depth)
        .exclude(pk__in=ColumnPage.objects.values("pk"))
        .order_by("-first_published_at")
        .values_list("url_path", flat=True)[:50]
    )
    chosen = rng.sample(pool, min(size, len(pool)))
    return [site.root_url + "/"] + [page_url(site, p) for p in chosen]


def reachable_over_ipv6(hostname: str, port: int, timeout: float = 5.0) -> bool:
    """Whether the host has an IPv6 address that accepts a TCP connection."""
    try:
        addresses = socket.getaddrinfo(hostname, port, socket.AF_INET6, socket.SOCK_STREAM)
    except (socket.gaierror, OSError):
        return False
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
                return True
        except OSError:
            continue
    return False


def rendered(site: Site, url: str) -> str | None:
    """What zwgk itself renders for `url` now (the published page), or None if it does not render it."""
    parts = urlsplit(url)
    client = Client(raise_request_exception=False)
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_HOST=host)
    if response.status_code != 200:
        return None
    return response.content.decode(response.charset or "utf-8", "replace")


def probe_site(site: Site, *, now=None, rng=None) -> list[Probe]:
    """Probe one site's home page and sample; record the probes and any tampering found."""
    now = now or timezone.now()
    rng = rng or random.Random()
    timeout = float(conf.get("ZWGK_MONITOR_PROBE_TIMEOUT"))
    urls = sample_urls(site, conf.get("ZWGK_MONITOR_PROBE_SAMPLE"), rng)
    fetched = asyncio.run(
        fetch_pages(urls, timeout=timeout, user_agent=conf.get("ZWGK_LINKCHECK_USER_AGENT"))
    )
    probes = []
    for url, status, html, elapsed, error in fetched:
        ok = status is not None and status < 400 and elapsed <= timeout
        is_home = url == urls[0]
        probe = Probe(
            site=site,
            url=url,
            checked_at=now,
            ok=ok,
            status_code=status,
            elapsed_ms=int(elapsed * 1000),
            error=error or ("" if ok else f"HTTP {status}"),
            is_home=is_home,
        )
        if is_home and ok:
            probe.has_error_report_link = any(marker in html for marker in ERROR_REPORT_MARKERS)
            probe.ipv6 = reachable_over_ipv6(site.hostname, site.port)
        if ok:
            published = rendered(site, url)
            if published is not None:
                result = compare(html, published, url)
                if result.tampered:
                    probe.tampered = True
                    record_tampering(site, url, html, result)
        probes.append(probe)
    Probe.objects.bulk_create(probes)
    return probes


def record_tampering(site, url, html, result) -> TamperFinding:
    """A 禁止 finding with the served page kept as evidence (one open finding per page and content)."""
    with transaction.atomic():
        finding = TamperFinding.objects.filter(
            site=site, url=url, served_sha256=result.served_sha256, status=TamperFinding.Status.OPEN
        ).first()
        if finding:
            return finding
        finding = TamperFinding.objects.create(
            site=site,
            url=url,
            injected_links=result.injected_links[:200],
            injected_text=result.injected_text[:200],
            matched_words=result.matched_words,
            served_sha256=result.served_sha256,
            published_sha256=result.published_sha256,
            served_html=html[:500_000],
        )
        audit.record(
            finding,
            "zwgk.monitoring.tampering_found",
            data={"url": url, "links": result.injected_links[:20], "words": result.matched_words},
        )
    return finding


def run(*, sites=None, progress=None, now=None) -> ProbeRun:
    """One round over every site; a round begun within the hour and not finished is resumed."""
    now = now or timezone.now()
    sites = (
        list(Site.objects.select_related("root_page").order_by("hostname", "port"))
        if sites is None
        else list(sites)
    )
    probe_run = ProbeRun.objects.filter(
        finished_at=None, started_at__gte=now - dt.timedelta(hours=ROUND_HOURS)
    ).first() or ProbeRun.objects.create(sites_total=len(sites))
    done = set(probe_run.sites_done)
    for site in sites:
        if site.pk in done:
            continue
        probes = probe_site(site, now=now)
        done.add(site.pk)
        probe_run.sites_done = sorted(done)
        probe_run.save(update_fields=["sites_done"])
        if progress:
            failed = sum(1 for p in probes if not p.ok)
            progress(len(done), len(sites), site_label(site), len(probes), failed)
    probe_run.finished_at = timezone.now()
    probe_run.save(update_fields=["finished_at"])
    return probe_run
