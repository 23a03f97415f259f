"""The 规范性文件 lifecycle: 有效 → 已修订 / 已废止 / 失效 (spec §7.3)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zwgk.core.audit import record

from . import rules
from .lifecycle_models import PolicyReview, ReviewOutcome
from .models import PolicyDocumentPage, PolicyStatusChange
from .rules import check_transition, needs_interpretation_flag
from .vocab import DocumentKind, Validity

AUTO_EXPIRY_NOTE = "有效期届满未延续，自动失效"


@transaction.atomic
def change_validity(
    document, new_validity: str, *, user, on_date: dt.date, caused_by=None, note: str = "", cleanup=None
):
    """Change a published document's 有效性 and record why.

    A 修订 or 废止 names the document that caused it; the old document then points at it
    (`replaced_by`) and the new one lists the old under `replaces`, so the portal links both ways.
    The page row is updated in place: the change is a fact about the published document, not an
    edit that needs 三审, and `system_fields` keep later revisions from undoing it.
    """
    document = PolicyDocumentPage.objects.select_for_update().get(pk=document.pk)
    # A 清理 decision is the cause of a 废止 it approves (国办发〔2018〕37号), without a repealing document.
    check_transition(document.validity, new_validity, has_cause=caused_by is not None or cleanup is not None)
    if caused_by is not None and caused_by.pk == document.pk:
        raise ValidationError("依据文件不能是本文件。")
    change = PolicyStatusChange.objects.create(
        document=document,
        old_validity=document.validity,
        new_validity=new_validity,
        changed_on=on_date,
        caused_by=caused_by,
        note=note,
        cleanup=cleanup,
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
            "cleanup": cleanup.pk if cleanup else None,
            "note": note,
        },
    )
    document.refresh_from_db()
    return change


def expire_lapsed(today: dt.date | None = None, *, progress=None) -> list:
    """Every live 有效 document past its 有效期至 becomes 失效 by itself (spec §7.3: expired without renewal
    ⇒ 自动失效), dated the day after 有效期至, each change in the audit log (user: the system).

    Run daily (`zwgk lifecycle`, the `expire_policy_documents` task); the portal banner, the library's
    有效性 filter and 年报表二 follow the same day. `progress(done, total)` is called after each document."""
    today = today or timezone.localdate()
    lapsed = list(
        PolicyDocumentPage.objects.live()
        .filter(validity=Validity.VALID, expiry_date__lt=today)
        .order_by("expiry_date", "pk")
    )
    changes = []
    for done, document in enumerate(lapsed, start=1):
        changes.append(
            change_validity(
                document,
                Validity.EXPIRED,
                user=None,
                on_date=rules.lapses_on(document.expiry_date),
                note=AUTO_EXPIRY_NOTE,
            )
        )
        if progress:
            progress(done, len(lapsed))
    return changes


def reviews_due(today: dt.date | None = None, organisations=None):
    """有效期评估 tasks: live 有效 documents whose review has opened (`rules.review_opens_on`: six months
    before 有效期至 by default) and that have no review decided for their current 有效期至, soonest first."""
    today = today or timezone.localdate()
    documents = (
        PolicyDocumentPage.objects.live()
        .filter(
            validity=Validity.VALID,
            expiry_date__isnull=False,
            expiry_date__lte=rules.add_months(today, rules.review_months()),
        )
        .exclude(reviews__due_on=F("expiry_date"))
        .select_related("organisation")
        .order_by("expiry_date", "pk")
    )
    if organisations is not None:
        documents = documents.filter(organisation__in=organisations)
    return documents


@transaction.atomic
def record_review(
    document, outcome: str, *, user, on_date: dt.date, reason: str, new_expiry_date: dt.date | None = None
):
    """Record a document's 有效期评估 (spec §7.3: evaluated before expiry, then 延续 with a new period, 修订,
    or 失效) and carry it out: 延续 moves 有效期至 on (and brings back a document that lapsed meanwhile);
    失效 ends it on `on_date`; 修订 keeps it in force until the revising document replaces it."""
    document = PolicyDocumentPage.objects.select_for_update().get(pk=document.pk)
    if outcome not in ReviewOutcome.values:
        raise ValidationError("请选择评估结论。")
    if not reason.strip():
        raise ValidationError("请填写评估意见。")
    if document.expiry_date is None:
        raise ValidationError("本文件未规定有效期，无需评估。")
    if document.validity not in (Validity.VALID, Validity.EXPIRED):
        raise ValidationError("本文件已修订或废止，无需评估。")
    if PolicyReview.objects.filter(document=document, due_on=document.expiry_date).exists():
        raise ValidationError("本有效期的评估结论已经记录。")
    if outcome == ReviewOutcome.RENEW:
        if new_expiry_date is None or new_expiry_date <= max(document.expiry_date, on_date):
            raise ValidationError("延续须填写晚于原有效期和决定日期的新有效期。")
    elif outcome == ReviewOutcome.EXPIRE and document.validity != Validity.VALID:
        raise ValidationError("本文件已经失效。")
    review = PolicyReview.objects.create(
        document=document,
        due_on=document.expiry_date,
        outcome=outcome,
        new_expiry_date=new_expiry_date if outcome == ReviewOutcome.RENEW else None,
        reason=reason.strip(),
        decided_on=on_date,
        decided_by=user if getattr(user, "pk", None) else None,
    )
    record(
        document,
        "zwgk.policy.review",
        user=user,
        data={
            "outcome": outcome,
            "old_expiry": document.expiry_date.isoformat(),
            "new_expiry": new_expiry_date.isoformat() if review.new_expiry_date else None,
            "on": on_date.isoformat(),
            "reason": review.reason,
        },
    )
    if outcome == ReviewOutcome.RENEW:
        PolicyDocumentPage.objects.filter(pk=document.pk).update(expiry_date=new_expiry_date)
        if document.validity == Validity.EXPIRED:
            change_validity(document, Validity.VALID, user=user, on_date=on_date, note="经评估延续有效")
    elif outcome == ReviewOutcome.EXPIRE:
        change_validity(document, Validity.EXPIRED, user=user, on_date=on_date, note="经评估决定失效")
    return review


def in_force_on(document, day: dt.date) -> bool:
    """现行有效 on `day` (rules.in_force_on); prefetch `status_changes` when asking for many."""
    changes = [(c.changed_on, c.new_validity) for c in document.status_changes.all()]
    return rules.in_force_on(changes, document.expiry_date, day)


def interpretation_backlog(today=None, organisations=None):
    """行政规范性文件 published without any interpretation for more than 3 working days (待解读).

    `organisations`: only documents of these 发布机构 (a user's scope). One query: the candidates
    already have no live interpretation, so the rule is asked with `has_interpretation=False`."""
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
