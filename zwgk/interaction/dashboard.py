"""工作台: messages due within 2 working days or overdue, the 2-month alert and the 3-month veto line."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from zwgk.core.dashboard import TodoPanel
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import scope_for
from zwgk.core.workdays import add_working_days, working_days_between

from .models import Message
from .permissions import REVIEWERS, TABLE
from .rules import ALERT_MONTHS, VETO_MONTHS, add_months
from .vocab import OPEN, Status

DUE_SOON_DAYS = 2  # working days
UNANSWERED_VALID = (Status.PROCESSING, Status.REVIEW)


def days_text(message, today) -> str:
    if message.due_on < today:
        return f"已超期 {working_days_between(message.due_on, today)} 个工作日"
    if message.due_on == today:
        return "今日到期"
    return f"剩余 {working_days_between(today, message.due_on)} 个工作日"


def due_messages(user, today: dt.date | None = None):
    """Open messages of the user's organ subtree due within 2 working days or overdue, most urgent first."""
    today = today or timezone.localdate()
    return (
        Message.objects.filter(
            organisation__in=scope_for(user),
            status__in=OPEN,
            due_on__lte=add_working_days(today, DUE_SOON_DAYS),
        )
        .select_related("organisation", "box")
        .order_by("due_on", "pk")
    )


def unanswered_since(messages, months: int, today: dt.date, *, more_than=False):
    """Valid messages unanswered `months` calendar months after they were received (`more_than`: past it)."""
    line = add_months(today, -months)
    received = {"received_on__lt": line} if more_than else {"received_on__lte": line}
    return messages.filter(status__in=UNANSWERED_VALID, **received)


class DueMessagesPanel(TodoPanel):
    heading = "互动交流：即将到期和已超期的留言"
    panel_id = "zwgk-todo-messages"
    body_template = "interaction/dashboard/due.html"
    icon = "comment"
    full_label = "打开留言工作台"
    order = 102

    def is_shown(self, user):
        return has_any_role(user, TABLE["view"][1])

    def items(self, request):
        today = timezone.localdate()
        messages = due_messages(request.user, today)
        rows = [(m, days_text(m, today), m.due_on < today) for m in messages[: self.limit]]
        return messages.count(), rows

    def full_url(self, request):
        return reverse("interaction_admin")

    def extra_context(self, request):
        today = timezone.localdate()
        scoped = Message.objects.filter(organisation__in=scope_for(request.user))
        context = {
            "veto_count": unanswered_since(scoped, VETO_MONTHS, today, more_than=True).count(),
            "veto_url": reverse("interaction_admin") + "?filter=veto",
        }
        if has_any_role(request.user, REVIEWERS):
            context["alert_count"] = unanswered_since(scoped, ALERT_MONTHS, today).count()
        return context
