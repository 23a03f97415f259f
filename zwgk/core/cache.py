"""The cache "generations": numbers that changes of published content move on.

Every cached page and fragment is stored under a generation; publishing, unpublishing, deleting or
moving a page and the other changes the portal listens to (`zwgk.portal.cache`) call `bump`, so
everything computed before the change is ignored from the next request on. There are three:

- `generation()`: moves on every change anywhere (fragments that span sites: counts, the 全站 search);
- `site_generation(site_id)`: moves when that site's content changes (`bump(sites=[…])`, the portal
  works out which sites show the changed page) and on every global bump; a site's cached pages and
  static HTML live under it, so a department publishing does not empty the other 33 sites' caches;
- the global part of it, moved by `bump()` without sites (organisations, site records, anything
  whose reach is not known), which invalidates every site at once.

The generations must be shared by every process that serves or publishes (gunicorn workers, the task
worker doing scheduled publishing): with Redis they are keys in Redis; with a per-process local-memory
cache they are the modification times of stamp files under ZWGK_VAR_DIR (ZWGK_PAGE_CACHE_STAMP and its
`.global` / `.site-<id>` siblings), which every process on the machine sees. Domain apps use `remember`
and `CachedCountPaginator`; the portal adds the page cache and the static-HTML copy on top (its
listeners).
"""

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from wagtail.models import Site

GENERATION_KEY = "zwgk:portal:generation"
GLOBAL_KEY = "zwgk:portal:generation:global"
SITE_KEY = "zwgk:portal:generation:site:{}"

_listeners: list[Callable[[str], None]] = []
_site_listeners: list[Callable[[frozenset | None], None]] = []


def on_bump(listener: Callable[[str], None]) -> None:
    """Call `listener(new_generation)` after every bump (the replica router notes the time of a change)."""
    if listener not in _listeners:
        _listeners.append(listener)


def on_site_bump(listener: Callable[[frozenset | None], None]) -> None:
    """Call `listener(site_ids)` after every bump: the ids of the sites whose content changed, None for
    all of them (the portal withdraws those sites' static-HTML copies)."""
    if listener not in _site_listeners:
        _site_listeners.append(listener)


def backend():
    """The cache that holds pages, fragments and the generation (ZWGK_PAGE_CACHE_ALIAS)."""
    return caches[settings.ZWGK_PAGE_CACHE_ALIAS]


def _shared_cache() -> bool:
    return "locmem" not in backend().__class__.__module__


def _stamp() -> Path:
    return Path(settings.ZWGK_PAGE_CACHE_STAMP)


def _site_stamp(site_id) -> Path:
    stamp = _stamp()
    return stamp.with_name(f"{stamp.name}.site-{int(site_id)}")


def _global_stamp() -> Path:
    stamp = _stamp()
    return stamp.with_name(f"{stamp.name}.global")


def _read(key: str, stamp: Path) -> int:
    if _shared_cache():
        value = backend().get(key)
        if value is None:
            backend().add(key, _fresh(), timeout=None)
            value = backend().get(key, 0)
        return int(value)
    return _mtime(stamp)


def _mtime(stamp: Path) -> int:
    try:
        return os.stat(stamp).st_mtime_ns
    except FileNotFoundError:
        return 0


def generation() -> str:
    """The generation of all content: moves on every change of any site."""
    return str(_read(GENERATION_KEY, _stamp()))


def site_generation(site_id) -> str:
    """The generation of one site's content, `<global>.<site>`: part of its pages' cache keys.

    Both parts only grow, so two generations of a site compare as pairs of integers (`parse`)."""
    if site_id is None:
        return f"{_read(GLOBAL_KEY, _global_stamp())}.0"
    if _shared_cache():
        keys = [GLOBAL_KEY, SITE_KEY.format(int(site_id))]
        values = backend().get_many(keys)
        if len(values) < 2:
            return f"{_read(keys[0], _global_stamp())}.{_read(keys[1], _site_stamp(site_id))}"
        return f"{int(values[keys[0]])}.{int(values[keys[1]])}"
    return f"{_mtime(_global_stamp())}.{_mtime(_site_stamp(site_id))}"


def parse(site_gen: str) -> tuple[int, int]:
    """`"12.7"` → (12, 7): generations of a site in the order they were issued."""
    head, _, tail = site_gen.partition(".")
    return int(head), int(tail or 0)


def _fresh() -> int:
    """A starting value no earlier generation can have had (should the key ever be evicted)."""
    return time.time_ns()


def bump(sites=None, **kwargs) -> None:
    """Invalidate cached content: of the sites with the ids in `sites`, or of every site when it is None
    (a signal receiver, so it takes any signal arguments). Cross-site fragments are invalidated either way."""
    targets = None if sites is None else frozenset(int(s) for s in sites)
    _move(GENERATION_KEY, _stamp())
    if targets is None:
        _move(GLOBAL_KEY, _global_stamp())
    else:
        for site_id in targets:
            _move(SITE_KEY.format(site_id), _site_stamp(site_id))
    current = generation()
    for listener in _listeners:
        listener(current)
    for listener in _site_listeners:
        listener(targets)


def _move(key: str, stamp: Path) -> None:
    if _shared_cache():
        try:
            backend().incr(key)
        except ValueError:  # no key yet, or evicted
            backend().add(key, _fresh(), timeout=None)
    else:
        _bump_stamp(stamp)


def _bump_stamp(stamp: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    previous = _mtime(stamp)
    now = time.time_ns()
    stamp.touch()
    os.utime(stamp, ns=(now, now))
    if _mtime(stamp) <= previous:  # a coarse file-system clock: move it forward by hand
        later = previous + 1
        os.utime(stamp, ns=(later, later))


# `remember(..., site=SITE_RECORDS)`: a fragment made of the site records alone (which host is which
# site), kept until a change of every site (`bump()` without sites: sites, organisations).
SITE_RECORDS = "site-records"


def fragment_key(name: str, site=None) -> str:
    """The cache key of the fragment `name` under the current generation `remember(site=)` names."""
    if site is None:
        gen = generation()
    elif site == SITE_RECORDS:
        gen = f"r-{site_generation(None)}"
    else:
        gen = f"s{int(site)}-{site_generation(site)}"
    return f"zwgk:fragment:{gen}:{hashlib.sha1(name.encode()).hexdigest()}"


def remember(name: str, compute, timeout: int | None = None, *, site=None):
    """A fragment (a count, a home-page list) cached until the next change of published content: of the
    site with id `site` when given, or of the site of the page `site` (its navigation, its home page's
    lists: a publish on another site leaves them alone), of any site otherwise (counts and lists that
    span sites)."""
    if settings.ZWGK_FRAGMENT_CACHE_SECONDS <= 0:
        return compute()
    if hasattr(site, "path"):  # a page: the site it belongs to
        site = site_of_path(site.path)
    key = fragment_key(name, site)
    cache = backend()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout or settings.ZWGK_FRAGMENT_CACHE_SECONDS)
    return value


def site_of_path(path: str) -> int | None:
    """The id of the site a page belongs to, from its tree path (the site whose root page is the page
    or its nearest ancestor; None outside every site).

    The sites' root paths are a fragment of the site records (kept until a change of every site)."""

    def roots():
        found = Site.objects.values_list("root_page__path", "id")
        return sorted(((root, pk) for root, pk in found if root), key=lambda r: -len(r[0]))

    return next(
        (pk for root, pk in remember("site-roots", roots, site=SITE_RECORDS) if path.startswith(root)), None
    )


class CachedCountPaginator(Paginator):
    """Paginator whose COUNT(*) (a scan of up to 450,000 rows) is computed once per generation.

    `count_with`: a function that gives the same number without the scan (a column's items from the page
    tree's child counts), called instead of COUNT(*) when the count is not cached."""

    def __init__(self, *args, count_with: Callable[[], int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_with = count_with

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        return remember(f"count:{query}", self.count_with or (lambda: Paginator.count.func(self)))
