"""`zwgk search QUERY [--json] [--limit N]`: the portal's search from the shell (--limit 0 = all hits)."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from zwgk.search.query import search


class Command(BaseCommand):
    help = "全文检索已公开的信息"

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--limit", type=int, default=20, help="最多返回条数，0 表示全部")

    def handle(self, *args, **opts):
        limit = opts["limit"] or None
        result = search(opts["query"], limit=limit, exact_count=True)  # the JSON contract: an exact count
        rows = [
            {
                "url": hit.url,
                "title": hit.title,
                "type": hit.type,
                "published": timezone.localtime(hit.published).isoformat(),
            }
            for hit in result.hits
        ]
        if opts["json"]:
            self.stdout.write(json.dumps({"count": result.count, "results": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"共 {result.count} 条")
        for row in rows:
            self.stdout.write(f"{row['published'][:10]}  {row['type']}  {row['title']}  {row['url']}")
