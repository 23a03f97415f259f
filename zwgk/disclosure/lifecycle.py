"""The 规范性文件 lifecycle: 有效 → 已修订 / 已废止 / 失效 (spec §7.3)."""

import datetime as dt

from django.db import transaction

from zwgk.core.audit import record

from .rules import check_transition
from .vocab import Validity


@transaction.atomic
def change_validity(document, new_validity: str, *, user, on_date: dt.date, caused_by=None, note: str = ""):
    """Change a published document's 有效性 and record why.

    A 修订 or 废止 names the document that caused it; the old document then points at it
    (`replaced_by`) and the new one lists the old under `replaces`, so the portal links both ways.
    The page row is updated in place: the change is a fact about the published document, not an
    edit that needs 三审, and `system_fields` keep later revisions from undoing it.
    """
    from .models import PolicyDocumentPage, PolicyStatusChange

    document = PolicyDocumentPage.objects.select_for_update().get(pk=document.pk)
    check_transition(document.validity, new_validity, has_cause=caused_by is not None)
    if caused_by is not None and caused_by.pk == document.pk:
        from django.core.exceptions import ValidationError

        raise ValidationError("依据文件不能是本文件。")
    change = PolicyStatusChange.objects.create(
        document=document,
        old_validity=document.validity,
        new_validity=new_validity,
        changed_on=on_date,
        caused_by=caused_by,
        note=note,
        user=user if getattr(user, "pk", None) else None,
    )
    replaced_by = caused_by if new_validity in (Validity.REVISED, Validity.REPEALED) else None
    if new_validity == Validity.VALID:
        replaced_by = None
    PolicyDocumentPage.objects.filter(pk=document.pk).update(
        validity=new_validity, replaced_by=replaced_by, validity_changed_on=on_date
    )
    record(
        document,
        "zwgk.policy.status",
        user=user,
        data={
            "old": change.old_validity,
            "new": new_validity,
            "on": on_date.isoformat(),
            "caused_by": caused_by.pk if caused_by else None,
            "note": note,
        },
    )
    document.refresh_from_db()
    return change


def interpretation_backlog(today=None, organisations=None):
    """行政规范性文件 published without any interpretation for more than 3 working days (待解读).

    `organisations`: only documents of these 发布机构 (a user's scope). One query: the candidates
    already have no live interpretation, so the rule is asked with `has_interpretation=False`."""
    from django.utils import timezone

    from .models import PolicyDocumentPage
    from .rules import needs_interpretation_flag
    from .vocab import DocumentKind

    today = today or timezone.localdate()
    candidates = (
        PolicyDocumentPage.objects.live()
        .filter(doc_kind=DocumentKind.NORMATIVE)
        .exclude(interpretations__live=True)
        .select_related("organisation")
        .order_by("first_published_at")
    )
    if organisations is not None:
        candidates = candidates.filter(organisation__in=organisations)
    return [doc for doc in candidates if needs_interpretation_flag(doc.published_at, False, today)]
