"""Daily digest: each handler gets the applications due within 5 working days and the overdue ones."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Application
from .vocab import RUNNING

DUE_SOON = 5


def digest_lines(applications, today):
    lines = []
    for application in applications:
        state = application.clock(today)
        if state is None or state.waiting_for_supplement or state.paused:
            continue
        if state.overdue:
            lines.append((state.days_left, f"【已超期】{application.number} 答复期限 {state.due:%Y-%m-%d}"))
        elif state.days_left <= DUE_SOON:
            lines.append(
                (
                    state.days_left,
                    f"{application.number} 剩余 {state.days_left} 个工作日（{state.due:%Y-%m-%d}）",
                )
            )
    return [text for _, text in sorted(lines)]


@task()
def send_daily_digest() -> int:
    """Mail every handler their due-soon and overdue applications; returns the number of mails sent."""
    today = timezone.localdate()
    open_ = (
        Application.objects.filter(status__in=RUNNING)
        .exclude(handler=None)
        .select_related("handler")
        .prefetch_related("events")
    )
    by_handler: dict = {}
    for application in open_:
        by_handler.setdefault(application.handler, []).append(application)
    sent = 0
    for handler, applications in by_handler.items():
        lines = digest_lines(applications, today)
        if lines and handler.email:
            send_mail(
                f"依申请公开到期提醒（{today:%Y-%m-%d}）",
                "\n".join(lines),
                getattr(settings, "DEFAULT_FROM_EMAIL", None),
                [handler.email],
            )
            sent += 1
    return sent
