"""索引号 assignment: once, at first publish, gap-free per organisation and year.

The counter row is locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite runs IMMEDIATE transactions
that serialise writers), and the increment commits or rolls back together with the publish, so a
failed publish never burns a number.
"""

from django.db import IntegrityError, transaction

from zwgk.core.models import Organisation

from .rules import format_index_number


def next_index_number(organisation: Organisation, year: int) -> str:
    """Reserve and return the next 索引号 of `organisation` in `year`. Call inside the publish transaction."""
    from .models import IndexSequence

    with transaction.atomic():
        try:
            with transaction.atomic():
                IndexSequence.objects.get_or_create(organisation=organisation, year=year)
        except IntegrityError:
            pass  # another transaction created the row first; lock it below
        seq = IndexSequence.objects.select_for_update().get(organisation=organisation, year=year)
        seq.last_value += 1
        seq.save(update_fields=["last_value"])
        return format_index_number(organisation.credit_code, year, seq.last_value)
