"""`zwgk reindex`: rebuild the search index from every published item (progress bar, resumable)."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "重建全文检索索引（可中断后继续；--restart 从头开始）"

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help="清空索引后从头重建")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **opts):
        from django.db import transaction

        from zwgk.disclosure.models import live_items
        from zwgk.search.indexing import index_page
        from zwgk.search.models import SearchEntry

        if opts["restart"]:
            SearchEntry.objects.all().delete()
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('delete-all')")
        # Resume: items already indexed are skipped (the index follows publishing from then on).
        done_ids = set(SearchEntry.objects.values_list("page_id", flat=True))
        pages = live_items().order_by("id")
        total = pages.count()
        last_id, done = 0, len(done_ids)
        while True:
            batch = list(pages.filter(id__gt=last_id)[: opts["batch"]].specific())
            if not batch:
                break
            with transaction.atomic():
                for page in batch:
                    if page.pk not in done_ids:
                        index_page(page)
                        done += 1
            last_id = batch[-1].pk
            bar = "#" * int(30 * min(done, total) / total) if total else ""
            self.stderr.write(f"\r[{bar:<30}] {min(done, total)}/{total}", ending="")
        self.stderr.write("")
        self.stdout.write(f"检索索引已就绪：{SearchEntry.objects.count()} 条。")
