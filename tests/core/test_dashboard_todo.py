"""工作台 to-do panels per role (issue 26): what each role sees, never another organ's items, the
days written out, and a few queries per panel."""

import datetime as dt
import re

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests import factories
from zwgk.applications import services
from zwgk.applications.dashboard import DueApplicationsPanel
from zwgk.applications.models import Application
from zwgk.core import roles
from zwgk.core.workdays import add_working_days, working_days_between
from zwgk.disclosure.dashboard import ExpiringPoliciesPanel, InterpretationBacklogPanel, ReviewQueuePanel
from zwgk.disclosure.models import ArticlePage, PolicyDocumentPage
from zwgk.screening.dashboard import FindingsPanel
from zwgk.screening.models import PageFinding

pytestmark = pytest.mark.django_db


def _apply(org, received_on, name):
    return services.register_application(
        org,
        channel="信函",
        received_on=received_on,
        user=None,
        applicant_type="自然人",
        applicant_name=name,
        description=f"{name}申请的信息",
    )


def _submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def _finding(page, severity, kind="mobile", text="13800138000"):
    return PageFinding.objects.create(
        page=page, source="正文", kind=kind, severity=severity, start=0, end=11, text=text, live_only=False
    )


def _policy(library, org, title, **kwargs):
    if "expiry_date" in kwargs:
        kwargs["doc_kind"] = "rule"  # 规章: has a term of validity, needs no 解读 here
    return library.add_child(instance=PolicyDocumentPage(title=title, organisation=org, live=True, **kwargs))


@pytest.fixture
def world():
    today = timezone.localdate()
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    township = factories.organisation(parent=county, name="龙溪县青山镇人民政府", slug="qsz")
    _, column, library = factories.site()
    users = {
        "xinxi": factories.staff("xinxi", county, roles.INFORMANT),
        "chushen": factories.staff("chushen", county, roles.FIRST_REVIEW),
        "baomi": factories.staff("baomi", county, roles.SECRECY_REVIEW),
        "shenhe": factories.staff("shenhe", county, roles.APPLICATION_REVIEW),
        "guanli": factories.staff("guanli", county, roles.ADMINISTRATOR),
        "zhen": factories.staff("zhen", township, roles.INFORMANT, roles.FIRST_REVIEW),
    }
    # Applications: overdue, due soon, not due yet, assigned to someone else, the township's.
    overdue = _apply(county, add_working_days(today, -24), "超期甲")
    soon = _apply(county, add_working_days(today, -17), "将到期乙")
    _apply(county, add_working_days(today, -2), "未到期丙")
    assigned = _apply(county, add_working_days(today, -19), "已分配丁")
    Application.objects.filter(pk=assigned.pk).update(handler=users["guanli"])
    town_app = _apply(township, add_working_days(today, -23), "镇申请戊")
    # 三审: a county draft and a township draft, both submitted by the county 信息员.
    county_draft = column.add_child(
        instance=ArticlePage(title="县政府待审草稿", organisation=county, live=False)
    )
    town_draft = column.add_child(
        instance=ArticlePage(title="青山镇待审草稿", organisation=township, live=False)
    )
    _submit(county_draft, users["xinxi"])
    _submit(town_draft, users["xinxi"])
    # Findings on the drafts.
    PageFinding.objects.all().delete()
    _finding(county_draft, "禁止", "id_card", "110101199003077777")
    _finding(town_draft, "提示", "typo", "既使")
    # 待解读 and expiring documents.
    long_ago = timezone.now() - dt.timedelta(days=20)
    _policy(library, county, "县规范性文件待解读", first_published_at=long_ago)
    _policy(library, township, "镇规范性文件待解读", first_published_at=long_ago)
    _policy(
        library,
        county,
        "县文件十天后到期",
        first_published_at=long_ago,
        expiry_date=today + dt.timedelta(days=10),
    )
    _policy(
        library,
        county,
        "县文件已过有效期",
        first_published_at=long_ago,
        expiry_date=today - dt.timedelta(days=3),
    )
    _policy(
        library,
        county,
        "县文件明年到期",
        first_published_at=long_ago,
        expiry_date=today + dt.timedelta(days=300),
    )
    _policy(
        library,
        township,
        "镇文件五天后到期",
        first_published_at=long_ago,
        expiry_date=today + dt.timedelta(days=5),
    )
    return {
        "today": today,
        "users": users,
        "apps": {"overdue": overdue, "soon": soon, "assigned": assigned, "town": town_app},
    }


def _dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _clock_words(application, today):
    state = application.clock(today)
    if state.overdue:
        return f"已超期 {working_days_between(state.due, today)} 个工作日"
    return f"剩余 {state.days_left} 个工作日"


def test_informant_sees_own_and_unassigned_applications_with_days_in_words(client, world):
    today, apps = world["today"], world["apps"]
    page = _dashboard(client, world["users"]["xinxi"])
    assert "依申请公开：即将到期和已超期的申请（3）" in page
    overdue_words = _clock_words(apps["overdue"], today)
    assert overdue_words.startswith("已超期 ") and overdue_words in page
    assert working_days_between(apps["overdue"].clock(today).due, today) >= 3
    assert _clock_words(apps["soon"], today) in page and "剩余 " in page
    assert f'href="/admin/applications/{apps["overdue"].pk}/"' in page
    assert apps["town"].number in page  # the township is inside the county's subtree
    assert apps["assigned"].number not in page  # assigned to the 管理员: not this 信息员's
    assert "未到期丙" not in page and not re.search(r">\s*-\d", page)  # never a bare "-4"
    # Their drafts' findings, the 待解读 and expiring documents; no 三审 queue (not a reviewer).
    assert "本机关草稿的审查发现（2）" in page
    assert "待解读的规范性文件（2）" in page and "县规范性文件待解读" in page
    assert "还有 10 天到期" in page and "已过有效期 3 天，仍标为有效" in page and "县文件明年到期" not in page
    assert "三审：待我审核" not in page
    assert "110101199003077777" not in page  # the matched personal data is not repeated on the dashboard


def test_first_reviewer_sees_only_the_review_queue(client, world):
    page = _dashboard(client, world["users"]["chushen"])
    assert "三审：待我审核（2）" in page
    assert "县政府待审草稿" in page and "青山镇待审草稿" in page and "初审" in page
    for other in ("依申请公开：", "审查发现", "待解读的规范性文件", "即将到期的规范性文件"):
        assert other not in page


def test_secrecy_reviewer_sees_blocking_findings_and_an_empty_queue(client, world):
    page = _dashboard(client, world["users"]["baomi"])
    assert "待我处理的禁止类审查发现（1）" in page and "县政府待审草稿" in page
    assert "身份证号码" in page and "错别字" not in page  # 提示 findings are the writer's, not theirs
    assert "三审：待我审核（0）" in page and "暂无待办" in page  # 复审 has nothing yet: 初审 comes first
    assert "依申请公开：" not in page


def test_application_reviewer_sees_every_application_of_the_subtree(client, world):
    apps = world["apps"]
    page = _dashboard(client, world["users"]["shenhe"])
    assert "依申请公开：即将到期和已超期的申请（4）" in page
    assert apps["assigned"].number in page and apps["town"].number in page
    for other in ("三审：待我审核", "审查发现", "待解读的规范性文件", "即将到期的规范性文件"):
        assert other not in page


def test_administrator_sees_applications_findings_and_documents(client, world):
    page = _dashboard(client, world["users"]["guanli"])
    assert "依申请公开：即将到期和已超期的申请（4）" in page
    assert "待我处理的禁止类审查发现（1）" in page
    assert "待解读的规范性文件（2）" in page and "即将到期的规范性文件（30天内）（3）" in page
    assert "三审：待我审核" not in page


def test_township_user_never_sees_the_county(client, world):
    apps = world["apps"]
    page = _dashboard(client, world["users"]["zhen"])
    assert "依申请公开：即将到期和已超期的申请（1）" in page and apps["town"].number in page
    for number in (apps["overdue"].number, apps["soon"].number, apps["assigned"].number):
        assert number not in page
    assert "三审：待我审核（1）" in page and "青山镇待审草稿" in page and "县政府待审草稿" not in page
    assert "本机关草稿的审查发现（1）" in page and "错别字" in page and "身份证号码" not in page
    assert (
        "待解读的规范性文件（1）" in page
        and "镇规范性文件待解读" in page
        and "县规范性文件待解读" not in page
    )
    assert "即将到期的规范性文件（30天内）（1）" in page and "还有 5 天到期" in page and "县文件" not in page


def test_full_list_links_open(client, world):
    user = world["users"]["guanli"]
    client.force_login(user)
    for url in ("/admin/applications/", "/admin/disclosure/backlog/", "/admin/disclosure/expiring/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/screening/findings/?status=open&severity=禁止").status_code == 200
    client.force_login(world["users"]["chushen"])
    assert client.get("/admin/reports/workflow_tasks/").status_code == 200
    assert client.get("/admin/disclosure/expiring/").status_code in (302, 403)  # Wagtail: back to 工作台


def test_empty_states_say_nothing_to_do(client):
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    factories.site()
    page = _dashboard(client, factories.staff("guanli", county, roles.ADMINISTRATOR))
    assert "依申请公开：即将到期和已超期的申请（0）" in page
    # Every to-do panel the 管理员 sees is empty here and says so in words (not a blank box), except
    # last year's 年度报告, which a county that has just started has not published (条例第四十九条).
    panels = page.count("w-panel--dashboard zwgk-todo")
    assert panels >= 4 and page.count('<p class="zwgk-todo__empty">暂无待办</p>') == panels - 1
    assert "年度政府信息公开工作年度报告：待发布（1）" in page


@pytest.mark.parametrize(
    "panel_class, username",
    [
        (DueApplicationsPanel, "shenhe"),
        (ReviewQueuePanel, "chushen"),
        (FindingsPanel, "xinxi"),
        (InterpretationBacklogPanel, "guanli"),
        (ExpiringPoliciesPanel, "guanli"),
    ],
)
def test_each_panel_costs_a_few_queries(world, panel_class, username, django_assert_max_num_queries):
    # ReviewQueuePanel asks Wagtail's TaskState.reviewable_by (one query per active task for the groups).
    limit = 10 if panel_class is ReviewQueuePanel else 8
    from django.contrib.auth.models import User

    # More rows than the panel shows: the cost must not grow with them.
    county = world["apps"]["overdue"].organisation
    for i in range(12):
        _apply(county, add_working_days(world["today"], -22), f"批量{i}")
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username=username)
    with django_assert_max_num_queries(limit):
        html = panel_class().render_html({"request": request, "csrf_token": ""})
    assert "zwgk-todo" in html
