"""互动交流审核: the role that reviews replies to 留言 (审核, 延期, 公开). The demo's `hudong` logs in with its
password and approves; a 信息员 and a 依申请公开审核 without it cannot; the clerk's guide shows the same table
as zwgk/interaction/permissions.py."""

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories
from zwgk.core import roles
from zwgk.demo.people import DEMO_PASSWORD, create_organisations, create_staff
from zwgk.interaction import services
from zwgk.interaction.models import Box, Message
from zwgk.interaction.permissions import TABLE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROOT = Path(__file__).resolve().parents[2]


def in_review(box) -> Message:
    message, _ = services.submit(
        box,
        subject="低保咨询",
        content="请问低保怎么申请？",
        name="王晓红",
        phone="13912345678",
        wants_public=True,
    )
    services.accept(message, user=None, on=TODAY)
    services.draft(message, user=None, text="请携带户口簿到乡镇民政所申请。")
    return message


def approve(client, message):
    return client.post(
        f"/admin/interaction/{message.pk}/action/approve/",
        {"on": TODAY.isoformat(), "text": "请携带户口簿到乡镇民政所申请。", "publish": "on"},
    )


def test_demo_reviewer_logs_in_and_approves_a_clerk_cannot(client):
    factories.site()
    orgs = create_organisations(random.Random(3))
    created = {username: role for username, role, _ in create_staff(orgs)}
    assert created["hudong"] == roles.MESSAGE_REVIEW
    box = Box.objects.create(organisation=orgs["xzf"], kind="consult", name="咨询")
    message = in_review(box)

    # 信息员 (xinxiyuan) drafts but cannot approve: the action is neither offered nor accepted.
    assert client.login(username="xinxiyuan", password=DEMO_PASSWORD)
    page = client.get(f"/admin/interaction/{message.pk}/").content.decode()
    assert "低保咨询" in page and "审核通过并答复" not in page
    approve(client, message)
    message.refresh_from_db()
    assert message.status == "review" and not message.published

    # 依申请公开审核 (shenhe) reviews applications, not messages: not even the message is shown.
    client.logout()
    assert client.login(username="shenhe", password=DEMO_PASSWORD)
    assert "低保咨询" not in client.get(f"/admin/interaction/{message.pk}/").content.decode()
    approve(client, message)
    message.refresh_from_db()
    assert message.status == "review"

    # 互动交流审核 (hudong) approves and publishes; the audit names the reviewer.
    client.logout()
    assert client.login(username="hudong", password=DEMO_PASSWORD)
    page = client.get(f"/admin/interaction/{message.pk}/").content.decode()
    assert "审核通过并答复" in page
    assert approve(client, message).status_code == 302
    message.refresh_from_db()
    assert message.status == "answered" and message.published
    assert message.replied_by.username == "hudong"
    assert "王晓红" not in message.public_content + message.public_reply


def test_reviewer_extends_a_clerk_is_refused(client):
    factories.site()
    county = factories.organisation(name="龙溪县民政局", slug="mzj")
    box = Box.objects.create(organisation=county, kind="complaint", name="投诉")
    clerk = factories.staff("clerk", county, roles.INFORMANT)
    reviewer = factories.staff("reviewer", county, roles.MESSAGE_REVIEW)
    message = in_review(box)
    data = {"on": TODAY.isoformat(), "days": "3", "reason": "需现场核查"}
    client.force_login(clerk)
    client.post(f"/admin/interaction/{message.pk}/action/extend/", data)
    message.refresh_from_db()
    assert message.extension_days == 0
    client.force_login(reviewer)
    client.post(f"/admin/interaction/{message.pk}/action/extend/", data)
    message.refresh_from_db()
    assert message.extension_days == 3 and message.due_on > message.received_on + dt.timedelta(days=3)


def test_clerk_guide_table_is_the_permission_table():
    text = (ROOT / "docs" / "clerk.md").read_text()
    section = text.split("# 互动交流", 1)[1].split("## 办理一件留言", 1)[0]
    header = re.search(r"^\| 操作 \|(.+)\|$", section, re.M).group(1)
    columns = [c.strip() for c in header.split("|")]
    assert columns == [roles.INFORMANT, roles.MESSAGE_REVIEW, roles.ADMINISTRATOR]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("操作", "---"):
            rows[cells[0]] = {role for role, mark in zip(columns, cells[1:], strict=True) if mark == "✓"}
    assert rows == {label: set(allowed) for label, allowed in TABLE.values()}
