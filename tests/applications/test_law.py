"""The law of 依申请公开 beyond the reply clock (issue 21): every notice from its organ's template, Art. 36's
seven answer forms, the 补正 and fee periods, fees per applicant and month (国办函〔2020〕109号),
who may receive applications (Art. 27) and information several applicants want (Art. 44)."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.applications import services
from zwgk.applications.answers import check_answer, rows_for
from zwgk.applications.dashboard import period_rows
from zwgk.applications.fees import collected_total, fee_for_this_application, prior_count
from zwgk.applications.importer import import_rows
from zwgk.applications.models import Application, NoticeTemplate, OrganSettings
from zwgk.applications.notices import STARTER_NOTICES
from zwgk.applications.receiving import can_receive, proactive_candidates, receiving_organisations
from zwgk.core import roles
from zwgk.core.models import Organisation
from zwgk.core.workdays import add_working_days

pytestmark = pytest.mark.django_db
D = dt.date


def ago(n):
    return add_working_days(timezone.localdate(), -n)


@pytest.fixture
def county():
    government = factories.organisation(
        name="龙溪县人民政府", slug="xzf", kind=Organisation.Kind.GOVERNMENT, credit_code="11441700007280420Y"
    )
    factories.site()
    return government


@pytest.fixture
def clerk(county):
    return factories.staff("clerk", county, roles.INFORMANT, roles.APPLICATION_REVIEW)


def paper(org, user, received_on, **fields):
    return services.register_application(
        org,
        channel="当面",
        received_on=received_on,
        user=user,
        applicant_type=fields.pop("applicant_type", "自然人"),
        applicant_name=fields.pop("applicant_name", "欧阳明"),
        description=fields.pop("description", "2025年城乡低保资金发放情况"),
        **fields,
    )


def docx_text(event) -> str:
    with event.document.open("rb") as f:
        return "\n".join(p.text for p in docx.Document(io.BytesIO(f.read())).paragraphs)


# ---------------------------------------------------------------- notices


def test_art30_supplement_notice_states_the_organs_period_and_is_shown_to_the_applicant(
    client, county, clerk
):
    """条例第三十条: 补正告知书 with a reasonable period (the organ's, [M]), on the tracking page."""
    OrganSettings.objects.create(organisation=county, supplement_days=10)
    application = paper(county, clerk, ago(3))
    services.request_supplement(application, on=ago(2), user=clerk, note="请说明所需文件的文号")
    event = application.events.get(kind="supplement_requested")
    assert (
        event.days == 10
        and event.document_to_applicant
        and event.document_title == "政府信息公开申请补正告知书"
    )
    text = docx_text(event)
    assert "请说明所需文件的文号" in text and "10个工作日内" in text and "第三十条" in text
    deadline = add_working_days(ago(2), 10)
    assert f"{deadline:%Y年%-m月%-d日}" in text
    # The applicant sees and downloads it with the 查询码.
    client.post("/ysqgk/track/", {"number": application.number, "code": application.query_code})
    page = client.get("/ysqgk/track/").content.decode()
    assert "政府信息公开申请补正告知书" in page
    assert client.get(f"/ysqgk/track/letter/{event.pk}/").status_code == 200


def test_art30_supplement_period_defaults_to_15_working_days(county, clerk):
    """条例第三十条 “合理的补正期限”: 15 working days when the organ sets none ([M])."""
    application = paper(county, clerk, ago(3))
    services.request_supplement(application, on=ago(2), user=clerk, note="请补正")
    assert application.events.get(kind="supplement_requested").days == 15


def test_art30_close_without_supplement_only_after_the_period_lapsed(county, clerk):
    """条例第三十条: 逾期未补正 → （六）1 only once the stated period is over."""
    application = paper(county, clerk, ago(20))
    services.request_supplement(application, on=ago(19), user=clerk, note="请补正")  # 15 WD: ends ago(4)
    application = Application.objects.get(pk=application.pk)
    assert application.supplement_period()["deadline"] == ago(4)
    with pytest.raises(ValidationError, match="补正期限尚未届满"):
        services.close_without_supplement(application, on=ago(4), user=clerk)
    services.close_without_supplement(application, on=ago(3), user=clerk)
    assert Application.objects.get(pk=application.pk).result == "other.1"


def test_art33_extension_notice_states_the_new_deadline(county, clerk):
    """条例第三十三条第二款: 延期答复告知书 with the reason and the extended deadline."""
    application = paper(county, clerk, ago(10))
    services.extend(application, on=ago(1), user=clerk, days=10, approved_by="王主任", reason="涉及档案查找")
    event = application.events.get(kind="extended")
    text = docx_text(event)
    due = add_working_days(ago(10), 30)
    assert "涉及档案查找" in text and "延长10个工作日" in text and f"{due:%Y年%-m月%-d日}" in text
    assert event.document_to_applicant


@pytest.mark.parametrize(
    "joint, title, article", [(False, "征求第三方意见函", "第三十二条"), (True, "征求意见函", "第三十四条")]
)
def test_art32_art34_consultation_letters_go_to_the_other_side_not_the_applicant(
    client, county, clerk, joint, title, article
):
    """条例第三十二条 / 第三十四条: the letter to the third party or co-maker, 15 working days to answer;
    it is listed in the back office and never offered on the applicant's tracking page."""
    application = paper(county, clerk, ago(5))
    services.consult(application, on=ago(2), user=clerk, party="龙溪县某建材有限公司", joint=joint)
    event = application.events.get(kind="pause_started")
    text = docx_text(event)
    assert title in event.document_title and article in text and "龙溪县某建材有限公司" in text
    assert "15个工作日" in text and not event.document_to_applicant
    client.post("/ysqgk/track/", {"number": application.number, "code": application.query_code})
    assert title not in client.get("/ysqgk/track/").content.decode()
    assert client.get(f"/ysqgk/track/letter/{event.pk}/").status_code == 404
    client.force_login(clerk)
    assert title in client.get(f"/admin/applications/{application.pk}/").content.decode()


def test_notice_templates_per_organ_with_checked_placeholders(county, clerk):
    """Every notice from a template per organ (the organ's own, else the default seeded by migration)."""
    assert NoticeTemplate.objects.filter(organisation=None).count() == len(STARTER_NOTICES)
    bad = NoticeTemplate(
        kind="supplement", organisation=county, title="补正告知书", body="{applicant}：{amount}"
    )
    with pytest.raises(ValidationError, match="未知的占位符"):
        bad.full_clean()
    own = NoticeTemplate(
        kind="supplement",
        organisation=county,
        title="龙溪县补正告知书",
        body="{applicant}：请补正{items}，期限{period_days}个工作日。",
    )
    own.full_clean()
    own.save()
    department = factories.organisation(parent=county, name="龙溪县民政局", slug="mzj")
    application = paper(department, clerk, ago(3))
    services.request_supplement(application, on=ago(2), user=clerk, note="文号")
    event = application.events.get(kind="supplement_requested")
    assert event.document_title == "龙溪县补正告知书" and "请补正文号，期限15个工作日。" in docx_text(event)


# ---------------------------------------------------------------- Art. 36


def test_art36_each_form_counts_under_its_report_row():
    """条例第三十六条 → 表三 (spec §2.6): (一)(二) 予以公开, (三) 不予公开 by reason, (四)(五) 本机关不掌握,
    (六) 重复申请, (七) 行政查询事项."""
    assert rows_for("36.1") == rows_for("36.2") == ("granted",)
    assert "denied.4" in rows_for("36.3") and "denied.8" not in rows_for("36.3")
    assert rows_for("36.4") == rows_for("36.5") == ("unable.1",)
    assert rows_for("36.6") == ("not_processed.2",) and rows_for("36.7") == ("denied.8",)
    with pytest.raises(ValidationError, match="与所选办理结果不符"):
        check_answer("36.6", "granted")
    with pytest.raises(ValidationError, match="第三十六条第（五）项"):
        check_answer("36.5", "unable.1", "龙溪县自然资源局", "")


def test_art36_1_and_36_2_are_told_apart(county, clerk):
    """条例第三十六条第（一）项 (already public) and 第（二）项 (provided) both count as 予以公开 but are kept apart."""
    published, provided = paper(county, clerk, ago(3)), paper(county, clerk, ago(3))
    services.reply(published, on=ago(1), user=clerk, result="granted", legal_basis="", answer_form="36.1")
    services.reply(provided, on=ago(1), user=clerk, result="granted", legal_basis="", answer_form="36.2")
    published.refresh_from_db(), provided.refresh_from_db()
    assert (published.answer_form, provided.answer_form) == ("36.1", "36.2")
    assert published.result == provided.result == "granted"
    assert "第（一）" in published.events.get(kind="replied").note


def test_art36_6_is_implied_by_a_repeat_application(county, clerk):
    """条例第三十六条第（六）项: （五）2 重复申请 has only one answer form, set without asking."""
    application = paper(county, clerk, ago(3))
    services.reply(application, on=ago(1), user=clerk, result="not_processed.2", legal_basis="")
    application.refresh_from_db()
    assert application.answer_form == "36.6"


def test_art36_5_names_the_competent_organ_and_records_the_referral(client, county, clerk):
    """条例第三十六条第（五）项: the letter gives the responsible organ's name and contact; the referral and
    its 转送函 to that organ are in the ledger (the 转送函 is not the applicant's)."""
    application = paper(county, clerk, ago(3))
    services.reply(
        application,
        on=ago(1),
        user=clerk,
        result="unable.1",
        legal_basis="条例第三十六条第（五）项",
        answer_form="36.5",
        competent_organ="龙溪县自然资源局",
        competent_contact="0797-6123456，龙溪县行政中心5号楼",
    )
    reply_text = docx_text(application.events.get(kind="replied"))
    assert "龙溪县自然资源局" in reply_text and "0797-6123456" in reply_text
    referral = application.events.get(kind="referred")
    assert not referral.document_to_applicant and "转送函" in referral.document_title
    assert "龙溪县自然资源局" in docx_text(referral)
    assert ModelLogEntry.objects.filter(
        action="zwgk.application.referred", object_id=str(application.pk)
    ).exists()


# ---------------------------------------------------------------- fees (109号)


def test_109_count_based_fee_counts_one_applicant_per_month_across_the_governments_organs(county, clerk):
    """国办函〔2020〕109号 Art. 4: the applicant's 11th application in a month across the county's organs
    costs 100 元 — that application's part of the bands, not the month's total."""
    department = factories.organisation(parent=county, name="龙溪县民政局", slug="mzj")
    other_county = factories.organisation(
        name="青山县人民政府", slug="qsx", kind=Organisation.Kind.GOVERNMENT
    )
    other_clerk = factories.staff("other", other_county, roles.INFORMANT, roles.APPLICATION_REVIEW)
    day = ago(3)
    same = {"id_type": "居民身份证", "id_number": "11010519491231002X"}
    for _ in range(6):
        paper(county, clerk, day, **same)
    for _ in range(4):
        paper(department, clerk, day, **same)
    paper(other_county, other_clerk, day, **same)  # another government: not counted
    paper(county, clerk, day, applicant_name="张三")  # another applicant: not counted
    eleventh = paper(department, clerk, day, **same)
    assert prior_count(eleventh) == 10
    assert services.send_fee_notice(eleventh, on=ago(2), user=clerk, method="按件", quantity=1) == 100
    fee = Application.objects.get(pk=eleventh.pk).fee
    assert fee.prior_count == 10 and fee.amount == Decimal(100)
    assert fee_for_this_application(30, 1) == 200 and fee_for_this_application(0, 10) == 0


def test_109_nothing_to_charge_below_the_free_count(county, clerk):
    """109号 Art. 4: the first ten applications of a month are free — no 收费通知."""
    application = paper(county, clerk, ago(3))
    with pytest.raises(ValidationError, match="无需发出收费通知"):
        services.send_fee_notice(application, on=ago(2), user=clerk, method="按件", quantity=1)


def test_109_fee_notice_reduction_receipt_and_yearly_total(client, county, clerk):
    """109号: 收费通知书 to the applicant (amount, 减免 with reason, 20 WD to pay); payment with a receipt
    number; the year's total (年报 section 六) counts what was paid, less 减免."""
    application = paper(county, clerk, ago(5))
    with pytest.raises(ValidationError, match="说明理由"):
        services.send_fee_notice(
            application, on=ago(4), user=clerk, method="按量", quantity=250, reduction=700
        )
    payable = services.send_fee_notice(
        application,
        on=ago(4),
        user=clerk,
        method="按量",
        quantity=250,
        reduction=700,
        reduction_reason="低保对象",
    )
    assert payable == 4000
    event = application.events.get(kind="fee_notice")
    text = docx_text(event)
    assert (
        "4700" in text and "减免700元（低保对象）" in text and "4000" in text and event.document_to_applicant
    )
    application = Application.objects.get(pk=application.pk)
    with pytest.raises(ValidationError, match="票据号码"):
        services.record_fee_payment(application, on=ago(1), user=clerk, receipt_number=" ")
    services.record_fee_payment(application, on=ago(1), user=clerk, receipt_number="川财0012345")
    paid = Application.objects.get(pk=application.pk)
    assert paid.fee.receipt_number == "川财0012345" and paid.status == "processing"
    year = ago(1).year
    assert collected_total([county.pk], year) == Decimal(4000)
    assert collected_total([county.pk], year - 1) == Decimal(0)
    assert isinstance(collected_total([], year), Decimal)


def test_109_unpaid_fee_closes_only_after_20_working_days(county, clerk):
    """109号: 逾期未缴费 → （六）2 only after 20 working days from the notice."""
    application = paper(county, clerk, ago(30))
    services.send_fee_notice(application, on=ago(25), user=clerk, method="按量", quantity=100)
    application = Application.objects.get(pk=application.pk)
    assert application.fee.pay_by == ago(5)
    with pytest.raises(ValidationError, match="缴费期限尚未届满"):
        services.close_fee_unpaid(application, on=ago(5), user=clerk)
    services.close_fee_unpaid(application, on=ago(4), user=clerk)
    assert Application.objects.get(pk=application.pk).result == "other.2"


def test_supplement_and_fee_periods_are_due_items_on_the_dashboard(client, county, clerk):
    """条例第三十条 and 109号: a lapsed 补正 or payment period is a to-do on the 工作台."""
    waiting = paper(county, clerk, ago(20))
    services.request_supplement(waiting, on=ago(19), user=clerk, note="请补正")
    unpaid = paper(county, clerk, ago(30))
    services.send_fee_notice(unpaid, on=ago(25), user=clerk, method="按量", quantity=100)
    fresh = paper(county, clerk, ago(3))
    services.request_supplement(fresh, on=ago(2), user=clerk, note="请补正")
    rows = {(row[0].pk, row[1]) for row in period_rows(clerk)}
    assert rows == {(waiting.pk, "补正期限"), (unpaid.pk, "缴费期限")}
    client.force_login(clerk)
    page = client.get("/admin/").content.decode()
    assert "补正和缴费期限" in page and waiting.number in page and "可按逾期未缴费处理" in page


# ---------------------------------------------------------------- Art. 27, Art. 44, import


def test_art27_internal_bodies_cannot_receive_applications(client, county, clerk):
    """条例第二十七条: a township's internal departments, and a department's internal body marked so, are not
    offered on the form, and registration for them is refused citing the article."""
    township = factories.organisation(
        parent=county, name="青山镇人民政府", slug="qsz", kind=Organisation.Kind.TOWNSHIP
    )
    town_office = factories.organisation(parent=township, name="青山镇党政综合办公室", slug="qszb")
    department = factories.organisation(parent=county, name="龙溪县民政局", slug="mzj")
    section = factories.organisation(parent=department, name="龙溪县民政局社会救助股", slug="mzjs")
    OrganSettings.objects.create(organisation=section, accepts_applications=False)
    assert can_receive(county) and can_receive(township) and can_receive(department)
    assert not can_receive(town_office) and not can_receive(section)
    assert set(receiving_organisations()) == {county, township, department}
    page = client.get("/ysqgk/").content.decode()
    assert "青山镇人民政府" in page and "党政综合办公室" not in page and "社会救助股" not in page
    with pytest.raises(ValidationError, match="第二十七条"):
        paper(town_office, clerk, ago(1))
    client.force_login(clerk)
    form = client.get("/admin/applications/new/").content.decode()
    assert "龙溪县民政局" in form and "社会救助股" not in form


def test_art44_information_several_applicants_want_is_listed_for_proactive_disclosure(client, county, clerk):
    """条例第四十四条: the same information, disclosable, asked for by several applicants → listed."""
    for name in ("甲", "乙"):
        application = paper(county, clerk, ago(3), applicant_name=name)
        services.reply(application, on=ago(1), user=clerk, result="granted", legal_basis="")
        services.set_information_item(application, user=clerk, item="2025年低保资金发放情况")
    repeat = paper(county, clerk, ago(3), applicant_name="丙")
    services.reply(repeat, on=ago(1), user=clerk, result="granted", legal_basis="")
    services.set_information_item(repeat, user=clerk, item="城区停车场规划")
    again = paper(county, clerk, ago(3), applicant_name="丙")
    services.reply(again, on=ago(1), user=clerk, result="granted", legal_basis="")
    services.set_information_item(
        again, user=clerk, item="城区停车场规划"
    )  # one applicant twice: not several
    groups = proactive_candidates(Application.objects.all())
    assert [(g["item"], g["applicants"]) for g in groups] == [("2025年低保资金发放情况", 2)]
    client.force_login(clerk)
    page = client.get("/admin/").content.decode()
    assert "建议纳入主动公开的信息" in page and "2025年低保资金发放情况" in page


def test_ledger_import_goes_through_the_services_with_audit_entries(county):
    """The 台账 import writes its applications and their ledger with audit entries (条例第四十五条 records)."""
    report = import_rows(
        [
            {
                "organization": county.credit_code,
                "number": "TZ-2024-001",
                "channel": "信函",
                "applicant_type": "自然人",
                "received_on": "2024-03-01",
                "replied_on": "2024-03-20",
                "result": "（一）予以公开",
            }
        ]
    )
    assert report.created == 1
    application = Application.objects.get(number="TZ-2024-001")
    assert [e.kind for e in application.events.all()] == ["registered", "replied"]
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(application.pk)).values_list("action", flat=True)
    )
    assert {"zwgk.application.registered", "zwgk.application.replied"} <= actions


def test_art44_one_applicant_asking_twice_is_not_several(county, clerk):
    """条例第四十四条 “多个申请人”: the same applicant's repeated requests do not make the information a candidate."""
    for _ in range(3):
        application = paper(
            county, clerk, ago(3), applicant_name="甲", id_type="居民身份证", id_number="11010519491231002X"
        )
        services.reply(application, on=ago(1), user=clerk, result="granted", legal_basis="")
        services.set_information_item(application, user=clerk, item="同一信息")
    assert proactive_candidates(Application.objects.all()) == []
