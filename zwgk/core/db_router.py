"""Reads of the public portal and of search from a PostgreSQL streaming replica (`ZWGK_REPLICA_URL`).

A province's installation serves far more page views than edits: the portal's anonymous GETs (what
the page cache would serve alike to every visitor) and the search run on the replica, every other
query on the primary:

- `zwgk.portal.replica.ReplicaMiddleware` marks an anonymous portal GET/HEAD (`zwgk.portal.cache.public_request`: not the
  back office, not /ysqgk/, no logged-in session) as a replica reader for the request's duration;
- `ReplicaRouter` sends that request's reads to the replica, except while a transaction is open on
  the primary (whatever runs in a transaction reads what it writes) and all writes to the primary;
- read-your-writes: a request that may have written (any POST, PUT, PATCH or DELETE) gets a cookie
  for `ZWGK_REPLICA_STICKY_SECONDS`, and its browser reads from the primary until it expires; a process
  that has just written reads from the primary for as long, and so does everybody right after a
  change of published content (the page cache's generation moved: the next rendering of a page must not
  come from a replica that has not replayed the change yet, or it would be cached stale).

Without `ZWGK_REPLICA_URL` there is no `replica` database and everything reads the primary.
`read_connection` is `django.db.connection` for code that runs raw SQL on the read path (search).
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

_reading_replica: ContextVar[bool] = ContextVar("zwgk_reading_replica", default=False)
_last_write = 0.0  # time.monotonic() of this process's last write
replica_enabled = True  # tests/conftest.py: only tests that declare the replica database may use it


def configured() -> bool:
    return REPLICA in settings.DATABASES and replica_enabled


def sticky_seconds() -> float:
    return settings.ZWGK_REPLICA_STICKY_SECONDS


def read_alias() -> str:
    """Where a read goes now: the replica inside a replica-reading request, unless the primary is needed."""
    if not (_reading_replica.get() and configured()):
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY  # everything inside a transaction stays on the primary
    if time.monotonic() - _last_write < sticky_seconds():
        return PRIMARY  # this process has just written
    return REPLICA


class ReplicaRouter:
    """DATABASE_ROUTERS entry (set when ZWGK_REPLICA_URL is)."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return PRIMARY  # (also asked for reads meant to be followed by a write: get_or_create, select_for_update)

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica replays the primary's WAL, schema included


def note_write() -> None:
    """This process has just handled a write: it reads the primary for ZWGK_REPLICA_STICKY_SECONDS."""
    global _last_write
    _last_write = time.monotonic()


@contextmanager
def reading_replica():
    """Reads inside the block go to the replica (when one is configured and the router allows)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class _ReadConnection:
    """`django.db.connection` for read-only raw SQL: the connection `read_alias()` names at each use."""

    def __getattr__(self, name):
        return getattr(connections[read_alias()], name)

    def __setattr__(self, name, value):
        setattr(connections[read_alias()], name, value)


read_connection = _ReadConnection()
