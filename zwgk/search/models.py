"""The search index: one row per published public item, plus an FTS5 (SQLite) or GIN (PostgreSQL) index."""

import re

from django.db import models


class SearchEntry(models.Model):
    """An item's page (its attachments' text folded in), or an object of a registered source
    (`sources.Source`: `source` and `object_id`, no page), such as a published 互动交流 message."""

    page = models.OneToOneField(
        "wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    source = models.CharField(max_length=16, blank=True, default="")  # "" for a page
    object_id = models.PositiveIntegerField(null=True)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=255)
    type = models.CharField(max_length=20, db_index=True)  # 文章 / 政策文件 / 政策解读
    organisation = models.ForeignKey(
        "core.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    published = models.DateTimeField(db_index=True)
    year = models.PositiveIntegerField(db_index=True)
    validity = models.CharField(max_length=16, blank=True)
    document_number = models.CharField(max_length=60, blank=True)
    text = models.TextField(
        help_text="normalised title + metadata + body, for snippets and the substring check"
    )
    terms = models.TextField(help_text="space-separated bigram tokens (the FTS5 / GIN input)")

    class Meta:
        verbose_name = verbose_name_plural = "检索索引"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="search_entry_source_object",
            )
        ]


class Synonym(models.Model):
    """Organisation short names and other equivalent terms: 县发改局 ↔ 县发展和改革局."""

    term = models.CharField("词语", max_length=60, unique=True)
    equivalents = models.CharField(
        "同义词", max_length=300, help_text="用逗号或顿号分隔，如：县发展和改革局、发改局"
    )

    class Meta:
        verbose_name = verbose_name_plural = "检索同义词"

    def __str__(self):
        return f"{self.term} ↔ {self.equivalents}"

    def equivalent_list(self) -> list[str]:
        return [t.strip() for t in re.split(r"[,，、;；\s]+", self.equivalents) if t.strip()]


class SearchTokens(models.Model):
    """PostgreSQL: an entry's tokens, in a narrow table of their own with the GIN index (migration 0004).

    A count of a common term over the wide entry table read every heap page of it (73,400 pages of
    inline compressed text at 450,000 items); this table's heap is a few thousand pages, its tokens
    are kept out of line, and GIN containment needs no recheck, so a count reads the index and little
    else. The database deletes the row with its entry (ON DELETE CASCADE). Empty on SQLite (FTS5).
    """

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        db_column="id",
        on_delete=models.DO_NOTHING,  # the database's ON DELETE CASCADE (migration 0004)
        db_constraint=False,
        related_name="+",
    )
    terms = models.TextField()

    class Meta:
        db_table = "zwgk_search_tokens"
