"""Hostile query parameters never give a 500 or a traceback: every public URL pattern, every GET
parameter the code reads; and the report views of the back office, as a 管理员 and as an 信息员."""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site

from tests import factories
from zwgk.disclosure.models import ArticlePage, DisclosureIndexPage, InterpretationPage, PolicyDocumentPage

pytestmark = pytest.mark.django_db

ZWGK = Path(__file__).resolve().parents[2] / "zwgk"
HOSTILE = [
    "abc",
    "-5",
    "0",
    "10000",
    "99999",
    "99999999999999999999",
    "",
    "2026-13-45",
    "0001-01-01",
    "<script>alert(1)</script>",
    "\x00",
    "a\x00b",
    "１２",
    "²",
    "x" * 5000,
    "年" * 300,
    "%",
    "' OR 1=1 --",
]
# Read by code that is not ours (Django's sitemap, forms bound to request.GET), always fuzzed too.
ALWAYS = {"p", "page", "q", "year", "org", "format", "number", "code", "start", "end"}
READS = re.compile(
    r"""GET(?:\.get|\.getlist)?\(\s*["'](\w+)|GET\[["'](\w+)|_param\(\s*\w+,\s*["'](\w+)|params\.get\(["'](\w+)"""
)
TRACEBACK = ("Traceback", "Exception Value", "DATABASES", "SECRET_KEY", "postgres://")


def _names_in(paths) -> set[str]:
    names = set()
    for path in paths:
        for match in READS.finditer(Path(path).read_text(encoding="utf-8")):
            names.add(next(g for g in match.groups() if g))
    return names


def read_parameters() -> set[str]:
    """Every GET parameter name the code reads (grepped like a reviewer would)."""
    return _names_in(ZWGK.rglob("*.py")) | ALWAYS


def view_parameters(url: str) -> set[str]:
    """The parameters the view behind `url` reads: its module's, or for a Wagtail page the page
    models' and the modules they call (disclosure, portal)."""
    import inspect

    from django.urls import resolve

    func = inspect.unwrap(resolve(unquote(url.split("?")[0])).func)
    source = Path(inspect.getsourcefile(func))
    if func.__module__ == "wagtail.views" and func.__name__ == "serve":
        return _names_in([*ZWGK.joinpath("disclosure").glob("*.py"), *ZWGK.joinpath("portal").glob("*.py")])
    return _names_in([source]) | {"page"}


def test_the_shared_parameter_helpers():
    from zwgk.core.params import date_param, int_param, text_param

    assert int_param({"y": "2025"}, "y", 1949, 2100) == (2025, "")
    assert int_param({"y": "２０２５"}, "y", 1949, 2100) == (2025, "")  # full-width digits folded
    assert int_param({}, "y", 1949, 2100) == (None, "")
    for bad in ("abc", "-5", "0", "10000", "99999999999999999999", "9" * 5000, "1.5", "²", "\x00"):
        value, message = int_param({"y": bad}, "y", 1949, 2100, label="年度")
        assert value is None and message.startswith("年度应"), bad
    assert date_param({"d": "2026-02-01"}, "d")[0] == dt.date(2026, 2, 1)
    for bad in ("2026-13-45", "0001-01-01", "2026-2-1", "abc"):
        assert date_param({"d": bad}, "d", label="起始日期")[1].startswith("起始日期应"), bad
    assert text_param({"org": "a\x00b"}, "org") == ("", "org参数无效，已忽略。")
    assert text_param({"org": "x" * 201}, "org")[0] == "" and text_param({"org": " xzf "}, "org") == (
        "xzf",
        "",
    )


def test_the_parameter_scan_finds_the_known_readers():
    assert {"year", "org", "kind", "validity", "page", "q", "section", "sort", "type", "start", "end"} <= (
        read_parameters()
    )


@pytest.fixture
def portal():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf")
    home, column, library = factories.site()
    index = home.add_child(instance=DisclosureIndexPage(title="政府信息公开", slug="zwgk", live=True))

    def publish(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    today = dt.date.today()
    publish(
        column,
        ArticlePage(
            title="县政府召开常务会议", organisation=org, body="<p>会议</p>", statutory_category="15"
        ),
    )
    publish(
        library,
        PolicyDocumentPage(
            title="龙溪县政府投资项目管理办法",
            organisation=org,
            document_number="龙府〔2025〕1号",
            doc_kind="normative",
            written_date=today,
        ),
    )
    publish(column, InterpretationPage(title="《管理办法》解读", organisation=org))
    return org, index


def _sample(converter_name: str, org) -> str:
    return {"int": "1", "slug": org.slug, "str": "1", "path": "x"}.get(converter_name, "1")


def _django_urls(org) -> list[str]:
    """Concrete addresses of every public (non-admin) pattern of zwgk/urls.py, arguments filled in."""
    urls = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith("admin/"):
                    continue
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                full = prefix + route
                if "((?:" in full:
                    continue  # Wagtail's page route: the pages are walked below
                if "^" in full or "(?P" in full:
                    full = re.sub(r"\^?\(\\d\+\)", "1", full.replace("^", "", 1)).replace("(.*)$", "x.pdf")
                urls.append(
                    "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: _sample(m.group(1) or "str", org), full)
                )

    walk(get_resolver().url_patterns, "")
    return urls


def _page_urls(org) -> list[str]:
    """Every live page of the default site, and each route of its RoutablePage sub-pages."""
    site = Site.objects.get(is_default_site=True)
    urls = []
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        url = page.get_url()
        urls.append(url)
        if isinstance(page, RoutablePageMixin):
            for entry in page.get_subpage_urls():
                route = str(entry.pattern)
                if "(?P" in route or route.startswith("^"):
                    continue
                sub = re.sub(
                    r"<(?:(\w+):)?(\w+)>",
                    lambda m: "01" if m.group(2) == "code" else _sample(m.group(1) or "str", org),
                    route,
                )
                urls.append(url + sub)
    return sorted(set(urls))


def _query(name, value, repeated=False) -> str:
    pairs = [(name, "1"), (name, value)] if repeated else [(name, value)]
    return "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs)


def _fuzz(client, urls, names) -> list[str]:
    failures = []

    def check(url):
        response = client.get(url)
        body = b"" if getattr(response, "streaming", False) else response.content
        text = body.decode("utf-8", "replace")
        if response.status_code >= 500 or any(t in text for t in TRACEBACK):
            failures.append(f"{response.status_code} {url[:160]}")

    for url in urls:
        for value in HOSTILE:
            # Every parameter at once with the same value (each is validated on its own) …
            check(url + "?" + "&".join(_query(name, value) for name in sorted(names)))
        for name in sorted(names & view_parameters(url)):
            # … and each parameter its view reads alone, and repeated after a good value.
            for value in HOSTILE[:6] + ["\x00", "x" * 5000]:
                check(f"{url}?{_query(name, value)}")
            check(f"{url}?{_query(name, 'abc', repeated=True)}")
    return failures


@override_settings(DEBUG=False)
def test_every_public_url_survives_hostile_parameters(portal):
    org, _ = portal
    urls = _django_urls(org) + _page_urls(org)
    assert "/zcwjk/" in urls and "/search/" in urls and "/zwgk/fdzdgknr/01/" in urls
    assert "/zwgk/ml/xzf/" in urls and "/ysqgk/track/" in urls and "/zcwjk/rss/" in urls
    failures = _fuzz(Client(raise_request_exception=False), urls, read_parameters())
    assert not failures, "\n".join(failures[:40])


@override_settings(DEBUG=False)
def test_library_year_out_of_range_shows_the_unfiltered_page_with_a_message(portal, client):
    response = client.get("/zcwjk/", {"year": "10000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "成文年份应在 1949 至 2100 之间" in html and "龙溪县政府投资项目管理办法" in html


@override_settings(DEBUG=False)
def test_search_bad_year_and_page_are_ignored_with_a_message(portal, client):
    response = client.get("/search/", {"q": "办法", "year": "10000", "page": "99999999999999999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "年份应在 1949 至 2100 之间" in html
        and "页码应在 1 至 500 之间，已忽略“99999999999999999999”" in html
    )


def _report_urls():
    return ["/admin/reports/annual/", "/admin/reports/dashboard/"]


@override_settings(DEBUG=False)
@pytest.mark.parametrize("role", ["管理员", "信息员"])
def test_report_views_survive_hostile_parameters(portal, role):
    org, _ = portal
    client = Client(raise_request_exception=False)
    client.force_login(factories.staff(f"fuzz-{role}", org, role))
    assert client.get("/admin/reports/annual/").status_code in (200, 403)
    names = {"org", "year", "rollup", "format", "start", "end"}
    failures = _fuzz(client, _report_urls(), names)
    assert not failures, "\n".join(failures[:40])


@override_settings(DEBUG=False)
def test_annual_report_bad_year_is_the_default_year_with_a_message(portal):
    org, _ = portal
    client = Client()
    client.force_login(factories.staff("nb-admin", org, "管理员"))
    for bad in ("abc", "0", "-5", "99999"):
        response = client.get("/admin/reports/annual/", {"org": "xzf", "year": bad})
        assert response.status_code == 200, bad
        html = response.content.decode()
        assert "年度应" in html
        assert f"{dt.date.today().year - 1}年政府信息公开工作年度报告" in html
