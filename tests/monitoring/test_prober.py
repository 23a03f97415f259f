"""The outside-in prober: 站点无法访问 probes, 找错 entry, and tampering (暗链) against zwgk's own rendering."""

import random
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests import factories
from zwgk.monitoring import prober
from zwgk.monitoring.indicators import site_report
from zwgk.monitoring.models import Probe, ProbeRun, TamperFinding
from zwgk.monitoring.tamper import compare
from zwgk.screening.models import SensitiveWord

from .builders import article, column, make_site
from .servers import Server

pytestmark = pytest.mark.django_db

INJECTED = '<div style="display:none"><a href="http://casino.example/">澳门博彩官网</a></div>'


def test_compare_ignores_tokens_and_finds_injected_links_and_text():
    published = '<html><body><input name="csrf" value="a1"><script nonce="x1">var a=1</script><p>新闻</p></body></html>'
    same = published.replace("a1", "b2").replace("x1", "y2")
    assert not compare(same, published, "http://s.test/").tampered
    altered = published.replace("</body>", INJECTED + "</body>")
    result = compare(altered, published, "http://s.test/")
    assert result.tampered
    assert result.injected_links == ["http://casino.example/"]
    assert result.injected_text == ["澳门博彩官网"]


def mirror(server, site, home):
    """Let the local server serve exactly what zwgk renders for each page of the site."""
    from wagtail.models import Page

    for page in Page.objects.live().filter(path__startswith=home.path):
        url = site.root_url + page.url_path[len(home.url_path) - 1 :]
        server.routes[url[len(server.base) :]] = (200, {}, prober.rendered(site, url))


@override_settings(ZWGK_MONITOR_PROBE_SAMPLE=10)
def test_injected_spam_block_is_a_veto_finding_with_evidence():
    SensitiveWord.objects.create(word="博彩", category="赌博")
    org = factories.organisation()
    with Server() as server:
        site, home = make_site("127.0.0.1", org, port=server.port)
        news = column(home, "要闻动态", "news", slug="ywdt")
        item = article(news, org, 1, title="县政府召开常务会议")
        mirror(server, site, home)
        item_path = f"/ywdt/{item.slug}/"
        clean_home = server.routes["/"][2]
        server.routes["/"] = (200, {}, clean_home.replace("</body>", INJECTED + "</body>"))

        probes = prober.probe_site(site, rng=random.Random(1))
        assert {p.url.replace(server.base, "") for p in probes} == {"/", "/ywdt/", item_path}
        assert all(p.ok for p in probes)
        tampered = [p for p in probes if p.tampered]
        assert [p.url for p in tampered] == [server.base + "/"]

        finding = TamperFinding.objects.get()
        assert finding.injected_links == ["http://casino.example/"]
        assert finding.injected_text == ["澳门博彩官网"]
        # the sensitive words (the lexicon's and the test's 博彩) and screening's 疑似暗链 finding on the markup
        assert any("博彩" in word for word in finding.matched_words)
        assert any(word.startswith("疑似暗链") and "casino.example" in word for word in finding.matched_words)
        assert INJECTED in finding.served_html
        row = next(r for r in site_report(site)["indicators"] if r["code"] == "illegal_content")
        assert row["status"] == "fail" and row["tampered"] == 1 and server.base + "/" in row["evidence"]

        # The same injection found again is the same finding.
        prober.probe_site(site, rng=random.Random(1))
        assert TamperFinding.objects.count() == 1


@override_settings(ZWGK_MONITOR_PROBE_TIMEOUT=0.5, ZWGK_MONITOR_PROBE_SAMPLE=0)
def test_a_page_slower_than_the_timeout_counts_as_unreachable():
    org = factories.organisation()

    def slow(handler):
        time.sleep(1.2)
        return 200, {}, "<html><body>找错</body></html>"

    with Server() as server:
        site, home = make_site("127.0.0.1", org, port=server.port)
        server.routes["/"] = slow
        [probe] = prober.probe_site(site)
    assert probe.ok is False and probe.is_home and "0.5" in probe.error
    row = next(r for r in site_report(site)["indicators"] if r["code"] == "unreachable")
    assert row["value"] == 100.0 and row["status"] == "fail"


@override_settings(ZWGK_MONITOR_PROBE_SAMPLE=0)
def test_home_probe_records_error_report_entry_and_ipv6(capsys):
    org = factories.organisation()
    with Server() as server:
        site, home = make_site("127.0.0.1", org, port=server.port)
        server.routes["/"] = (
            200,
            {},
            '<html><body><a href="https://zfwzzc.www.gov.cn/">我为政府网站找错</a></body></html>',
        )
        call_command("probe", "--site", f"127.0.0.1:{server.port}")
        probe = Probe.objects.get()
        assert probe.has_error_report_link is True
        assert probe.ipv6 is False  # the test server listens on 127.0.0.1 only
        assert ProbeRun.objects.get().finished_at is not None
        assert "1/1" in capsys.readouterr().out
        rows = {r["code"]: r for r in site_report(site)["indicators"]}
        assert rows["error_report_entry"]["points"] == 0
        assert rows["ipv6"]["points"] > 0


@override_settings(ZWGK_MONITOR_PROBE_SAMPLE=0)
def test_an_interrupted_round_resumes_with_the_sites_not_done():
    org = factories.organisation()
    with Server() as one, Server() as two:
        site_one, _ = make_site("127.0.0.1", org, port=one.port)
        site_two, _ = make_site("localhost", org, port=two.port)
        for server in (one, two):
            server.routes["/"] = (200, {}, "<html><body>首页</body></html>")
        ProbeRun.objects.create(sites_total=2, sites_done=[site_one.pk])
        prober.run()
        assert not one.hits and [p for p, _ in two.hits] == ["/"]
