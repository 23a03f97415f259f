"""Reads from a real PostgreSQL streaming replica (zwgk/core/db_router.py, zwgk/portal/replica.py).

CI starts the replica with `.ci/start-replica` and sets ZWGK_REPLICA_URL; without one these tests skip.
The portal's anonymous reads and search go to the replica, writes and transactions to the primary, a
browser that has just written reads the primary (read-your-writes), and a page published on the
primary appears on the portal served from the replica once the replica has replayed it.
"""

import time

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests import factories
from tests.portal.test_cache import published
from zwgk.core import db_router
from zwgk.portal.models import PortalSettings
from zwgk.portal.replica import STICKY_COOKIE

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="no PostgreSQL replica configured (set ZWGK_REPLICA_URL; CI starts one with .ci/start-replica)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

STICKY = 0.3


@pytest.fixture(autouse=True)
def _router_settings(settings):
    settings.ZWGK_REPLICA_STICKY_SECONDS = STICKY
    settings.ZWGK_PAGE_CACHE_SECONDS = 0  # every GET renders from the database
    settings.ZWGK_FRAGMENT_CACHE_SECONDS = 0


def portal():
    """A site as production has it: its settings row exists (PortalSettings.for_site would insert one)."""
    org = factories.organisation(name="龙溪县人民政府")
    home, column, library = factories.site()
    PortalSettings.objects.create(site=Site.objects.get(is_default_site=True), site_name="龙溪县人民政府")
    return org, column


def on_primary(captured):
    """Queries of a replica-read request that went to the primary: none but the site settings' lookup,
    which Wagtail makes as get_or_create (a read meant for a write; cached per generation in production)."""
    return [q["sql"] for q in captured.captured_queries if "portal_portalsettings" not in q["sql"]]


def replayed(model, **lookup):
    """Wait (at most 15 s) until the replica has replayed the row; then past the read-your-writes window."""
    deadline = time.monotonic() + 15
    while not model.objects.using("replica").filter(**lookup).exists():
        assert time.monotonic() < deadline, "the replica did not replay the change within 15 s"
        time.sleep(0.05)
    time.sleep(STICKY + 0.1)


def test_the_replica_is_a_real_standby_of_the_primary():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False
    assert connections["replica"].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]


def test_router_reads_replica_only_for_portal_reads_outside_transactions():
    router = db_router.ReplicaRouter()
    assert router.db_for_read(Page) == "default"  # not inside a portal request
    with db_router.reading_replica():
        assert router.db_for_write(Page) == "default"
        db_router.note_write()
        assert router.db_for_read(Page) == "default"  # this process has just written
        time.sleep(STICKY + 0.05)
        assert router.db_for_read(Page) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Page) == "default"  # a transaction reads what it writes
    assert router.allow_migrate("replica", "wagtailcore") is False


def test_page_published_on_primary_is_served_from_the_replica(client):
    org, column = portal()
    page = published(column, org, "关于做好防汛工作的通知")
    replayed(Page, pk=page.pk, live=True)
    primary, replica = (
        CaptureQueriesContext(connections["default"]),
        CaptureQueriesContext(connections["replica"]),
    )
    with primary, replica:
        response = client.get(page.url)
    assert response.status_code == 200 and "关于做好防汛工作的通知" in response.content.decode()
    assert replica.captured_queries and not on_primary(primary)
    with primary, replica:
        listing = client.get(column.url).content.decode()
    assert page.title in listing and replica.captured_queries and not on_primary(primary)

    # A later publication on the primary shows on the replica-served portal once replayed.
    second = published(column, org, "关于开展安全生产检查的通知")
    replayed(Page, pk=second.pk, live=True)
    with primary, replica:
        assert second.title in client.get(column.url).content.decode()
    assert not on_primary(primary)


def test_search_runs_on_the_replica(client):
    from zwgk.search.indexing import index_page
    from zwgk.search.models import SearchEntry

    org, column = portal()
    page = published(column, org, "关于做好防汛工作的通知")
    index_page(page.specific)
    replayed(SearchEntry, page_id=page.pk)
    primary, replica = (
        CaptureQueriesContext(connections["default"]),
        CaptureQueriesContext(connections["replica"]),
    )
    with primary, replica:
        response = client.get("/search/?q=防汛工作")
    assert page.title in response.content.decode()
    assert replica.captured_queries and not on_primary(primary)


def test_staff_and_a_browser_that_just_wrote_read_the_primary(client):
    org, column = portal()
    page = published(column, org, "关于做好防汛工作的通知")
    replayed(Page, pk=page.pk, live=True)
    # Any write request (here a search form posted by mistake) sets the read-your-writes cookie.
    response = client.post("/search/", {"q": "x"})
    assert response.cookies[STICKY_COOKIE]["max-age"] >= 1
    time.sleep(STICKY + 0.1)
    primary, replica = (
        CaptureQueriesContext(connections["default"]),
        CaptureQueriesContext(connections["replica"]),
    )
    with primary, replica:
        assert client.get(page.url).status_code == 200
    assert primary.captured_queries and not replica.captured_queries
    # The back office always reads the primary.
    client.cookies.pop(STICKY_COOKIE)
    client.force_login(factories.staff("xinxiyuan", org, "信息员"))
    with primary, replica:
        assert client.get("/admin/").status_code == 200
    assert primary.captured_queries and not replica.captured_queries
