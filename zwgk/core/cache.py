"""The cache "generation": one number that every change of published content moves on.

Every cached page and fragment is stored under the current generation; publishing, unpublishing,
deleting or moving a page and the other changes the portal listens to (`zwgk.portal.cache`) call
`bump`, so everything computed before the change is ignored from the next request on.

The generation must be shared by every process that serves or publishes (gunicorn workers, the task
worker doing scheduled publishing): with Redis it is a key in Redis; with a per-process local-memory
cache it is the modification time of a stamp file under ZWGK_VAR_DIR, which every process on the
machine sees. Domain apps use `remember` and `CachedCountPaginator`; the portal adds the page cache
and the static-HTML copy on top (its `on_bump` listener).
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

GENERATION_KEY = "zwgk:portal:generation"

_listeners: list[Callable[[str], None]] = []


def on_bump(listener: Callable[[str], None]) -> None:
    """Call `listener(new_generation)` after every bump (the portal switches its static-HTML copy)."""
    if listener not in _listeners:
        _listeners.append(listener)


def backend():
    """The cache that holds pages, fragments and the generation (ZWGK_PAGE_CACHE_ALIAS)."""
    return caches[settings.ZWGK_PAGE_CACHE_ALIAS]


def _shared_cache() -> bool:
    return "locmem" not in backend().__class__.__module__


def _stamp() -> Path:
    return Path(settings.ZWGK_PAGE_CACHE_STAMP)


def generation() -> str:
    """The current generation: part of every page's cache key."""
    if _shared_cache():
        value = backend().get(GENERATION_KEY)
        if value is None:
            backend().add(GENERATION_KEY, _fresh(), timeout=None)
            value = backend().get(GENERATION_KEY, 0)
        return str(value)
    try:
        return str(os.stat(_stamp()).st_mtime_ns)
    except FileNotFoundError:
        return "0"


def _fresh() -> int:
    """A starting value no earlier generation can have had (should the key ever be evicted)."""
    return time.time_ns()


def bump(**kwargs) -> None:
    """Invalidate every cached page (a signal receiver, so it takes any signal arguments)."""
    if _shared_cache():
        try:
            backend().incr(GENERATION_KEY)
        except ValueError:  # no key yet, or evicted
            backend().add(GENERATION_KEY, _fresh(), timeout=None)
    else:
        _bump_stamp()
    current = generation()
    for listener in _listeners:
        listener(current)


def _bump_stamp() -> None:
    stamp = _stamp()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    previous = generation()
    now = time.time_ns()
    stamp.touch()
    os.utime(stamp, ns=(now, now))
    if generation() == previous:  # a coarse file-system clock: move it forward by hand
        later = int(previous) + 1
        os.utime(stamp, ns=(later, later))


def remember(name: str, compute, timeout: int | None = None):
    """A fragment (a count, a home-page list) cached until the next change of published content."""
    if settings.ZWGK_FRAGMENT_CACHE_SECONDS <= 0:
        return compute()
    key = f"zwgk:fragment:{generation()}:{hashlib.sha1(name.encode()).hexdigest()}"
    cache = backend()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout or settings.ZWGK_FRAGMENT_CACHE_SECONDS)
    return value


class CachedCountPaginator(Paginator):
    """Paginator whose COUNT(*) (a scan of up to 450,000 rows) is computed once per generation."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        return remember(f"count:{query}", lambda: Paginator.count.func(self))
