"""The staff side of 互动交流: actions offered by role and state, each through its service with an audit
entry; scoping to the organ subtree; bulk reply; templates that cannot lose the clerk's text; national
找错 reports registered and counted; statistics with XLSX; the dashboard's veto line; the 2-month alert."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from tests.interaction.helpers import clerks, county
from zwgk.interaction import services
from zwgk.interaction.models import Message, ReplyTemplate
from zwgk.interaction.rules import add_months
from zwgk.interaction.stats import statistics
from zwgk.interaction.tasks import send_message_alerts

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    factories.site()
    gov, mzj, other, boxes = county()
    return gov, mzj, other, boxes, clerks(gov, mzj, other)


def login(client, user):
    client.force_login(user)
    return client


def test_clerk_accepts_drafts_reviewer_answers_and_publishes(client, world):
    """permissions.TABLE: 信息员 受理/拟写; 互动交流审核 审核 and 公开; every step audited."""
    *_, boxes, staff = world
    message, _ = services.submit(
        boxes["consult"], subject="问路", content="请问民政局地址", wants_public=True
    )
    login(client, staff["xxy"])
    page = client.get(f"/admin/interaction/{message.pk}/").content.decode()
    assert "受理" in page and "审核通过并答复" not in page
    assert (
        client.post(f"/admin/interaction/{message.pk}/action/accept/", {"on": TODAY.isoformat()}).status_code
        == 302
    )
    client.post(f"/admin/interaction/{message.pk}/action/draft/", {"text": "地址：人民路1号。"})
    assert (
        client.get(f"/admin/interaction/{message.pk}/action/approve/").status_code == 302
    )  # refused: back to the dashboard
    message.refresh_from_db()
    assert message.status == "review"

    login(client, staff["shenhe"])
    client.post(
        f"/admin/interaction/{message.pk}/action/approve/",
        {"on": TODAY.isoformat(), "text": "地址：人民路1号。", "publish": "on"},
    )
    message.refresh_from_db()
    assert message.status == "answered" and message.published and message.public_reply == "地址：人民路1号。"
    actions = set(ModelLogEntry.objects.filter(object_id=str(message.pk)).values_list("action", flat=True))
    assert {
        "zwgk.message.accepted",
        "zwgk.message.drafted",
        "zwgk.message.answered",
        "zwgk.message.published",
    } <= actions


def test_other_organs_messages_are_out_of_scope(client, world):
    *_, boxes, staff = world
    message, _ = services.submit(boxes["consult"], subject="问路", content="内容")
    login(client, staff["other"])
    response = client.get(f"/admin/interaction/{message.pk}/")
    assert response.status_code == 302 and "问路" not in response.content.decode()  # refused
    assert message.number not in client.get("/admin/interaction/").content.decode()
    with pytest.raises(PermissionDenied, match="其他机关"):
        services.accept(message, user=staff["other"], on=TODAY)


def test_reject_needs_a_reason_the_writer_reads(client, world):
    *_, boxes, staff = world
    message, _ = services.submit(boxes["consult"], subject="广告", content="推销")
    login(client, staff["xxy"])
    response = client.post(
        f"/admin/interaction/{message.pk}/action/reject/", {"on": TODAY.isoformat(), "reason": ""}
    )
    assert "请填写不予受理的理由" in response.content.decode()
    client.post(
        f"/admin/interaction/{message.pk}/action/reject/", {"on": TODAY.isoformat(), "reason": "与政务无关"}
    )
    message.refresh_from_db()
    assert message.status == "rejected" and message.reply == "与政务无关"


def test_broken_template_placeholder_never_loses_the_clerks_text(client, world):
    *_, boxes, staff = world
    template = ReplyTemplate.objects.create(title="坏模板", body="{name}您好，{unknown")
    message, _ = services.submit(boxes["consult"], subject="问", content="答")
    services.accept(message, user=staff["xxy"], on=TODAY)
    login(client, staff["xxy"])
    url = f"/admin/interaction/{message.pk}/action/draft/"
    page = client.post(url, {"template": template.pk, "text": "", "preview": "1"}).content.decode()
    assert "花括号没有配对" in page
    page = client.post(
        url, {"template": template.pk, "text": "我自己写的答复\x07内容", "preview": "1"}
    ).content.decode()
    assert "请先清空答复内容" in page and "我自己写的答复内容" in page
    client.post(url, {"text": "我自己写的答复\x07内容"})
    message.refresh_from_db()
    assert message.reply == "我自己写的答复内容" and message.status == "review"
    good = ReplyTemplate.objects.create(
        title="好模板", body="{name}您好：关于“{subject}”，{organisation}答复如下。"
    )
    page = client.post(
        f"/admin/interaction/{message.pk}/action/draft/", {"template": good.pk, "text": "", "preview": "1"}
    ).content.decode()
    assert "网友您好：关于“问”，龙溪县民政局答复如下。" in page


def test_bulk_reply_drafts_each_similar_message(client, world):
    *_, boxes, staff = world
    template = ReplyTemplate.objects.create(title="路灯", body="{name}您好，“{subject}”已转城管局维修。")
    similar = []
    for i, name in enumerate(("张三", "李四")):
        message, _ = services.submit(boxes["complaint"], subject=f"路灯不亮{i}", content="路灯", name=name)
        services.accept(message, user=staff["xxy"], on=TODAY)
        similar.append(message)
    login(client, staff["xxy"])
    page = client.get("/admin/interaction/bulk-reply/", {"q": "路灯"}).content.decode()
    assert similar[0].number in page
    client.post(
        "/admin/interaction/bulk-reply/?q=路灯", {"template": template.pk, "ids": [m.pk for m in similar]}
    )
    replies = dict(Message.objects.filter(pk__in=[m.pk for m in similar]).values_list("name", "reply"))
    assert replies == {
        "张三": "张**您好，“路灯不亮0”已转城管局维修。",
        "李四": "李**您好，“路灯不亮1”已转城管局维修。",
    }


def test_national_error_report_registered_and_counted(client, world):
    *_, boxes, staff = world
    login(client, staff["xxy"])
    response = client.post(
        "/admin/interaction/new/",
        {
            "box": boxes["error"].pk,
            "source": "national",
            "received_on": (TODAY - dt.timedelta(days=1)).isoformat(),
            "subject": "找错平台转办：链接打不开",
            "content": "首页“办事服务”链接打不开。",
            "page_url": "http://localhost/",
            "error_type": "链接错误（打不开）",
        },
    )
    assert response.status_code == 302
    report = Message.objects.get()
    assert report.source == "national" and report.reply_days == 3
    total, rows = statistics(Message.objects.all(), TODAY - dt.timedelta(days=5), TODAY, "box")
    assert total.received == 1 and rows[0].label == "龙溪县民政局 · 网站纠错"


def test_statistics_rates_and_xlsx(client, world):
    *_, boxes, staff = world
    start = dt.date(2025, 9, 1)
    on_time, _ = services.submit(
        boxes["consult"], subject="甲", content="1", received_on=dt.date(2025, 9, 26)
    )
    late, _ = services.submit(boxes["consult"], subject="乙", content="2", received_on=dt.date(2025, 9, 26))
    services.submit(boxes["consult"], subject="丙", content="3", received_on=dt.date(2025, 9, 26))  # not 受理
    for message, answered in ((on_time, dt.date(2025, 9, 30)), (late, dt.date(2025, 10, 9))):
        services.accept(message, user=staff["xxy"], on=dt.date(2025, 9, 26))
        services.draft(message, user=staff["xxy"], text="答复")
        services.approve(message, user=staff["shenhe"], on=answered)
    services.rate(on_time, rating="satisfied")
    services.rate(late, rating="dissatisfied")
    total, rows = statistics(Message.objects.all(), start, dt.date(2025, 12, 31), "month")
    assert [r.label for r in rows] == ["2025-09"]
    assert (total.received, total.accepted, total.answered) == (3, 2, 2)
    assert total.answered_rate == 100.0 and total.on_time_rate == 50.0 and total.satisfaction == 50.0
    assert total.average_days == 3.5  # 26.9 → 30.9: 3 (28.9 worked); → 9.10: 4

    login(client, staff["shenhe"])
    response = client.get(
        "/admin/interaction/stats/", {"start": "2025-09-01", "end": "2025-12-31", "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]][:5] == ["龙溪县民政局", 3, 2, 2, 100.0]
    page = client.get("/admin/interaction/stats/", {"start": "bad", "group": "nope"})
    assert page.status_code == 200 and "<svg" in page.content.decode() and "已忽略" in page.content.decode()


def test_dashboard_shows_the_veto_count_in_red_and_alerts_are_mailed(client, world):
    gov, mzj, other, boxes, staff = world
    staff["gov_admin"].email = "admin@example.gov.cn"
    staff["gov_admin"].save()
    boxes["consult"].leader_email = "leader@example.gov.cn"
    boxes["consult"].save()
    old, _ = services.submit(
        boxes["consult"], subject="久拖", content="内容", received_on=add_months(TODAY, -4)
    )
    services.accept(old, user=staff["xxy"], on=old.received_on)
    two, _ = services.submit(
        boxes["consult"], subject="两月", content="内容二", received_on=add_months(TODAY, -2)
    )
    services.accept(two, user=staff["xxy"], on=two.received_on)
    login(client, staff["shenhe"])
    page = client.get("/admin/").content.decode()
    assert "有 1 件有效留言超过3个月未答复" in page and "zwgk-veto" in page
    assert "有 2 件有效留言已满2个月未答复" in page
    veto = client.get("/admin/interaction/", {"filter": "veto"}).content.decode()
    assert old.number in veto and two.number not in veto

    mail.outbox.clear()
    assert send_message_alerts.call() == 2
    assert {m.to[0] for m in mail.outbox} == {"admin@example.gov.cn", "leader@example.gov.cn"}
    assert all(old.number in m.body and two.number in m.body for m in mail.outbox)


def test_boxes_are_configured_inside_the_organ_subtree(client, world):
    gov, mzj, other, boxes, staff = world
    admin = factories.staff("mz_admin", mzj, "管理员")
    foreign = type(boxes["consult"]).objects.create(organisation=other, kind="consult", name="邻县咨询")
    login(client, admin)
    listing = client.get("/admin/box/").content.decode()
    assert "民政局信箱" in listing and "邻县咨询" not in listing
    assert f"/admin/box/edit/{boxes['leader'].pk}/" not in listing  # the county's 县长信箱 is above
    assert client.get(f"/admin/box/edit/{foreign.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/box/edit/{boxes['consult'].pk}/").status_code == 200
