import pytest
from django.db import connection


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
