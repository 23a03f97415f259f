"""`zwgk screen [--json] FILE|-`: one finding per line (kind, severity, start, end, text, suggestion; and
for text read by OCR from an image or a scanned PDF page, its page and box).

For an HTML file, hidden or spam links in its markup (疑似暗链/被植入内容) are findings too, with offsets in
the HTML source (those of the other findings are in its text).

A file that cannot be read (encrypted, broken, an unsupported type, a scan where OCR is not installed)
is a finding of its own, 无法读取，需人工审查, with the reason; a file over an upload limit is refused
with the limit named, unread."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zwgk.screening import scan_text
from zwgk.screening.engine import scan_html
from zwgk.screening.extract import (
    MB,
    Extracted,
    FileOverLimit,
    UnsupportedFile,
    _decode,
    extension_of,
    limits,
    read,
)
from zwgk.screening.ocr import box_text, locate
from zwgk.screening.services import unreadable_finding


class Command(BaseCommand):
    help = "审查文本或附件（DOCX/XLSX/XLS/DOC/WPS/ET/PDF/图片/CSV/TXT/HTML）中的个人信息、敏感词、表述错误和错别字"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径，- 表示标准输入")
        parser.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")

    def handle(self, *args, **opts):
        if opts["file"] == "-":
            extracted, findings = Extracted(sys.stdin.read()), []
        else:
            path = Path(opts["file"])
            if not path.exists():
                raise CommandError(f"文件不存在：{path}")
            if path.stat().st_size > limits()["upload_mb"] * MB:  # refused before it is read into memory
                raise CommandError(
                    f"文件“{path.name}”大小为 {path.stat().st_size / MB:.1f} MB，超过上传上限 "
                    f"{limits()['upload_mb']} MB（ZWGK_UPLOAD_MAX_MB）。"
                )
            try:
                data = path.read_bytes()
                extracted = read(path.name, data)
                findings = [unreadable_finding(reason, path.name) for reason in extracted.problems]
                if extension_of(path.name) in ("html", "htm"):  # offsets in the HTML source
                    findings += scan_html(_decode(data))
            except FileOverLimit as error:
                raise CommandError(str(error)) from error
            except UnsupportedFile as error:
                extracted, findings = Extracted(""), [unreadable_finding(str(error), path.name)]
        for finding in findings + list(scan_text(extracted.text)):
            page, box = locate(extracted.spans, finding.start, finding.end)
            if opts["json"]:
                data = finding.as_dict()
                if page is not None:
                    data |= {"page": page, "box": list(box)}
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                where = f"\t第{page}页\t{box_text(box)}" if page is not None else ""
                self.stdout.write(
                    f"{finding.kind}\t{finding.severity}\t{finding.start}\t{finding.end}\t{finding.text}"
                    f"\t{finding.suggestion}{where}"
                )
