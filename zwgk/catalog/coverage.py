"""Coverage of an organ's 标准目录: per item 已公开 / 超期 / 未公开, per area and organ a percentage.

The whole catalogue is judged in a handful of queries whatever its size: the newest live item under each
bound column and in each bound 法定主动公开内容 category (of the organ's subtree) is read per item type
once, then each catalogue item takes the newest of its sources (rules.item_status).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from zwgk.disclosure.models import ITEM_TYPES

from . import rules
from .models import CatalogItem

ITEM_MODELS = ITEM_TYPES
CHUNK = 100  # columns per UNION ALL query


@dataclass
class Source:
    """The newest live content of one column or category: when it went public, when it was formed."""

    published: dt.date | None = None
    published_at: dt.datetime | None = None
    formed: dt.date | None = None
    count: int = 0
    url: str = ""

    def merge(self, other: "Source") -> None:
        self.count += other.count
        if other.published_at and (self.published_at is None or other.published_at > self.published_at):
            self.published_at, self.published, self.formed = other.published_at, other.published, other.formed


@dataclass
class ItemCoverage:
    item: CatalogItem
    status: str
    reason: str
    latest: Source
    deadline_days: int
    columns: list = field(default_factory=list)  # ids of the bound columns
    column_titles: list = field(default_factory=list)  # filled by the views that show them

    @property
    def label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        i = self.item
        return {
            "code": i.code,
            "name": i.title,
            "area": i.area_code,
            "area_name": i.area_name,
            "status": self.status,
            "reason": self.reason,
            "items": self.latest.count,
            "latest_published": self.latest.published.isoformat() if self.latest.published else None,
            "latest_formed": self.latest.formed.isoformat() if self.latest.formed else None,
            "deadline_days": self.deadline_days,
            "columns": self.columns,
            "categories": list(i.categories),
            "manual": list(i.manual or []),
        }


class _Tally:
    """An area's and an organ's coverage count their `items` the same way."""

    items: list

    @property
    def published(self) -> int:
        return sum(1 for c in self.items if c.status == rules.PUBLISHED)

    @property
    def percentage(self) -> float:
        return rules.percentage(self.published, len(self.items))


@dataclass
class AreaCoverage(_Tally):
    code: str
    name: str
    items: list = field(default_factory=list)

    @property
    def to_fix(self) -> list:
        return [c for c in self.items if c.status != rules.PUBLISHED]


@dataclass
class OrganCoverage(_Tally):
    organisation: object
    items: list
    areas: list

    @property
    def to_fix(self) -> list:
        """应公开未公开: items bound to nothing live, or overdue — missing first."""
        order = {rules.MISSING: 0, rules.OVERDUE: 1}
        return sorted((c for c in self.items if c.status != rules.PUBLISHED), key=lambda c: order[c.status])

    def counts(self) -> dict:
        counts = {s: 0 for s in rules.STATUS_LABELS}
        for c in self.items:
            counts[c.status] += 1
        return counts

    def as_dict(self) -> dict:
        return {
            "org": self.organisation.slug,
            "name": self.organisation.name,
            "percentage": self.percentage,
            "counts": self.counts(),
            "areas": [
                {"code": a.code, "name": a.name, "items": len(a.items), "percentage": a.percentage}
                for a in self.areas
            ],
            "items": [c.as_dict() for c in self.items],
        }


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def _column_aggregates(paths, content_types):
    """[(column path, live items, newest publication)]: one aggregate per column, each a range scan of
    the unique `path` index over that column's children only (treebeard steps are base-36 upper case,
    0000 … ZZZZ), sent as one UNION ALL per chunk. Plain SQL: building one ORM queryset per column
    cost more than running the queries."""
    steplen = Page.steplen
    quote = connection.ops.quote_name
    types = ", ".join(["%s"] * len(content_types))
    one = (
        f"SELECT CAST(%s AS VARCHAR(255)), COUNT(*), MAX({quote('first_published_at')}) "
        f"FROM {quote(Page._meta.db_table)} WHERE {quote('live')} = %s AND {quote('depth')} = %s "
        f"AND {quote('path')} BETWEEN %s AND %s AND {quote('content_type_id')} IN ({types})"
    )
    values = []
    for path in paths:
        values += [path, True, len(path) // steplen + 1, path + "0" * steplen, path + "Z" * steplen]
        values += content_types
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([one] * len(paths)), values)
        return [(path, n, _as_datetime(latest)) for path, n, latest in cursor.fetchall()]


def _as_datetime(value):
    """MAX() of a datetime comes back as text from SQLite (no declared type), aware from PostgreSQL."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _column_sources(column_paths: list[str]) -> dict:
    """{column path: Source} for the live items directly under each column."""
    sources: dict[str, Source] = {}
    content_types = [ContentType.objects.get_for_model(m).pk for m in ITEM_MODELS]
    for start in range(0, len(column_paths), CHUNK):
        for path, n, latest in _column_aggregates(column_paths[start : start + CHUNK], content_types):
            if n:
                sources[path] = Source(published=_local_date(latest), published_at=latest, count=n)
    # 成文日期 of each column's newest item: the indexed publication moments, matched back by parent path.
    moments = sorted({s.published_at for s in sources.values()})
    for model in ITEM_MODELS:
        for start in range(0, len(moments), CHUNK):
            chunk = moments[start : start + CHUNK]
            rows = model.objects.live().filter(first_published_at__in=chunk).order_by()
            for path, moment, written in rows.values_list("path", "first_published_at", "written_date"):
                source = sources.get(path[: -Page.steplen])
                if source is not None and source.published_at == moment and written is not None:
                    source.formed = written
    return sources


def _formed_dates(base, key_field, newest) -> dict:
    """成文日期 of the newest item of each group (the newest publication moment, ties → any of them)."""
    if not newest:
        return {}
    moments = {row["latest"] for row in newest.values()}
    formed = {}
    rows = (
        base.filter(first_published_at__in=moments)
        .order_by()
        .values_list(key_field, "first_published_at", "written_date")
    )
    for key, moment, written in rows:
        if key in newest and newest[key]["latest"] == moment and written is not None:
            formed[key] = written
    return formed


def _category_sources(categories: set[str], organisation) -> dict:
    """{category code: Source} for the live items of the organ's subtree in each category."""
    sources: dict[str, Source] = defaultdict(Source)
    if not categories:
        return sources
    for model in ITEM_MODELS:
        base = model.objects.live().filter(
            statutory_category__in=categories, organisation__path__startswith=organisation.path
        )
        latest = (
            base.order_by()
            .values("statutory_category")
            .annotate(n=Count("pk"), latest=Max("first_published_at"))
        )
        newest = {row["statutory_category"]: row for row in latest}
        formed = _formed_dates(base.annotate(cat=F("statutory_category")), "cat", newest)
        for key, row in newest.items():
            sources[key].merge(
                Source(
                    published=_local_date(row["latest"]),
                    published_at=row["latest"],
                    formed=formed.get(key),
                    count=row["n"],
                )
            )
    return sources


def _bindings(items) -> dict[int, list[tuple[int, str]]]:
    """{item id: [(column id, column path)]} in one light query (no page objects are built)."""
    through = CatalogItem.columns.through
    bound = defaultdict(list)
    wanted = {i.pk for i in items}
    rows = through.objects.filter(catalogitem__organisation=items[0].organisation_id).values_list(
        "catalogitem_id", "columnpage_id", "columnpage__path"
    )
    for item_id, column_id, path in rows.order_by("columnpage__path"):
        if item_id in wanted:
            bound[item_id].append((column_id, path))
    return bound


def organ_coverage(organisation, today: dt.date | None = None, items=None) -> OrganCoverage:
    """The coverage of `organisation`'s 标准目录 today (the function the dashboard and reports call).

    `items` narrows or prefetches the organ's items (the back office prefetches the columns it shows).
    """
    today = today or timezone.localdate()
    if items is None:  # the checklists are not needed to judge coverage
        items = CatalogItem.objects.filter(organisation=organisation).defer(
            "channels", "audience", "mode", "levels"
        )
    items = list(items)
    bound = _bindings(items) if items else {}
    due = {}  # (成文日期, 时限) → last day: many items share a source
    by_column = _column_sources(sorted({path for pairs in bound.values() for _, path in pairs}))
    by_category = _category_sources({c for i in items for c in i.categories}, organisation)
    results, areas = [], {}
    for item in items:
        latest = Source()
        for _, path in bound.get(item.pk, ()):
            if path in by_column:
                latest.merge(by_column[path])
        for category in item.categories:
            if category in by_category:
                latest.merge(by_category[category])
        days = rules.deadline_working_days(item.time_limit)
        if latest.formed is not None and (latest.formed, days) not in due:
            due[latest.formed, days] = rules.publication_due(latest.formed, days)
        status, reason = rules.item_status(
            latest.published,
            latest.formed,
            days,
            today,
            item.update_cycle_days,
            due=due.get((latest.formed, days)),
        )
        result = ItemCoverage(item, status, reason, latest, days, [c for c, _ in bound.get(item.pk, ())])
        results.append(result)
        areas.setdefault(item.area_code, AreaCoverage(item.area_code, item.area_name)).items.append(result)
    return OrganCoverage(organisation, results, sorted(areas.values(), key=lambda a: a.code))


def organs_with_catalog(queryset):
    """The organs of `queryset` that keep a 标准目录."""
    return queryset.filter(pk__in=CatalogItem.objects.values("organisation_id")).order_by("path")


def monthly_summary(organisations, today: dt.date | None = None) -> list[dict]:
    """One row per organ for the monthly report: percentage, counts and the items to fix."""
    rows = []
    for organ in organs_with_catalog(organisations):
        cov = organ_coverage(organ, today)
        rows.append(
            {
                "org": organ.slug,
                "name": organ.name,
                "percentage": cov.percentage,
                **cov.counts(),
                "to_fix": [(c.item.code, c.item.title, c.label) for c in cov.to_fix],
            }
        )
    return rows
