"""工作台 panels of 主动公开: my 三审 queue, 待解读 documents, 即将到期的规范性文件."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.views import home as wagtail_home
from wagtail.models import TaskState

from zwgk.core import roles
from zwgk.core.dashboard import TodoPanel
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import scope_for
from zwgk.core.workdays import working_days_between

from .lifecycle import interpretation_backlog, reviews_due
from .models import PolicyDocumentPage
from .rules import interpretation_due, review_months
from .vocab import Validity

REVIEW_ROLES = (roles.FIRST_REVIEW, roles.SECOND_REVIEW, roles.FINAL_REVIEW, roles.SECRECY_REVIEW)
CONTENT_ROLES = (roles.INFORMANT, roles.ADMINISTRATOR)
EXPIRY_NOTICE_DAYS = 30  # calendar days before 有效期至 that a document appears on the to-do list


def review_queue(user):
    """Task states of the 三审 waiting for a group of this user, items of their organ subtree only, not
    their own submissions (`ReviewTask.get_task_states_user_can_moderate`), oldest first."""
    return (
        TaskState.objects.reviewable_by(user)
        .filter(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("revision", "task", "workflow_state__requested_by")
        .order_by("started_at", "pk")
    )


class ReviewQueuePanel(TodoPanel):
    heading = "三审：待我审核"
    panel_id = "zwgk-todo-review"
    body_template = "disclosure/dashboard/review.html"
    icon = "tasks"
    full_label = "查看全部审核任务"
    order = 102

    def is_shown(self, user):
        return has_any_role(user, REVIEW_ROLES)

    def items(self, request):
        states = review_queue(request.user)
        total = states.count()
        return total, list(states[: self.limit]) if total else []

    def full_url(self, request):
        return reverse("wagtailadmin_reports:workflow_tasks")


def interpretation_rows(user, today=None):
    """(document, words) of the user's 待解读 backlog, the longest overdue first."""
    today = today or timezone.localdate()
    rows = []
    for document in interpretation_backlog(today, organisations=scope_for(user)):
        late = working_days_between(interpretation_due(document.published_at.date()), today)
        rows.append((document, f"解读已超期 {late} 个工作日" if late > 0 else "解读今日到期"))
    return rows


class InterpretationBacklogPanel(TodoPanel):
    heading = "待解读的规范性文件"
    panel_id = "zwgk-todo-interpretation"
    body_template = "disclosure/dashboard/interpretation.html"
    icon = "doc-full"
    full_label = "查看全部待解读文件"
    order = 104

    def is_shown(self, user):
        return has_any_role(user, CONTENT_ROLES)

    def items(self, request):
        rows = interpretation_rows(request.user)
        return len(rows), rows

    def full_url(self, request):
        return reverse("disclosure_backlog")


def expiry_words(expiry: dt.date, today: dt.date) -> str:
    days = (expiry - today).days
    if days > 0:
        return f"还有 {days} 天到期"
    if days == 0:
        return "今日到期"
    return f"已过有效期 {-days} 天，仍标为有效"


def expiring_documents(user, today=None, within=EXPIRY_NOTICE_DAYS):
    """Live 有效 policy documents of the user's subtree whose 有效期至 falls within `within` days (or has
    passed while the document is still marked 有效), soonest first."""
    today = today or timezone.localdate()
    return (
        PolicyDocumentPage.objects.live()
        .filter(
            validity=Validity.VALID,
            expiry_date__isnull=False,
            expiry_date__lte=today + dt.timedelta(days=within),
            organisation__in=scope_for(user),
        )
        .select_related("organisation")
        .order_by("expiry_date", "pk")
    )


def expiring_rows(documents, today=None):
    today = today or timezone.localdate()
    return [(d, expiry_words(d.expiry_date, today), d.expiry_date < today) for d in documents]


class PolicyDeadlinePanel(TodoPanel):
    """Policy documents of the user's subtree near a date of their 有效期, each with the step it needs
    (`action`: URL name and label); the full list (`list_view`) shows them all, with `intro` above."""

    body_template = "disclosure/dashboard/policy_deadlines.html"
    icon = "date"
    action = ("", "")
    list_url = ""
    intro = ""
    refusal = ""

    def documents(self, user):
        raise NotImplementedError

    def is_shown(self, user):
        return has_any_role(user, CONTENT_ROLES)

    def items(self, request):
        documents = self.documents(request.user)
        total = documents.count()
        return total, expiring_rows(documents[: self.limit]) if total else []

    def extra_context(self, request):
        return {"action_url": self.action[0], "action_label": self.action[1]}

    def full_url(self, request):
        return reverse(self.list_url)

    @classmethod
    def list_view(cls, request):
        """The full list behind the panel."""
        panel = cls()
        if not panel.is_shown(request.user):
            raise PermissionDenied(panel.refusal)
        return TemplateResponse(
            request,
            "disclosure/dashboard/policy_deadlines_list.html",
            {
                "title": panel.heading,
                "intro": panel.intro,
                "rows": expiring_rows(panel.documents(request.user)[:1000]),
                **panel.extra_context(request),
            },
        )


class ExpiringPoliciesPanel(PolicyDeadlinePanel):
    heading = f"即将到期的规范性文件（{EXPIRY_NOTICE_DAYS}天内）"
    panel_id = "zwgk-todo-expiring"
    full_label = "查看全部即将到期的文件"
    order = 105
    action = ("disclosure_validity", "变更有效性")
    list_url = "disclosure_expiring"
    intro = (
        "有效期届满前应组织评估：继续有效的重新登记，不再执行的变更为“失效”"
        "（有效期至已过而仍标为有效的文件也列于此处）。"
    )
    refusal = "您的角色无需处理规范性文件的有效期。"

    def documents(self, user):
        return expiring_documents(user)


class PolicyReviewPanel(PolicyDeadlinePanel):
    """有效期评估 tasks (spec §7.3, the 山东 rule [M]): from six months (ZWGK_POLICY_REVIEW_MONTHS) before
    有效期至, each document of the organ is listed until its review (延续 / 修订 / 失效) is recorded."""

    panel_id = "zwgk-todo-policy-review"
    full_label = "查看全部待评估文件"
    order = 106
    action = ("disclosure_review", "评估")
    list_url = "disclosure_reviews"
    intro = (
        "有效期届满前应组织评估，决定延续（重新确定有效期）、修订或者失效，评估结论在文件页面公开；"
        "届满未延续的文件次日自动失效。"
    )
    refusal = "您的角色无需评估规范性文件的有效期。"

    @property
    def heading(self):
        return f"有效期评估：{review_months()}个月内到期的规范性文件"

    def documents(self, user):
        return reviews_due(organisations=scope_for(user))


@hooks.register("register_admin_urls")
def dashboard_urls():
    return [
        path("disclosure/expiring/", ExpiringPoliciesPanel.list_view, name="disclosure_expiring"),
        path("disclosure/reviews/", PolicyReviewPanel.list_view, name="disclosure_reviews"),
    ]


@hooks.register("construct_homepage_panels")
def add_disclosure_panels(request, panels):
    # Our 三审 queue replaces Wagtail's "awaiting your review" panel (same task states, with a count,
    # an empty state and no per-row queries); the scoped subclass of it (admin_scope) goes too.
    panels[:] = [p for p in panels if not isinstance(p, wagtail_home.WorkflowObjectsToModeratePanel)]
    panels.extend(
        [ReviewQueuePanel(), InterpretationBacklogPanel(), ExpiringPoliciesPanel(), PolicyReviewPanel()]
    )
