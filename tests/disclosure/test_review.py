"""三审 workflow: subtree scoping of staff and separation of duties (issue #2, spec §9)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from wagtail.models import Page

from tests import factories
from zwgk.core import roles
from zwgk.core.scoping import can_act_for, scope_for
from zwgk.disclosure.models import ArticlePage
from zwgk.disclosure.wagtail_hooks import hide_other_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    department = factories.organisation(parent=county, name="龙溪县财政局", slug="czj")
    township = factories.organisation(parent=county, name="龙溪县青山镇人民政府", slug="qsz")
    home, column, library = factories.site()
    return county, department, township, column


def submit(page, user):
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == "三审"
    page.save_revision(user=user)
    return workflow.start(page, user)


def test_scope_is_the_staff_members_subtree(tree):
    county, department, township, _ = tree
    county_clerk = factories.staff("county", county, roles.INFORMANT)
    town_clerk = factories.staff("town", township, roles.INFORMANT)
    assert set(scope_for(county_clerk)) == {county, department, township}
    assert set(scope_for(town_clerk)) == {township}
    assert can_act_for(county_clerk, township)
    assert not can_act_for(town_clerk, county)
    assert not can_act_for(town_clerk, department)


def test_township_clerk_never_sees_county_drafts_in_the_explorer(tree):
    county, _, township, column = tree
    county_draft = column.add_child(instance=ArticlePage(title="县政府草稿", organisation=county, live=False))
    town_draft = column.add_child(instance=ArticlePage(title="镇草稿", organisation=township, live=False))
    town_clerk = factories.staff("town", township, roles.INFORMANT)
    request = RequestFactory().get("/admin/")
    request.user = town_clerk
    visible = set(
        hide_other_organisations(column, Page.objects.child_of(column), request).values_list("pk", flat=True)
    )
    assert town_draft.pk in visible and county_draft.pk not in visible


def test_three_steps_with_separation_of_duties(tree):
    county, _, township, column = tree
    clerk = factories.staff("clerk", county, roles.INFORMANT, roles.FIRST_REVIEW)
    first = factories.staff("first", county, roles.FIRST_REVIEW)
    second = factories.staff("second", county, roles.SECOND_REVIEW)
    final = factories.staff("final", county, roles.FINAL_REVIEW)
    page = column.add_child(instance=ArticlePage(title="关于某事项的通知", organisation=county, live=False))
    state = submit(page, clerk)
    task = state.current_task_state.task.specific
    # The submitter holds 初审 too, but may not approve their own submission.
    assert task.get_actions(page, clerk) == []
    with pytest.raises(PermissionDenied):
        task.on_action(state.current_task_state, clerk, "approve")
    assert not task.get_task_states_user_can_moderate(clerk).exists()
    assert task.get_task_states_user_can_moderate(first).exists()

    for reviewer, opinion in ((first, "初审同意"), (second, "保密审查通过"), (final, "同意发布")):
        state.refresh_from_db()
        current = state.current_task_state
        assert "approve" in [a[0] for a in current.task.specific.get_actions(page, reviewer)]
        current.task.specific.on_action(current, reviewer, "approve", comment=opinion)
    page.refresh_from_db()
    assert page.live and page.index_number
    # 审签记录: every step with reviewer and opinion.
    record = [(ts.task.name, ts.finished_by.username, ts.comment) for ts in state.task_states.order_by("id")]
    assert record == [
        ("初审", "first", "初审同意"),
        ("复审（保密审查）", "second", "保密审查通过"),
        ("终审", "final", "同意发布"),
    ]


def test_reviewer_outside_the_subtree_cannot_act(tree):
    county, _, township, column = tree
    town_clerk = factories.staff("townclerk", township, roles.INFORMANT)
    town_reviewer = factories.staff("townrev", township, roles.FIRST_REVIEW)
    county_reviewer = factories.staff("countyrev", county, roles.FIRST_REVIEW)
    county_page = column.add_child(instance=ArticlePage(title="县级信息", organisation=county, live=False))
    town_page = column.add_child(instance=ArticlePage(title="镇级信息", organisation=township, live=False))
    county_state = submit(county_page, factories.staff("cc", county, roles.INFORMANT))
    town_state = submit(town_page, town_clerk)
    task = county_state.current_task_state.task.specific
    assert task.get_actions(county_page, town_reviewer) == []
    assert task.get_actions(town_page, town_reviewer) != []
    assert task.get_actions(town_page, county_reviewer) != []  # the county office supervises its townships
    moderatable = set(task.get_task_states_user_can_moderate(town_reviewer).values_list("pk", flat=True))
    assert town_state.current_task_state.pk in moderatable
    assert county_state.current_task_state.pk not in moderatable


def test_informant_cannot_publish_directly(tree):
    county, _, _, column = tree
    clerk = factories.staff("clerk2", county, roles.INFORMANT)
    page = column.add_child(instance=ArticlePage(title="草稿", organisation=county, live=False))
    perms = page.permissions_for_user(clerk)
    assert perms.can_edit()
    assert not perms.can_publish()
