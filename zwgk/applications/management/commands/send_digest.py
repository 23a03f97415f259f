"""`zwgk send-digest`: enqueue the daily due-date digest and the 留言 2-month alerts (run it daily from cron
or a systemd timer)."""

from django.core.management.base import BaseCommand

from zwgk.applications.tasks import send_daily_digest
from zwgk.interaction.tasks import send_message_alerts


class Command(BaseCommand):
    help = "发送依申请公开到期提醒和留言满2个月未答复提醒邮件（每日运行）"

    def handle(self, *args, **opts):
        result = send_daily_digest.enqueue()
        self.stdout.write(f"已加入任务队列：{result.id}")
        result = send_message_alerts.enqueue()
        self.stdout.write(f"已加入任务队列：{result.id}（留言满2个月未答复提醒）")
