"""`zwgk send-digest`: enqueue the daily due-date digest (run it daily from cron or a systemd timer)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "发送依申请公开到期提醒邮件（每日运行）"

    def handle(self, *args, **opts):
        from zwgk.applications.tasks import send_daily_digest

        result = send_daily_digest.enqueue()
        self.stdout.write(f"已加入任务队列：{result.id}")
