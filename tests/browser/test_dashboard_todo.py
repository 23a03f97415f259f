"""The 工作台 to-do panels in Chromium for three roles (issue 26): screenshots <screenshot dir>/w2-<role>.png."""

import pytest

from tests.browser.helpers import login, shot
from tests.core.test_dashboard_todo import world  # noqa: F401  (the fixture: two organs, their work)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_of_three_roles(live_server, new_page, world):  # noqa: F811
    base = live_server.url
    expected = {
        "xinxi": ("依申请公开：即将到期和已超期的申请（3）", "本机关草稿的审查发现（2）"),
        "chushen": ("三审：待我审核（2）",),
        "zhen": ("依申请公开：即将到期和已超期的申请（1）", "三审：待我审核（1）"),
    }
    for username, headings in expected.items():
        page = new_page()
        errors = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        login(page, base, username)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=shot(f"w2-{username}.png"), full_page=True)
        text = page.inner_text("main")
        for heading in headings:
            assert heading in text, (username, heading)
        assert "已超期" in text or username == "chushen"
        assert not [e for e in errors if "Content Security Policy" in e], errors
