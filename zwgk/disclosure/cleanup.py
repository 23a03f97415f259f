"""规范性文件清理 (spec §7.3; 国办发〔2018〕37号 动态清理): open a campaign over an organ's documents, record
each result, approve it — the documents' 有效性 change in one transaction and the 清理结果 is drafted as
an item for publication (三审 like any item)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from zwgk.core.audit import record

from .lifecycle import change_validity
from .lifecycle_models import CleanupCampaign, CleanupResult, CleanupResultKind, CleanupStatus
from .models import ArticlePage, ColumnPage, PolicyDocumentPage
from .vocab import DocumentKind, Validity

AUDIT_ACTIONS = {
    "zwgk.cleanup.start": "开始规范性文件清理",
    "zwgk.cleanup.results": "填写规范性文件清理结果",
    "zwgk.cleanup.approve": "批准规范性文件清理结果",
    "zwgk.policy.review": "记录有效期评估结论",
}
# What each approved result does to the document's 有效性 (继续有效 and 修订 leave it in force: a revision
# ends it when the revising document is published).
RESULT_VALIDITY = {
    CleanupResultKind.REPEAL: Validity.REPEALED,
    CleanupResultKind.DECLARE_EXPIRED: Validity.EXPIRED,
}
NEEDS_REASON = {CleanupResultKind.REVISE, CleanupResultKind.REPEAL, CleanupResultKind.DECLARE_EXPIRED}


def documents_in_scope(organisation):
    """The 规章 and 行政规范性文件 in force of the organ's subtree: what a 清理 reviews."""
    return (
        PolicyDocumentPage.objects.live()
        .filter(
            organisation__in=organisation.subtree(),
            validity=Validity.VALID,
            doc_kind__in=[DocumentKind.RULE, DocumentKind.NORMATIVE],
        )
        .order_by("written_date", "pk")
    )


@transaction.atomic
def start_cleanup(organisation, *, title: str, deadline: dt.date, basis: str = "", user) -> CleanupCampaign:
    """Open a 清理 with one row (result 待定) for each document in force of the organ's subtree."""
    if not title.strip():
        raise ValidationError("请填写清理名称。")
    campaign = CleanupCampaign.objects.create(
        title=title.strip(), organisation=organisation, deadline=deadline, basis=basis
    )
    CleanupResult.objects.bulk_create(
        CleanupResult(campaign=campaign, document=document) for document in documents_in_scope(organisation)
    )
    record(campaign, "zwgk.cleanup.start", user=user, data={"documents": campaign.results.count()})
    return campaign


@transaction.atomic
def record_results(campaign, values: dict, *, user) -> int:
    """Save results and reasons ({result row id: (result, reason)}) of an open 清理; returns how many changed."""
    campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CleanupStatus.OPEN:
        raise ValidationError("本次清理已经批准，不能再修改。")
    changed = {}
    for row in campaign.results.all():
        if row.pk not in values:
            continue
        result, reason = values[row.pk]
        if result and result not in CleanupResultKind.values:
            raise ValidationError("清理结果无效。")
        if (row.result, row.reason) != (result, reason.strip()):
            changed[row.document_id] = {"old": [row.result, row.reason], "new": [result, reason.strip()]}
            row.result, row.reason = result, reason.strip()
            row.save(update_fields=["result", "reason"])
    if changed:
        record(campaign, "zwgk.cleanup.results", user=user, data={"documents": changed})
    return len(changed)


def approval_problems(campaign) -> list[str]:
    """Why a 清理 cannot be approved yet: a result missing, a reason missing, a document changed meanwhile."""
    problems = []
    if campaign.status != CleanupStatus.OPEN:
        problems.append("本次清理已经批准。")
    for row in campaign.results.select_related("document"):
        if not row.result:
            problems.append(f"《{row.document.title}》尚未填写清理结果。")
        elif row.result in NEEDS_REASON and not row.reason.strip():
            problems.append(f"《{row.document.title}》的清理结果为“{row.get_result_display()}”，须填写理由。")
        if row.result in RESULT_VALIDITY and row.document.validity != Validity.VALID:
            problems.append(
                f"《{row.document.title}》已是“{row.document.get_validity_display()}”，请重新确认。"
            )
    return problems


@transaction.atomic
def approve_cleanup(campaign, *, user, on_date: dt.date | None = None):
    """Approve a 清理: every 废止 / 宣布失效 changes its document's 有效性 in this one transaction (all or none),
    and the 清理结果 is drafted as an item under 规范性文件清理结果 for 三审 and publication."""
    on_date = on_date or timezone.localdate()
    campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
    problems = approval_problems(campaign)
    if problems:
        raise ValidationError(problems)
    rows = list(campaign.results.select_related("document", "document__organisation"))
    for row in rows:
        if row.result in RESULT_VALIDITY:
            change_validity(
                row.document,
                RESULT_VALIDITY[row.result],
                user=user,
                on_date=on_date,
                note=f"{campaign.title}：{row.reason}"[:300],
                cleanup=campaign,
            )
    page = _draft_result_page(campaign, rows, on_date, user)
    CleanupCampaign.objects.filter(pk=campaign.pk).update(
        status=CleanupStatus.APPROVED,
        approved_on=on_date,
        approved_by=user if getattr(user, "pk", None) else None,
        result_page=page,
    )
    counts = {kind.label: sum(1 for r in rows if r.result == kind) for kind in CleanupResultKind}
    record(campaign, "zwgk.cleanup.approve", user=user, data={"on": on_date.isoformat(), "counts": counts})
    campaign.refresh_from_db()
    return campaign


def _draft_result_page(campaign, rows, on_date, user):
    """The 清理结果 as an item (spec §7.3: 规范性文件清理结果 is published) with the list of results."""
    column = (
        ColumnPage.objects.filter(title__contains="清理").first()
        or ColumnPage.objects.filter(column_type="policy").first()
        or ColumnPage.objects.first()
    )
    if column is None:
        return None
    body = render_to_string(
        "disclosure/cleanup_result_body.html",
        {"campaign": campaign, "rows": rows, "on_date": on_date, "kinds": CleanupResultKind},
    )
    page = ArticlePage(
        title=f"关于{campaign.title}结果的公告",
        organisation=campaign.organisation,
        statutory_category="01",
        written_date=on_date,
        live=False,
        body=body,
    )
    column.add_child(instance=page)
    page.save_revision(user=user)
    return page
