"""集约化: many government sites on one installation (国办发〔2017〕47号: one platform, one information store).

A site is a Wagtail `Site` (its domain and home page) with a `PortalSettings` row naming the organ that
runs it. Every item belongs to its organ (`DisclosureItem.organisation`) and lives once in the page tree,
under its organ's site; the people's government's unified 信息公开目录 lists it from there, no copy.

- `create_site` makes a site from a template: its home page, columns, 政府信息公开 section (指南, 制度,
  the organ's 信息公开目录) and 政策文件库, the Site and its settings, in one transaction with an audit entry.
- `archive_site` keeps a site's content and marks it 已归档; `delete_site` removes a site only while it has
  no content (a government site's pages are a public record: archive instead).
- `sites_for(user)`: the sites of the user's organ subtree (a city 管理员 sees them all).
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page, Site

from zwgk.core import audit
from zwgk.core.codes import validate_site_code
from zwgk.core.models import Organisation
from zwgk.core.scoping import can_act_for, scope_for
from zwgk.disclosure.models import (
    ITEM_TYPES,
    ColumnPage,
    DisclosureIndexPage,
    HomePage,
    InformationPage,
    PolicyLibraryPage,
)
from zwgk.disclosure.vocab import ColumnType
from zwgk.portal.cache import bump_pages
from zwgk.portal.models import ItemReference, PortalSettings, SiteTemplate

# A host name as DNS allows it (RFC 1123 labels), lower case, at least two labels or `localhost`.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
DOMAIN_RE = re.compile(rf"^(?:{_LABEL}\.)+[a-z][a-z0-9-]{{1,62}}$|^localhost$")


@dataclass(frozen=True)
class Column:
    title: str
    slug: str
    column_type: str = ColumnType.OTHER
    menu: bool = False


# The columns each template makes: (home page columns, columns of the 政府信息公开 section).
SITE_TEMPLATES = {
    SiteTemplate.GOVERNMENT: (
        (
            Column("要闻动态", "ywdt", ColumnType.NEWS, True),
            Column("通知公告", "tzgg", ColumnType.NOTICE, True),
        ),
        (
            Column("人事信息", "rsxx", ColumnType.PERSONNEL),
            Column("规划计划", "ghjh", ColumnType.PLANNING),
            Column("财政预决算", "czyjs"),
            Column("政策解读", "zcjd", ColumnType.POLICY, True),
            Column("政府信息公开年报", "gknb"),
        ),
    ),
    SiteTemplate.DEPARTMENT: (
        (
            Column("工作动态", "gzdt", ColumnType.NEWS, True),
            Column("通知公告", "tzgg", ColumnType.NOTICE, True),
        ),
        (
            Column("规划计划", "ghjh", ColumnType.PLANNING),
            Column("政策解读", "zcjd", ColumnType.POLICY, True),
            Column("政府信息公开年报", "gknb"),
        ),
    ),
    SiteTemplate.TOWNSHIP: (
        (
            Column("工作动态", "gzdt", ColumnType.NEWS, True),
            Column("通知公告", "tzgg", ColumnType.NOTICE, True),
        ),
        (
            Column("财政信息", "czxx"),
            Column("政策解读", "zcjd", ColumnType.POLICY, True),
            Column("政府信息公开年报", "gknb"),
        ),
    ),
}


def validate_domain(domain: str, *, exclude_site: Site | None = None) -> str:
    """A site's domain: a lower-case host name without scheme, port or path, not used by another site."""
    value = (domain or "").strip().lower().rstrip(".")
    if not value:
        raise ValidationError("请填写网站域名，如 fgj.longxi.gov.cn。")
    if "://" in value or "/" in value or ":" in value:
        raise ValidationError("网站域名只填主机名，不含 http://、端口或路径，如 fgj.longxi.gov.cn。")
    if len(value) > 253 or not DOMAIN_RE.match(value):
        raise ValidationError("网站域名格式不正确：只能由字母、数字、连字符和点组成，如 fgj.longxi.gov.cn。")
    taken = Site.objects.filter(hostname=value)
    if exclude_site is not None:
        taken = taken.exclude(pk=exclude_site.pk)
    if taken.exists():
        raise ValidationError("域名“%(d)s”已被另一个网站使用。", params={"d": value})
    return value


def validate_template(template: str) -> str:
    if template not in SiteTemplate.values:
        names = "、".join(f"{value}（{label}）" for value, label in SiteTemplate.choices)
        raise ValidationError(
            "网站模板“%(t)s”不存在，可选：%(names)s。", params={"t": template, "names": names}
        )
    return template


def default_template(organisation: Organisation) -> str:
    kinds = Organisation.Kind
    if organisation.kind in (kinds.GOVERNMENT, kinds.OFFICE) and organisation.parent_id is None:
        return SiteTemplate.GOVERNMENT
    if organisation.kind in (kinds.TOWNSHIP, kinds.SUBDISTRICT):
        return SiteTemplate.TOWNSHIP
    return SiteTemplate.DEPARTMENT if organisation.kind != kinds.GOVERNMENT else SiteTemplate.GOVERNMENT


def organisation_by_code(code: str) -> Organisation:
    """The organ named on the command line: its 网址标识 (slug), 统一社会信用代码 or 网站标识码."""
    code = (code or "").strip()
    found = Organisation.objects.filter(slug=code) or Organisation.objects.filter(credit_code=code.upper())
    if not found and code:
        found = Organisation.objects.filter(site_code=code)
    if len(found) != 1:
        raise ValidationError(
            "找不到机关“%(c)s”（填写机关的网址标识、统一社会信用代码或网站标识码）。", params={"c": code}
        )
    return found[0]


def site_of(organisation: Organisation) -> Site | None:
    settings = PortalSettings.objects.filter(organisation=organisation).select_related("site").first()
    return settings.site if settings else None


@transaction.atomic
def create_site(
    *,
    organisation: Organisation,
    domain: str,
    template: str | None = None,
    site_name: str = "",
    site_code: str = "",
    port: int = 80,
    user=None,
    default: bool = False,
) -> Site:
    """Make a site for `organisation` at `domain` from `template` (one transaction, one audit entry)."""
    hostname = validate_domain(domain)
    template = validate_template(template or default_template(organisation))
    if not 1 <= int(port) <= 65535:
        raise ValidationError("端口应在1到65535之间。")
    if site_of(organisation) is not None:
        raise ValidationError("“%(o)s”已有网站，一个机关只开设一个网站。", params={"o": organisation.name})
    code = site_code or organisation.site_code
    if code:
        validate_site_code(code)
    if user is not None and organisation not in scope_for(user):
        raise ValidationError("只能为本机关及下级机关开设网站。")
    name = site_name or organisation.name
    root = Page.get_first_root_node()
    slug = _free_slug(root, organisation.slug)
    home = root.add_child(
        instance=HomePage(title=name, slug=slug, intro="以公开为常态、不公开为例外。", live=True)
    )
    home_columns, index_columns = SITE_TEMPLATES[template]
    for column in home_columns:
        _column(home, column)
    index = home.add_child(
        instance=DisclosureIndexPage(
            title="政府信息公开",
            slug="zwgk",
            live=True,
            show_in_menus=True,
            intro=f"<p>依据《中华人民共和国政府信息公开条例》，本栏目公开{organisation.name}的政府信息。</p>",
        )
    )
    for title, slug in (("政府信息公开指南", "gkzn"), ("政府信息公开制度", "gkzd")):
        index.add_child(
            instance=InformationPage(title=title, slug=slug, body=f"<p>{name}{title}。</p>", live=True)
        )
    for column in index_columns:
        _column(index, column)
    home.add_child(
        instance=PolicyLibraryPage(
            title="政策文件库",
            slug="zcwjk",
            live=True,
            show_in_menus=True,
            intro=f"{organisation.name}制发的政策文件。",
        )
    )
    if default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=hostname, port=port, root_page=home, site_name=name, is_default_site=default
    )
    PortalSettings.objects.update_or_create(
        site=site,
        defaults=dict(
            site_name=name,
            site_domain=hostname,
            site_code=code,
            sponsor=organisation.name,
            contact=organisation.phone,
            organisation=organisation,
            template=template,
        ),
    )
    audit.record(
        home,
        "zwgk.site.create",
        user=user,
        data={"new": {"domain": hostname, "organisation": organisation.name, "template": template}},
    )
    return site


def _free_slug(parent, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _column(parent, column: Column):
    return parent.add_child(
        instance=ColumnPage(
            title=column.title,
            slug=column.slug,
            column_type=column.column_type,
            live=True,
            show_in_menus=column.menu,
        )
    )


def content_count(site: Site) -> int:
    """Items under the site's home page (drafts included)."""
    return site.root_page.get_descendants().filter(content_type__in=_item_content_types()).count()


def _item_content_types():
    return list(ContentType.objects.get_for_models(*ITEM_TYPES).values())


@transaction.atomic
def archive_site(site: Site, *, user=None) -> PortalSettings:
    """归档: the site keeps every page and says 本网站已停止更新; it leaves the site-group lists."""
    settings = PortalSettings.for_site(site)
    if settings.archived:
        raise ValidationError("该网站已经归档。")
    settings.archived = True
    settings.save(update_fields=["archived"])
    audit.record(site.root_page, "zwgk.site.archive", user=user, data={"old": False, "new": True})
    return settings


@transaction.atomic
def delete_site(site: Site, *, user=None) -> None:
    """Remove a site and its (empty) page tree. Refused while it has any item: archive it instead."""
    count = content_count(site)
    if count:
        raise ValidationError(
            "网站“%(n)s”有%(c)d条信息，不能删除（政府网站的信息须留存）。请改为归档。",
            params={"n": site.site_name or site.hostname, "c": count},
        )
    if site.is_default_site and Site.objects.count() > 1:
        raise ValidationError("默认网站不能删除，请先把另一个网站设为默认网站。")
    home = site.root_page
    audit.record(home, "zwgk.site.delete", user=user, data={"old": {"domain": site.hostname}})
    site.delete()
    home.delete()


def sites_for(user):
    """Sites whose organ is inside the user's subtree (superusers: every site)."""
    sites = Site.objects.all().order_by("hostname")
    if getattr(user, "is_superuser", False):
        return sites
    return sites.filter(portalsettings__organisation__in=scope_for(user))


def site_organisations(site: Site | None):
    """The organs whose items a site shows: its organ's subtree (every organ if the site names none)."""
    settings = PortalSettings.for_site(site) if site is not None else None
    if settings is None or settings.organisation_id is None:
        return Organisation.objects.all()
    return settings.organisation.subtree()


def is_site_group_root(site: Site | None) -> bool:
    """A site whose organ has no parent (the people's government's portal) shows the whole store."""
    settings = PortalSettings.for_site(site) if site is not None else None
    return settings is None or settings.organisation is None or settings.organisation.parent_id is None


def reference_sites(organisation: Organisation | None):
    """The sites that accept 引用 of an organ's items: running (not archived) sites of the organ's superiors
    (a department's items go onto the government portal's columns, a township's onto the county's)."""
    if organisation is None or not organisation.path:
        return Site.objects.none()
    superiors = [int(p) for p in organisation.path.strip("/").split("/")[:-1] if p]
    return Site.objects.filter(
        portalsettings__organisation__in=superiors, portalsettings__archived=False
    ).order_by("hostname")


def reference_columns(item):
    """The columns `item` may be 引用'd onto: the live columns of the sites that accept its organ's items,
    each site's columns in tree order (the choices of the back office's 引用 form)."""
    item = item.specific
    targets = list(reference_sites(getattr(item, "organisation", None)))
    if not targets:
        return ColumnPage.objects.none()
    query = ColumnPage.objects.none()
    for site in targets:
        query = query | ColumnPage.objects.live().descendant_of(site.root_page)
    return query.order_by("path")


def _site_of_page(page) -> Site | None:
    for site in Site.objects.select_related("root_page"):
        if page.path.startswith(site.root_page.path):
            return site
    return None


@transaction.atomic
def reference_item(*, item, column: ColumnPage, user=None) -> ItemReference:
    """引用: show a live item of one site in a column of another site (a department's item on the government
    portal), without a copy; the column links to the item on its own site. The user must act for the
    item's organ (they push their own organ's items), and the column's site must accept the organ's items
    (`reference_sites`: the sites of its superiors)."""
    item = item.specific
    if not hasattr(item, "organisation_id") or not item.live:
        raise ValidationError("只能引用已发布的信息。")
    if item.path[: Page.steplen * 2] == column.path[: Page.steplen * 2]:
        raise ValidationError("该信息本来就在这个网站上，无需引用。")
    if user is not None and not can_act_for(user, item.organisation):
        raise ValidationError("只能引用本机关及下级机关发布的信息。")
    target = _site_of_page(column)
    if target is None or not reference_sites(item.organisation).filter(pk=target.pk).exists():
        raise ValidationError("该网站不接受本机关信息的引用（只能引用到上级机关的网站）。")
    if ItemReference.objects.filter(column=column, item=item).exists():
        raise ValidationError("该信息已经引用到“%(c)s”。", params={"c": column.title})
    reference = ItemReference.objects.create(column=column, item=item, created_by=user)
    audit.record(
        item,
        "zwgk.site.reference",
        user=user,
        data={"new": {"column": column.pk, "title": column.title, "site": target.hostname}},
    )
    bump_pages(column)  # the column's list changes (on the target site only)
    return reference


@transaction.atomic
def withdraw_reference(reference: ItemReference, *, user=None) -> None:
    """撤回引用: the item leaves the other site's column (it stays on its own site). The user must act for
    the item's organ, or for the organ of the site the column is on."""
    item, column = reference.item.specific, reference.column
    target = _site_of_page(column)
    if user is not None:
        target_organ = (
            PortalSettings.objects.filter(site=target).values_list("organisation", flat=True).first()
        )
        allowed = can_act_for(user, getattr(item, "organisation", None)) or (
            target_organ is not None and can_act_for(user, Organisation.objects.get(pk=target_organ))
        )
        if not allowed:
            raise ValidationError("只能撤回本机关及下级机关的信息或本机关网站上的引用。")
    reference.delete()
    audit.record(
        item,
        "zwgk.site.reference.withdraw",
        user=user,
        data={"old": {"column": column.pk, "title": column.title, "site": target.hostname if target else ""}},
    )
    bump_pages(column)
