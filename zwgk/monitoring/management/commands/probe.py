"""`zwgk probe [--site DOMAIN]`: one round of outside-in probes (run it hourly: ≥ 20 probes a day, 19号)."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from zwgk.monitoring import prober


class Command(BaseCommand):
    help = "探测各网站首页和抽样页面能否在15秒内打开，并比对是否被篡改（每小时运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只探测该域名的网站")

    def handle(self, *args, site=None, **opts):
        sites = Site.objects.select_related("root_page").order_by("hostname", "port")
        if site:
            host, _, port = site.partition(":")
            sites = sites.filter(hostname=host, **({"port": int(port)} if port.isdigit() else {}))
            if not sites:
                raise CommandError(f"没有域名为 {site} 的网站")

        def progress(done, total, label, probes, failed):
            self.stdout.write(f"{done}/{total} {label}：探测 {probes} 个页面，{failed} 个打不开")

        prober.run(sites=sites, progress=progress)
        self.stdout.write(self.style.SUCCESS("本轮探测完成"))
