"""Which portal requests read from the PostgreSQL replica (zwgk.core.db_router has the router).

An anonymous GET of the portal (what the page cache serves alike to every visitor) reads from the
replica, unless the visitor's browser has just written (the read-your-writes cookie) or published
content changed within ZWGK_REPLICA_STICKY_SECONDS (the replica may not have replayed the change yet,
and the page rendered now would be cached for everybody).
"""

import time

from zwgk.core import cache as core_cache
from zwgk.core import db_router

from . import cache

STICKY_COOKIE = "zwgk_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CHANGED_KEY = "zwgk:portal:changed-at"


def _shared() -> bool:
    return "locmem" not in core_cache.backend().__class__.__module__


def _note_change(generation: str) -> None:
    """on_bump listener: when published content changed (shared caches; the stamp file's time otherwise)."""
    if _shared():
        core_cache.backend().set(CHANGED_KEY, time.time_ns(), timeout=None)


def connect() -> None:
    """Called from the portal app's ready(): every process that publishes records the time of the change."""
    core_cache.on_bump(_note_change)


def changed_within(seconds: float) -> bool:
    """Did published content change in the last `seconds`? Without a shared cache the generation is the
    stamp file's modification time in nanoseconds (zwgk.core.cache)."""
    if seconds <= 0:
        return False
    changed = (core_cache.backend().get(CHANGED_KEY) or 0) if _shared() else int(core_cache.generation())
    return time.time_ns() - changed < seconds * 1e9


def may_read_replica(request) -> bool:
    if STICKY_COOKIE in request.COOKIES or not cache.public_request(request):
        return False
    return not changed_within(db_router.sticky_seconds())


class ReplicaMiddleware:
    """Marks anonymous portal GETs as replica readers; gives a writer the read-your-writes cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not db_router.configured():
            return self.get_response(request)
        if may_read_replica(request):
            with db_router.reading_replica():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            db_router.note_write()
            seconds = max(1, int(db_router.sticky_seconds()))
            response.set_cookie(STICKY_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax")
        return response
