"""Static-HTML publishing: the web server serves anonymous portal pages itself, kept fresh.

Government site-group CMSs reach web-server speed by publishing static HTML. Here the page cache
(cache.py) also writes each anonymous HTML page it renders to the directory of its site's current
generation (`zwgk.core.cache.site_generation`), and `ZWGK_STATIC_HTML_DIR/current/<host>` is a symbolic
link to it: `current/<host>` → `../sites/<host>/<site id>-<generation>/`, holding `<path>/index.html` (or
`index.q-<query>.html` for a plain query string such as a library filter). nginx serves
`current/$host$uri/index.html` when it exists and passes everything else to Django
(docs/nginx-static.conf):

- a change of a site's content (publish, unpublish, 有效性 change on it or on a site that shows it)
  removes that site's `current/<host>` link in one atomic unlink and then its old directory: a withdrawn
  page is gone from the web server at once, and pages are re-rendered on their next visit. The other
  sites keep their static copies (集约化: a department publishing leaves the 33 other sites alone);
- a page rendered under an older generation of its site is never written where nginx looks: it is
  written only while its generation is still the site's current one, and a link is never moved back to
  an older generation.

Off unless ZWGK_STATIC_HTML_DIR is set.
"""

import os
import re
import shutil
from pathlib import Path

from django.conf import settings

from zwgk.core.cache import parse, site_generation


def root() -> Path | None:
    value = settings.ZWGK_STATIC_HTML_DIR
    return Path(value) if value else None


def _name(site_id, gen: str) -> str:
    return f"{int(site_id)}-{gen}"


def _split(name: str) -> tuple[int, tuple[int, int]] | None:
    """`"3-170.12"` → (3, (170, 12)); None for anything else."""
    head, _, gen = Path(name).name.partition("-")
    try:
        return int(head), parse(gen)
    except ValueError:
        return None


def switch(sites) -> None:
    """on_site_bump listener: withdraw the static copies of the sites with ids in `sites` (all if None)."""
    base = root()
    if base is None or not (base / "current").is_dir():
        return
    for link in (base / "current").iterdir():
        try:
            found = _split(os.readlink(link))
        except OSError:
            continue
        if found is None or (sites is not None and found[0] not in sites):
            continue
        try:
            link.unlink()  # nginx passes the host's pages to Django from now on
        except FileNotFoundError:
            pass
        _remove_older(base / "sites" / link.name, found[0], parse(site_generation(found[0])))


def _remove_older(directory: Path, site_id: int, gen: tuple[int, int]) -> None:
    if not directory.is_dir():
        return
    for old in directory.iterdir():
        found = _split(old.name)
        if found is not None and (found[0] != site_id or found[1] < gen):
            shutil.rmtree(old, ignore_errors=True)


def current(host: str) -> str | None:
    """The generation directory the web server serves for `host` (`<site id>-<generation>`), or None."""
    base, directory = root(), site_dir(host)
    if base is None or directory is None:
        return None
    try:
        return Path(os.readlink(base / "current" / directory)).name
    except (FileNotFoundError, OSError):
        return None


def _point(base: Path, directory: str, name: str) -> bool:
    """Point `current/<directory>` at `sites/<directory>/<name>` unless it names a later generation."""
    wanted = _split(name)
    active = current(directory)
    if active == name:
        return True
    found = _split(active) if active else None
    if found is not None and found[0] == wanted[0] and found[1] > wanted[1]:
        return False  # another process already moved on: never go back
    (base / "sites" / directory / name).mkdir(parents=True, exist_ok=True)
    (base / "current").mkdir(parents=True, exist_ok=True)
    link = base / "current" / f".{directory}.{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(f"../sites/{directory}/{name}", link)
    os.replace(link, base / "current" / directory)
    _remove_older(base / "sites" / directory, wanted[0], wanted[1])
    return True


# Query strings published too (filters and page numbers: ?kind=normative&page=2): only these
# characters, so the raw query string is a safe file name; nginx applies the same pattern.
QUERY_RE = re.compile(r"[a-z0-9=&_-]+")
# A host as nginx's $host gives it (lower case, no port): the site's directory name.
HOST_RE = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")


def site_dir(host: str) -> str | None:
    """The directory of the site at `host` ("fgj.longxi.gov.cn:8000" → "fgj.longxi.gov.cn"), None if unsafe."""
    name = (host or "").lower().rsplit(":", 1)[0] if not (host or "").startswith("[") else ""
    return name if HOST_RE.fullmatch(name) and ".." not in name else None


def _parts(url_path: str, query: str) -> list[str] | None:
    if not url_path.startswith("/") or not url_path.endswith("/"):
        return None
    if query and not QUERY_RE.fullmatch(query):
        return None
    parts = [p for p in url_path.split("/") if p]
    if any(p in (".", "..") or "\\" in p or p.startswith(".") for p in parts):
        return None
    return [*parts, f"index.q-{query}.html" if query else "index.html"]


def path_for(gen: str, url_path: str, query: str = "", host: str = "", site=None) -> Path | None:
    """Where the page at `url_path`?`query` of the site `site` at `host`, rendered under the site's
    generation `gen`, is written (None if it cannot be).

    `/ywdt/` → sites/<host>/<site>-<gen>/ywdt/index.html; `/zcwjk/?kind=normative` →
    sites/<host>/<site>-<gen>/zcwjk/index.q-kind=normative.html
    """
    base, parts, directory = root(), _parts(url_path, query), site_dir(host)
    if base is None or parts is None or directory is None or site is None:
        return None
    return base.joinpath("sites", directory, _name(site, gen), *parts)


def served_path(host: str, url_path: str, query: str = "") -> Path | None:
    """The file nginx serves for `host` + `url_path`?`query` (current/$host$uri/index.html)."""
    base, parts, directory = root(), _parts(url_path, query), site_dir(host)
    if base is None or parts is None or directory is None:
        return None
    return base.joinpath("current", directory, *parts)


def write(gen: str, url_path: str, content: bytes, query: str = "", host: str = "", site=None) -> Path | None:
    """Publish a page of site `site` rendered under its generation `gen`, if that is still its current one."""
    dest = path_for(gen, url_path, query, host, site)
    if dest is None or gen != site_generation(site):
        return None  # rendered before a change: never publish it
    if not _point(root(), site_dir(host), _name(site, gen)):
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".index.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, dest)
    return dest


def rebuild_site(site, *, progress=None, limit=None) -> int:
    """Render and publish every live public page of `site` now (a full static rebuild); returns the count.
    `limit` stops after that many pages (a benchmark's sample of a large site).

    Pages are rendered as an anonymous visitor sees them, through the whole middleware stack (a test
    client bound to the site's host, so every template tag and setting resolves for that site).
    """
    from django.test import Client

    gen = site_generation(site.pk)
    client = Client(HTTP_HOST=site.hostname)
    pages = site.root_page.get_descendants(inclusive=True).live().public().order_by("path")
    if limit is not None:
        pages = pages[:limit]
    total, written = pages.count(), 0
    site_root = site.root_page.url_path
    for n, url_path in enumerate(pages.values_list("url_path", flat=True).iterator(), 1):
        path = "/" + url_path[len(site_root) :]
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if write(gen, path, response.content, host=site.hostname, site=site.pk):
                written += 1
        if progress and (n % 500 == 0 or n == total):
            progress(n, total)
    return written
