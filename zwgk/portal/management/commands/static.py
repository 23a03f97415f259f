"""`zwgk static rebuild [DOMAIN …] [--all] [--workers N] [--limit N] [--restart]`: a full static-HTML rebuild
of sites (zwgk.portal.static_html.rebuild_site), in worker processes, resumable: pages already written for the
site's current generation by an interrupted run are not rendered again. `--restart` starts the sites' new
generation first (after an upgrade changed the templates, every page is rendered again)."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from zwgk.core.cache import bump
from zwgk.core.progress import ProgressLine
from zwgk.portal import static_html


class Command(BaseCommand):
    help = "静态网页：全站重建（多进程，中断后再次运行从中断处继续）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="重新生成网站的全部静态网页")
        rebuild.add_argument("domains", nargs="*", help="网站域名，如 fgj.longxi.gov.cn")
        rebuild.add_argument("--all", action="store_true", help="全部网站")
        rebuild.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="进程数（默认 CPU 核心数）"
        )
        rebuild.add_argument("--limit", type=int, help="每个网站最多生成的页数（抽样测速）")
        rebuild.add_argument(
            "--restart",
            action="store_true",
            help="作废现有的静态网页和页面缓存，全部重新生成（升级改变了网页模板时用）",
        )

    def handle(self, *args, **opts):
        if static_html.root() is None:
            raise CommandError("没有设置静态网页目录（环境变量 ZWGK_STATIC_HTML_DIR）。")
        if opts["workers"] < 1:
            raise CommandError("进程数至少为 1。")
        if opts["all"] == bool(opts["domains"]):
            raise CommandError("请指定网站域名，或用 --all 重建全部网站（二者选一）。")
        if opts["all"]:
            chosen = list(Site.objects.order_by("hostname"))
        else:
            chosen = []
            for domain in opts["domains"]:
                site = Site.objects.filter(hostname=domain.strip().lower()).first()
                if site is None:
                    raise CommandError(f"没有域名为“{domain}”的网站。")
                chosen.append(site)
        if opts["restart"]:
            bump(sites=[site.pk for site in chosen])
        for site in chosen:
            self._rebuild(site, opts["workers"], opts["limit"])

    def _rebuild(self, site, workers, limit):
        start = time.perf_counter()
        # The first report counts the pages already current (an interrupted run's): not in the rate.
        line = ProgressLine(self.stdout, "页", bar=False)

        def progress(done, total):
            line.update(done, total, label=site.hostname)

        try:
            result = static_html.rebuild_site(site, workers=workers, progress=progress, limit=limit)
        except KeyboardInterrupt:
            raise CommandError(
                f"{site.hostname}：已中断。再次运行从中断处继续（已生成的页面不再生成）。"
            ) from None
        line.end()
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"{site.hostname}：生成 {result.written} 页，已是最新 {result.current} 页，"
            f"未生成 {result.skipped} 页（非 200 或非 HTML），{seconds:.1f} 秒"
        )
        if result.stale:
            self.stderr.write(f"{site.hostname}：重建过程中网站内容有变化，请再次运行以生成其余页面。")
