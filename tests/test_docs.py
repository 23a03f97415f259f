"""The documents stay a guide: every setting documented, README short and inside the repository, no run logs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTING = re.compile(r"ZWGK_[A-Z_]+")
RUN_LOG = re.compile(r"\bstop[ -]?[0-9]+", re.IGNORECASE)


def _files(*roots, suffixes=(".py", ".md", ".conf", ".toml", ".c", ".html")):
    for root in roots:
        path = ROOT / root
        if path.is_file():
            yield path
            continue
        for file in path.rglob("*"):
            if file.suffix in suffixes and "__pycache__" not in file.parts:
                yield file


def test_every_zwgk_setting_is_in_the_operators_guide():
    used = set()
    for file in [*_files("zwgk", suffixes=(".py",)), ROOT / "Makefile"]:
        used |= set(SETTING.findall(file.read_text(encoding="utf-8")))
    guide = (ROOT / "docs" / "operator.md").read_text(encoding="utf-8")
    assert used, "no ZWGK_* setting found: the scan is broken"
    assert sorted(name for name in used if name not in guide) == []


def test_readme_is_a_short_guide_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "../" not in readme
    for target in re.findall(r"\]\(([^)#]+)", readme):
        if not target.startswith(("http://", "https://")):
            assert (ROOT / target).exists(), target
    assert "MulanPSL-2.0" in readme and (ROOT / "LICENSE").exists()


def test_no_run_log_references_in_code_or_docs():
    hits = [
        f"{file.relative_to(ROOT)}:{number}"
        for file in _files("zwgk", "bench", "tests", "docs", "scripts", "README.md")
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
        if RUN_LOG.search(line) and file.name != "test_docs.py"
    ]
    assert hits == []


def test_the_clerks_guide_shows_the_screenshots_the_browser_tests_take():
    """docs/clerk.md shows each picture of scripts/docs_screenshots.py (made by `make screenshots`), and
    each is kept in docs/screenshots/; every such picture comes from a browser test's screenshot."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "docs_screenshots", ROOT / "scripts" / "docs_screenshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    guide = (ROOT / "docs" / "clerk.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\(screenshots/([^)]+)\)", guide)
    assert sorted(shown) == sorted(module.SHOTS)
    for name in shown:
        assert (ROOT / "docs" / "screenshots" / name).is_file(), name
    tests = "".join(
        file.read_text(encoding="utf-8") for file in (ROOT / "tests" / "browser").glob("test_*.py")
    )
    for written in module.SHOTS.values():
        prefix = written.split("-")[0] + "-"
        assert written in tests or prefix in tests, written
