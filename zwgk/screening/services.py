"""What happens to pages: screen them, block approval on 禁止 findings, override, resolve, withdraw.

Every state change a staff member makes goes through here and writes the audit log.
"""

import hashlib
import threading
from collections import OrderedDict
from urllib.parse import unquote

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zwgk.core import roles
from zwgk.core.audit import record
from zwgk.core.tasks import enqueue_after_commit

from .engine import scan_text
from .extract import UnsupportedFile, extract_text, html_to_text
from .findings import BLOCK
from .guard import publishing_unscreened
from .models import PageFinding, Withdrawal
from .personal import mask

CONTEXT = 20


def page_texts(page) -> list[tuple[str, str]]:
    """(source, text) for everything a visitor can read on an item: title, summary, body, attachments."""
    page = page.specific
    texts = [("标题", page.title)]
    if getattr(page, "summary", ""):
        texts.append(("内容概述", page.summary))
    if getattr(page, "body", ""):
        texts.append(("正文", html_to_text(str(page.body))))
    for block in getattr(page, "attachments", None) or []:
        document = block.value
        if document is None:
            continue
        try:
            texts.append((f"附件：{document.title}", attachment_text(document)))
        except (UnsupportedFile, OSError):
            continue
    return texts


# Texts of recently read attachments by file name and content hash: a bulk 发布 screens each page in
# the admin hook and again in the publish guard (two revision objects of the same content), and parsing a
# DOCX or PDF costs far more than reading and hashing its bytes.
ATTACHMENT_CACHE = 32
_attachment_texts: OrderedDict = OrderedDict()
_attachment_lock = threading.Lock()


def attachment_text(document) -> str:
    """The text of a Wagtail document (extract.extract_text), parsed again only when its bytes changed."""
    with document.file.open("rb") as handle:
        data = handle.read()
    key = (document.file.name, hashlib.sha256(data).digest())
    with _attachment_lock:
        if key in _attachment_texts:
            _attachment_texts.move_to_end(key)
            return _attachment_texts[key]
    text = extract_text(document.file.name, data)
    with _attachment_lock:
        _attachment_texts[key] = text
        while len(_attachment_texts) > ATTACHMENT_CACHE:
            _attachment_texts.popitem(last=False)
    return text


def findings_for_texts(texts):
    for source, text in texts:
        for finding in scan_text(text):
            context = text[max(0, finding.start - CONTEXT) : finding.end + CONTEXT].replace("\n", " ")
            yield source, finding, context


@transaction.atomic
def screen_page(page) -> list[PageFinding]:
    """Re-screen a page: open findings are replaced by the current ones; resolved ones are kept."""
    PageFinding.objects.filter(page=page, status=PageFinding.Status.OPEN).delete()
    overridden = set(
        PageFinding.objects.filter(
            page=page, status__in=[PageFinding.Status.OVERRIDDEN, PageFinding.Status.FALSE_POSITIVE]
        ).values_list("kind", "text")
    )
    from .links import check_external_links, external_urls, internal_link_findings

    found = list(findings_for_texts(page_texts(page)))
    body = str(getattr(page.specific, "body", "") or "")
    found += [("正文链接", f, "") for f in internal_link_findings(body)]
    rows = [
        PageFinding(
            page_id=page.pk,
            source=source[:200],
            kind=f.kind,
            severity=f.severity,
            start=f.start,
            end=f.end,
            text=f.text[:200],
            context=context[:300],
            suggestion=f.suggestion[:200],
        )
        for source, f, context in found
        if (f.kind, f.text[:200]) not in overridden
    ]
    created = PageFinding.objects.bulk_create(rows)
    if external_urls(body):
        enqueue_after_commit(check_external_links, page.pk)
    return created


def blocking_findings(page):
    return PageFinding.objects.filter(page_id=page.pk, status=PageFinding.Status.OPEN, severity=BLOCK)


def approval_blockers(page) -> list[str]:
    """Reasons the page may not be approved (hook `zwgk_approval_blockers` of the 三审 workflow)."""
    return [f"{f.get_kind_display()}“{f.text}”（{f.source}）" for f in blocking_findings(page)[:20]]


@transaction.atomic
def override(page, *, user, reason: str) -> int:
    """A 保密审查员 allows publication despite 禁止 findings, with a written reason (audit-logged)."""
    if not roles.has_role(user, roles.SECRECY_REVIEW):
        raise PermissionDenied("只有保密审查员可以同意带有禁止类问题的内容发布。")
    if not reason.strip():
        raise PermissionDenied("请填写同意发布的理由。")
    findings = list(blocking_findings(page))
    PageFinding.objects.filter(pk__in=[f.pk for f in findings]).update(
        status=PageFinding.Status.OVERRIDDEN, resolved_by=user, resolution_note=reason[:300]
    )
    record(
        page.specific,
        "zwgk.screening.override",
        user=user,
        data={"reason": reason, "findings": [f"{f.kind}:{f.text}" for f in findings]},
    )
    return len(findings)


@transaction.atomic
def mark_false_positive(findings, *, user, note: str = ""):
    for finding in findings:
        finding.status = PageFinding.Status.FALSE_POSITIVE
        finding.resolved_by, finding.resolution_note = user, note[:300]
        finding.save(update_fields=["status", "resolved_by", "resolution_note"])
        record(
            finding.page.specific,
            "zwgk.screening.false_positive",
            user=user,
            data={"kind": finding.kind, "text": finding.text, "note": note},
        )


@transaction.atomic
def mask_in_text(page, *, user, findings) -> int:
    """Mask personal data in the title, summary, body and DOCX/XLSX attachments; publish the masked revision.

    The original text stays in the page's revision history and the original files in a login-only
    collection, so nothing is lost. A PDF cannot be masked here: its findings stay open (withdraw the
    page and upload a masked PDF).
    """
    from .masking import masked_copy

    page = type(page.specific).objects.get(pk=page.pk)  # fresh: `live` decides whether to republish
    latest = page.get_latest_revision_as_object()
    changed = 0
    attachment_findings: dict = {}
    for finding in findings:
        if finding.source.startswith("附件："):
            attachment_findings.setdefault(finding.source[3:], []).append(finding)
            continue
        masked = mask(finding.kind, finding.text)
        for field in ("title", "summary", "body"):
            value = getattr(latest, field, None)
            if isinstance(value, str) and finding.text in value:
                setattr(latest, field, value.replace(finding.text, masked))
                changed += 1
        finding.status = PageFinding.Status.MASKED
        finding.resolved_by = user
        finding.save(update_fields=["status", "resolved_by"])
    if attachment_findings and getattr(latest, "attachments", None) is not None:
        blocks = []
        for block in latest.attachments:
            document = block.value
            to_mask = attachment_findings.get(getattr(document, "title", None))
            copy = masked_copy(document, to_mask, user) if document is not None and to_mask else None
            if copy is not None:
                for finding in to_mask:
                    finding.status, finding.resolved_by = PageFinding.Status.MASKED, user
                    finding.save(update_fields=["status", "resolved_by"])
                changed += 1
            blocks.append(("document", copy or document))
        latest.attachments = blocks
    if changed:
        revision = latest.save_revision(user=user, log_action=True)
        if page.live:
            # Masking removes personal data from a live page: a remaining 禁止 finding (another
            # number, a sensitive word) must not keep the unmasked version online.
            with publishing_unscreened("脱敏后重新发布"):
                revision.publish(user=user, skip_permission_checks=True)
    record(
        page,
        "zwgk.screening.mask",
        user=user,
        data={"findings": [f.pk for f in findings], "changed": changed},
    )
    return changed


@transaction.atomic
def withdraw(page, *, user, reason: str):
    """Unpublish a page and show the public reason at its address instead of a bare 404."""
    page = page.specific
    url = unquote(page.url or "")  # request.path is the decoded path
    page.unpublish(user=user, log_action=True)
    Withdrawal.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "url": url,
            "title": page.title,
            "reason": reason,
            "withdrawn_at": timezone.now(),
            "user": user,
        },
    )
    PageFinding.objects.filter(page=page, status=PageFinding.Status.OPEN).update(
        status=PageFinding.Status.WITHDRAWN, resolved_by=user, resolution_note=reason[:300]
    )
    record(page, "zwgk.screening.withdraw", user=user, data={"reason": reason})
