"""`zwgk send-digest` enqueues every daily reminder the apps registered (依申请公开到期提醒, 留言满2个月未答复提醒),
without applications and interaction importing each other (tests/test_architecture.py)."""

import io

import pytest
from django.core.management import call_command

from zwgk.core import digest

pytestmark = pytest.mark.django_db


def test_send_digest_enqueues_each_registered_reminder():
    labels = [label for label, _ in digest.tasks()]
    assert "依申请公开到期提醒" in labels and "留言满2个月未答复提醒" in labels
    out = io.StringIO()
    call_command("send_digest", stdout=out)
    for label in labels:
        assert f"（{label}）" in out.getvalue()
