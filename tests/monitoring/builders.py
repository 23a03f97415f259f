"""Sites with columns and items of chosen ages, for the monitoring tests."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page, Site

from zwgk.disclosure.models import ArticlePage, ColumnPage, HomePage

NOW = timezone.now().replace(microsecond=0)
TODAY = timezone.localdate(NOW)  # the portal's date (Asia/Shanghai), as `zwgk monitor` takes it


def make_site(hostname, org, *, port=80, title=None):
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title=title or f"{hostname}首页", slug=hostname.replace(".", "-"), live=True)
    )
    site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=title or hostname)
    return site, home


def column(parent, title, column_type, slug=None):
    return parent.add_child(
        instance=ColumnPage(
            title=title, slug=slug or f"c{ColumnPage.objects.count() + 1}", column_type=column_type, live=True
        )
    )


def article(parent, org, days_ago, title=None, body="<p>正文</p>"):
    page = parent.add_child(
        instance=ArticlePage(
            title=title or f"信息{Page.objects.count()}",
            organisation=org,
            body=body,
            live=True,
            slug=f"a{Page.objects.count() + 1}",
        )
    )
    when = NOW - dt.timedelta(days=days_ago)
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    return page
