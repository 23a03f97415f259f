"""An application's back-office page offers its state machine's transitions: per state and per role exactly
the actions allowed now, each with its own short form (date today in ISO), a confirmation before the
irreversible ones, and a refusal for an action posted that the page did not offer."""

import re

import pytest
from django.utils import timezone

from tests import factories
from zwgk.applications import services
from zwgk.applications.actions import ACTIONS, available_actions
from zwgk.applications.models import Application
from zwgk.core import roles
from zwgk.core.workdays import add_working_days

pytestmark = pytest.mark.django_db

REVIEWER_ONLY = {"assign", "extend", "reply", "close_without_supplement", "close_fee_unpaid", "archive"}


def ago(n):
    return add_working_days(timezone.localdate(), -n)


@pytest.fixture
def office():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    factories.site()
    return {
        "county": county,
        "信息员": factories.staff("xinxiyuan", county, roles.INFORMANT),
        "依申请公开审核": factories.staff("shenhe", county, roles.APPLICATION_REVIEW),
        "管理员": factories.staff("guanliyuan", county, roles.ADMINISTRATOR),
    }


def paper(office, received_on):
    return services.register_application(
        office["county"],
        channel="信函",
        received_on=received_on,
        user=office["管理员"],
        applicant_type="自然人",
        applicant_name="张晓明",
        description="2024年城乡低保资金发放明细",
        form_wanted="纸质",
        delivery="邮寄",
    )


def build(office, state):
    """An application in `state`; the steps are done by the 管理员 through the services."""
    admin = office["管理员"]
    if state == "unconfirmed":
        return services.submit_online(office["county"], applicant_type="自然人", description="网上申请")[0]
    if state in ("processing", "replied", "delivered", "closed"):
        application = paper(office, ago(3))
        if state != "processing":
            services.reply(application, on=ago(1), user=admin, result="granted", legal_basis="第二十七条")
        if state in ("delivered", "closed"):
            services.deliver(application, on=ago(0), user=admin, how="邮寄")
        if state == "closed":
            services.archive(application, on=ago(0), user=admin)
        return application
    if state == "supplement":
        application = paper(office, ago(3))
        services.request_supplement(application, on=ago(2), user=admin, note="请说明文号")
    elif state == "supplement_lapsed":
        application = paper(office, ago(30))
        services.request_supplement(application, on=ago(29), user=admin, note="请说明文号")
    elif state == "supplemented_and_extended":
        application = paper(office, ago(10))
        services.request_supplement(application, on=ago(9), user=admin, note="请说明文号")
        services.receive_supplement(application, on=ago(5), user=admin)
        services.extend(application, on=ago(1), user=admin, days=10, approved_by="王主任", reason="信息量大")
    elif state == "consulting":
        application = paper(office, ago(5))
        services.consult(application, on=ago(2), user=admin, party="龙溪县某建材有限公司")
    elif state == "fee":
        application = paper(office, ago(5))
        services.send_fee_notice(application, on=ago(2), user=admin, method="按量", quantity=250)
    elif state == "fee_lapsed":
        application = paper(office, ago(40))
        services.send_fee_notice(application, on=ago(38), user=admin, method="按量", quantity=250)
    return Application.objects.get(pk=application.pk)


# state → the actions a 依申请公开审核 or 管理员 gets; a 信息员 gets these without the reviewers' ones.
OFFERED = {
    "unconfirmed": {"confirm", "assign"},
    "processing": {
        "reply",
        "save_draft",
        "request_supplement",
        "consult",
        "consult_joint",
        "fee_notice",
        "pause",
        "extend",
        "assign",
    },
    "supplement": {"receive_supplement", "save_draft", "assign"},
    "supplement_lapsed": {"receive_supplement", "save_draft", "assign", "close_without_supplement"},
    "supplemented_and_extended": {
        "reply",
        "save_draft",
        "consult",
        "consult_joint",
        "fee_notice",
        "pause",
        "assign",
    },
    "consulting": {"resume", "save_draft", "extend", "assign"},
    "fee": {"fee_paid", "save_draft", "extend", "assign"},
    "fee_lapsed": {"fee_paid", "save_draft", "extend", "assign", "close_fee_unpaid"},
    "replied": {"deliver", "archive", "information_item"},
    "delivered": {"archive", "information_item"},
    "closed": {"information_item"},
}


@pytest.mark.parametrize("state", OFFERED)
def test_each_state_offers_each_role_exactly_its_actions(client, office, state):
    application = build(office, state)
    for role in ("信息员", "依申请公开审核", "管理员"):
        expected = OFFERED[state] - REVIEWER_ONLY if role == "信息员" else OFFERED[state]
        user = office[role]
        assert {a.name for a in available_actions(application, user)} == expected, (state, role)
        client.force_login(user)
        page = client.get(f"/admin/applications/{application.pk}/").content.decode()
        offered = set(re.findall(rf"/admin/applications/{application.pk}/action/(\w+)/", page))
        assert offered == expected, (state, role)
        for name in ACTIONS:  # every offered action opens its own form; the others are refused
            response = client.get(f"/admin/applications/{application.pk}/action/{name}/")
            assert (response.status_code == 200) is (name in expected), (state, role, name)


def test_each_form_has_only_its_fields_and_the_date_is_today_in_iso(client, office):
    application = build(office, "processing")
    client.force_login(office["依申请公开审核"])
    today = timezone.localdate().isoformat()
    url = f"/admin/applications/{application.pk}/action/"
    html = client.get(url + "consult/").content.decode()
    assert re.search(rf'<input type="date" name="on" value="{today}"', html)
    assert "第三方名称" in html and 'name="party"' in html
    assert 'name="note"' not in html and 'name="days"' not in html and 'name="result"' not in html
    html = client.get(url + "extend/").content.decode()
    assert "延期理由" in html and "批准人" in html and 'name="letter_body"' not in html
    html = client.get(url + "request_supplement/").content.decode()
    assert "补正内容" in html and 'name="party"' not in html
    html = client.get(url + "reply/").content.decode()
    assert re.search(rf'<input type="date" name="on" value="{today}"', html) and 'name="letter_body"' in html


def test_deliver_offers_the_applicants_way_and_writes_it(client, office):
    application = build(office, "replied")
    client.force_login(office["信息员"])
    url = f"/admin/applications/{application.pk}/action/deliver/"
    html = client.get(url).content.decode()
    assert "送达方式" in html and re.search(r'<option value="邮寄" selected>', html)
    response = client.post(
        url, {"on": timezone.localdate().isoformat(), "how": "邮寄", "tracking": "EMS1234"}
    )
    assert response.status_code == 302
    assert application.events.get(kind="delivered").note == "邮寄 EMS1234"


@pytest.mark.parametrize("name, state", [("reply", "processing"), ("archive", "replied")])
def test_irreversible_actions_ask_for_confirmation(client, office, name, state):
    application = build(office, state)
    client.force_login(office["依申请公开审核"])
    url = f"/admin/applications/{application.pk}/action/{name}/"
    data = {"on": timezone.localdate().isoformat(), "result": "granted", "legal_basis": "第二十七条"}
    if name == "archive":
        data = {"on": data["on"]}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "请确认" in html and "不可撤销" in html
    assert 'name="confirmed" value="1"' in html
    application.refresh_from_db()
    assert application.status == state  # nothing happened yet
    back = client.post(url, {**data, "confirmed": "1", "back": "1"})  # 返回修改: the form again
    assert back.status_code == 200 and "请确认" not in back.content.decode()
    application.refresh_from_db()
    assert application.status == state
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ("replied" if name == "reply" else "closed")


def test_confirmation_keeps_the_edited_letter(client, office):
    application = build(office, "processing")
    client.force_login(office["依申请公开审核"])
    url = f"/admin/applications/{application.pk}/action/reply/"
    letter = "张晓明：\n经审查，决定予以公开。\n（审核人改过的第二段）"
    data = {
        "on": timezone.localdate().isoformat(),
        "result": "granted",
        "legal_basis": "",
        "letter_body": letter,
    }
    html = client.post(url, data).content.decode()
    assert "（审核人改过的第二段）" in html
    # The browser posts back what the confirmation page carries.
    carried = re.search(r'<textarea name="letter_body" hidden>\n(.*?)</textarea>', html, re.S).group(1)
    import html as html_lib

    assert (
        client.post(url, {**data, "letter_body": html_lib.unescape(carried), "confirmed": "1"}).status_code
        == 302
    )
    event = application.events.get(kind="replied")
    import docx

    text = "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)
    assert "审核人改过的第二段" in text


def test_a_hidden_action_posted_anyway_is_refused(client, office):
    processing = build(office, "processing")
    client.force_login(office["信息员"])
    base = f"/admin/applications/{processing.pk}/"
    today = timezone.localdate().isoformat()
    for name, data in (
        ("reply", {"on": today, "result": "granted", "confirmed": "1"}),
        ("extend", {"on": today, "days": "5", "approved_by": "王主任", "reason": "量大"}),
        ("assign", {"handler": office["信息员"].pk}),
    ):
        response = client.post(base + f"action/{name}/", data)
        assert response.status_code == 403 and "无权" in response.content.decode(), name
        response = client.post(base, {"action": name, **data})  # the old shared form's way
        assert response.status_code == 403, name
    # Right role, wrong state: a reviewer cannot archive an application not replied, nor confirm it twice.
    client.force_login(office["依申请公开审核"])
    response = client.post(base + "action/archive/", {"on": today, "confirmed": "1"})
    assert response.status_code == 409 and "办理中" in response.content.decode()
    assert client.post(base + "action/confirm/", {"on": today}).status_code == 409
    services.request_supplement(processing, on=ago(0), user=office["管理员"], note="请补正")
    services.receive_supplement(processing, on=ago(0), user=office["管理员"])
    response = client.post(base + "action/request_supplement/", {"on": today, "note": "再补正"})
    assert response.status_code == 409 and "一次性" in response.content.decode()
    processing.refresh_from_db()
    assert processing.status == "processing"
    assert list(processing.events.values_list("kind", flat=True)) == [
        "registered",
        "supplement_requested",
        "supplement_received",
    ]
    assert client.get(base + "action/nonsense/").status_code == 404


def test_bad_input_gets_chinese_errors_and_keeps_the_typed_text(client, office):
    application = build(office, "processing")
    client.force_login(office["信息员"])
    url = f"/admin/applications/{application.pk}/action/request_supplement/"
    response = client.post(url, {"on": "2026/13/45", "note": "请说明所需资金明细的年度范围"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请按“年-月-日”填写补正通知日期" in html
    assert "请说明所需资金明细的年度范围" in html and 'value="2026/13/45"' in html
    response = client.post(url, {"on": timezone.localdate().isoformat(), "note": ""})
    assert "请填写补正内容" in response.content.decode()
    client.force_login(office["依申请公开审核"])
    response = client.post(
        f"/admin/applications/{application.pk}/action/extend/",
        {"on": timezone.localdate().isoformat(), "days": "30", "approved_by": "", "reason": "信息量大"},
    )
    html = response.content.decode()
    assert "最长不得超过20个工作日" in html and "请填写批准人" in html and "信息量大" in html
    assert not application.events.filter(kind="extended").exists()


def test_extension_reason_goes_into_the_ledger(client, office):
    application = build(office, "processing")
    client.force_login(office["依申请公开审核"])
    response = client.post(
        f"/admin/applications/{application.pk}/action/extend/",
        {
            "on": timezone.localdate().isoformat(),
            "days": "10",
            "approved_by": "王主任",
            "reason": "涉及多个部门",
        },
    )
    assert response.status_code == 302
    assert application.events.get(kind="extended").note.startswith("涉及多个部门；经王主任同意延长10个工作日")


def test_paper_registration_asks_how_the_applicant_wants_the_information(client, office):
    client.force_login(office["信息员"])
    html = client.get("/admin/applications/new/").content.decode()
    assert "获取信息的形式" in html and "获取信息的方式" in html
    data = {
        "organisation": office["county"].pk,
        "channel": "信函",
        "received_on": ago(1).isoformat(),
        "applicant_type": "自然人",
        "applicant_name": "张晓明",
        "phone": "13912345678",
        "description": "某文件",
    }
    html = client.post("/admin/applications/new/", data).content.decode()
    assert "请选择获取信息的形式" in html and "张晓明" in html
    assert (
        client.post(
            "/admin/applications/new/",
            {**data, "form_wanted": "电子", "delivery": "电子邮件", "email": "a@example.com"},
        ).status_code
        == 302
    )
    assert Application.objects.get().form_wanted == "电子"
