"""`zwgk catalog areas|coverage|adopt`: the 标准指引 areas, an organ's coverage, adopting an area."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from zwgk.catalog import services, standards
from zwgk.catalog.coverage import organ_coverage


class Command(BaseCommand):
    help = "基层政务公开标准目录：列出领域（areas）、查看机关的覆盖情况（coverage）、采用领域（adopt）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        areas = sub.add_parser("areas", help="列出标准指引的领域及事项数")
        areas.add_argument("--json", action="store_true", help="输出 JSON")
        coverage = sub.add_parser("coverage", help="机关标准目录的覆盖情况")
        coverage.add_argument("--org", required=True, help="机关的网址标识或统一社会信用代码")
        coverage.add_argument("--json", action="store_true", help="输出 JSON")
        adopt = sub.add_parser("adopt", help="机关采用领域的标准指引事项")
        adopt.add_argument("--org", required=True, help="机关的网址标识或统一社会信用代码")
        adopt.add_argument("areas", nargs="+", help="领域编码，如 04；all 表示全部26个试点领域")

    def handle(self, *args, **opts):
        return getattr(self, f"handle_{opts['action']}")(opts)

    def handle_areas(self, opts):
        rows = [
            {
                "code": a.code,
                "name": a.name,
                "items": len(a.items),
                "pack": a.pack,
                "optional": a.optional,
                "issuer": a.issuer,
                "version": a.version,
                "manual_items": sum(1 for i in a.items if i.manual),
            }
            for a in standards.areas()
        ]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            optional = "（后续领域，可选）" if row["optional"] else ""
            self.stdout.write(f"{row['code']}  {row['name']}{optional}  {row['items']} 项")

    def _organ(self, code):
        try:
            return services.find_organisation(code)
        except ValidationError as error:
            raise CommandError(error.messages[0], returncode=2) from error

    def handle_coverage(self, opts):
        organ = self._organ(opts["org"])
        result = organ_coverage(organ)
        if opts["json"]:
            data = result.as_dict()
            data["org"] = opts["org"]
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{organ.name}：{len(result.items)} 项，已公开 {result.percentage}%")
        for area in result.areas:
            self.stdout.write(f"  {area.code} {area.name}：{area.percentage}%（{len(area.items)} 项）")
        for c in result.to_fix:
            self.stdout.write(f"  待整改 {c.item.code} {c.item.title}：{c.label}，{c.reason}")

    def handle_adopt(self, opts):
        organ = self._organ(opts["org"])
        codes = opts["areas"]
        if codes == ["all"]:
            codes = [a.code for a in standards.areas() if not a.optional]
        total = 0
        for n, code in enumerate(codes, 1):
            try:
                created = services.adopt_area(organ, code)
            except (ValidationError, PermissionDenied) as error:
                raise CommandError("；".join(getattr(error, "messages", [str(error)]))) from error
            total += len(created)
            self.stderr.write(f"\r{n}/{len(codes)} 领域", ending="")
        self.stderr.write("")
        self.stdout.write(f"{organ.name}：新采用 {total} 项。")
