"""`zwgk demo --sites N`: the demo county as a site group (集约化): the government portal plus a site for
each of N-1 departments and townships (more departments are added when the county has too few), each
made by zwgk.portal.sites.create_site from its template, with a share of the articles in its own columns."""

import datetime as dt
import random

from django.utils import timezone

from zwgk.core.models import Organisation
from zwgk.demo.bulk import BulkArticleWriter
from zwgk.demo.content import BULK_THRESHOLD
from zwgk.demo.people import make_credit_code
from zwgk.disclosure.models import ArticlePage, ColumnPage
from zwgk.disclosure.vocab import ColumnType, StatutoryCategory
from zwgk.portal.models import PortalSettings
from zwgk.portal.sites import create_site

DOMAIN = "longxi.gov.cn"
# Departments a city has beyond the county's fourteen (names only; the demo's organs are fictional).
MORE_DEPARTMENTS = (
    "统计局",
    "审计局",
    "司法局",
    "民政局",
    "退役军人事务局",
    "应急管理局",
    "林业局",
    "水利局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "医疗保障局",
    "市场监督管理局",
    "体育局",
    "信访局",
    "国防动员办公室",
    "机关事务管理局",
    "数据局",
    "乡村振兴局",
    "城市管理局",
    "住房公积金中心",
    "档案馆",
    "地方志办公室",
)
TITLES = (
    "{org}召开{year}年工作推进会",
    "{org}开展“{topic}”主题宣传活动",
    "{org}关于{topic}工作情况的通报",
    "{org}部署{topic}专项检查",
    "{org}{year}年{topic}工作要点",
    "{org}举办{topic}业务培训班",
)
TOPICS = (
    "安全生产",
    "优化营商环境",
    "政务公开",
    "民生实事",
    "乡村振兴",
    "法治政府建设",
    "防汛抗旱",
    "数字政府",
)


def build_sites(
    orgs: dict,
    *,
    sites: int,
    articles: int,
    seed: int,
    today: dt.date,
    progress=None,
    bulk_threshold: int = BULK_THRESHOLD,
) -> dict:
    """Sites for `sites - 1` organs besides the government portal, `articles` spread over them.

    Above `bulk_threshold` articles they are written in batches (bulk.py) like the county's own:
    through `add_child` 225,000 pages would take about two hours."""
    rng = random.Random(seed)
    government = orgs["xzf"]
    members = [o for o in orgs.values() if o.parent_id == government.pk]
    n = 0
    taken = set(Organisation.objects.values_list("name", flat=True))
    while len(members) < sites - 1:
        name = MORE_DEPARTMENTS[n % len(MORE_DEPARTMENTS)] + ("" if n < len(MORE_DEPARTMENTS) else f"{n}")
        slug = f"bm{n + 1:02d}"
        if f"龙溪县{name}" in taken:  # the county already has this department
            n += 1
            continue
        organ = Organisation.objects.create(
            parent=government,
            kind=Organisation.Kind.DEPARTMENT,
            name=f"龙溪县{name}",
            short_name=f"县{name}",
            slug=slug,
            credit_code=make_credit_code(rng),
        )
        orgs[slug], n = organ, n + 1
        members.append(organ)
    # The default site is the government portal: its organ shows the unified 信息公开目录.
    PortalSettings.objects.filter(site__is_default_site=True).update(organisation=government)
    made = []
    for i, organ in enumerate(members[: sites - 1]):
        site = create_site(organisation=organ, domain=f"{organ.slug}.{DOMAIN}")
        PortalSettings.objects.filter(site=site).update(
            site_code=f"{government.site_code[:6]}{i + 2:04d}",
            organiser=f"{organ.name}办公室",
            icp_number="X ICP备00000000号（演示）",
        )
        made.append((site, organ))
    per_site = articles // max(len(made), 1)
    total = per_site * len(made)
    done = 0
    writer = None
    if total > bulk_threshold:
        writer = BulkArticleWriter(random.Random(seed + 1), progress=progress, total=total)
    for site, organ in made:
        columns = list(ColumnPage.objects.descendant_of(site.root_page).filter(column_type=ColumnType.NEWS))
        notices = list(ColumnPage.objects.descendant_of(site.root_page).filter(column_type=ColumnType.NOTICE))
        for k in range(per_site):
            column = (notices if k % 4 == 3 and notices else columns)[0]
            page = _article(rng, organ, today)
            if writer:
                writer.add(column, page)
            else:
                column.add_child(instance=page)
            done += 1
            if progress and not writer and (done % 200 == 0 or done == total):
                progress("站群信息", done, total)
    if writer:
        writer.finish()
    return {"sites": len(made) + 1, "articles": done}


def _article(rng, organ, today):
    """An unsaved live ArticlePage of `organ` (its slug, dates and 主题 drawn from `rng`)."""
    day = today - dt.timedelta(days=rng.randrange(0, 3 * 365))
    topic = rng.choice(TOPICS)
    title = rng.choice(TITLES).format(org=organ.display_short_name, year=day.year, topic=topic)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60))))
    page = ArticlePage(
        title=title,
        slug=f"a{rng.randrange(10**9):09d}",
        organisation=organ,
        written_date=day,
        statutory_category=rng.choice(StatutoryCategory.values),
        summary=f"{organ.name}{topic}工作情况。",
        body=f"<p>{organ.name}围绕{topic}，认真贯彻落实上级部署，扎实推进各项工作。</p>",
        live=True,
        first_published_at=moment,
        last_published_at=moment,
    )
    return page
