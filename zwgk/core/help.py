"""帮助: the clerk's guide (docs/clerk.md) rendered inside the back office.

The guide is our own file, but it is rendered as if it were not: Markdown's raw-HTML handling is switched
off, so any tag written in it shows as text. Its pictures are the browser tests' screenshots kept in
docs/screenshots/ (scripts/docs_screenshots.py): an image `screenshots/NAME.png` is served to staff by
`guide_image`; any other relative image becomes its description in brackets.
"""

import re
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import markdown
from django.conf import settings
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

GUIDE = "clerk.md"
SCREENSHOT = re.compile(r"screenshots/([a-z0-9-]+\.png)")


class _NoRawHtml(markdown.Extension):
    """Raw HTML in the source is escaped like any other text; relative images other than the guide's
    screenshots become their alt text."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_RelativeImages(md), "zwgk_relative_images", 0)


class _RelativeImages(markdown.treeprocessors.Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                shot = SCREENSHOT.fullmatch(child.get("src", ""))
                if shot:
                    child.set("src", reverse("zwgk_clerk_guide_image", args=[shot.group(1)]))
                    child.set("loading", "lazy")
                elif not child.get("src", "").startswith(("http://", "https://", "/")):
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


def guide_image(request, name):
    """A screenshot the guide shows (docs/screenshots/NAME.png); only names of that form, only that folder."""
    if not SCREENSHOT.fullmatch(f"screenshots/{name}"):
        raise Http404
    path = guide_path().parent / "screenshots" / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
