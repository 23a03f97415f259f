"""Every demo role walks the back office (issue 26): each entry of its menu and the main pages of the 三审
workflow answer without a server error, in Chinese (no English word of Wagtail's chrome from ENGLISH is visible)
and without an axe violation of WCAG 2.1 AA beyond the reviewed exceptions in ALLOWED_AXE. Screenshots of each
role's dashboard go to $ZWGK_SCREENSHOT_DIR (default var/screenshots)."""

import json
import random
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.browser.helpers import screenshot_dir
from zwgk.demo.people import DEMO_PASSWORD, STAFF, create_organisations, create_staff
from zwgk.disclosure.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = screenshot_dir()

# English words of Wagtail's chrome that must never be visible text in the back office. Data (usernames,
# codes such as XLSX, ICP, hostnames) is not chrome and is not on the list.
ENGLISH = [
    "Pages",
    "Page",
    "Search",
    "Exploring",
    "Moderators",
    "Editors",
    "approval",
    "awaiting",
    "Sent to",
    "Write something",
    "Images",
    "Documents",
    "Snippets",
    "Dashboard",
    "Edit",
    "Delete",
    "Add",
    "Save",
    "Publish",
    "Unpublish",
    "Submit",
    "Cancel",
    "Sort",
    "Filter",
    "Actions",
    "Status",
    "Help",
    "Reports",
    "Settings",
    "Users",
    "Groups",
    "Workflow",
    "Workflows",
    "Tasks",
    "Editor Guide",
    "editor guide",
    "Wagtail",
    "Account",
    "Sign out",
    "Log out",
    "Root",
    "True",
    "False",
    "None",
    "Yes",
    "No",
    "Live",
    "Draft",
    "Preview",
    "History",
    "Locked",
    "Unlocked",
    "Comments",
    "Previous",
    "Next",
    "results",
    "created",
    "updated",
    "ago",
]
WORDS = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![A-Za-z])")
RANGE = re.compile(r"\d+\s*-\s*\d+\s+of\s+\d+")  # Wagtail's "1-50 of 611"

# Visible text: the body without <option> lists (the account page's time-zone and language names are
# proper names) and without script/template content.
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('option, script, style, template, noscript, [hidden], .w-sr-only').forEach(e => e.remove());
  copy.style.position = 'absolute';
  document.body.appendChild(copy);
  const text = copy.innerText;
  copy.remove();
  return text;
}"""

# (page, word) → why the word stays: text Wagtail builds outside any translation catalogue.
ALLOWED_ENGLISH: dict[tuple[str, str], str] = {
    (
        "/admin/sites/",
        "Root",
    ): "Wagtail's sites list labels its columns from field names (Root page, Site name)",
    ("/admin/reports/site-history/", "Wagtail"): "a log entry of Wagtail's own (system) actions names it",
}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (rule id, CSS selector fragment of the node) → why it is Wagtail's markup we cannot change from our side.
ALLOWED_AXE: dict[tuple[str, str], str] = {
    (
        "aria-input-field-name",
        ".notranslate",
    ): "Draftail's contenteditable (Wagtail's rich-text editor) has no "
    "accessible name of its own; its field label sits outside it",
    (
        "list",
        ".workflow-tasks",
    ): "Wagtail's workflow list puts its task tooltips inside <ul> as non-<li> wrappers",
    ("listitem", "data-w-tooltip-content-value"): "the same Wagtail workflow list: its <li> sit in a tooltip "
    "wrapper, not directly in the <ul>",
}


@pytest.fixture
def county():
    """The demo county's organs and every demo account, a site, and an item waiting at 初审."""
    orgs = create_organisations(random.Random(7))
    home, column, library = factories.site()
    create_staff(orgs)
    from django.contrib.auth.models import User

    informant = User.objects.get(username="xinxiyuan")
    item = column.add_child(
        instance=ArticlePage(title="关于春耕备耕工作的通知", organisation=orgs["xzf"], live=False)
    )
    revision = item.save_revision(user=informant)
    item.get_workflow().start(item, informant)
    return {"column": column, "library": library, "item": item, "revision": revision}


def sidebar_links(page) -> list[str]:
    props = json.loads(page.locator("#wagtail-sidebar-props").text_content())
    return sorted(set(re.findall(r'"url": "(/admin/[^"#]*)"', json.dumps(props))))


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_every_role_walks_the_back_office_in_chinese(live_server, new_page, county):
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    workflow_pages = [
        f"/admin/pages/{county['column'].pk}/",
        f"/admin/pages/{county['item'].pk}/edit/",
        f"/admin/pages/{county['item'].pk}/history/",
        "/admin/reports/workflow/",
        "/admin/help/guide/",
    ]
    axe = Axe()
    axed: set[str] = set()
    errors, english, violations = [], {}, {}
    for username, _, _, _ in STAFF:
        page = new_page()
        login(page, base, username)
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{username}.png"), full_page=True)
        for url in ["/admin/", *sidebar_links(page), *workflow_pages]:
            response = page.goto(base + url)
            if response.status >= 500:
                errors.append((username, url, response.status))
                continue
            text = page.evaluate(VISIBLE_TEXT)
            found = sorted(
                word
                for word in set(WORDS.findall(text)) | set(RANGE.findall(text))
                if (url, word) not in ALLOWED_ENGLISH
            )
            if found:
                english[(username, url)] = found
            key = re.sub(r"\d+", "N", url)
            if key in axed or response.status != 200:
                continue
            axed.add(key)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            for v in results.response["violations"]:
                nodes = [
                    " ".join(n["target"]) if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"]
                    if not any(rule == v["id"] and frag in str(n["target"]) for rule, frag in ALLOWED_AXE)
                ]
                if nodes:
                    violations.setdefault(url, []).append((v["id"], nodes[:3]))
        page.context.close()
    assert errors == []
    assert english == {}
    assert violations == {}
