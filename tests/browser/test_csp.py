"""The Content-Security-Policy (django-csp) holds on the portal and in the Wagtail back office: Chromium
reports no violation on the portal's home, an item and search, nor on the admin dashboard, the page
editor (Draftail) and a chooser."""

import datetime as dt

import pytest

from tests import factories
from tests.browser.helpers import login, shot
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Violations:
    """CSP violations seen by a page: console "Refused to …" messages and securitypolicyviolation events."""

    def __init__(self, page):
        self.seen = []
        page.on("console", self._console)
        # Registered before any page script runs, so a violation during load is caught too.
        page.add_init_script(
            """document.addEventListener("securitypolicyviolation", (e) => {
                 console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI + " " +
                               (e.sourceFile || "") + ":" + e.lineNumber);
               });"""
        )

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith(("Refused to", "CSP violation")):
            self.seen.append(f"{message.page.url if hasattr(message, 'page') else ''} {text}")


@pytest.fixture
def portal():
    home, column, library = factories.site()  # first: it recreates the roots a transactional test flushed
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    item = ArticlePage(
        title="县政府召开常务会议",
        organisation=county,
        body="<p>会议研究了城乡低保有关事项。</p>",
        written_date=dt.date.today(),
    )
    column.add_child(instance=item)
    item.save_revision().publish()
    factories.staff("guanli", county, roles.ADMINISTRATOR)
    return item


def _visit(page, url):
    response = page.goto(url)
    assert response.status < 400, url
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, url
    page.wait_for_load_state("networkidle")


def test_portal_pages_have_no_csp_violation(live_server, new_page, portal):
    base = live_server.url
    page = new_page()
    violations = Violations(page)
    _visit(page, f"{base}/")
    _visit(page, base + portal.url)
    _visit(page, f"{base}/search/?q=低保")
    page.fill("input[name=q]", "常务会议")  # the suggestions script runs (fetch under connect-src)
    page.wait_for_timeout(600)
    assert violations.seen == []


def test_back_office_editor_and_chooser_have_no_csp_violation(live_server, new_page, portal):
    base = live_server.url
    page = new_page()
    violations = Violations(page)
    login(page, base, "guanli")
    _visit(page, f"{base}/admin/")
    _visit(page, f"{base}/admin/pages/{portal.pk}/edit/")
    page.screenshot(path=shot("h6-editor.png"), full_page=True)
    # The date picker's inline initialiser ran (the back office's relaxation is in force).
    page.locator("#id_written_date").click()
    page.locator(".xdsoft_datetimepicker:visible").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    # Draftail: type in the body, then open the link chooser (a modal loaded by the admin's JS).
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.type("新增一段正文。")
    assert "新增一段正文" in editor.inner_text()
    page.keyboard.press("Shift+Home")  # select the sentence: the floating toolbar appears
    page.locator(".Draftail-Editor button[name=LINK]").click()
    modal = page.locator(".modal-dialog")
    modal.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert "选择" in modal.inner_text()
    page.screenshot(path=shot("h6-chooser.png"), full_page=True)
    # A logged-in editor back on the portal: the strict policy, and still no violation.
    _visit(page, base + portal.url)
    assert violations.seen == [], "\n".join(violations.seen)
