"""三审 review: 初审 → 复审(保密审查) → 终审 as a Wagtail workflow with separation of duties.

`ReviewTask` is a group approval task that additionally refuses a reviewer who
- submitted the item themselves (nobody approves a step of their own submission), or
- works outside the item's 发布机构 subtree (a township reviewer never sees the county's drafts).
Each decision and its opinion stay on Wagtail's TaskState rows: the item's 审签记录.
"""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import GroupApprovalTask, TaskState

from zwgk.core.scoping import can_act_for, scope_for


def may_review(user, obj, workflow_state) -> bool:
    """The rule: in scope, and not the person who submitted this workflow."""
    if workflow_state is not None and workflow_state.requested_by_id == user.pk:
        return False
    organisation = getattr(getattr(obj, "specific", obj), "organisation", None)
    if organisation is None:
        return user.is_superuser
    return can_act_for(user, organisation)


class ReviewTask(GroupApprovalTask):
    class Meta:
        verbose_name = "三审审核步骤"
        verbose_name_plural = "三审审核步骤"

    def _allowed(self, obj, user) -> bool:
        return may_review(user, obj, obj.current_workflow_state)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and can_act_for(
            user, getattr(obj.specific, "organisation", None)
        )

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not self._allowed(obj, user)

    def get_actions(self, obj, user):
        if not self._allowed(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name in ("approve", "reject") and not may_review(
            user, task_state.revision.content_object, task_state.workflow_state
        ):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("不能审核本人提交的内容，或本机关范围以外的内容。")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states.exclude(workflow_state__requested_by=user)
        return states.exclude(workflow_state__requested_by=user).filter(_in_scope(user))


def _in_scope(user) -> Q:
    """Task states whose item belongs to the user's subtree, as subqueries (no id lists in Python)."""
    from .models import ArticlePage, InterpretationPage, PolicyDocumentPage

    scope = scope_for(user)
    q = Q(pk__in=[])
    for model in (ArticlePage, InterpretationPage, PolicyDocumentPage):
        ids = model.objects.filter(organisation__in=scope).annotate(key=Cast("pk", CharField())).values("key")
        q |= Q(workflow_state__object_id__in=ids)
    return q


__all__ = ["ReviewTask", "TaskState", "may_review"]
