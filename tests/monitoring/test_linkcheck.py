"""Dead links site-wide: every live page's links, robots.txt, conditional requests, per-link history."""

import asyncio

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests import factories
from zwgk.monitoring import linkcheck
from zwgk.monitoring.fetching import Check, check_all
from zwgk.monitoring.indicators import site_report
from zwgk.monitoring.models import Link, LinkUse

from .builders import NOW, TODAY, article, column, make_site
from .servers import Server

pytestmark = pytest.mark.django_db


def test_links_in_resolves_relative_links_and_skips_non_http():
    html = (
        '<a href="/a/?x=1&amp;y=2#top">a</a><img src="b.png"><a href="mailto:x@y.cn">m</a><a href="#k">k</a>'
    )
    assert linkcheck.links_in(html, "http://s.test/col/") == {
        "http://s.test/a/?x=1&y=2",
        "http://s.test/col/b.png",
    }


def test_per_host_limit_is_respected():
    """No more than `per_host` requests to one host at a time."""
    import threading
    import time

    active, peak, lock = [0], [0], threading.Lock()

    def slow(handler):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return 200, {}, "ok"

    with Server() as server:
        for n in range(30):
            server.routes[f"/p{n}"] = slow
        checks = [Check(n, f"{server.base}/p{n}") for n in range(30)]
        results = asyncio.run(check_all(checks, concurrency=50, per_host=3))
    assert all(r.ok for r in results) and len(results) == 30
    assert peak[0] <= 3


def test_linkcheck_finds_dead_links_respects_robots_and_revalidates():
    org = factories.organisation()
    with Server() as server, Server() as external:
        site, home = make_site("127.0.0.1", org, port=server.port)
        news = column(home, "要闻动态", "news", slug="ywdt")
        body = (
            f'<p><a href="{server.base}/ok">好</a> <a href="{server.base}/gone">坏</a>'
            f' <a href="{server.base}/private/x">内部</a> <a href="{external.base}/ext">外链</a></p>'
        )
        page = article(news, org, 1, body=body)
        article(news, org, 2, body=f'<p><a href="{server.base}/ok">同一链接</a></p>')

        def ok(handler):
            if handler.headers.get("If-None-Match") == '"v1"':
                return 304, {"ETag": '"v1"'}, b""
            return 200, {"ETag": '"v1"'}, "ok"

        server.routes.update(
            {
                "/": (200, {}, f'<a href="/ok">ok</a><a href="{server.base}/home-dead">x</a>'),
                "/ok": ok,
                "/private/x": (200, {}, "secret"),
                "/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private/\n"),
            }
        )
        external.routes["/ext"] = (200, {}, "external")

        call_command("linkcheck")
        links = {
            link.url.replace(server.base, "S").replace(external.base, "E"): link
            for link in Link.objects.all()
        }
        assert links["S/ok"].ok is True and links["S/ok"].etag == '"v1"'
        assert links["S/gone"].ok is False and links["S/gone"].status_code == 404
        assert links["S/gone"].broken_since is not None
        assert links["S/private/x"].ok is None and links["S/private/x"].robots_excluded
        assert ("/private/x",) not in [(p,) for p, _ in server.hits]
        assert links["E/ext"].ok is True
        assert links["S/home-dead"].ok is False
        assert LinkUse.objects.get(link=links["S/home-dead"]).on_home
        assert LinkUse.objects.filter(link=links["S/ok"]).count() == 3  # two pages and the home page
        first_seen = links["S/gone"].first_seen

        # Second run: a conditional request for /ok (304), the dead link keeps its first-seen date.
        server.hits.clear()
        call_command("linkcheck")
        ok_hits = [headers for path, headers in server.hits if path == "/ok"]
        assert ok_hits and ok_hits[0].get("If-None-Match") == '"v1"'
        again = Link.objects.get(url=f"{server.base}/ok")
        assert again.ok is True and again.status_code == 200
        assert Link.objects.get(url=f"{server.base}/gone").first_seen == first_seen

        report = site_report(site, TODAY, NOW)
        row = next(r for r in report["indicators"] if r["code"] == "dead_links")
        assert row["value"] == 2 and row["home"] == 1
        assert row["points"] == pytest.approx(1.1)
        assert f"{server.base}/gone" in row["evidence"]
        assert page.pk in LinkUse.objects.filter(link__url=f"{server.base}/gone").values_list(
            "page_id", flat=True
        )


@override_settings(ZWGK_LINKCHECK_TIMEOUT=0.3)
def test_a_slow_link_times_out_as_dead():
    import time

    def slow(handler):
        time.sleep(1)
        return 200, {}, "late"

    with Server() as server:
        server.routes["/slow"] = slow
        results = asyncio.run(check_all([Check(1, f"{server.base}/slow")], timeout=0.3))
    assert results[0].ok is False and results[0].error == "超时"


def test_an_interrupted_run_resumes_with_what_is_left():
    org = factories.organisation()
    with Server() as server:
        site, home = make_site("127.0.0.1", org, port=server.port)
        news = column(home, "要闻动态", "news", slug="ywdt")
        for n in range(5):
            server.routes[f"/p{n}"] = (200, {}, "ok")
            article(news, org, 1, body=f'<a href="{server.base}/p{n}">{n}</a>')
        run = linkcheck.current_run()
        for s in [site]:
            linkcheck.collect(s, fetch_home=False)
        run.total = 5
        run.save()
        # Two links were checked before the interruption.
        first = list(Link.objects.order_by("id")[:2])
        for link in first:
            link.ok, link.last_checked = True, NOW.replace(year=2099)
            link.save()
        server.hits.clear()
        done = linkcheck.run(fetch_home=False)
        assert done.pk == run.pk and done.finished_at is not None
        assert sorted(p for p, _ in server.hits if p.startswith("/p")) == sorted(
            f"/p{n}" for n in range(5) if f"{server.base}/p{n}" not in {lk.url for lk in first}
        )
