"""Shared steps of the browser tests."""

import re

PASSWORD = "pw-123456"  # tests.factories.staff's password


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def approve(page, base, username, page_pk, opinion):
    """`username` approves the 三审 step of page `page_pk` with a 审核意见, from the editor's action menu."""
    login(page, base, username)
    page.goto(f"{base}/admin/pages/{page_pk}/edit/")
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="批准并填写审核意见").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("textarea").fill(opinion)
    # Wait for the approval's own response: the final one screens and publishes the page, and
    # "networkidle" could come before it under load.
    with page.expect_navigation():
        dialog.get_by_role("button", name=re.compile("批准")).last.click()
    page.wait_for_load_state("networkidle")


def screenshot_dir():
    """Where browser tests write their screenshots: $ZWGK_SCREENSHOT_DIR, else var/screenshots (kept by CI)."""
    import os
    from pathlib import Path

    path = Path(
        os.environ.get("ZWGK_SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "var" / "screenshots"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def shot(name: str) -> str:
    """The path of screenshot `name` (e.g. "dashboard-xinxiyuan.png")."""
    return str(screenshot_dir() / name)
