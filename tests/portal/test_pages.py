"""The public portal: every page type renders valid HTML with the 网页设计规范 meta tags (spec §5.1)."""

import datetime as dt
import xml.etree.ElementTree as ET

import html5lib
import pytest
from wagtail.models import Site

from tests import factories
from zwgk.disclosure.lifecycle import change_validity
from zwgk.disclosure.models import ArticlePage, DisclosureIndexPage, InterpretationPage, PolicyDocumentPage
from zwgk.portal.models import PortalSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    org = factories.organisation(
        name="龙溪县人民政府", slug="xzf", address="人民路1号", head_name="县长 陈立新"
    )
    home, column, library = factories.site()
    index = home.add_child(instance=DisclosureIndexPage(title="政府信息公开", slug="zwgk", live=True))
    PortalSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        site_name="龙溪县人民政府",
        site_code="3607990001",
        icp_number="X ICP备00000000号",
        police_number="X公网安备 36079902000000号",
        sponsor="龙溪县人民政府办公室",
    )

    def publish(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    article = publish(
        column,
        ArticlePage(
            title="县政府召开常务会议",
            organisation=org,
            body="<p>会议研究了有关事项。</p>",
            written_date=dt.date.today(),
            statutory_category="15",
        ),
    )
    old = publish(
        library,
        PolicyDocumentPage(
            title="旧办法", organisation=org, document_number="龙府〔2023〕1号", doc_kind="normative"
        ),
    )
    new = publish(
        library,
        PolicyDocumentPage(
            title="新办法", organisation=org, document_number="龙府〔2025〕1号", doc_kind="normative"
        ),
    )
    change_validity(old, "repealed", user=None, on_date=dt.date(2025, 1, 2), caused_by=new)
    interpretation = InterpretationPage(title="政策解读｜新办法", organisation=org, form="qa")
    column.add_child(instance=interpretation)
    interpretation.documents.add(new)
    interpretation.save_revision().publish()
    return dict(
        org=org,
        home=home,
        column=column,
        library=library,
        index=index,
        article=article,
        old=old,
        new=new,
        interpretation=interpretation,
    )


def parse_strict(html: str):
    return html5lib.HTMLParser(strict=True).parse(html)


def test_every_public_page_is_valid_html(client, portal):
    urls = [
        "/",
        portal["column"].url,
        portal["article"].url,
        portal["old"].url,
        portal["new"].url,
        portal["interpretation"].url,
        portal["library"].url,
        portal["library"].url + "?kind=normative&validity=repealed",
        portal["index"].url,
        portal["index"].url + "fdzdgknr/",
        portal["index"].url + "fdzdgknr/15/",
        portal["index"].url + "ml/xzf/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        parse_strict(response.content.decode())  # raises on any HTML parse error


def test_detail_page_meta_tags_and_footer(client, portal):
    html = client.get(portal["article"].url).content.decode()
    for tag in (
        'name="SiteName" content="龙溪县人民政府"',
        'name="SiteIDCode" content="3607990001"',
        'name="ColumnName" content="要闻动态"',
        'name="ColumnType" content="动态要闻"',
        'name="ArticleTitle" content="县政府召开常务会议"',
        'name="ContentSource"',
        'name="PubDate"',
    ):
        assert tag in html
    assert "政府网站标识码：3607990001" in html and "X ICP备00000000号" in html and "X公网安备" in html
    assert "政府网站找错" in html and "网站地图" in html
    assert portal["article"].index_number in html


def test_repealed_document_banner_and_interpretation_links_both_ways(client, portal):
    old_html = client.get(portal["old"].url).content.decode()
    assert "本文件已废止" in old_html and "新办法" in old_html
    new_html = client.get(portal["new"].url).content.decode()
    assert "相关解读" in new_html and "政策解读｜新办法" in new_html
    interpretation_html = client.get(portal["interpretation"].url).content.decode()
    assert "关联文件" in interpretation_html and "新办法" in interpretation_html


def test_library_filters(client, portal):
    html = client.get(portal["library"].url + "?validity=repealed").content.decode()
    assert "旧办法" in html and "新办法" not in html
    html = client.get(portal["library"].url + "?validity=valid&org=xzf").content.decode()
    assert "新办法" in html and "旧办法" not in html


def test_catalog_shows_art_20_profile(client, portal):
    html = client.get(portal["index"].url + "ml/xzf/").content.decode()
    assert "机构概况" in html and "人民路1号" in html and "县长 陈立新" in html
    assert portal["article"].index_number in html


def test_rss_sitemap_and_robots(client, portal):
    rss = client.get(portal["column"].url + "rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    titles = [e.text for e in ET.fromstring(rss.content).iter("title")]
    assert "县政府召开常务会议" in titles
    sitemap = client.get("/sitemap.xml")
    assert portal["article"].url in sitemap.content.decode()
    assert "Sitemap:" in client.get("/robots.txt").content.decode()


def test_unpublished_page_disappears(client, portal):
    article = portal["article"]
    article.unpublish()
    assert client.get(article.url).status_code == 404
    assert "县政府召开常务会议" not in client.get(portal["column"].url).content.decode()


def test_on_request_item_lists_metadata_but_not_its_text(client, portal):
    """公开方式 依申请公开: the catalogue entry is public, the content is obtained by application."""
    page = ArticlePage(
        title="某项目审批材料",
        organisation=portal["org"],
        disclosure_mode="on_request",
        body="<p>内部审批意见全文</p>",
    )
    portal["column"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "依申请公开" in html and "内部审批意见全文" not in html


def test_html_site_map_lists_columns_not_items(client, portal):
    response = client.get("/wzdt/")
    html = response.content.decode()
    parse_strict(html)
    assert "要闻动态" in html and "政策文件库" in html and "政府信息公开" in html
    assert "县政府召开常务会议" not in html
