"""Daily alert (with `zwgk send-digest`): valid messages unanswered for 2 months are mailed to the box's
负责人 (Box.leader_email) and to the 管理员 of the handling organ and the organs above it, a month before
the 19号 veto line (3 months). The same daily run screens attachments a crash left unscreened."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from zwgk.core.roles import ADMINISTRATOR

from . import services
from .models import Message
from .rules import ALERT_MONTHS, VETO_MONTHS, add_months
from .vocab import Status


def alert_recipients(message) -> set[str]:
    """The box's 负责人 and every active 管理员 whose organ subtree holds the message's organ."""
    ancestors = message.organisation.ancestors()  # the organ itself and those above it
    admins = get_user_model().objects.filter(
        is_active=True, groups__name=ADMINISTRATOR, staff_profile__organisation__in=ancestors
    )
    emails = {user.email for user in admins if user.email}
    if message.box.leader_email:
        emails.add(message.box.leader_email)
    return emails


def alert_line(message, today) -> str:
    veto = add_months(message.received_on, VETO_MONTHS)
    return (
        f"{message.number}《{message.subject}》{message.organisation.name}，"
        f"{message.received_on:%Y-%m-%d}收到，{veto:%Y-%m-%d}前须答复（超过3个月未答复为单项否决项）"
    )


@task()
def send_message_alerts() -> int:
    """Mail each recipient the valid messages unanswered for 2 months or more; returns mails sent."""
    today = timezone.localdate()
    waiting = (
        Message.objects.filter(
            status__in=(Status.PROCESSING, Status.REVIEW),
            received_on__lte=add_months(today, -ALERT_MONTHS),
        )
        .select_related("organisation", "box")
        .order_by("received_on", "pk")
    )
    by_recipient: dict[str, list[str]] = {}
    for message in waiting:
        for email in alert_recipients(message):
            by_recipient.setdefault(email, []).append(alert_line(message, today))
    for email, lines in by_recipient.items():
        send_mail(
            f"留言满2个月未答复提醒（{today:%Y-%m-%d}）",
            "\n".join(lines),
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [email],
        )
    return len(by_recipient)


@task()
def screen_pending_attachments() -> int:
    """Screen the attachments whose screening a crash or a killed process interrupted."""
    return services.screen_pending()
