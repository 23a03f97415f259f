"""留言选登 at scale: the count of published messages is computed once per cache generation (publishing or
withdrawing a message moves it on), not on every request; the page reads the masked texts stored when the
message was published, never the columns the citizen typed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.interaction.helpers import clerks, county
from zwgk.interaction import services

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def world(settings):
    settings.ZWGK_PAGE_CACHE_SECONDS = 0  # every request renders: what is measured is the view
    factories.site()
    gov, mzj, other, boxes = county()
    return boxes, clerks(gov, mzj, other)


def published(box, staff, subject):
    message, _ = services.submit(
        box,
        subject=subject,
        content=f"{subject}，我是王晓红，电话13912345678。",
        name="王晓红",
        phone="13912345678",
        wants_public=True,
    )
    services.accept(message, user=staff["xxy"], on=TODAY)
    services.draft(message, user=staff["xxy"], text="王晓红您好，已办理。")
    services.approve(message, user=staff["shenhe"], on=TODAY, publish=True)
    return message


def sql(client, url) -> tuple[str, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, "\n".join(q["sql"] for q in queries.captured_queries)


def test_count_once_per_generation_and_fresh_after_publishing(
    client, world, django_capture_on_commit_callbacks
):
    boxes, staff = world
    with django_capture_on_commit_callbacks(execute=True):
        first = published(boxes["consult"], staff, "低保申请进度")
    html, queries = sql(client, "/hudong/liuyan/gongkai/")
    assert "低保申请进度" in html and "COUNT(" in queries
    html, queries = sql(client, "/hudong/liuyan/gongkai/")
    assert "低保申请进度" in html and "COUNT(" not in queries  # the count is remembered

    with django_capture_on_commit_callbacks(execute=True):
        published(boxes["complaint"], staff, "路灯不亮")
    html, queries = sql(client, "/hudong/liuyan/gongkai/")
    assert "路灯不亮" in html and "低保申请进度" in html and "COUNT(" in queries  # counted again

    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(first, user=staff["shenhe"])
    html, _ = sql(client, "/hudong/liuyan/gongkai/")
    assert "低保申请进度" not in html and "路灯不亮" in html


def test_pages_read_only_the_masked_columns(client, world):
    boxes, staff = world
    message = published(boxes["consult"], staff, "低保申请进度")
    for url in ("/hudong/liuyan/gongkai/", f"/hudong/liuyan/gongkai/{message.number}/", "/hudong/"):
        html, queries = sql(client, url)
        assert "低保申请进度" in html and "王晓红" not in html and "13912345678" not in html
        for column in ("content", "reply", "name", "phone", "email", "ip"):
            assert f'"interaction_message"."{column}"' not in queries, (url, column)
