"""Which findings a staff member sees: those of the items of their organ subtree (all for a superuser).

The findings screen and the 工作台 panel both read them from here."""

from django.db.models import Q

from zwgk.core.scoping import scope_for
from zwgk.disclosure.models import ITEM_TYPES

from .models import PageFinding


def pages_of(organisations) -> Q:
    """Findings of items whose 发布机构 is in `organisations`: one `page_id IN (subquery)` per item model,
    OR'd (no UNION: SQLite refuses a compound subquery with an ORDER BY)."""
    q = Q()
    for model in ITEM_TYPES:
        q |= Q(page_id__in=model.objects.filter(organisation__in=organisations).order_by().values("pk"))
    return q


def findings_in_scope(user):
    """The findings of the items in `user`'s organ subtree, with their page."""
    findings = PageFinding.objects.select_related("page")
    if user.is_superuser:
        return findings
    return findings.filter(pages_of(scope_for(user)))
