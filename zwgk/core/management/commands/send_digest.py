"""`zwgk send-digest`: enqueue every daily reminder e-mail the apps registered (run it daily from cron or a
systemd timer)."""

from django.core.management.base import BaseCommand

from zwgk.core import digest


class Command(BaseCommand):
    help = "发送每日提醒邮件：依申请公开到期提醒、留言满2个月未答复提醒等（每日运行）"

    def handle(self, *args, **opts):
        for label, task in digest.tasks():
            result = task.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}（{label}）")
