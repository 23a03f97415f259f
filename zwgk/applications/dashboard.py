"""工作台: my 依申请公开 applications due within 5 working days or overdue (条例 Art. 33 clock)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from zwgk.core.dashboard import TodoPanel
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import scope_for
from zwgk.core.workdays import working_days_between

from .models import Application
from .permissions import REVIEWERS, TABLE
from .receiving import proactive_candidates
from .vocab import RUNNING, Channel, Status

DUE_SOON_DAYS = 5  # working days


def days_text(state) -> str:
    """The clock in words: 剩余 3 个工作日 / 今日到期 / 已超期 4 个工作日 (never a bare "-4")."""
    if state.overdue:
        late = -state.days_left
        return f"已超期 {late} 个工作日" if late > 0 else "已超过答复期限"
    if state.days_left == 0:
        return "今日到期"
    return f"剩余 {state.days_left} 个工作日"


def my_applications(user):
    """Open applications of the user's organ subtree; a 信息员 (not a reviewer) sees those assigned to
    them and those nobody has been assigned yet, a 依申请公开审核/管理员 all of the subtree."""
    applications = Application.objects.filter(organisation__in=scope_for(user))
    if not has_any_role(user, REVIEWERS):
        applications = applications.filter(Q(handler=user) | Q(handler__isnull=True))
    return applications


def due_applications(user, today=None) -> list[tuple]:
    """(application, clock, words) for running clocks due within 5 working days or overdue, most urgent first."""
    today = today or timezone.localdate()
    rows = []
    candidates = (
        my_applications(user)
        .filter(status__in=RUNNING, received_on__isnull=False)
        .select_related("organisation", "handler")
        .prefetch_related("events")
    )
    for application in candidates[:2000]:
        try:
            state = application.clock(today)
        except ValueError:
            continue  # a history the 条例 does not allow shows on the workbench, not here
        if state is None or state.waiting_for_supplement or state.paused:
            continue  # the clock is stopped: nothing falls due
        if state.overdue or state.days_left <= DUE_SOON_DAYS:
            rows.append((application, state, days_text(state)))
    rows.sort(key=lambda row: (row[1].days_left, row[1].due, row[0].pk))
    return rows


class DueApplicationsPanel(TodoPanel):
    heading = "依申请公开：即将到期和已超期的申请"
    panel_id = "zwgk-todo-applications"
    body_template = "applications/dashboard/due.html"
    icon = "mail"
    full_label = "打开依申请公开工作台"
    order = 101

    def is_shown(self, user):
        return has_any_role(user, TABLE["view"][1])

    def items(self, request):
        rows = due_applications(request.user)
        return len(rows), rows

    def full_url(self, request):
        return reverse("applications_admin")

    def extra_context(self, request):
        if not has_any_role(request.user, TABLE["confirm"][1]):
            return {}
        unconfirmed = (
            my_applications(request.user).filter(status=Status.UNCONFIRMED, channel=Channel.ONLINE).count()
        )
        if not unconfirmed:
            return {}
        return {
            "extra_note": f"另有 {unconfirmed} 件网络申请待确认收到（确认后开始计算答复期限）。",
            "extra_url": reverse("applications_admin"),
            "extra_link_label": "去确认",
        }


PERIOD_SOON_DAYS = 3  # working days before a 补正 or payment period ends


def period_rows(user, today=None) -> list[tuple]:
    """(application, what, last day, words, lapsed) for the applicant's periods the office waits on: the
    补正 period (条例第三十条) and the fee's payment period (国办函〔2020〕109号) that end within
    3 working days or have ended — then 逾期未补正 / 逾期未缴费 may be decided."""
    today = today or timezone.localdate()
    rows = []
    candidates = (
        my_applications(user)
        .filter(status__in=(Status.SUPPLEMENT, Status.PAUSED))
        .select_related("organisation", "handler")
        .prefetch_related("events")
    )
    for application in candidates[:2000]:
        for what, period, decision in (
            ("补正期限", application.supplement_period(today), "可按逾期未补正处理"),
            ("缴费期限", application.fee_period(today), "可按逾期未缴费处理"),
        ):
            if period is None:
                continue
            left = working_days_between(today, period["deadline"])
            if period["lapsed"]:
                words = f"已届满，{decision}"
            elif left <= PERIOD_SOON_DAYS:
                words = "今日届满" if left == 0 else f"剩余 {left} 个工作日"
            else:
                continue
            rows.append((application, what, period["deadline"], words, period["lapsed"]))
    rows.sort(key=lambda row: (not row[4], row[2], row[0].pk))
    return rows


class ApplicantPeriodsPanel(TodoPanel):
    heading = "依申请公开：补正和缴费期限"
    panel_id = "zwgk-todo-application-periods"
    body_template = "applications/dashboard/periods.html"
    icon = "time"
    full_label = "打开依申请公开工作台"
    order = 102

    def is_shown(self, user):
        return has_any_role(user, TABLE["view"][1])

    def items(self, request):
        rows = period_rows(request.user)
        return len(rows), rows

    def full_url(self, request):
        return reverse("applications_admin")


class ProactiveCandidatesPanel(TodoPanel):
    """条例第四十四条: information several applicants asked for and got, to consider for 主动公开."""

    heading = "建议纳入主动公开的信息（多人申请）"
    panel_id = "zwgk-todo-proactive-candidates"
    body_template = "applications/dashboard/proactive.html"
    icon = "doc-full"
    full_label = "打开依申请公开工作台"
    order = 103

    def is_shown(self, user):
        return has_any_role(user, REVIEWERS)

    def items(self, request):
        rows = proactive_candidates(Application.objects.filter(organisation__in=scope_for(request.user)))
        return len(rows), rows

    def full_url(self, request):
        return reverse("applications_admin") + "?closed=1"
