"""帮助: the clerk's guide (docs/clerk.md) rendered inside the back office.

The guide is our own file, but it is rendered as if it were not: Markdown's raw-HTML handling is switched
off, so any tag written in it shows as text, and an image with a relative path (a file beside the guide,
not served by the back office) becomes its description in brackets.
"""

from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import markdown
from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString, mark_safe

GUIDE = "clerk.md"


class _NoRawHtml(markdown.Extension):
    """Raw HTML in the source is escaped like any other text; relative images become their alt text."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_RelativeImages(md), "zwgk_relative_images", 0)


class _RelativeImages(markdown.treeprocessors.Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img" and not child.get("src", "").startswith(("http://", "https://", "/")):
                    span = ElementTree.Element("span")
                    span.text = f"［图：{child.get('alt') or child.get('src', '')}］"
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)


def render_markdown(text: str) -> SafeString:
    """HTML of a Markdown text whose every character of the source is escaped (no raw HTML passes)."""
    html = markdown.markdown(
        text, extensions=["tables", "sane_lists", "toc", _NoRawHtml()], output_format="html"
    )
    # Reviewed: Markdown escapes all text ("<", "&" and quotes in attributes) and, with raw HTML switched
    # off above, emits only the tags it builds itself; link targets are the guide's own.
    return mark_safe(html)


@lru_cache(maxsize=4)
def _rendered(path: Path, mtime: float) -> SafeString:
    return render_markdown(path.read_text(encoding="utf-8"))


def guide_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / GUIDE


def clerk_guide(request):
    """帮助 → 工作人员手册: docs/clerk.md, for every member of staff who can enter the back office."""
    path = guide_path()
    if path.exists():
        body = _rendered(path, path.stat().st_mtime)
    else:
        body = None
    return TemplateResponse(request, "core/admin/guide.html", {"title": "工作人员手册", "body": body})
