"""No text reaches a page unescaped except where a person reviewed it: every `|safe`, `mark_safe(`,
`{% autoescape off %}` and `SafeString(` under zwgk/ must be listed in REVIEWED with its reason."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "zwgk"
SUFFIXES = {".py", ".html", ".txt", ".xml", ".js"}
PATTERN = re.compile(r"\|\s*safe(?:seq)?\b|\bmark_safe\(|\{%\s*autoescape\s+off|\bSafeString\(")

# (path relative to zwgk/, the exact occurrence) → why it cannot carry user-controlled markup.
# Add an entry only after checking that every value reaching it is escaped or fixed text.
REVIEWED: dict[tuple[str, str], str] = {
    (
        "core/help.py",
        "mark_safe(",
    ): "the clerk's guide (docs/clerk.md, our own file) rendered by Markdown with "
    "raw HTML switched off: every character of the source is escaped, only Markdown's own tags are emitted",
}


def occurrences():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in SUFFIXES or "migrations" in path.parts or "static" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in PATTERN.finditer(line):
                yield str(path.relative_to(ROOT)), number, match.group(), line.strip()


def test_no_unreviewed_unsafe_markup():
    unreviewed = [
        f"zwgk/{path}:{number}: {line}"
        for path, number, found, line in occurrences()
        if (path, found) not in REVIEWED
    ]
    assert not unreviewed, "unescaped output not in REVIEWED:\n" + "\n".join(unreviewed)


def test_reviewed_exceptions_still_exist():
    """A reviewed exception that is gone from the code is removed from the list too."""
    found = {(path, match) for path, _, match, _ in occurrences()}
    assert set(REVIEWED) <= found


def test_the_scan_finds_what_it_looks_for(tmp_path):
    samples = [
        "{{ chart_data|safe }}",
        "{{ x | safe }}",
        "{{ items|safeseq }}",
        "return mark_safe(html)",
        "{% autoescape off %}",
        "SafeString(text)",
    ]
    assert all(PATTERN.search(s) for s in samples)
    assert not PATTERN.search("{{ value|safe_title }}") and not PATTERN.search("format_html('{}', x)")


def test_format_html_is_given_a_literal_format_string():
    """format_html escapes its arguments, not its format string: an f-string or `%`/`.format()` built
    from data there would pass that data through as markup."""
    import ast

    misuse = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"format_html": 0, "format_html_join": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            if not isinstance(node.args[position], ast.Constant):
                misuse.append(f"zwgk/{path.relative_to(ROOT)}:{node.lineno}")
    assert not misuse, "format_html with a computed format string:\n" + "\n".join(misuse)
