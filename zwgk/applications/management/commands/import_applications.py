"""`zwgk import-applications FILE`: bring a county's 台账 (.xlsx or .json) into zwgk."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zwgk.applications.importer import import_rows, read_rows


class Command(BaseCommand):
    help = "导入依申请公开台账（.xlsx 或 .json），逐行校验，重复导入不会重复创建"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            rows = read_rows(path.name, path.read_bytes())
        except (ValueError, KeyError) as error:
            raise CommandError(f"无法读取台账：{error}") from error
        report = import_rows(rows, progress=lambda i, n: self.stderr.write(f"\r{i}/{n}", ending=""))
        self.stderr.write("")
        self.stdout.write(
            f"新建 {report.created} 件，已存在跳过 {report.skipped} 件，拒绝 {len(report.rejected)} 行。"
        )
        for line, reason in report.rejected:
            self.stdout.write(f"  第{line}行：{reason}")
