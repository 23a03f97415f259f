"""`zwgk linkcheck [--site DOMAIN] [--restart]`: check every live page's links (resumes an interrupted run)."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from zwgk.monitoring import linkcheck


class Command(BaseCommand):
    help = "检查各网站在线页面中的全部链接（站内和站外），记录不可用链接；中断后再次运行可继续"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只检查该域名的网站")
        parser.add_argument("--restart", action="store_true", help="放弃未完成的检查，重新开始")

    def handle(self, *args, site=None, restart=False, **opts):
        sites = Site.objects.select_related("root_page")
        if site:
            host, _, port = site.partition(":")
            sites = sites.filter(hostname=host, **({"port": int(port)} if port.isdigit() else {}))
            if not sites:
                raise CommandError(f"没有域名为 {site} 的网站")

        def progress(done, total):
            self.stdout.write(f"已检查 {done}/{total} 个链接")

        run = linkcheck.run(sites=sites, progress=progress, resume=not restart)
        dead = sum(linkcheck.dead_links(s).values("link").distinct().count() for s in sites)
        self.stdout.write(self.style.SUCCESS(f"完成：共检查 {run.done} 个链接，不可用链接 {dead} 个"))
