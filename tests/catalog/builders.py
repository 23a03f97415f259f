"""A county with a column of items of chosen ages, for the 标准目录 tests."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from tests import factories
from zwgk.disclosure.models import ArticlePage, ColumnPage

NOW = timezone.make_aware(dt.datetime(2026, 12, 1, 10, 0))
TODAY = timezone.localdate(NOW)  # the portal's date (Asia/Shanghai)


def county():
    org = factories.organisation(name="测试县人民政府", slug="xzf", credit_code="11441700007280420Y")
    town = factories.organisation(parent=org, name="测试镇人民政府", slug="csz")
    home, news, library = factories.site()
    return org, town, home, news


def column(parent, title, slug):
    return parent.add_child(instance=ColumnPage(title=title, slug=slug, column_type="other", live=True))


def article(parent, org, published: dt.date, written: dt.date | None = None, **kwargs):
    page = parent.add_child(
        instance=ArticlePage(
            title=f"信息{Page.objects.count()}",
            organisation=org,
            written_date=written,
            live=True,
            slug=f"a{Page.objects.count() + 1}",
            **kwargs,
        )
    )
    when = timezone.make_aware(dt.datetime.combine(published, dt.time(10, 0)))
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    return page
