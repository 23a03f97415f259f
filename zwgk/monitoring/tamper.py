"""Tampering and injected spam (暗链/挂马): what a site serves against what zwgk rendered for it.

Both pages are reduced to their links and their visible text segments (attributes such as CSRF tokens
and CSP nonces differ from one rendering to the next and are not compared). Links or text the site
serves that zwgk's own rendering does not contain were added behind zwgk's back (19号 单项否决:
页面被挂马、内容被篡改).
"""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html

from zwgk.screening.engine import scan_html, scan_text
from zwgk.screening.spam import LABEL

LINK_ATTRIBUTES = (("a", "href"), ("iframe", "src"), ("script", "src"), ("frame", "src"), ("img", "src"))
NO_TEXT = ("script", "style", "noscript", "template")


@dataclass
class Digest:
    links: set[str] = field(default_factory=set)
    segments: set[str] = field(default_factory=set)

    @property
    def sha256(self) -> str:
        canonical = "\n".join(sorted(self.links)) + "\n\n" + "\n".join(sorted(self.segments))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest(html: str, base: str) -> Digest:
    """The links (absolute, fragment dropped) and visible text segments of an HTML page."""
    result = Digest()
    if not html or not html.strip():
        return result
    tree = lxml.html.fromstring(html)
    for tag, attribute in LINK_ATTRIBUTES:
        for element in tree.iter(tag):
            value = (element.get(attribute) or "").strip()
            if value and not value.startswith(("#", "javascript:", "data:")):
                result.links.add(urljoin(base, value).split("#", 1)[0])
    for element in list(tree.iter(*NO_TEXT)):
        if element.getparent() is not None:
            element.drop_tree()
    for text in tree.itertext():
        segment = " ".join(text.split())
        if len(segment) >= 2:
            result.segments.add(segment)
    return result


@dataclass
class Comparison:
    injected_links: list[str]
    injected_text: list[str]
    matched_words: list[str]
    served_sha256: str
    published_sha256: str

    @property
    def tampered(self) -> bool:
        return bool(self.injected_links or self.injected_text)


def compare(served_html: str, published_html: str, base: str) -> Comparison:
    """What `served_html` adds to `published_html`: links and text, with the sensitive words in the text
    (spam runs among them) and the hidden or spam links of its markup."""
    served, published = digest(served_html, base), digest(published_html, base)
    links = sorted(served.links - published.links)
    text = sorted(served.segments - published.segments)
    words = sorted({f.text for f in scan_text("\n".join(text)) if f.kind in ("sensitive_word", "spam")})
    # Hidden or spam links in the served markup that the published page does not have (screening's
    # 疑似暗链/被植入内容 detector, the one the publish guard runs on bodies).
    published_spam = {f.text for f in scan_html(published_html)}
    words += [f"{LABEL}：{f.text}" for f in scan_html(served_html) if f.text not in published_spam]
    return Comparison(links, text, words, served.sha256, published.sha256)
