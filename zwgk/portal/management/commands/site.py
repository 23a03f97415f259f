"""`zwgk site create --org CODE --domain D [--template T]`, `zwgk site list`, `zwgk site archive D`,
`zwgk site delete D`: the site group (集约化) from the command line (zwgk.portal.sites does the work)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page, Site

from zwgk.disclosure.models import ColumnPage
from zwgk.portal import sites
from zwgk.portal.models import PortalSettings, SiteTemplate


class Command(BaseCommand):
    help = "站群管理：开设（按模板生成首页、栏目和信息公开目录）、列出、归档、删除网站"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为机关开设网站")
        create.add_argument("--org", required=True, help="机关的网址标识、统一社会信用代码或网站标识码")
        create.add_argument("--domain", required=True, help="网站域名，如 fgj.longxi.gov.cn")
        create.add_argument("--template", choices=SiteTemplate.values, help="网站模板（默认按机关类型）")
        create.add_argument("--name", default="", help="网站名称（默认机关名称）")
        create.add_argument("--site-code", default="", help="政府网站标识码（默认取机关的）")
        create.add_argument("--port", type=int, default=80)
        sub.add_parser("list", help="列出全部网站")
        ref = sub.add_parser("reference", help="引用：把一条信息显示到另一个网站的栏目（不复制）")
        ref.add_argument("--item", type=int, required=True, help="信息（页面）编号")
        ref.add_argument("--column", type=int, required=True, help="目标栏目（页面）编号")
        for name, text in (("archive", "归档网站（保留内容）"), ("delete", "删除没有信息的网站")):
            p = sub.add_parser(name, help=text)
            p.add_argument("domain")

    def handle(self, *args, **opts):
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e

    def _create(self, opts):
        organisation = sites.organisation_by_code(opts["org"])
        site = sites.create_site(
            organisation=organisation,
            domain=opts["domain"],
            template=opts["template"],
            site_name=opts["name"],
            site_code=opts["site_code"],
            port=opts["port"],
        )
        self.stdout.write(f"已开设网站 {site.hostname}（{site.site_name}），首页 {site.root_page.url_path}")

    def _reference(self, opts):
        item = Page.objects.filter(pk=opts["item"]).first()
        column = ColumnPage.objects.filter(pk=opts["column"]).first()
        if item is None or column is None:
            raise CommandError("找不到该信息或栏目（填写页面编号）。")
        sites.reference_item(item=item, column=column)
        self.stdout.write(f"已把“{item.title}”引用到栏目“{column.title}”")

    def _list(self, opts):
        for settings in PortalSettings.objects.select_related("site", "organisation").order_by(
            "site__hostname"
        ):
            state = "（已归档）" if settings.archived else ""
            organ = settings.organisation.name if settings.organisation else "—"
            self.stdout.write(
                f"{settings.site.hostname}\t{settings.site_name}\t{organ}\t{settings.template}{state}"
            )

    def _site(self, domain):
        site = Site.objects.filter(hostname=(domain or "").strip().lower()).first()
        if site is None:
            raise CommandError(f"没有域名为“{domain}”的网站。")
        return site

    def _archive(self, opts):
        sites.archive_site(self._site(opts["domain"]))
        self.stdout.write(f"已归档 {opts['domain']}")

    def _delete(self, opts):
        sites.delete_site(self._site(opts["domain"]))
        self.stdout.write(f"已删除 {opts['domain']}")
