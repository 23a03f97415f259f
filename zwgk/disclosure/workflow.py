"""三审 review: 初审 → 复审(保密审查) → 终审 as a Wagtail workflow with separation of duties.

`ReviewTask` is a group approval task that additionally refuses a reviewer who
- submitted the item themselves (nobody approves a step of their own submission), or
- works outside the item's 发布机构 subtree (a township reviewer never sees the county's drafts).
Each decision and its 审核意见 stay on Wagtail's TaskState rows: the item's 审签记录. 退回修改 needs a
审核意见 (the submitter must learn what to change); 批准 takes one optionally.

While a 禁止 finding blocks approval, the 批准 action stays offered and opens the workflow modal, which
says why and links to each finding (`blocker_links`) instead of a form; `on_action` refuses it anyway.
"""

import contextlib

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import GroupApprovalTask, TaskState, WorkflowState

from zwgk.core.audit import record
from zwgk.core.scoping import can_act_for, scope_for

from .items import item_types

OPINION_LABEL = "审核意见"
REJECT_NEEDS_OPINION = "退回修改须填写审核意见，说明需要修改的内容。"
ACTION_TEMPLATE = "disclosure/admin/review_action_modal.html"
REVIEW_KEPT_ACTION = "zwgk.review.kept_after_mask"


class ReviewOpinionForm(forms.Form):
    """The workflow modal's form: the reviewer's 审核意见 (optional when approving)."""

    comment = forms.CharField(
        label=OPINION_LABEL,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="记入审签记录，提交人可以看到。",
    )


class RejectOpinionForm(ReviewOpinionForm):
    """退回修改: the 审核意见 is required."""

    comment = forms.CharField(
        label=OPINION_LABEL,
        required=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说明需要修改的内容；记入审签记录并通知提交人。",
        error_messages={"required": REJECT_NEEDS_OPINION},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(REJECT_NEEDS_OPINION)
        return comment


def _hook_blockers(obj) -> list:
    reasons: list = []
    for fn in hooks.get_hooks("zwgk_approval_blockers"):
        reasons.extend(fn(obj))
    return reasons


def approval_blockers(obj) -> list[str]:
    """Reasons from other apps why `obj` may not be approved (hook `zwgk_approval_blockers`, e.g. screening)."""
    return [str(reason) for reason in _hook_blockers(obj)]


def blocker_links(obj) -> list[tuple[str, str]]:
    """(reason, address) of each blocker: a hook may return strings with a `url` attribute (the screening
    page's row of the finding); a plain string has no address ("")."""
    return [(str(reason), getattr(reason, "url", "") or "") for reason in _hook_blockers(obj)]


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
        """退回修改 (opinion required), 批准, 批准并填写审核意见. While a 禁止 finding blocks approval, one
        批准 action remains: its modal explains why and links to the findings (see the module docstring)."""
        if not self._allowed(obj, user) or not super().get_actions(obj, user):
            return []
        actions = [("reject", "退回修改", True)]
        if approval_blockers(obj):
            return actions + [("approve", "批准（存在禁止类问题，查看原因）", True)]
        return actions + [("approve", "批准", False), ("approve", "批准并填写审核意见", True)]

    def get_form_for_action(self, action):
        return RejectOpinionForm if action == "reject" else ReviewOpinionForm

    def get_template_for_action(self, action):
        return ACTION_TEMPLATE

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name in ("approve", "reject") and not may_review(
            user, task_state.revision.content_object, task_state.workflow_state
        ):
            raise PermissionDenied("不能审核本人提交的内容，或本机关范围以外的内容。")
        if action_name == "reject":
            kwargs["comment"] = (kwargs.get("comment") or "").strip()
            if not kwargs["comment"]:
                raise PermissionDenied(REJECT_NEEDS_OPINION)
        if action_name == "approve" and (blockers := approval_blockers(task_state.revision.content_object)):
            raise PermissionDenied(
                "存在禁止类审查问题，须修改或经保密审查员同意后才能批准：" + "；".join(blockers)
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states.exclude(workflow_state__requested_by=user)
        return states.exclude(workflow_state__requested_by=user).filter(_in_scope(user))


def explain_blocked_review(request, page):
    """Hook `before_edit_page`: a reviewer opening an item whose 批准 is blocked reads why at the top of
    the editor, each reason linked to its finding (the 批准 action's modal says the same)."""
    if request.method != "GET":
        return None
    task = page.current_workflow_task
    if not isinstance(task, ReviewTask) or not task.get_actions(page, request.user):
        return None
    links = blocker_links(page)
    if not links:
        return None

    buttons = [messages.button(url, f"查看：{reason}") for reason, url in links[:5] if url]
    if len(links) > 5 and buttons:
        buttons.append(messages.button(buttons[0][0].split("#")[0], f"全部 {len(links)} 个问题"))
    messages.error(
        request,
        f"“{task.name}”步骤暂不能批准：存在 {len(links)} 个禁止类审查问题，须修改，"
        "或由保密审查员脱敏、认定误报或同意发布。" + ("" if buttons else "；".join(r for r, _ in links)),
        buttons=buttons,
    )
    return None


# ---- 脱敏 during 三审: the review goes on --------------------------------------------------------------
#
# Masking (screening.services.mask_in_text) replaces personal data by a fixed pattern; it is no editorial
# change, so it must not throw away the 三审 in progress. Two Wagtail behaviours would:
# 1. publishing a revision cancels the page's workflow (WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH) — masking
#    republishes the live revision when the data is online;
# 2. with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT only approvals given on the latest revision count —
#    the masked draft is a new revision, so the next 批准 would silently send the item back to 初审.
# Chosen: keep the same workflow state and the same step. `review_kept_through_publish` hides the active
# workflow state from the publish (inside the caller's transaction, with the page row locked, so no
# other transaction ever sees it), and `carry_review_to` moves the step in progress onto the masked
# revision and copies the approvals that counted onto it (Wagtail's own copy, the originals stay in the
# 审签记录). The alternative — let Wagtail cancel and start a new workflow at the same step — leaves a
# 取消 in the history for what is no decision of anyone's. The reviewer is told which step goes on, and
# the audit log has an entry (REVIEW_KEPT_ACTION) naming the revisions.


@contextlib.contextmanager
def review_kept_through_publish(page):
    """Publish inside this block without cancelling `page`'s 三审 (call inside a transaction).

    Yields the active workflow state (or None). Its `object_id` is detached for the block only, so
    Wagtail's publish finds no workflow to cancel; it is put back whatever happens."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("review_kept_through_publish must run inside transaction.atomic")
    state = page.current_workflow_state
    if state is None:
        yield None
        return
    WorkflowState.objects.filter(pk=state.pk).update(object_id=f"masking-{state.object_id}")
    try:
        yield state
    finally:
        WorkflowState.objects.filter(pk=state.pk).update(object_id=state.object_id)


def carry_review_to(state, previous_revision_id, revision, *, user) -> str:
    """After masking saved `revision` on top of `previous_revision_id`: the 三审 step in progress now
    reviews `revision`, and the approvals given on the previous latest revision count for it too.

    Returns the name of the step that goes on ("" when the workflow waits for the submitter's changes)
    and writes the audit entry."""
    state.refresh_from_db()
    current = state.current_task_state
    moved = None
    if current is not None and current.status == TaskState.STATUS_IN_PROGRESS:
        moved = current.revision_id
        TaskState.objects.filter(pk=current.pk).update(revision=revision)
    copied = []
    for approved in TaskState.objects.filter(
        workflow_state=state,
        revision_id=previous_revision_id,
        status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_SKIPPED],
    ).select_related("task"):
        approved.copy(update_attrs={"revision": revision})
        copied.append(approved.task.name)
    step = current.task.name if moved is not None else ""
    record(
        revision.content_object,
        REVIEW_KEPT_ACTION,
        user=user,
        data={
            "workflow_state": state.pk,
            "step": step,
            "from_revision": previous_revision_id,
            "to_revision": revision.pk,
            "approvals_kept": copied,
        },
    )
    return step


def _in_scope(user) -> Q:
    """Task states whose item belongs to the user's subtree, as subqueries (no id lists in Python)."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    for model in item_types():
        ids = model.objects.filter(organisation__in=scope).annotate(key=Cast("pk", CharField())).values("key")
        q |= Q(workflow_state__object_id__in=ids)
    return q


__all__ = ["ReviewTask", "TaskState", "may_review", "review_kept_through_publish", "carry_review_to"]
