"""`zwgk send-monitoring-digest`: enqueue the daily monitoring warning mail (run it daily beside send-digest)."""

from django.core.management.base import BaseCommand

from zwgk.monitoring.tasks import send_monitoring_digest


class Command(BaseCommand):
    help = "发送网站与新媒体监测预警邮件（每日运行）"

    def handle(self, *args, **opts):
        result = send_monitoring_digest.enqueue()
        self.stdout.write(f"已加入任务队列：{result.id}")
