"""索引号 assignment: once, at first publish, gap-free per organisation and year (see core.sequences)."""

from zwgk.core.models import Organisation
from zwgk.core.sequences import reserve

from .rules import format_index_number


def next_index_number(organisation: Organisation, year: int) -> str:
    """Reserve and return the next 索引号 of `organisation` in `year`. Call inside the publish transaction."""
    from .models import IndexSequence

    return format_index_number(organisation.credit_code, year, reserve(IndexSequence, organisation, year))
