"""`zwgk demo`: build the fictional 龙溪县 deterministically from --seed."""

import contextlib
import datetime as dt
import io
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Site

from zwgk.applications.letter_templates import install_starter_templates
from zwgk.applications.models import LetterTemplate, NoticeTemplate
from zwgk.applications.notices import install_starter_notices
from zwgk.core.models import Organisation
from zwgk.core.progress import ProgressLine
from zwgk.demo.application_law import create_demo_notices
from zwgk.demo.applications import create_demo_applications
from zwgk.demo.catalog import create_demo_catalog
from zwgk.demo.consultations import create_demo_consultations
from zwgk.demo.content import BULK_THRESHOLD, generate
from zwgk.demo.disclosure_section import publish_annual_reports
from zwgk.demo.interaction import create_demo_interaction
from zwgk.demo.lifecycle import create_demo_lifecycle
from zwgk.demo.monitoring import create_demo_monitoring
from zwgk.demo.people import DEMO_PASSWORD, create_organisations, create_staff
from zwgk.demo.portal_look import fill_portal_settings
from zwgk.demo.sites import build_sites
from zwgk.portal.models import PortalSettings


class Command(BaseCommand):
    help = "生成演示县（龙溪县）：机关、各角色工作人员、三年的主动公开信息"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--articles", type=int, default=2000, help="文章条数（默认2000；450000为城市规模）"
        )
        parser.add_argument(
            "--sites", type=int, default=1, help="站群：网站个数（默认1；34为城市站群，各部门、乡镇一个网站）"
        )
        parser.add_argument("--policies", type=int, default=160)
        parser.add_argument("--interpretations", type=int, default=70)
        parser.add_argument("--applications", type=int, default=40, help="每年的依申请公开件数")
        parser.add_argument("--reset", action="store_true", help="清空现有数据库后重建")
        parser.add_argument("--today", help="演示数据截止日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **opts):

        if Organisation.objects.exists():
            if not opts["reset"]:
                raise CommandError("数据库中已有数据。要重建演示县，请加 --reset（将清空全部数据）。")
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0)  # re-installs roles and the 三审 workflow
            # flush also empties the 答复告知书 templates the applications migration seeded once

            install_starter_templates(LetterTemplate)
            install_starter_notices(NoticeTemplate)
        today = dt.date.fromisoformat(opts["today"]) if opts["today"] else timezone.localdate()
        started = time.monotonic()
        rng = random.Random(opts["seed"])
        with transaction.atomic():
            orgs = create_organisations(rng)
            staff = create_staff(orgs)
        # The default demo is one transaction; city-scale data commits batch by batch (bulk.py).
        bulk = opts["articles"] > BULK_THRESHOLD
        # A site group spreads the articles: half on the government portal, half over the other sites.
        group_articles = opts["articles"] // 2 if opts["sites"] > 1 else 0
        with contextlib.nullcontext() if bulk else transaction.atomic():
            counts = generate(
                orgs,
                seed=opts["seed"],
                articles=opts["articles"] - group_articles,
                policies=opts["policies"],
                interpretations=opts["interpretations"],
                today=today,
                progress=self.progress,
            )

            site = Site.objects.get(is_default_site=True)
            PortalSettings.objects.update_or_create(
                site=site,
                defaults=dict(
                    site_name="龙溪县人民政府",
                    site_domain="www.longxi.gov.cn",
                    site_code="3607990001",
                    sponsor="龙溪县人民政府办公室",
                    contact="0797-6120001",
                    icp_number="X ICP备00000000号（演示）",
                    police_number="X公网安备 36079902000000号（演示）",
                ),
            )

        if opts["sites"] > 1:
            with contextlib.nullcontext() if bulk else transaction.atomic():
                group = build_sites(
                    orgs,
                    sites=opts["sites"],
                    articles=group_articles,
                    seed=opts["seed"] + 4,
                    today=today,
                    progress=self.progress,
                )
            self.stdout.write(f"站群：{group['sites']} 个网站，部门和乡镇网站共 {group['articles']} 条信息。")
        with transaction.atomic():
            # Footer facts of every site (主办/承办, 备案, 标识), the home page's 专题, 办事 and 图片新闻.
            fill_portal_settings(orgs, seed=opts["seed"])
        with transaction.atomic():
            applications = create_demo_applications(
                orgs,
                years=[today.year - 2, today.year - 1, today.year],
                rng=random.Random(opts["seed"] + 1),
                per_year=opts["applications"],
                today=today,
            )
            lifecycle = create_demo_lifecycle(orgs, today)
            reports = publish_annual_reports(orgs["xzf"], [today.year - 2, today.year - 1], today)
            messages = create_demo_interaction(orgs, today, random.Random(opts["seed"] + 2))
            catalog_items = create_demo_catalog(orgs)
            consultations = create_demo_consultations(orgs, today)
            create_demo_notices(orgs, today)  # 补正、收费、征求意见、转送 and 第四十四条, open on the 工作台
        with transaction.atomic():
            accounts = create_demo_monitoring(orgs, today, random.Random(opts["seed"] + 3))
        if bulk:
            self.stdout.write("城市规模数据未建立全文检索索引：请另行运行 zwgk reindex（可中断后继续）。")
        else:
            # The demo writes pages directly (no publish signals), so build the search index once here.
            call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())
        if bulk:
            # Planner statistics for the new rows, once every table is filled: analysed half-way,
            # the 160 policy documents counted as an empty table and SQLite drove the library's
            # queries from the 450,000 pages instead (0.6 s instead of 10 ms).

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"演示县已生成（{time.monotonic() - started:.0f} 秒）：机关 {len(orgs)} 个，"
                f"信息 {counts['articles']} 条，政策文件 {counts['policies']} 件，政策解读 {counts['interpretations']} 篇，"
                f"已办结的依申请公开 {applications} 件，意见征集 {consultations} 次。"
            )
        )
        self.stdout.write(f"互动交流：留言 {messages} 件（各种办理状态）。")
        self.stdout.write(f"政务新媒体账号 {accounts} 个（部分超过两周未更新），见后台“网站监测”。")
        self.stdout.write(
            f"规范性文件：到期自动失效 {lifecycle['expired']} 件，有效期评估 {lifecycle['reviewed']} 件，"
            f"清理 {lifecycle['cleanups']} 次（后台“规范性文件清理”）。"
        )
        self.stdout.write(f"政府信息公开年报 {reports} 篇（已经三审发布，门户“政府信息公开年报”）。")
        self.stdout.write(f"标准目录：县政府和城关镇共 {catalog_items} 项（后台“标准目录”，门户 /bzml/）。")
        self.stdout.write(f"演示账号（仅供演示，密码均为 {DEMO_PASSWORD}）：")
        for username, role, org in staff:
            self.stdout.write(f"  {username:<12} {role:<6} {org}")

    def progress(self, label, done, total):
        """One line per phase with its own rate (a phase starts at a new label or when the count goes
        back, as when the site group's articles follow the county's)."""
        if total:
            if not hasattr(self, "_line"):
                self._line = ProgressLine(self.stderr, bar=False)
            self._line.update(done, total, label=label)
