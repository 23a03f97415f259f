"""`zwgk screen [--json] FILE|-`: one finding per line (kind, severity, start, end, text, suggestion)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "审查文本或附件（DOCX/XLSX/XLS/PDF/CSV/TXT/HTML）中的个人信息、敏感词、表述错误和错别字"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径，- 表示标准输入")
        parser.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")

    def handle(self, *args, **opts):
        from zwgk.screening import scan_text
        from zwgk.screening.extract import UnsupportedFile, extract_text

        if opts["file"] == "-":
            text = sys.stdin.read()
        else:
            path = Path(opts["file"])
            if not path.exists():
                raise CommandError(f"文件不存在：{path}")
            from zwgk.screening.extract import MB, limits

            if path.stat().st_size > limits()["upload_mb"] * MB:  # refused before it is read into memory
                raise CommandError(
                    f"文件“{path.name}”大小为 {path.stat().st_size / MB:.1f} MB，超过上传上限 "
                    f"{limits()['upload_mb']} MB（ZWGK_UPLOAD_MAX_MB）。"
                )
            try:
                text = extract_text(path.name, path.read_bytes())
            except UnsupportedFile as error:
                raise CommandError(str(error)) from error
        for finding in scan_text(text):
            if opts["json"]:
                self.stdout.write(json.dumps(finding.as_dict(), ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{finding.kind}\t{finding.severity}\t{finding.start}\t{finding.end}\t{finding.text}\t{finding.suggestion}"
                )
