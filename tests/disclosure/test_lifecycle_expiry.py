"""规范性文件 that lapse (spec §7.3: 有效期制度, expired without renewal ⇒ 自动失效; 有效期评估 six months before,
the 山东 rule [M]) and 登记号 (spec §7.3, a per-province pattern [M])."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import PageLogEntry

from tests import factories
from zwgk.disclosure import rules
from zwgk.disclosure.lifecycle import expire_lapsed, record_review, reviews_due
from zwgk.disclosure.models import PolicyDocumentPage
from zwgk.disclosure.vocab import Validity
from zwgk.reports.annual import build_annual_report

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", credit_code="11441700007280420Y", slug="xzf")
    _, _, library = factories.site()
    return org, library


def policy(library, org, title, **kwargs):
    kwargs.setdefault("doc_kind", "normative")
    kwargs.setdefault("written_date", D(2023, 1, 5))
    page = PolicyDocumentPage(title=title, organisation=org, live=False, **kwargs)
    library.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def in_force(org, year):
    return build_annual_report(org, year)["二、主动公开政府信息情况"]["第二十条第（一）项"]["行政规范性文件"][
        "现行有效件数"
    ]


def test_a_document_past_its_expiry_lapses_by_itself_with_an_audit_entry(client, county):
    """spec §7.3: expired without renewal ⇒ 自动失效 — dated the day after 有效期至, by the system, logged;
    the portal banner, the library's 有效性 filter and 表二 follow the same day."""
    org, library = county
    lapsing = policy(library, org, "龙溪县某暂行办法", expiry_date=D(2025, 6, 30))
    lasting = policy(library, org, "龙溪县某管理办法", expiry_date=D(2027, 6, 30))
    undated = policy(library, org, "龙溪县某规定")
    assert in_force(org, 2024) == 3

    assert expire_lapsed(D(2025, 6, 30)) == []  # in force through 有效期至
    changes = expire_lapsed(D(2025, 7, 1))
    assert [c.document_id for c in changes] == [lapsing.pk]
    lapsing.refresh_from_db()
    assert lapsing.validity == Validity.EXPIRED and lapsing.validity_changed_on == D(2025, 7, 1)
    entry = PageLogEntry.objects.get(page=lapsing, action="zwgk.policy.status")
    assert entry.user is None and entry.data["new"] == "expired" and "自动失效" in entry.data["note"]
    assert expire_lapsed(D(2025, 7, 2)) == []  # run again: nothing more (the daily run resumes safely)
    for other in (lasting, undated):
        other.refresh_from_db()
        assert other.validity == Validity.VALID

    html = client.get(lapsing.url).content.decode()
    assert "本文件失效" in html
    listed = client.get(library.url, {"validity": "expired"}).content.decode()
    assert lapsing.title in listed and lasting.title not in listed
    assert in_force(org, 2025) == 2


def test_table2_counts_documents_in_force_on_31_december_and_renewed_ones_again(county):
    """年报表二 现行有效件数 (spec §2.2): past 有效期至 not counted even before the daily run recorded it; a
    document renewed after lapsing counts again from its renewal."""
    org, library = county
    doc = policy(library, org, "龙溪县某试行办法", expiry_date=D(2025, 3, 31))
    assert in_force(org, 2024) == 1 and in_force(org, 2025) == 0  # not yet marked, still not in force
    expire_lapsed(D(2025, 4, 1))
    assert in_force(org, 2025) == 0
    record_review(
        doc,
        "renew",
        user=None,
        on_date=D(2026, 2, 1),
        reason="经评估继续执行",
        new_expiry_date=D(2031, 1, 31),
    )
    doc.refresh_from_db()
    assert doc.validity == Validity.VALID and doc.expiry_date == D(2031, 1, 31)
    assert in_force(org, 2025) == 0 and in_force(org, 2026) == 1


def test_review_opens_six_months_before_expiry_and_closes_with_its_outcome(client, county):
    """spec §7.3 (山东 rule): evaluation six months before expiry, decide 延续 / 修订 / 失效; published."""
    org, library = county
    clerk = factories.staff("clerk", org, "信息员")
    soon = policy(library, org, "五个月后到期的办法", expiry_date=D(2026, 5, 31))
    later = policy(library, org, "七个月后到期的办法", expiry_date=D(2026, 7, 31))
    ending = policy(library, org, "决定失效的办法", expiry_date=D(2026, 3, 31))
    revising = policy(library, org, "决定修订的办法", expiry_date=D(2026, 4, 30))
    today = D(2026, 1, 1)
    assert rules.review_opens_on(D(2026, 8, 31)) == D(2026, 2, 28)
    assert list(reviews_due(today)) == [ending, revising, soon]
    with override_settings(ZWGK_POLICY_REVIEW_MONTHS=7):
        assert later in reviews_due(today)

    with pytest.raises(ValidationError, match="新有效期"):
        record_review(soon, "renew", user=clerk, on_date=today, reason="继续执行")
    with pytest.raises(ValidationError, match="评估意见"):
        record_review(soon, "renew", user=clerk, on_date=today, reason=" ", new_expiry_date=D(2031, 5, 31))
    record_review(
        soon, "renew", user=clerk, on_date=today, reason="继续执行<b>", new_expiry_date=D(2031, 5, 31)
    )
    record_review(ending, "expire", user=clerk, on_date=D(2026, 1, 10), reason="已无执行必要")
    record_review(revising, "revise", user=clerk, on_date=D(2026, 1, 10), reason="上位法已修改，启动修订")
    assert list(reviews_due(today)) == []
    soon.refresh_from_db()
    ending.refresh_from_db()
    revising.refresh_from_db()
    assert soon.expiry_date == D(2031, 5, 31) and soon.validity == Validity.VALID
    assert ending.validity == Validity.EXPIRED and ending.validity_changed_on == D(2026, 1, 10)
    assert revising.validity == Validity.VALID  # stays in force until the revising document replaces it
    assert PageLogEntry.objects.filter(page=soon, action="zwgk.policy.review", user=clerk).exists()
    with pytest.raises(ValidationError, match="已经记录"):
        record_review(revising, "expire", user=clerk, on_date=D(2026, 1, 11), reason="再次")

    html = client.get(soon.url).content.decode()
    assert "评估结论：延续，有效期延续至2031年5月31日。继续执行&lt;b&gt;" in html


def test_review_form_and_dashboard_task_for_the_organs_clerk(client, county):
    """The organ's 信息员 sees the review task on the 工作台 and records the outcome in its form."""
    import django.utils.timezone as tz

    org, library = county
    other = factories.organisation(name="龙溪县财政局", slug="czj")
    today = tz.localdate()
    mine = policy(library, org, "本机关即将到期的办法", expiry_date=today + dt.timedelta(days=60))
    theirs = policy(library, other, "他机关即将到期的办法", expiry_date=today + dt.timedelta(days=60))
    clerk = factories.staff("clerk2", org, "信息员")
    outsider = factories.staff("clerk3", other, "信息员")
    client.force_login(clerk)
    page = client.get("/admin/").content.decode()
    assert "有效期评估：6个月内到期的规范性文件（" in page and mine.title in page
    client.force_login(outsider)
    assert client.get(f"/admin/disclosure/review/{mine.pk}/").status_code in (302, 403)
    assert mine.title not in client.get("/admin/disclosure/reviews/").content.decode()
    assert theirs.title in client.get("/admin/disclosure/reviews/").content.decode()

    client.force_login(clerk)
    response = client.post(
        f"/admin/disclosure/review/{mine.pk}/",
        {"outcome": "renew", "reason": "继续执行", "on_date": today.isoformat(), "new_expiry_date": ""},
    )
    assert "延续须填写" in response.content.decode()
    response = client.post(
        f"/admin/disclosure/review/{mine.pk}/",
        {
            "outcome": "renew",
            "reason": "继续执行",
            "on_date": today.isoformat(),
            "new_expiry_date": (today + dt.timedelta(days=5 * 365)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert (
        f"/admin/disclosure/review/{mine.pk}/"
        not in client.get("/admin/disclosure/reviews/").content.decode()
    )


def test_daily_command_expires_and_reports(county):
    """`zwgk lifecycle`: the daily run (cron) of 自动失效, with the count of reviews due."""
    org, library = county
    doc = policy(library, org, "到期的办法", expiry_date=D(2025, 12, 31))
    out = io.StringIO()
    call_command("lifecycle", "--date", "2026-01-01", stdout=out)
    doc.refresh_from_db()
    assert doc.validity == Validity.EXPIRED and "自动失效 1 件" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("lifecycle", "--date", "2026-13-01", stdout=io.StringIO())


@override_settings(
    ZWGK_REGISTRATION_NUMBER_PATTERN=r"[\u4e00-\u9fa5]+规〔\d{4}〕[1-9]\d*号",
    ZWGK_REGISTRATION_NUMBER_EXAMPLE="龙府规〔2025〕1号",
)
def test_registration_number_follows_the_provinces_pattern_and_shows_in_the_metadata(client, county):
    """spec §7.3: 登记号 / 统一登记编号 where the province uses one (configurable pattern [M])."""
    org, library = county
    rules.validate_registration_number("龙府规〔2025〕1号")
    rules.validate_registration_number("")
    with pytest.raises(ValidationError, match="龙府规〔2025〕1号"):
        rules.validate_registration_number("龙府规[2025]1号")
    doc = policy(library, org, "登记的办法", registration_number="龙府规〔2025〕1号")
    doc.full_clean()
    html = client.get(doc.url).content.decode()
    assert "登&ensp;记&ensp;号" in html and "龙府规〔2025〕1号" in html
    with override_settings(ZWGK_REGISTRATION_NUMBER_PATTERN=""):
        rules.validate_registration_number("任意编号")
