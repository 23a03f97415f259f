"""Web basics a site checker flags: a favicon at /favicon.ico linked from every page, a meta
description on every page (an item's 内容概述, else the page's or the site's description), and
noindex only on the pages that carry an applicant's data (tracking, receipt), not on /ysqgk/ itself."""

import io
import re

import pytest
from PIL import Image
from wagtail.models import Site

from tests import factories
from zwgk.disclosure.models import ArticlePage
from zwgk.portal.models import PortalSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf")
    home, column, library = factories.site()
    PortalSettings.objects.create(site=Site.objects.get(is_default_site=True), site_name="龙溪县人民政府")
    article = ArticlePage(
        title="县政府召开常务会议",
        organisation=org,
        summary="会议研究了城乡低保提标、\n冬季供暖和“<b>安全生产</b>”工作。",
        body="<p>会议研究了有关事项。</p>",
    )
    column.add_child(instance=article)
    article.save_revision().publish()
    bare = ArticlePage(title="无概述的文章", organisation=org, body="<p>正文。</p>")
    column.add_child(instance=bare)
    bare.save_revision().publish()
    return dict(home=home, column=column, article=article, bare=bare)


def description(html: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(found) == 1, found
    return found[0]


def test_favicon_is_served_and_linked(client, portal):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    html = client.get(portal["article"].url).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in html
    svg = re.search(r'<link rel="icon" href="([^"]+\.svg)" type="image/svg\+xml">', html).group(1)
    assert client.get("/").status_code == 200 and svg.endswith("portal/favicon.svg")


def test_item_pages_describe_themselves_with_their_summary(client, portal):
    html = client.get(portal["article"].url).content.decode()
    # One line, escaped: the summary is staff text.
    assert description(html) == "会议研究了城乡低保提标、 冬季供暖和“&lt;b&gt;安全生产&lt;/b&gt;”工作。"


def test_other_pages_use_the_site_description(client, portal):
    home = portal["home"]
    assert description(client.get("/").content.decode()).startswith("龙溪县人民政府：政府信息公开")
    home.search_description = "龙溪县人民政府门户网站，发布全县政务信息。"
    home.save_revision().publish()
    for url in ("/", portal["bare"].url, "/search/?q=会议", "/wzdt/", "/ysqgk/track/"):
        assert (
            description(client.get(url).content.decode()) == "龙溪县人民政府门户网站，发布全县政务信息。"
        ), url
    portal["column"].specific.description = "县政府的工作动态。"
    portal["column"].specific.save_revision().publish()
    assert description(client.get(portal["column"].url).content.decode()) == "县政府的工作动态。"
    apply_description = description(client.get("/ysqgk/").content.decode())
    assert apply_description.startswith("依据《中华人民共和国政府信息公开条例》在线提交")


def test_only_tracking_and_receipt_pages_are_noindex(client, portal):
    apply = client.get("/ysqgk/")
    assert apply.status_code == 200
    assert "noindex" not in apply.content.decode() and "X-Robots-Tag" not in apply
    for url in ("/", portal["article"].url):
        assert "noindex" not in client.get(url).content.decode()
    track = client.get("/ysqgk/track/")
    assert 'name="robots" content="noindex, nofollow"' in track.content.decode()
    assert track["X-Robots-Tag"].startswith("noindex")
    # The receipt needs a submitted application; without one it sends the visitor to the form.
    assert client.get("/ysqgk/receipt/")["X-Robots-Tag"].startswith("noindex")
