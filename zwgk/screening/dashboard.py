"""工作台 panel of screening: the findings waiting for this user.

保密审查员 and 管理员 decide on 禁止 findings (误报, 同意发布), so they see the open 禁止 findings of their
organ subtree; a 信息员 sees the open findings on their organ's drafts (to fix before 三审 approves).
The matched text itself (an ID number, a phone number) is not repeated on the dashboard: the page's
findings screen shows it to those who handle it.
"""

from urllib.parse import urlencode

from django.urls import reverse

from zwgk.core import roles
from zwgk.core.dashboard import TodoPanel
from zwgk.core.roles import has_any_role

from .findings import BLOCK
from .models import PageFinding
from .scope import findings_in_scope
from .services import may_decide_blocking


def waiting_findings(user):
    """(findings, what) waiting for `user`: "decide" (禁止, for the deciders) or "drafts" (信息员)."""
    findings = findings_in_scope(user).filter(status=PageFinding.Status.OPEN)
    if may_decide_blocking(user):
        return findings.filter(severity=BLOCK), "decide"
    if has_any_role(user, (roles.INFORMANT,)):
        return findings.filter(live_only=False, page__has_unpublished_changes=True), "drafts"
    return findings.none(), ""


class FindingsPanel(TodoPanel):
    panel_id = "zwgk-todo-findings"
    body_template = "screening/dashboard/findings.html"
    icon = "warning"
    full_label = "查看全部审查发现"
    order = 103

    def is_shown(self, user):
        return has_any_role(user, (roles.SECRECY_REVIEW, roles.ADMINISTRATOR, roles.INFORMANT))

    def items(self, request):
        findings, self.what = waiting_findings(request.user)
        self.heading = "待我处理的禁止类审查发现" if self.what == "decide" else "本机关草稿的审查发现"
        total = findings.count()
        rows = list(findings.order_by("-found_at", "page_id", "start")[: self.limit]) if total else []
        return total, rows

    def full_url(self, request):
        params = {"status": PageFinding.Status.OPEN}
        if getattr(self, "what", "") == "decide":
            params["severity"] = BLOCK
        return reverse("screening_findings") + "?" + urlencode(params)
