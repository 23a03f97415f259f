import pytest
from django.db import connection

pytest_plugins = ("tests.browser.fixtures",)  # browser, new_page: one Chromium for every browser test


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)"))


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """The portal's page cache (local memory) outlives each test's database: start every test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_screening_rules():
    """Screening lexicons are cached per process; a test's rolled-back words must not leak into the next."""
    from zwgk.screening.engine import clear_rules_cache

    clear_rules_cache()
    yield
    clear_rules_cache()


@pytest.fixture(autouse=True)
def _replica_reads_only_where_declared(request):
    """With ZWGK_REPLICA_URL set (CI), only a test that declares the `replica` database reads from it:
    Django refuses queries to a database a test did not declare (zwgk/core/db_router.py)."""
    from zwgk.core import db_router

    marker = request.node.get_closest_marker("django_db")
    db_router.replica_enabled = bool(marker and "replica" in (marker.kwargs.get("databases") or ()))
    yield
    db_router.replica_enabled = True
