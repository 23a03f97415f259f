"""Gap-free numbering per organisation and year (索引号, 申请编号): one locked counter row.

The counter row is locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite runs IMMEDIATE transactions that
serialise writers) and the increment commits or rolls back with the caller's transaction, so a failed
publish or registration never burns a number.
"""

from django.db import IntegrityError, transaction


def reserve(counter_model, organisation, year: int) -> int:
    """Reserve the next value of `counter_model` (fields organisation, year, last_value) for the pair."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                counter_model.objects.get_or_create(organisation=organisation, year=year)
        except IntegrityError:
            pass  # another transaction created the row first; lock it below
        counter = counter_model.objects.select_for_update().get(organisation=organisation, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return counter.last_value
