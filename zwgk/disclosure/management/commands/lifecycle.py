"""`zwgk lifecycle [--date YYYY-MM-DD] [--enqueue]`: the daily run of the 规范性文件 lifecycle (cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zwgk.disclosure.lifecycle import expire_lapsed, reviews_due
from zwgk.disclosure.tasks import expire_policy_documents


class Command(BaseCommand):
    help = "规范性文件有效期：到期未延续的自动失效，并列出到期前需要评估的文件（每日运行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天处理（默认今天），格式 YYYY-MM-DD")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, **opts):
        if opts["enqueue"]:
            result = expire_policy_documents.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}")
            return
        try:
            today = dt.date.fromisoformat(opts["date"]) if opts["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from error

        def progress(done, total):
            self.stdout.write(f"\r自动失效 {done}/{total}", ending="")

        changes = expire_lapsed(today, progress=progress)
        if changes:
            self.stdout.write("")
        for change in changes:
            self.stdout.write(
                f"失效：{change.document.title}（有效期至 {change.document.expiry_date:%Y-%m-%d}）"
            )
        due = reviews_due(today).count()
        self.stdout.write(f"自动失效 {len(changes)} 件；待评估（到期前）{due} 件。")
