"""帮助: the clerk's guide in the back office, with the screenshots kept in docs/screenshots/."""

import pytest

from tests import factories
from zwgk.core.help import guide_path, render_markdown

pytestmark = pytest.mark.django_db


def test_raw_html_is_text_and_only_screenshots_become_pictures():
    html = render_markdown(
        "<script>x()</script>\n\n![工作台](screenshots/dashboard-informant.png) ![别的](other.png)"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'src="/admin/help/guide/screenshots/dashboard-informant.png"' in html
    assert "［图：别的］" in html and "other.png" not in html


def test_staff_see_the_guide_and_its_pictures(client):
    org = factories.organisation()
    factories.staff("xxy", org, "信息员")
    shots = sorted((guide_path().parent / "screenshots").glob("*.png"))
    assert shots, "docs/screenshots/ is empty: run make screenshots"
    assert client.get(f"/admin/help/guide/screenshots/{shots[0].name}").status_code == 302  # login first
    client.login(username="xxy", password="pw-123456")
    page = client.get("/admin/help/guide/")
    assert page.status_code == 200
    assert f"/admin/help/guide/screenshots/{shots[0].name}" in page.content.decode()
    picture = client.get(f"/admin/help/guide/screenshots/{shots[0].name}")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    for name in ("..%2Fclerk.md", "clerk.md", "missing.png", "UPPER.png"):
        assert client.get(f"/admin/help/guide/screenshots/{name}", follow=True).status_code == 404, name
