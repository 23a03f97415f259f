"""Back office: registration per channel, actions through the ledger, workbench order, scoping; 台账 import;
statistics for the annual report."""

import datetime as dt
import json

import openpyxl
import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.applications import services
from zwgk.applications.models import Application
from zwgk.applications.stats import statistics, table3_counts
from zwgk.core import roles
from zwgk.core.workdays import add_working_days

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def setup():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf", credit_code="11441700007280420Y")
    township = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    factories.site()
    county_clerk = factories.staff("county", county, roles.INFORMANT, roles.APPLICATION_REVIEW)
    town_clerk = factories.staff("town", township, roles.INFORMANT)
    return county, township, county_clerk, town_clerk


def test_actions_write_ledger_and_audit_and_reject_illegal_steps(client, setup):
    county, _, clerk, _ = setup
    application = services.register_application(
        county,
        channel="信函",
        received_on=D(2025, 9, 25),
        user=clerk,
        applicant_type="自然人",
        applicant_name="李四",
        description="某文件",
    )
    client.force_login(clerk)
    url = f"/admin/applications/{application.pk}/"
    client.post(
        url, {"action": "request_supplement", "on": "2025-10-13", "note": "请说明文号"}
    )  # 8th working day
    assert not application.events.filter(kind="supplement_requested").exists()
    client.post(url, {"action": "request_supplement", "on": "2025-09-26", "note": "请说明文号"})
    client.post(url, {"action": "receive_supplement", "on": "2025-10-13"})
    client.post(url, {"action": "extend", "on": "2025-10-20", "days": "10", "approved_by": ""})  # no approver
    assert not application.events.filter(kind="extended").exists()
    client.post(
        url,
        {
            "action": "reply",
            "confirmed": "1",
            "on": "2025-10-30",
            "result": "partial",
            "legal_basis": "条例第三十七条",
        },
    )
    application.refresh_from_db()
    assert application.result == "partial" and application.status == "replied"
    assert list(application.events.values_list("kind", flat=True)) == [
        "registered",
        "supplement_requested",
        "supplement_received",
        "replied",
    ]
    assert ModelLogEntry.objects.filter(action="zwgk.application.replied", user=clerk).exists()
    # The letter is history: a second reply is refused.
    client.post(url, {"action": "reply", "confirmed": "1", "on": "2025-10-31", "result": "granted"})
    application.refresh_from_db()
    assert application.result == "partial"


def test_handlers_see_only_their_subtree(client, setup):
    county, township, county_clerk, town_clerk = setup
    county_app = services.register_application(
        county,
        channel="当面",
        received_on=D(2026, 3, 2),
        user=county_clerk,
        applicant_type="自然人",
        description="县级",
    )
    town_app = services.register_application(
        township,
        channel="当面",
        received_on=D(2026, 3, 2),
        user=town_clerk,
        applicant_type="自然人",
        description="镇级",
    )
    client.force_login(town_clerk)
    html = client.get("/admin/applications/").content.decode()
    assert town_app.number in html and county_app.number not in html
    assert (
        client.get(f"/admin/applications/{county_app.pk}/").status_code == 302
    )  # PermissionDenied → dashboard
    client.force_login(county_clerk)
    html = client.get("/admin/applications/").content.decode()
    assert town_app.number in html and county_app.number in html


def test_workbench_puts_unconfirmed_then_overdue_first(client, setup):
    county, _, clerk, _ = setup
    recent = services.register_application(
        county,
        channel="当面",
        received_on=D(2026, 11, 2),
        user=clerk,
        applicant_type="自然人",
        description="新",
    )
    old = services.register_application(
        county,
        channel="当面",
        received_on=D(2026, 6, 1),
        user=clerk,
        applicant_type="自然人",
        description="旧，已超期",
    )
    online, _ = services.submit_online(
        county, applicant_type="自然人", description="网上", idempotency_key="w"
    )
    client.force_login(clerk)
    html = client.get("/admin/applications/").content.decode()
    assert html.index(online.number) < html.index(old.number) < html.index(recent.number)
    assert 'class="overdue"' in html and 'class="unconfirmed"' in html


def test_import_json_and_xlsx_twice_creates_nothing_new(tmp_path, setup, capsys):
    rows = [
        {
            "organization": "11441700007280420Y",
            "number": "XZF-2024-001",
            "channel": "信函",
            "applicant_type": "自然人",
            "received_on": "2024-03-01",
            "replied_on": "2024-03-20",
            "result": "（三）不予公开/1.属于国家秘密",
        },
        {
            "organization": "11441700007280420Y",
            "number": "XZF-2024-002",
            "channel": "网络",
            "applicant_type": "商业企业",
            "received_on": "2024-12-20",
            "replied_on": None,
            "result": None,
        },
        {
            "organization": "000000000000000000",
            "number": "X-3",
            "channel": "网络",
            "applicant_type": "自然人",
            "received_on": "2024-01-05",
        },
        {
            "organization": "11441700007280420Y",
            "number": "X-4",
            "channel": "网络",
            "applicant_type": "自然人",
            "received_on": "2024-01-05",
            "replied_on": "2024-01-20",
            "result": "批准",
        },
    ]
    path = tmp_path / "台账.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    call_command("import_applications", str(path))
    out = capsys.readouterr().out
    assert (
        "新建 2 件" in out
        and "拒绝 2 行" in out
        and "找不到统一社会信用代码" in out
        and "正式栏目名称" in out
    )
    call_command("import_applications", str(path))
    assert "新建 0 件，已存在跳过 2 件" in capsys.readouterr().out

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["organization", "number", "channel", "applicant_type", "received_on", "replied_on", "result"]
    )
    sheet.append(
        [
            "11441700007280420Y",
            "XZF-2023-009",
            "当面",
            "科研机构",
            dt.date(2023, 5, 6),
            dt.date(2023, 5, 20),
            "（一）予以公开",
        ]
    )
    xlsx = tmp_path / "台账.xlsx"
    workbook.save(xlsx)
    call_command("import_applications", str(xlsx))
    assert Application.objects.get(number="XZF-2023-009").result == "granted"
    assert Application.objects.count() == 3


def test_statistics_and_table3_counts(setup):
    county, _, clerk, _ = setup
    a = services.register_application(
        county, channel="信函", received_on=D(2024, 12, 20), user=clerk, applicant_type="自然人"
    )
    services.reply(a, on=D(2025, 1, 10), user=clerk, result="granted", legal_basis="")
    b = services.register_application(
        county, channel="网络", received_on=D(2025, 3, 3), user=clerk, applicant_type="商业企业"
    )
    services.reply(b, on=D(2025, 3, 10), user=clerk, result="denied.4", legal_basis="")
    services.register_application(
        county, channel="当面", received_on=D(2025, 12, 29), user=clerk, applicant_type="自然人"
    )
    stats = statistics([county], D(2025, 1, 1), D(2025, 12, 31))
    assert stats["received"] == 2 and stats["by_channel"]["信函"] == 0 and stats["by_channel"]["网络"] == 1
    assert stats["closed"] == 2 and stats["closed_on_time"] == 2 and stats["open_at_end"] == 1
    assert stats["by_result"]["（三）不予公开/4.保护第三方合法权益"] == 1
    counts = table3_counts([county], 2025)
    assert counts[("new", "商业企业")] == 1 and counts[("new", "自然人")] == 1
    assert counts[("carried_over", "自然人")] == 1
    assert counts[("granted", "自然人")] == 1 and counts[("denied.4", "商业企业")] == 1
    assert counts[("carried_forward", "自然人")] == 1


def test_daily_digest_mails_due_soon_and_overdue(setup, mailoutbox):
    from django.utils import timezone

    from zwgk.applications.tasks import send_daily_digest
    from zwgk.core.workdays import add_working_days, is_working_day

    county, _, clerk, _ = setup
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    today = timezone.localdate()
    # Counted back from the last working day: counted from a Saturday, 17 working days back ends a
    # day later, and the reply is due in 4 working days, not 3 (the test failed on weekends).
    workday = today if is_working_day(today) else add_working_days(today, -1)
    overdue = services.register_application(
        county,
        channel="当面",
        received_on=add_working_days(workday, -25),
        user=clerk,
        applicant_type="自然人",
        handler=clerk,
    )
    soon = services.register_application(
        county,
        channel="当面",
        received_on=add_working_days(workday, -17),
        user=clerk,
        applicant_type="自然人",
        handler=clerk,
    )
    later = services.register_application(
        county, channel="当面", received_on=today, user=clerk, applicant_type="自然人", handler=clerk
    )
    send_daily_digest.enqueue()
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert f"【已超期】{overdue.number}" in body and f"{soon.number} 剩余 3 个工作日" in body
    assert later.number not in body


def test_fee_notice_pauses_and_unpaid_closes_as_other_2(setup):
    county, _, clerk, _ = setup
    application = services.register_application(
        county, channel="信函", received_on=D(2025, 10, 15), user=clerk, applicant_type="自然人"
    )
    amount = services.send_fee_notice(
        application, on=D(2025, 10, 20), user=clerk, method="按量", quantity=250
    )
    assert amount == 4700
    application.refresh_from_db()
    assert application.status == "paused" and application.clock(D(2025, 10, 30)).paused
    services.close_fee_unpaid(application, on=D(2025, 11, 18), user=clerk)
    application.refresh_from_db()
    assert application.result == "other.2"


def test_assign_and_transfer_need_a_handler_in_scope_and_a_reason(setup):
    from django.core.exceptions import ValidationError

    county, township, clerk, town_clerk = setup
    application = services.register_application(
        township, channel="当面", received_on=D(2026, 3, 2), user=clerk, applicant_type="自然人"
    )
    services.assign(application, handler=town_clerk, user=clerk)
    with pytest.raises(ValidationError, match="理由"):
        services.assign(application, handler=town_clerk, user=clerk)
    other = services.register_application(
        county, channel="当面", received_on=D(2026, 3, 2), user=clerk, applicant_type="自然人"
    )
    with pytest.raises(ValidationError, match="不属于"):
        services.assign(other, handler=town_clerk, user=clerk)


def test_letter_is_drafted_edited_then_issued_and_immutable(client, setup):
    import docx

    county, _, clerk, _ = setup
    application = services.register_application(
        county,
        channel="当面",
        received_on=D(2026, 3, 2),
        user=clerk,
        applicant_type="自然人",
        applicant_name="王五",
        description="某项目批复",
    )
    client.force_login(clerk)
    url = f"/admin/applications/{application.pk}/"
    preview = client.post(
        url,
        {"action": "preview_letter", "on": "2026-03-20", "result": "denied.4", "legal_basis": "条例第十五条"},
    ).content.decode()
    assert "王五" in preview and "不予公开" in preview  # the draft from the template, in the form
    client.post(
        url,
        {
            "action": "reply",
            "confirmed": "1",
            "on": "2026-03-20",
            "result": "denied.4",
            "legal_basis": "条例第十五条",
            "letter_body": "王五：经征求第三方意见，第三方不同意公开，决定不予公开。",
        },
    )
    event = application.events.get(kind="replied")
    text = "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)
    assert "第三方不同意公开" in text
    client.post(
        url,
        {"action": "reply", "confirmed": "1", "on": "2026-03-21", "result": "granted", "letter_body": "改"},
    )
    assert application.events.filter(kind="replied").count() == 1  # issued letters never change


def test_third_party_consultation_pauses_with_its_own_15_day_deadline(client, setup):
    """Art. 32: the third party answers within 15 working days and that time is not counted; a lapsed
    consultation is flagged on the workbench. Art. 34: co-makers, silence = consent (noted)."""
    from django.core.exceptions import ValidationError

    county, _, clerk, _ = setup
    application = services.register_application(
        county, channel="信函", received_on=D(2025, 9, 1), user=clerk, applicant_type="自然人"
    )
    before = application.clock(D(2025, 9, 19)).due
    with pytest.raises(ValidationError, match="名称"):
        services.consult(application, on=D(2025, 9, 19), user=clerk, party=" ")
    services.consult(application, on=D(2025, 9, 19), user=clerk, party="龙溪县某建材有限公司")
    application = Application.objects.get(pk=application.pk)
    consultation = application.consultation(D(2025, 9, 22))
    # 15 working days after 9-19 across 国庆/中秋 2025 (10-1…10-8 off; 9-28 Sun and 10-11 Sat are
    # make-up working days): 9-22…26 (5), 9-28 (6), 9-29 (7), 9-30 (8), 10-9 (9), 10-10 (10), 10-11 (11),
    # 10-13…16 (15).
    assert consultation["answer_by"] == D(2025, 10, 16) and not consultation["lapsed"]
    assert "条例第三十二条" in consultation["note"]
    assert application.clock(D(2025, 9, 22)).paused
    assert application.consultation(D(2025, 10, 17))["lapsed"]
    client.force_login(clerk)
    page = client.get("/admin/applications/").content.decode()
    assert "征求意见，2025-10-16前答复" in page
    # The answer arrives: the clock resumes; the working days in between were not counted.
    services.resume(application, on=D(2025, 9, 26), user=clerk, note="第三方不同意公开")
    application = Application.objects.get(pk=application.pk)
    assert application.consultation() is None
    assert application.clock(D(2025, 9, 26)).due == add_working_days(before, 5)  # 9-22…26 not counted
    other = services.register_application(
        county, channel="当面", received_on=D(2025, 9, 1), user=clerk, applicant_type="自然人"
    )
    services.consult(other, on=D(2025, 9, 2), user=clerk, party="县财政局", joint=True)
    assert "视为同意公开" in Application.objects.get(pk=other.pk).consultation()["note"]
