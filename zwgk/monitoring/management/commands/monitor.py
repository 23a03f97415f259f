"""`zwgk monitor [--site DOMAIN] [--json]`: the 19号 indicators of every site and 新媒体 account, now."""

import json

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from zwgk.monitoring.indicators import all_reports
from zwgk.monitoring.models import AccountStatus, NewMediaAccount

STATUS_LABELS = {"ok": "正常", "warn50": "预警（50%）", "warn80": "预警（80%）", "fail": "不合格"}


class Command(BaseCommand):
    help = "计算各网站和政务新媒体账号的检查指标（国办秘函〔2019〕19号）"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只计算该域名的网站（不含新媒体账号）")
        parser.add_argument("--json", action="store_true", help="输出JSON数组")

    def handle(self, *args, site=None, json=False, **opts):
        sites = Site.objects.select_related("root_page").order_by("hostname", "port")
        accounts = None
        if site:
            host, _, port = site.partition(":")
            sites = sites.filter(hostname=host, **({"port": int(port)} if port.isdigit() else {}))
            if not sites:
                raise CommandError(f"没有域名为 {site} 的网站")
            accounts = NewMediaAccount.objects.none()
        else:
            accounts = NewMediaAccount.objects.filter(status=AccountStatus.OPEN).select_related(
                "organisation"
            )
        reports = all_reports(sites, accounts)
        if json:
            self.stdout.write(_dumps(reports))
            return
        for report in reports:
            self.stdout.write(
                f"{report['site']}（{report['organisation']}）：{report['score']}分，{report['verdict']}"
            )
            for row in report["indicators"]:
                value = "—" if row["value"] is None else row["value"]
                self.stdout.write(
                    f"  {row['name']}：{value}（阈值 {row['threshold']}）{STATUS_LABELS[row['status']]}"
                )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)
