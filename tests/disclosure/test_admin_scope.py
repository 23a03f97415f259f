"""Staff see only their own organ's work: every back-office view of a page or revision (issue 19).

Two townships under one county. Township B's items carry a secret title and body (a never-published
draft, and a live item with a newer draft under 三审); township A's 信息员, 初审 and 管理员 request every
back-office URL that names the pages or lists them, and never get the secret back.
"""

import pytest
from wagtail.actions.delete_page import DeletePageAction
from wagtail.models import Page, PageLogEntry

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage

pytestmark = pytest.mark.django_db

SECRET_TITLE = "乙镇机密草稿标题"
SECRET_BODY = "乙镇机密正文内容"
SECRET_DRAFT_TITLE = "乙镇未发布草稿标题"
LIVE_TITLE_B = "乙镇已公开通知"
OWN_TITLE = "甲镇自己的草稿标题"
SECRETS = (SECRET_TITLE, SECRET_BODY, SECRET_DRAFT_TITLE)


def _submit(page, user):
    revision = page.save_revision(user=user)
    state = page.get_workflow().start(page, user)
    return revision, state


@pytest.fixture
def world():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    town_a = factories.organisation(parent=county, name="甲镇人民政府", slug="jz", kind="township")
    town_b = factories.organisation(parent=county, name="乙镇人民政府", slug="yz", kind="township")
    home, column, library = factories.site()
    b_clerk = factories.staff("b_clerk", town_b, roles.INFORMANT)
    a_clerk = factories.staff("a_clerk", town_a, roles.INFORMANT)

    # B: a live item whose newer draft (secret title and body) is in 三审, locked by B's clerk.
    live_b = column.add_child(
        instance=ArticlePage(title=LIVE_TITLE_B, organisation=town_b, body="<p>已公开正文</p>", live=False)
    )
    live_b.save_revision(user=b_clerk).publish()
    live_b.refresh_from_db()
    live_b.title = SECRET_TITLE
    live_b.body = f"<p>{SECRET_BODY}</p>"
    revision_b, state_b = _submit(live_b, b_clerk)
    Page.objects.filter(pk=live_b.pk).update(locked=True, locked_by=b_clerk)
    # B: a never-published draft, its title secret in the page row itself.
    draft_b = column.add_child(
        instance=ArticlePage(
            title=SECRET_DRAFT_TITLE, organisation=town_b, body=f"<p>{SECRET_BODY}</p>", live=False
        )
    )
    draft_b.save_revision(user=b_clerk)
    # A's own item, also in 三审.
    own = column.add_child(instance=ArticlePage(title=OWN_TITLE, organisation=town_a, live=False))
    own_revision, own_state = _submit(own, a_clerk)
    return dict(
        county=county,
        town_a=town_a,
        town_b=town_b,
        column=column,
        home=home,
        live_b=live_b,
        revision_b=revision_b,
        state_b=state_b,
        draft_b=draft_b,
        own=own,
        own_revision=own_revision,
        own_state=own_state,
        a_clerk=a_clerk,
        a_first=factories.staff("a_first", town_a, roles.FIRST_REVIEW),
        a_admin=factories.staff("a_admin", town_a, roles.ADMINISTRATOR),
        county_user=factories.staff("county_user", county, roles.INFORMANT, roles.FIRST_REVIEW),
    )


def page_urls(page, revision_id, workflow_state=None, task_id=None):
    pid = page.pk
    urls = [
        f"/admin/pages/{pid}/edit/",
        f"/admin/pages/{pid}/edit/preview/",
        f"/admin/pages/{pid}/view_draft/",
        f"/admin/pages/{pid}/revisions/{revision_id}/view/",
        f"/admin/pages/{pid}/revisions/compare/earliest...latest/",
        f"/admin/pages/{pid}/revisions/compare/live...latest/",
        f"/admin/pages/{pid}/history/",
        f"/admin/pages/{pid}/history/results/",
        f"/admin/pages/{pid}/workflow_history/",
        f"/admin/pages/{pid}/usage/",
        f"/admin/pages/{pid}/move/",
        f"/admin/pages/{pid}/copy/",
        f"/admin/pages/{pid}/delete/",
        f"/admin/pages/{pid}/unpublish/",
        f"/admin/pages/{pid}/",
        f"/admin/choose-page/{pid}/",
        f"/admin/api/main/pages/{pid}/",
        f"/admin/bulk/wagtailcore/page/delete/?id={pid}",
    ]
    if workflow_state is not None:
        urls.append(f"/admin/pages/{pid}/workflow_history/detail/{workflow_state.pk}/")
    if task_id is not None:
        urls.append(f"/admin/pages/workflow/preview/{pid}/{task_id}/")
    return urls


def list_urls(world):
    return [
        "/admin/",
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow/results/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/workflow_tasks/results/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/reports/aging-pages/results/",
        f"/admin/pages/{world['column'].pk}/",
        f"/admin/pages/{world['column'].pk}/?q=乙镇",
        "/admin/pages/search/?q=乙镇",
        "/admin/pages/search/results/?q=乙镇",
        "/admin/pages/usage/disclosure/articlepage/",
        f"/admin/choose-page/{world['column'].pk}/",
        "/admin/choose-page/search/?q=乙镇",
        "/admin/api/main/pages/",
        f"/admin/api/main/pages/?child_of={world['column'].pk}&for_explorer=1",
        "/admin/api/main/pages/?search=乙镇",
    ]


def _b_pages(world):
    task_id = world["state_b"].current_task_state.task_id
    return page_urls(world["live_b"], world["revision_b"].pk, world["state_b"], task_id) + page_urls(
        world["draft_b"], world["draft_b"].latest_revision_id
    )


@pytest.mark.parametrize("who", ["a_clerk", "a_first", "a_admin"])
def test_other_organs_pages_and_revisions_answer_403_or_404(client, world, who):
    client.force_login(world[who])
    for url in _b_pages(world):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        body = response.content.decode()
        for secret in SECRETS + (LIVE_TITLE_B,):
            assert secret not in body, (url, secret)


@pytest.mark.parametrize("who", ["a_clerk", "a_first", "a_admin"])
def test_lists_reports_and_dashboard_leave_out_other_organs(client, world, who):
    client.force_login(world[who])
    for url in list_urls(world):
        response = client.get(url)
        # 302: Wagtail sends a user without the report's permission (only 管理员 may unlock) home.
        expected = (200, 302) if url == "/admin/reports/locked/" and who != "a_admin" else (200,)
        assert response.status_code in expected, (url, response.status_code)
        body = response.content.decode()
        for secret in SECRETS + (LIVE_TITLE_B,):
            assert secret not in body, (url, secret)
    # A report that lists every organ's latest edit is for staff who see every organ only.
    assert client.get("/admin/reports/page-types-usage/").status_code == 403


def test_own_organs_item_answers_200(client, world):
    client.force_login(world["a_clerk"])
    own = world["own"]
    for url in (
        f"/admin/pages/{own.pk}/edit/",
        f"/admin/pages/{own.pk}/view_draft/",
        f"/admin/pages/{own.pk}/revisions/{world['own_revision'].pk}/view/",
        f"/admin/pages/{own.pk}/history/",
        f"/admin/pages/{own.pk}/workflow_history/",
        f"/admin/pages/{own.pk}/workflow_history/detail/{world['own_state'].pk}/",
        f"/admin/pages/{own.pk}/usage/",
        f"/admin/api/main/pages/{own.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert OWN_TITLE in response.content.decode(), url
    # The explorer, its search and the admin API list the own item and the shared column.
    column = world["column"]
    assert OWN_TITLE in client.get(f"/admin/pages/{column.pk}/").content.decode()
    assert OWN_TITLE in client.get("/admin/pages/search/?q=甲镇").content.decode()
    listing = client.get(f"/admin/api/main/pages/?child_of={column.pk}&for_explorer=1").json()
    assert [item["id"] for item in listing["items"]] == [own.pk]
    assert client.get(f"/admin/api/main/pages/{column.pk}/").status_code == 200
    # Adding an item under the shared column still works.
    assert client.get(f"/admin/pages/add/disclosure/articlepage/{column.pk}/").status_code == 200


def test_township_first_reviewer_sees_and_reviews_own_items_only(client, world):
    client.force_login(world["a_first"])
    dashboard = client.get("/admin/").content.decode()
    assert OWN_TITLE in dashboard
    assert SECRET_TITLE not in dashboard
    own_task_state = world["own_state"].current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{world['own'].pk}/approve/{own_task_state.pk}/",
        {"comment": "初审同意"},
    )
    assert response.status_code in (200, 302)
    own_task_state.refresh_from_db()
    assert own_task_state.status == "approved"
    b_task_state = world["state_b"].current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{world['live_b'].pk}/approve/{b_task_state.pk}/", {"comment": "x"}
    )
    assert response.status_code == 403
    b_task_state.refresh_from_db()
    assert b_task_state.status == "in_progress"


def test_county_staff_see_both_townships(client, world):
    client.force_login(world["county_user"])
    for page, title in ((world["own"], OWN_TITLE), (world["draft_b"], SECRET_DRAFT_TITLE)):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200 and title in response.content.decode()
    live_b = world["live_b"]
    response = client.get(f"/admin/pages/{live_b.pk}/revisions/{world['revision_b'].pk}/view/")
    assert response.status_code == 200 and SECRET_BODY in response.content.decode()
    history = client.get("/admin/reports/site-history/results/").content.decode()
    assert OWN_TITLE in history and SECRET_DRAFT_TITLE in history
    workflow = client.get("/admin/reports/workflow/results/").content.decode()
    assert OWN_TITLE in workflow and SECRET_TITLE in workflow  # the report shows the draft's title


def test_columns_are_structure_only_the_top_organ_edits_them(client, world):
    column = world["column"]
    client.force_login(world["a_clerk"])
    assert client.get(f"/admin/pages/{column.pk}/").status_code == 200
    for url in (f"/admin/pages/{column.pk}/edit/", f"/admin/pages/{column.pk}/history/"):
        assert client.get(url).status_code == 403, url
    client.force_login(world["county_user"])
    assert client.get(f"/admin/pages/{column.pk}/edit/").status_code == 200


def test_deleted_pages_history_is_hidden_from_township_staff(client, world):
    draft_b = world["draft_b"]
    DeletePageAction(draft_b, user=world["county_user"]).execute(skip_permission_checks=True)
    assert PageLogEntry.objects.filter(page_id=draft_b.pk, deleted=False).exists()  # its create entry
    client.force_login(world["a_clerk"])
    assert SECRET_DRAFT_TITLE not in client.get("/admin/reports/site-history/results/").content.decode()
    client.force_login(world["county_user"])
    assert SECRET_DRAFT_TITLE in client.get("/admin/reports/site-history/results/").content.decode()


def test_move_into_or_bulk_over_other_organs_pages_is_refused(client, world):
    client.force_login(world["a_clerk"])
    own, column, draft_b = world["own"], world["column"], world["draft_b"]
    assert client.get(f"/admin/pages/{own.pk}/move/{draft_b.pk}/confirm/").status_code == 403
    assert client.get(f"/admin/bulk/wagtailcore/page/delete/?id={own.pk}&id={draft_b.pk}").status_code == 403
    assert client.get(f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={column.pk}").status_code == 403


def test_usage_lists_name_another_organs_page_only_as_private(client, world):
    from zwgk.disclosure.models import Topic

    topic = Topic.objects.create(name="乡村振兴")
    draft_b = world["draft_b"]
    draft_b.topic = topic
    draft_b.save()
    own = world["own"]
    own.topic = topic
    own.save()
    url = f"/admin/snippets/disclosure/topic/usage/{topic.pk}/"
    client.force_login(world["a_admin"])
    body = client.get(url).content.decode()
    assert OWN_TITLE in body and SECRET_DRAFT_TITLE not in body
    client.force_login(factories.staff("county_admin", world["county"], roles.ADMINISTRATOR))
    body = client.get(url).content.decode()
    assert OWN_TITLE in body and SECRET_DRAFT_TITLE in body


def test_review_request_email_goes_only_to_reviewers_of_the_items_organ(world, mailoutbox, settings):
    from django.contrib.auth.models import User

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    b_first = factories.staff("b_first", world["town_b"], roles.FIRST_REVIEW)
    for user, email in ((world["a_first"], "a@example.org"), (b_first, "b@example.org")):
        User.objects.filter(pk=user.pk).update(email=email)
    User.objects.filter(pk=world["county_user"].pk).update(email="c@example.org")

    def recipients_of_submission(organisation, submitter):
        mailoutbox.clear()
        item = world["column"].add_child(
            instance=ArticlePage(title=f"{organisation.name}新草稿", organisation=organisation, live=False)
        )
        _submit(item, submitter)
        return {address for message in mailoutbox for address in message.to}

    town_b_item = recipients_of_submission(world["town_b"], factories.staff("b_clerk2", world["town_b"]))
    assert {"b@example.org", "c@example.org"} <= town_b_item and "a@example.org" not in town_b_item
    town_a_item = recipients_of_submission(world["town_a"], world["a_clerk"])
    assert {"a@example.org", "c@example.org"} <= town_a_item and "b@example.org" not in town_a_item


def test_refusal_stays_in_the_back_office_and_says_why(client, world):
    """A township clerk refused another organ's draft gets the reason and the way back, in the admin layout."""
    client.force_login(world["a_clerk"])
    response = client.get(f"/admin/pages/{world['draft_b'].pk}/edit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "该信息属于其他机关" in body and "返回工作台" in body
    assert all(secret not in body for secret in SECRETS)
