"""索引号 assignment: once, at first publish, gap-free per organisation and year (see core.sequences), and
the table of its counters (a model of this app, registered through models.py)."""

from django.db import models
from django.utils import timezone

from zwgk.core.audit import record
from zwgk.core.models import Organisation
from zwgk.core.sequences import reserve

from .rules import format_index_number, is_late_publication

ASSIGN_ACTION = "zwgk.index_number.assign"


class IndexSequence(models.Model):
    """Last 索引号 sequence number issued per organisation and year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_index_sequence")]


def next_index_number(organisation: Organisation, year: int) -> str:
    """Reserve and return the next 索引号 of `organisation` in `year`. Call inside the publish transaction."""
    return format_index_number(organisation.credit_code, year, reserve(IndexSequence, organisation, year))


def assign_index_number(item) -> None:
    """Number `item` at its first publish and flag a late publication (条例第二十六条: 20 working days from
    formation), in the caller's transaction; `record_assignment` writes the audit entry once it is saved."""
    published = timezone.localtime(item.first_published_at or timezone.now()).date()
    item.index_number = next_index_number(item.organisation, published.year)
    item.published_late = is_late_publication(item.written_date, published)


def record_assignment(item) -> None:
    record(
        item, ASSIGN_ACTION, data={"index_number": item.index_number, "published_late": item.published_late}
    )
