"""RSS 2.0 per column (and for the policy library): the column's newest live items."""

from django.http import HttpResponse
from django.utils.feedgenerator import Rss201rev2Feed

FEED_SIZE = 30


def column_feed(request, column, items):
    """`items`: the column's live items, newest first (the caller's query; this module knows no model)."""
    feed = Rss201rev2Feed(
        title=column.title,
        link=request.build_absolute_uri(column.url),
        description=getattr(column, "description", "") or column.title,
        language="zh-cn",
    )
    for item in items[:FEED_SIZE].specific():
        feed.add_item(
            title=item.title,
            link=request.build_absolute_uri(item.url),
            description=item.summary or "",
            pubdate=item.first_published_at,
            unique_id=item.index_number or str(item.pk),
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
