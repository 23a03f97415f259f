"""400, 403, 404 and 500 answer Chinese pages in the portal's layout with DEBUG off, never a traceback."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from tests import factories
from zwgk import urls as zwgk_urls


def _bad_request(request):
    raise SuspiciousOperation("test: a malformed request")


def _forbidden(request):
    raise PermissionDenied


def _missing(request):
    raise Http404("test: nothing here")


def _broken(request):
    raise RuntimeError(f"test failure near {settings.DATABASES['default'].get('NAME')}")


# A test-only urlconf: the project's own handlers, and views that raise.
urlpatterns = [
    path("test-errors/400/", _bad_request),
    path("test-errors/403/", _forbidden),
    path("test-errors/404/", _missing),
    path("test-errors/500/", _broken),
    *zwgk_urls.urlpatterns,
]
handler400 = zwgk_urls.handler400
handler403 = zwgk_urls.handler403
handler404 = zwgk_urls.handler404
handler500 = zwgk_urls.handler500

EXPECTED = {
    400: "请求有误",
    403: "无权访问",
    404: "页面不存在",
    500: "服务器内部错误",
}
LEAKS = ("Traceback", "RuntimeError", "SuspiciousOperation", "test failure", "DATABASES", "SECRET_KEY")


@pytest.fixture
def portal(db):
    from wagtail.models import Site

    from zwgk.portal.models import PortalSettings

    factories.site()
    PortalSettings.objects.create(site=Site.objects.get(is_default_site=True), site_name="龙溪县人民政府")


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_each_error_answers_its_chinese_page(portal, status):
    client = Client(raise_request_exception=False)
    response = client.get(f"/test-errors/{status}/")
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert EXPECTED[status] in html and "返回首页" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    for leak in LEAKS:
        assert leak not in html
    assert settings.SECRET_KEY not in html
    if status != 500:
        # The full portal layout: the site's name from 门户网站设置 and the search box.
        assert "龙溪县人民政府" in html and 'action="/search/"' in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_portal_address_is_the_chinese_404(portal, client):
    response = client.get("/no-such-column/nor-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "龙溪县人民政府" in html


def test_the_500_page_needs_neither_database_nor_request_context():
    """Rendered with no database access allowed (pytest-django blocks it here) and no context processors."""
    from django.urls import get_callable

    response = get_callable(zwgk_urls.handler500)(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器内部错误" in html and "portal.css" in html
    assert "{%" not in html and "{{" not in html


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"])
def test_a_refused_host_gets_the_static_400(portal):
    """A Host header outside ALLOWED_HOSTS: the layout cannot ask for the host, the static page answers."""
    response = Client(raise_request_exception=False).get("/test-errors/404/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and "Traceback" not in html and "evil.example" not in html


@pytest.mark.django_db
@override_settings(
    DEBUG=True,
    ROOT_URLCONF=__name__,
    DATABASE_URL="postgres://zwgk:db-pass-7731@db.internal:5432/zwgk",
    REDIS_URL="redis://:redis-pass-4410@cache.internal:6379/0",
)
def test_the_debug_page_hides_the_connection_urls(portal):
    """With DEBUG on (a developer's machine), the technical 500 page still shows no password."""
    response = Client(raise_request_exception=False).get("/test-errors/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "DATABASE_URL" in html  # the setting is listed …
    assert "db-pass-7731" not in html and "redis-pass-4410" not in html  # … but its value is not


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_failed_csrf_check_is_the_chinese_403(portal):
    """The online application form posted without its CSRF token (an expired page, cookies off)."""
    response = Client(enforce_csrf_checks=True).post("/ysqgk/", {"name": "张三"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "无法提交" in html and "刷新后重新提交" in html and "CSRF" not in html
    assert "龙溪县人民政府" in html
