"""Shared steps of the browser tests."""

PASSWORD = "pw-123456"  # tests.factories.staff's password


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


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
