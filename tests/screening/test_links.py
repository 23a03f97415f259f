"""Links in content (issue #4, kind `link`): internal links to missing/unpublished pages at once, external
links by a background task — tested against a local HTTP server only."""

import http.server
import threading

import pytest

from tests import factories
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import services
from zwgk.screening.links import check_url
from zwgk.screening.models import PageFinding

pytestmark = pytest.mark.django_db


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_check_url_against_a_local_server(server):
    assert check_url(f"{server}/ok") == ""
    assert "404" in check_url(f"{server}/missing")
    assert "无法访问" in check_url("http://127.0.0.1:9/nothing-listens-here")


def test_internal_and_external_links_become_findings(server):
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    home, column, _ = factories.site()
    target = column.add_child(instance=ArticlePage(title="目标", organisation=org, live=False))
    body = (
        f'<p><a linktype="page" id="{target.pk}">未发布的页面</a> <a href="/no-such-page/">旧地址</a> '
        f'<a href="/ywdt/">要闻</a> <a href="{server}/ok">好链接</a> <a href="{server}/gone">坏链接</a></p>'
    )
    page = ArticlePage(title="含链接的信息", organisation=org, body=body)
    column.add_child(instance=page)
    services.screen_page(page)  # the external check runs on the (immediate) task queue
    links = {(f.source, f.text, f.suggestion) for f in PageFinding.objects.filter(page=page, kind="link")}
    assert ("正文链接", "未发布的页面", "链接的页面不存在或未发布") in links
    assert ("正文链接", "/no-such-page/", "站内链接无法打开") in links
    assert ("外部链接", f"{server}/gone", "外部链接返回错误 404") in links
    assert not any("/ywdt/" in text or text.endswith("/ok") for _, text, _ in links)
