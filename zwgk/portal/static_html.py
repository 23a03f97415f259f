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

import multiprocessing
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.db import connections
from django.test import RequestFactory, override_settings
from wagtail.models import Page

from zwgk.core.cache import parse, site_generation

from .models import PortalSettings


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


def site_pages(site, limit=None) -> dict[str, int]:
    """The URL paths (`/ywdt/…/`) of the live public pages of `site` in tree order (the first `limit`),
    each with its page id."""
    pages = site.root_page.get_descendants(inclusive=True).live().public().order_by("path")
    if limit is not None:
        pages = pages[:limit]
    site_root = site.root_page.url_path
    return {"/" + url_path[len(site_root) :]: pk for url_path, pk in pages.values_list("url_path", "id")}


@dataclass
class Rebuilt:
    """What a rebuild did: pages written, pages already current (left from an interrupted rebuild of the
    same generation), pages not published (not a 200 HTML page), and whether the site's content changed
    meanwhile (the pages rendered after that are not published: run it again)."""

    written: int = 0
    current: int = 0
    skipped: int = 0
    stale: bool = False

    @property
    def published(self) -> int:
        return self.written + self.current

    def add(self, other: "Rebuilt") -> None:
        self.written += other.written
        self.current += other.current
        self.skipped += other.skipped
        self.stale = self.stale or other.stale


class Renderer:
    """Renders portal pages as an anonymous visitor of `host` sees them, through the whole middleware
    stack (every template tag and setting resolves for that site), without a test client's bookkeeping
    and without request signals (the database connection stays open between pages)."""

    def __init__(self, host: str):
        self.handler = BaseHandler()
        self.handler.load_middleware()
        self.factory = RequestFactory(HTTP_HOST=host)

    def get(self, path: str, page=None):
        """The response for `path`; `page` is the page found at it when already known (a rebuild
        fetches its pages in bulk): Wagtail's routing, a query per level of the path, is then skipped."""
        request = self.factory.get(path)
        if page is not None:
            request._wagtail_route_for_request = page.route(request, [])  # Page.route_for_request's
        return self.handler.get_response(request)


def rebuild_site(site, *, workers=1, progress=None, limit=None) -> Rebuilt:
    """Render and publish every live public page of `site` now (a full static rebuild).

    The pages are split by tree path into `workers` processes (forked; each with its own database
    connection and fragment cache). Fragments are cached while rendering (a site's navigation, home
    lists and settings are computed once per process, not once per page) and the page cache is left
    alone. A page whose file is already on disk for the site's current generation is not rendered again,
    so an interrupted rebuild continues where it stopped. `progress(done, total)` is called as pages are
    done; `limit` stops after that many pages (a benchmark's sample of a large site).
    """
    PortalSettings.for_site(site)  # made on a site's first visit (a change of the site): made now
    gen = site_generation(site.pk)
    pages = site_pages(site, limit)
    result = Rebuilt()
    todo = []
    for path, pk in pages.items():
        dest = path_for(gen, path, host=site.hostname, site=site.pk)
        if dest is not None and dest.exists():
            result.current += 1
        else:
            todo.append((path, pk))
    total = len(pages)
    if progress:
        progress(result.current, total)
    workers = max(1, min(workers, len(todo)))
    if workers == 1:
        step = _Progress(progress, result.current, total)
        result.add(_render_pages(site.pk, site.hostname, gen, todo, step))
        return result
    result.add(_render_in_processes(site, gen, todo, workers, progress, result.current, total))
    return result


class _Progress:
    """Calls progress(done, total) every 100 pages and at the end."""

    def __init__(self, progress, done: int, total: int):
        self.progress, self.done, self.total = progress, done, total

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.progress and (self.done % 100 < n or self.done == self.total):
            self.progress(self.done, self.total)


BATCH = 100  # pages fetched at a time (a query per page type)


def _render_pages(site_id: int, host: str, gen: str, todo: list[tuple[str, int]], step) -> Rebuilt:
    """Render and write the pages `todo` ((URL path, page id) in tree order) of one site."""
    fragment_seconds = settings.ZWGK_FRAGMENT_CACHE_SECONDS or 600
    result = Rebuilt()
    with override_settings(ZWGK_PAGE_CACHE_SECONDS=0, ZWGK_FRAGMENT_CACHE_SECONDS=fragment_seconds):
        renderer = Renderer(host)
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            found = _fetch([pk for _, pk in batch])
            for path, pk in batch:
                page = found.get(pk)
                response = renderer.get(path, page)
                if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                    result.skipped += 1
                elif write(gen, path, response.content, host=host, site=site_id):
                    result.written += 1
                else:
                    result.stale = True  # the site changed since the rebuild began: stop
                    return result
                step()
    return result


def _fetch(ids: list[int]) -> dict:
    """The pages with `ids`, specific, each with its parent (an item's page shows its column's name):
    a query per page type and one for the parents, instead of Wagtail's routing and checks per page."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    parent_paths = {page.path[: -page.steplen] for page in pages.values() if page.depth > 1}
    parents = {page.path: page for page in Page.objects.filter(path__in=parent_paths).specific()}
    for page in pages.values():
        parent = parents.get(page.path[: -page.steplen])
        if parent is not None:
            page._cached_parent_obj = parent  # what treebeard's get_parent() keeps
        # Listed with .public(): no view restriction applies (Wagtail's check costs two queries).
        page.get_view_restrictions = _no_restrictions
    return pages


def _no_restrictions():
    return ()


def _chunks(paths: list, n: int) -> list[list]:
    """`paths` (in tree order) in `n` contiguous runs of nearly equal length."""
    size, extra = divmod(len(paths), n)
    runs, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        runs.append(paths[start:end])
        start = end
    return runs


def _worker(site_id, host, gen, paths, queue) -> None:
    connections.close_all()  # the parent's connection is not shared: open one of this process
    reported = [0]

    def step():
        reported[0] += 1
        if reported[0] == 20:
            queue.put(("done", reported[0]))
            reported[0] = 0

    try:
        result = _render_pages(site_id, host, gen, paths, step)
    except KeyboardInterrupt:  # Ctrl-C reaches every process of the group: the parent reports it
        return
    except Exception as e:  # reported to the parent, which raises it
        queue.put(("error", f"{type(e).__name__}: {e}"))
        raise
    finally:
        if reported[0]:
            queue.put(("done", reported[0]))
        connections.close_all()
    queue.put(("result", result))


def _render_in_processes(site, gen, paths, workers, progress, done, total) -> Rebuilt:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    connections.close_all()  # not inherited by the workers
    processes = [
        context.Process(target=_worker, args=(site.pk, site.hostname, gen, run, queue), daemon=True)
        for run in _chunks(paths, workers)
    ]
    for process in processes:
        process.start()
    step, result, finished, errors = _Progress(progress, done, total), Rebuilt(), 0, []
    try:
        while finished < len(processes):
            try:
                kind, value = queue.get(timeout=5)
            except Empty:
                if not any(p.is_alive() for p in processes):
                    break  # a worker died without a word
                continue
            if kind == "done":
                step(value)
            elif kind == "result":
                result.add(value)
                finished += 1
            else:
                errors.append(value)
                finished += 1
    finally:
        for process in processes:
            process.join(timeout=1)
            if process.is_alive():
                process.terminate()
    if errors or finished < len(processes):
        raise RuntimeError("；".join(errors) or "重建进程意外退出")
    return result
