"""`zwgk annual-report --org CODE --year YYYY --format json|docx|xlsx|html [--output FILE] [--rollup]`."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from zwgk.core.models import Organisation
from zwgk.reports.annual import (
    build_annual_report,
    consistency_errors,
    consistency_warnings,
    open_applications_at_year_end,
)
from zwgk.reports.render import to_docx, to_html, to_xlsx


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="机关的统一社会信用代码或网址标识")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "docx", "xlsx", "html"], default="json")
        parser.add_argument("--output", help="输出文件（docx/xlsx 必填；json/html 默认打印）")
        parser.add_argument("--rollup", action="store_true", help="汇总本机关及所有下级机关")

    def handle(self, *args, **opts):
        organisation = Organisation.objects.filter(Q(credit_code=opts["org"]) | Q(slug=opts["org"])).first()
        if organisation is None:
            raise CommandError(f"找不到机关：{opts['org']}")
        report = build_annual_report(organisation, opts["year"], include_subtree=opts["rollup"])
        previous = build_annual_report(organisation, opts["year"] - 1, include_subtree=opts["rollup"])
        scope = list(organisation.subtree()) if opts["rollup"] else [organisation]
        for error in consistency_errors(report, open_applications_at_year_end(scope, opts["year"])):
            self.stderr.write(f"校验：{error}")
        for warning in consistency_warnings(report, previous):
            self.stderr.write(f"提示：{warning}")
        title = f"{organisation.name}{opts['year']}年政府信息公开工作年度报告"
        fmt = opts["format"]
        if fmt == "json":
            data = json.dumps(report, ensure_ascii=False, indent=2)
        elif fmt == "html":
            data = to_html(report, title)
        elif fmt == "docx":
            data = to_docx(report, title)
        else:
            data = to_xlsx(report, title)
        if opts["output"]:
            mode = "wb" if isinstance(data, bytes) else "w"
            with open(opts["output"], mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
                handle.write(data)
            self.stdout.write(f"已生成：{opts['output']}")
        elif isinstance(data, bytes):
            raise CommandError("DOCX/XLSX 请用 --output 指定输出文件。")
        else:
            sys.stdout.write(data + "\n")
