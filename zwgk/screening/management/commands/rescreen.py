"""`zwgk rescreen`: finish lexicon-change re-screenings that a stopped worker left unfinished."""

from django.core.management.base import BaseCommand

from zwgk.screening.models import LexiconRescreen
from zwgk.screening.rescreen import run_rescreen


class Command(BaseCommand):
    help = "词库变更复查：继续完成未完成的复查（通常由后台任务自动完成）"

    def handle(self, *args, **opts):
        jobs = list(LexiconRescreen.objects.filter(finished_at=None).order_by("pk"))
        if not jobs:
            self.stdout.write("没有未完成的词库变更复查。")
        for job in jobs:

            def progress(done, total, job=job):
                bar = "#" * int(30 * done / total) if total else ""
                self.stderr.write(f"\r{job}：[{bar:<30}] {done}/{total} 条", ending="")

            done = run_rescreen(job, progress=progress)
            self.stderr.write("")
            self.stdout.write(f"{job}：已复查 {done} 条。")
