"""依申请公开 security and input (issue 19): who may do what, control characters in letters, template
placeholders, dates against the application's history, paper applications' fields, the 查询码."""

import datetime as dt
import io
import json

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.applications import services
from zwgk.applications.letters import cjk_font_path
from zwgk.applications.models import Application, LetterTemplate
from zwgk.applications.permissions import TABLE, can
from zwgk.core import roles
from zwgk.core.workdays import add_working_days

pytestmark = pytest.mark.django_db
ID = "350102199001011238"
NAME = "张晓明"


@pytest.fixture
def office():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf", credit_code="11441700007280420Y")
    township = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    factories.site()
    return {
        "county": county,
        "township": township,
        "clerk": factories.staff("clerk", county, roles.INFORMANT),
        "reviewer": factories.staff("reviewer", county, roles.APPLICATION_REVIEW),
        "admin": factories.staff("admin", county, roles.ADMINISTRATOR),
        "first": factories.staff("first", county, roles.FIRST_REVIEW),
        "town_reviewer": factories.staff("town_reviewer", township, roles.APPLICATION_REVIEW),
    }


def received_days_ago(n=8):
    return add_working_days(timezone.localdate(), -n)


def paper(office, user=None, **fields):
    defaults = dict(applicant_type="自然人", applicant_name=NAME, description="某项目批复")
    return services.register_application(
        office["county"],
        channel="信函",
        received_on=fields.pop("received_on", received_days_ago()),
        user=user or office["clerk"],
        **{**defaults, **fields},
    )


def today():
    return timezone.localdate().isoformat()


# ------------------------------------------------------------------ 1. who may do what


def test_clerk_drafts_and_reviewer_issues_the_reply(client, office):
    application = paper(office)
    url = f"/admin/applications/{application.pk}/"
    client.force_login(office["clerk"])
    page = client.get(url).content.decode()
    assert "action/save_draft/" in page and "action/request_supplement/" in page
    assert "action/reply/" not in page and "action/archive/" not in page  # only offered actions shown
    draft = "张晓明：经审查，决定部分公开。（信息员起草）"
    response = client.post(
        url,
        {
            "action": "reply",
            "confirmed": "1",
            "on": today(),
            "result": "partial",
            "legal_basis": "第三十七条",
            "letter_body": draft,
        },
    )
    assert response.status_code == 403 and "无权" in response.content.decode()
    assert draft in response.content.decode()  # the typed letter is still in the form
    assert not application.events.filter(kind="replied").exists()
    client.post(
        url,
        {
            "action": "save_draft",
            "on": today(),
            "result": "partial",
            "legal_basis": "第三十七条",
            "letter_body": draft,
        },
    )
    assert ModelLogEntry.objects.filter(action="zwgk.application.draft_saved", user=office["clerk"]).exists()

    client.force_login(office["reviewer"])
    page = client.get(url).content.decode()
    assert draft in page and "action/reply/" in page and "起草" in page  # the draft is there to review
    client.post(
        url,
        {
            "action": "reply",
            "confirmed": "1",
            "on": today(),
            "result": "partial",
            "legal_basis": "第三十七条",
            "letter_body": draft,
        },
    )
    event = application.events.get(kind="replied")
    assert event.actor == office["reviewer"]
    assert "信息员起草" in "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)
    client.post(url, {"action": "archive", "confirmed": "1", "on": today()})
    application.refresh_from_db()
    assert application.status == "closed" and application.draft_letter == ""


def test_services_refuse_by_role_and_by_scope_with_chinese_messages(office):
    application = paper(office)
    with pytest.raises(PermissionDenied, match="依申请公开审核"):
        services.reply(
            application, on=timezone.localdate(), user=office["clerk"], result="granted", legal_basis=""
        )
    with pytest.raises(PermissionDenied, match="无权"):
        services.extend(
            application, on=timezone.localdate(), user=office["clerk"], days=5, approved_by="张主任"
        )
    with pytest.raises(PermissionDenied, match="其他机关"):
        services.reply(
            application,
            on=timezone.localdate(),
            user=office["town_reviewer"],
            result="granted",
            legal_basis="",
        )
    with pytest.raises(PermissionDenied):
        services.register_application(
            office["county"],
            channel="当面",
            received_on=timezone.localdate(),
            user=office["first"],
            applicant_type="自然人",
        )
    services.reply(
        application, on=timezone.localdate(), user=office["admin"], result="granted", legal_basis=""
    )
    application.refresh_from_db()
    assert application.status == "replied"


def test_every_role_gets_exactly_its_actions(office):
    application = paper(office)
    for action, (_, allowed) in TABLE.items():
        for key in ("clerk", "reviewer", "admin", "first"):
            user = office[key]
            expected = any(user.groups.filter(name=role).exists() for role in allowed)
            assert can(user, action, application) is expected, (key, action)
        assert not can(office["town_reviewer"], action, application)  # the county is outside the township


def test_other_roles_do_not_see_applications(client, office):
    application = paper(office)
    client.force_login(office["first"])
    assert client.get("/admin/applications/").status_code in (302, 403)
    assert client.get(f"/admin/applications/{application.pk}/").status_code in (302, 403)
    assert client.get("/admin/applications/new/").status_code in (302, 403)
    assert "依申请公开" not in client.get("/admin/").content.decode().split("<main", 1)[0]
    client.force_login(office["town_reviewer"])
    assert client.get(f"/admin/applications/{application.pk}/").status_code in (302, 403)


# ------------------------------------------------------------------ 2. control characters


@pytest.mark.skipif(cjk_font_path() is None, reason="no embeddable CJK font")
def test_control_characters_never_break_the_letter(client, office):
    form = {
        "organisation": office["county"].pk,
        "applicant_type": "自然人",
        "applicant_name": "张\x08晓明",
        "id_type": "居民身份证",
        "id_number": ID,
        "phone": "13912345678",
        "address": "龙溪县人民路8号",
        "email": "zxm@example.com",
        "description": "低保\x0b资金\x1f发放\x08明细",
        "form_wanted": "电子",
        "delivery": "电子邮件",
        "token": "t-ctl",
    }
    assert client.post("/ysqgk/", form).status_code == 302
    online = Application.objects.get(idempotency_key="t-ctl")
    assert online.description == "低保\n资金发放明细" and online.applicant_name == "张晓明"
    # Old data with control characters (written before the cleaning) is replied to all the same.
    legacy = paper(office)
    Application.objects.filter(pk=legacy.pk).update(
        description="旧\x0b数据\x1f描述\x08", applicant_name="李\x1f四"
    )
    client.force_login(office["reviewer"])
    url = f"/admin/applications/{legacy.pk}/"
    preview = client.post(url, {"action": "preview_letter", "on": today(), "result": "granted"})
    assert preview.status_code == 200 and "旧" in preview.content.decode()
    response = client.post(
        url,
        {
            "action": "reply",
            "confirmed": "1",
            "on": today(),
            "result": "granted",
            "legal_basis": "第\x0b三十六条",
            "letter_body": "李四：\x0b您申请的\x1f信息\x08予以公开。",
        },
    )
    assert response.status_code == 302
    event = Application.objects.get(pk=legacy.pk).events.get(kind="replied")
    text = "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)
    assert "您申请的信息予以公开" in text
    pdf = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(event.document_pdf.open("rb").read())).pages
    )
    assert "予以公开" in pdf


def test_an_edited_letter_survives_a_refused_reply(client, office):
    application = paper(office, received_on=received_days_ago(3))
    client.force_login(office["reviewer"])
    edited = "张晓明：这是审核人反复修改过的答复正文，不能丢失。"
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    for on in (future, "2001-01-01"):
        response = client.post(
            f"/admin/applications/{application.pk}/",
            {"action": "reply", "confirmed": "1", "on": on, "result": "granted", "letter_body": edited},
        )
        html = response.content.decode()
        assert response.status_code == 200 and edited in html
        assert "不能晚于今天" in html or "2008-05-01" in html
    # An error from the service (not the form) keeps the text too.
    services.request_supplement(application, on=timezone.localdate(), user=office["clerk"], note="请补正")
    services.receive_supplement(application, on=timezone.localdate(), user=office["clerk"])
    response = client.post(
        f"/admin/applications/{application.pk}/",
        {
            "action": "reply",
            "confirmed": "1",
            "on": received_days_ago(1).isoformat(),
            "result": "granted",
            "letter_body": edited,
        },
    )
    assert edited in response.content.decode() and "上一办理环节" in response.content.decode()
    assert not application.events.filter(kind="replied").exists()


def test_import_cleans_control_characters(tmp_path, office, capsys):
    path = tmp_path / "台账.json"
    row = {
        "organization": "11441700007280420Y",
        "number": "XZF-2024-0\x1f01",
        "channel": "信函",
        "applicant_type": "自然人",
        "received_on": "2024-03-01",
        "replied_on": "2024-03-20",
        "result": "（一）予以公开",
        "applicant_name": "王\x1f五",
        "description": "某\x08文件",
    }
    path.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    call_command("import_applications", str(path))
    imported = Application.objects.get(number="XZF-2024-001")
    assert imported.applicant_name == "王五" and imported.description == "某文件"


# ------------------------------------------------------------------ 3. templates


@pytest.mark.parametrize(
    "body, named",
    [
        ("{申请人}：您好…{", "{申请人}"),
        ("{applicant}：您好…{", "没有配对"),
        ("{applicant}}：", "没有配对"),
        ("{applicant.__class__}", "{applicant.__class__}"),
        ("{applicant:d}", "格式说明"),
        ("{0}", "{0}"),
    ],
)
def test_bad_template_is_refused_naming_the_placeholder(body, named):
    with pytest.raises(ValidationError) as error:
        LetterTemplate(result_kind="予以公开", body=body).full_clean()
    assert named in " ".join(error.value.message_dict["body"])


def test_administrator_saving_a_bad_template_gets_a_chinese_error(client, office):
    LetterTemplate.objects.all().delete()  # the starter templates the migration seeds
    client.force_login(office["admin"])
    response = client.post(
        "/admin/lettertemplate/new/",
        {"result_kind": "予以公开", "title": "政府信息公开申请答复告知书", "body": "{申请人}：您好…{"},
    )
    assert response.status_code == 200 and "{申请人}" in response.content.decode()
    assert "未知的占位符" in response.content.decode()
    assert not LetterTemplate.objects.exists()
    good = "{applicant}：本机关于{received_on}收到您的申请，答复：{result}。{{原文花括号}}"
    response = client.post(
        "/admin/lettertemplate/new/", {"result_kind": "予以公开", "title": "答复告知书", "body": good}
    )
    assert response.status_code == 302 and LetterTemplate.objects.get().body == good


def test_a_template_saved_before_the_check_does_not_break_replies(office):
    LetterTemplate.objects.update_or_create(  # no full_clean: old data
        result_kind="予以公开", defaults={"body": "{申请人}：您好…{"}
    )
    application = paper(office)
    event = services.reply(
        application, on=timezone.localdate(), user=office["reviewer"], result="granted", legal_basis=""
    )
    assert NAME in "\n".join(p.text for p in docx.Document(event.document.open("rb")).paragraphs)


# ------------------------------------------------------------------ 4. dates


@pytest.mark.parametrize("received", ["0001-01-01", "2030-06-01", "2001-01-01"])
def test_registration_rejects_absurd_receipt_dates(client, office, received):
    client.force_login(office["clerk"])
    response = client.post(
        "/admin/applications/new/",
        {
            "organisation": office["county"].pk,
            "channel": "信函",
            "received_on": received,
            "applicant_type": "自然人",
            "applicant_name": NAME,
            "phone": "13912345678",
            "description": "某文件",
        },
    )
    assert response.status_code == 200
    assert "不能晚于今天" in response.content.decode() or "2008-05-01" in response.content.decode()
    assert not Application.objects.exists()
    with pytest.raises(ValidationError):
        services.register_application(
            office["county"],
            channel="信函",
            received_on=dt.date.fromisoformat(received),
            user=office["clerk"],
            applicant_type="自然人",
        )


def test_every_step_is_dated_after_receipt_and_the_previous_step(office):
    received = received_days_ago(8)
    application = paper(office, received_on=received)
    before = received - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="收到申请之日"):
        services.reply(application, on=before, user=office["reviewer"], result="granted", legal_basis="")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.deliver(
            application, on=timezone.localdate() + dt.timedelta(days=1), user=office["clerk"], how="邮寄"
        )
    services.consult(application, on=add_working_days(received, 3), user=office["clerk"], party="某公司")
    with pytest.raises(ValidationError, match="上一办理环节"):
        services.resume(application, on=add_working_days(received, 2), user=office["clerk"])
    services.resume(application, on=add_working_days(received, 5), user=office["clerk"])
    with pytest.raises(ValidationError, match="上一办理环节"):
        services.reply(
            application,
            on=add_working_days(received, 4),
            user=office["reviewer"],
            result="granted",
            legal_basis="",
        )
    application.refresh_from_db()
    assert application.status == "processing" and application.replied_on is None

    online, _ = services.submit_online(office["county"], applicant_type="自然人", idempotency_key="d1")
    with pytest.raises(ValidationError, match="上一办理环节"):
        services.confirm(online, on=timezone.localdate() - dt.timedelta(days=1), user=office["clerk"])


def test_import_rejects_future_and_ancient_dates(tmp_path, office, capsys):
    base = {"organization": "11441700007280420Y", "channel": "信函", "applicant_type": "自然人"}
    rows = [
        {**base, "number": "A-1", "received_on": "2030-06-01"},
        {**base, "number": "A-2", "received_on": "0001-01-01"},
        {
            **base,
            "number": "A-3",
            "received_on": "2024-03-01",
            "replied_on": "2031-01-01",
            "result": "（一）予以公开",
        },
        {
            **base,
            "number": "A-4",
            "received_on": "2024-03-01",
            "replied_on": "2024-03-20",
            "result": "（一）予以公开",
        },
        "not a row",
    ]
    path = tmp_path / "台账.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    call_command("import_applications", str(path))
    out = capsys.readouterr().out
    assert "新建 1 件" in out and "拒绝 4 行" in out and "不能晚于今天" in out and "2008-05-01" in out
    assert list(Application.objects.values_list("number", flat=True)) == ["A-4"]


# ------------------------------------------------------------------ 5. paper applications' fields


def register_form(office, **overrides):
    data = {
        "organisation": office["county"].pk,
        "channel": "信函",
        "received_on": received_days_ago().isoformat(),
        "applicant_type": "自然人",
        "applicant_name": NAME,
        "id_type": "居民身份证",
        "id_number": ID,
        "phone": "13912345678",
        "address": "龙溪县人民路8号",
        "description": "某文件",
        "form_wanted": "纸质",
        "delivery": "邮寄",
    }
    data.update(overrides)
    return data


def test_paper_application_fields_are_normalised_not_rejected(client, office):
    client.force_login(office["clerk"])
    full_width_id = ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    response = client.post(
        "/admin/applications/new/",
        register_form(office, id_number=" " + full_width_id, phone="１３９ １２３４ ５６７８"),
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.id_number == ID and application.phone == "13912345678"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"id_number": ID[:17] + "9"}, "校验码"),
        ({"phone": "12345"}, "联系电话格式不正确"),
        ({"address": ""}, "选择邮寄时"),
        ({"address": "8号"}, "邮寄地址不完整"),
        ({"applicant_type": "商业企业"}, "统一社会信用代码"),
        ({"phone": "", "address": "", "delivery": "当面领取"}, "至少填写一种联系方式"),
    ],
)
def test_paper_application_fields_are_checked_like_the_online_form(client, office, overrides, message):
    client.force_login(office["clerk"])
    response = client.post("/admin/applications/new/", register_form(office, **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Application.objects.exists()


# ------------------------------------------------------------------ 6. 查询码


@pytest.fixture
def submitted(office):
    application, _ = services.submit_online(
        office["county"],
        applicant_type="自然人",
        applicant_name=NAME,
        description="某信息",
        idempotency_key="q",
    )
    return application


def test_query_code_in_the_url_opens_nothing(client, submitted):
    html = client.get(
        "/ysqgk/track/", {"number": submitted.number, "code": submitted.query_code}
    ).content.decode()
    assert "待确认" not in html and submitted.organisation.name not in html
    assert 'method="post"' in html


def test_ten_wrong_codes_per_address_then_a_chinese_message(client, submitted):
    for _ in range(10):
        response = client.post("/ysqgk/track/", {"number": submitted.number, "code": "WRONG123"})
        assert response.status_code == 400
    blocked = client.post("/ysqgk/track/", {"number": submitted.number, "code": submitted.query_code})
    assert blocked.status_code == 429 and "错误次数过多" in blocked.content.decode()
    # Another address is not blocked.
    other = client.post(
        "/ysqgk/track/", {"number": submitted.number, "code": submitted.query_code}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_tracking_lives_only_in_the_browser_session(client, office, submitted):
    response = client.post("/ysqgk/track/", {"number": submitted.number, "code": submitted.query_code})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # ends when the browser closes
    assert "待确认" in client.get("/ysqgk/track/").content.decode()
    session = client.session
    session["zwgk_tracked"]["until"] = 0  # the short grant has run out
    session.save()
    assert "待确认" not in client.get("/ysqgk/track/").content.decode()


def test_receipt_is_a_browser_session_page(client, office):
    form = {
        "organisation": office["county"].pk,
        "applicant_type": "自然人",
        "applicant_name": NAME,
        "id_type": "居民身份证",
        "id_number": ID,
        "phone": "13912345678",
        "email": "zxm@example.com",
        "description": "某信息",
        "form_wanted": "电子",
        "delivery": "电子邮件",
        "token": "t-r",
    }
    response = client.post("/ysqgk/", form)
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]
    application = Application.objects.get()
    receipt = client.get("/ysqgk/receipt/").content.decode()
    assert application.query_code in receipt and f"code={application.query_code}" not in receipt
    session = client.session
    session["zwgk_applied"]["until"] = 0
    session.save()
    assert client.get("/ysqgk/receipt/").status_code == 302
