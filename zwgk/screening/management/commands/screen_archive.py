"""`zwgk screen-archive`: re-screen every published item and its attachments (resumable)."""

from django.core.management.base import BaseCommand

from zwgk.core.progress import ProgressLine
from zwgk.screening.archive import run_archive_scan


class Command(BaseCommand):
    help = "全站审查：重新审查所有已发布信息及附件，可中断后继续"

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="并行进程数（默认2）")
        parser.add_argument("--restart", action="store_true", help="从头开始，而不是继续上次未完成的审查")
        parser.add_argument("--limit", type=int, help="本次最多审查的信息条数")

    def handle(self, *args, **opts):
        line = ProgressLine(self.stderr)

        def progress(done, total, findings, elapsed):
            line.update(done, total, note=f"，发现 {findings} 个问题")

        scan = run_archive_scan(
            workers=opts["workers"], restart=opts["restart"], progress=progress, limit=opts["limit"]
        )
        line.end()
        state = "完成" if scan.finished_at else "已暂停（再次运行将继续）"
        self.stdout.write(f"全站审查{state}：已审查 {scan.pages_done} 条，发现 {scan.findings} 个问题。")
