"""Static-HTML publishing: the web server serves anonymous portal pages itself, kept fresh.

Government site-group CMSs reach web-server speed by publishing static HTML. Here the page cache
(cache.py) also writes each anonymous HTML page it renders (no query string) to
`ZWGK_STATIC_HTML_DIR/gen-<generation>/<path>/index.html`, and `ZWGK_STATIC_HTML_DIR/current` is a
symbolic link to the directory of the current generation. nginx serves `current$uri/index.html`
(or `index.q-$args.html` for a plain query string such as a library filter) when it exists and passes
everything else to Django (docs/nginx-static.conf):

- a bump of the generation (publish, unpublish, delete, move, 有效性 change) points `current` at a
  new, empty directory in one atomic rename and removes the old ones: a withdrawn page is gone from
  the web server at once, and lists are re-rendered on their next visit;
- a page rendered under an older generation is never written where nginx looks, because it is
  written only while `current` still names the generation it was rendered under.

Off unless ZWGK_STATIC_HTML_DIR is set. Every site (集约化: many sites on one installation) has its own
directory under the generation, named by its host: `gen-<generation>/<host>/<path>/index.html`, and
nginx serves `current/$host$uri/index.html`.
"""

import os
import re
import shutil
from pathlib import Path

from django.conf import settings

from zwgk.core.cache import generation


def root() -> Path | None:
    value = settings.ZWGK_STATIC_HTML_DIR
    return Path(value) if value else None


def _name(gen: str) -> str:
    return f"gen-{gen}"


def switch(gen: str) -> None:
    """Point `current` at the (new, empty) directory of generation `gen`; remove older ones."""
    base = root()
    if base is None:
        return
    active = current()
    if active and int(active.removeprefix("gen-")) > int(gen):
        return  # another process already switched to a later generation: never go back
    new = base / _name(gen)
    new.mkdir(parents=True, exist_ok=True)
    link = base / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(new.name, link)
    os.replace(link, base / "current")
    for old in base.glob("gen-*"):
        if int(old.name.removeprefix("gen-")) < int(gen):
            shutil.rmtree(old, ignore_errors=True)


def current() -> str | None:
    base = root()
    try:
        return os.readlink(base / "current") if base else None
    except FileNotFoundError:
        return None


# Query strings published too (filters and page numbers: ?kind=normative&page=2): only these
# characters, so the raw query string is a safe file name; nginx applies the same pattern.
QUERY_RE = re.compile(r"[a-z0-9=&_-]+")
# A host as nginx's $host gives it (lower case, no port): the site's directory name.
HOST_RE = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")


def site_dir(host: str) -> str | None:
    """The directory of the site at `host` ("fgj.longxi.gov.cn:8000" → "fgj.longxi.gov.cn"), None if unsafe."""
    name = (host or "").lower().rsplit(":", 1)[0] if not (host or "").startswith("[") else ""
    return name if HOST_RE.fullmatch(name) and ".." not in name else None


def path_for(gen: str, url_path: str, query: str = "", host: str = "") -> Path | None:
    """Where the page at `url_path`?`query` of generation `gen` is published (None if it cannot be).

    `/ywdt/` → gen-N/ywdt/index.html; `/zcwjk/?kind=normative` → gen-N/zcwjk/index.q-kind=normative.html;
    with `host`, under the site's directory: gen-N/fgj.longxi.gov.cn/ywdt/index.html
    """
    base = root()
    if base is None or not url_path.startswith("/") or not url_path.endswith("/"):
        return None
    if query and not QUERY_RE.fullmatch(query):
        return None
    parts = [p for p in url_path.split("/") if p]
    if any(p in (".", "..") or "\\" in p or p.startswith(".") for p in parts):
        return None
    if host:
        directory = site_dir(host)
        if directory is None:
            return None
        parts.insert(0, directory)
    return base.joinpath(_name(gen), *parts, f"index.q-{query}.html" if query else "index.html")


def write(gen: str, url_path: str, content: bytes, query: str = "", host: str = "") -> Path | None:
    """Publish a rendered page if `gen` is still the current generation."""
    dest = path_for(gen, url_path, query, host)
    if dest is None:
        return None
    if current() is None:
        switch(gen)
    if current() != _name(gen):
        return None  # rendered before a change: never publish it
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".index.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, dest)
    return dest


def rebuild_site(site, *, progress=None) -> int:
    """Render and publish every live public page of `site` now (a full static rebuild); returns the count.

    Pages are rendered as an anonymous visitor sees them, through the whole middleware stack (a test
    client bound to the site's host, so every template tag and setting resolves for that site).
    """
    from django.test import Client

    gen = _current_generation()
    client = Client(HTTP_HOST=site.hostname)
    pages = site.root_page.get_descendants(inclusive=True).live().public().order_by("path")
    total, written = pages.count(), 0
    site_root = site.root_page.url_path
    for n, url_path in enumerate(pages.values_list("url_path", flat=True).iterator(), 1):
        path = "/" + url_path[len(site_root) :]
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if write(gen, path, response.content, host=site.hostname):
                written += 1
        if progress and (n % 500 == 0 or n == total):
            progress(n, total)
    return written


def _current_generation() -> str:
    return generation()
