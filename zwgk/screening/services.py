"""What happens to pages: screen them, block approval on 禁止 findings, override, resolve, withdraw.

Every state change a staff member makes goes through here and writes the audit log. The background
tasks that read an attachment once (`screen_document`, `screen_image`) live here too: a page's screening
queues them, and they re-screen the pages that use the file.
"""

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from zwgk.core import roles
from zwgk.core.audit import record
from zwgk.core.publishing import publishing_unscreened
from zwgk.core.scoping import can_act_for
from zwgk.core.tasks import enqueue_after_commit
from zwgk.disclosure.images import image_ids
from zwgk.disclosure.workflow import carry_review_to, review_kept_through_publish

from .engine import scan_html, scan_text
from .extract import FileOverLimit, UnsupportedFile, html_to_text, read, size_refusal
from .findings import ATTACHMENT_LIMIT, ATTACHMENT_PENDING, BLOCK, UNREADABLE, Finding
from .links import check_external_links, external_urls, internal_link_findings
from .masking import maskable, masked_copy
from .models import DocumentText, ImageText, PageFinding, Withdrawal
from .ocr import Span, box_text, locate
from .personal import mask

CONTEXT = 20
# The source of findings in a body's markup (spam.scan_html): their offsets are in the HTML, not the text.
HTML_SOURCE = "正文（网页代码）"


def page_texts(page) -> list[tuple[str, str]]:
    """(source, text) for everything a visitor can read on an item: title, summary, body, attachments
    (their stored text — OCR text for images and scanned pages: see `attachment_states`)."""
    return _page_content(page)[0]


def _page_content(page):
    """(texts, findings about attachments as a whole and about the body's markup — hidden or spam links,
    spam.scan_html, under HTML_SOURCE —, OCR spans by source) of one content object."""
    page = page.specific
    texts, problems = item_texts(
        page.title, getattr(page, "summary", ""), str(getattr(page, "body", "") or "")
    )
    layouts = {}
    documents = [block.value for block in getattr(page, "attachments", None) or [] if block.value is not None]
    states = attachment_states(documents)
    images = page_images(page)
    image_states = attachment_states(images, "image")
    pairs = [(states.get(d.pk), f"附件：{d.title}") for d in documents]
    pairs += [(image_states.get(i.pk), f"图片：{i.title}") for i in images]
    for state, source in pairs:
        if isinstance(state, AttachmentText):
            texts.append((source, state.text))
            layouts[source] = state.spans
            problems += [(source, f) for f in state.problems]
        elif isinstance(state, Finding):
            problems.append((source, state))
    return texts, problems, layouts


def item_texts(title: str, summary: str, body: str):
    """(texts, findings about the body's markup) of an item's own fields: title, summary, the body's
    text; hidden or spam links in the body's HTML (spam.scan_html) under HTML_SOURCE."""
    texts = [("标题", title)]
    if summary:
        texts.append(("内容概述", summary))
    problems = []
    if body:
        texts.append(("正文", html_to_text(body)))
        problems += [(HTML_SOURCE, f) for f in scan_html(body)]
    return texts, problems


def page_images(page) -> list:
    """The images a content object shows (foreign keys to Image, images embedded in rich text)."""
    ids = image_ids(page)
    return list(get_image_model().objects.filter(pk__in=ids).order_by("pk")) if ids else []


class AttachmentText(NamedTuple):
    """An attachment's stored text, its OCR spans (`ocr.Span`) and findings 无法读取 for parts not read."""

    text: str
    spans: list
    problems: list


def unreadable_finding(reason: str, title: str = "") -> Finding:
    """A finding of its own for a file (or part of one) that could not be read: a person must look."""
    return Finding(UNREADABLE, BLOCK, 0, 0, (title or reason)[:200], f"无法读取，需人工审查：{reason}"[:200])


# --- attachments: read once per file content by the background task, never inside a request --------
def file_sha256(document) -> str:
    """The SHA-256 of a document's file (read in blocks: hashing costs a fraction of parsing)."""
    digest = hashlib.sha256()
    with document.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pending_note(document_id: int) -> str:
    """The suggestion of an 附件待审查 finding; the task finds the pages waiting for a document by it."""
    return f"附件审查完成后将自动重新审查（文件编号 {document_id}）"


def _size_over_limit(document) -> str:
    """The limit message when the file is bigger than ZWGK_UPLOAD_MAX_MB (judged without reading it)."""
    return size_refusal(document.title, document.file.size)


def attachment_states(documents, kind: str = "document") -> dict:
    """For each document (kind "image": each image): its stored text (`AttachmentText`), a Finding (over
    a limit, not read yet, unreadable: unsupported, encrypted, broken), or None (the file is missing).

    Nothing here parses a file. A file without stored text for its current content is read by the
    background task `screen_document` / `screen_image` (queued here after the transaction commits; it
    re-screens the pages using the file); until then the page has a 禁止 finding 附件待审查, so 三审
    cannot approve it and the publish guard cannot put it live. With ZWGK_TASKS=immediate (tests) tasks
    run inline anyway, so the text is read here at once.
    """
    model, field, screen, note = _stores(kind)
    states: dict = {}
    hashes: dict = {}
    for document in documents:
        if document.pk in states or document.pk in hashes:
            continue
        try:
            if message := _size_over_limit(document):
                states[document.pk] = limit_finding(message)
                continue
            hashes[document.pk] = file_sha256(document)
        except OSError:
            states[document.pk] = None  # the file is gone: nothing a visitor can read either
    stored = {
        (getattr(row, f"{field}_id"), row.sha256): row
        for row in model.objects.filter(**{f"{field}_id__in": hashes}, sha256__in=set(hashes.values()))
    }
    immediate = getattr(settings, "TASKS_MODE", "") == "immediate"
    for document in documents:
        if document.pk not in hashes or document.pk in states:
            continue
        row = stored.get((document.pk, hashes[document.pk]))
        if row is None and immediate:
            row = store_file_text(document, kind)
        if row is None:
            enqueue_after_commit(screen, document.pk)
            states[document.pk] = Finding(ATTACHMENT_PENDING, BLOCK, 0, 0, document.title, note(document.pk))
        elif getattr(row, "over_limit", False):
            states[document.pk] = limit_finding(row.error)
        elif row.error:
            states[document.pk] = unreadable_finding(row.error, document.title)
        else:
            spans = [Span(a, b, p, tuple(box)) for a, b, p, *box in row.spans]
            states[document.pk] = AttachmentText(
                row.text, spans, [unreadable_finding(reason, document.title) for reason in row.problems]
            )
    return states


def image_pending_note(image_id: int) -> str:
    """The suggestion of an 附件待审查 finding about an image (the task finds the waiting pages by it)."""
    return f"图片识别完成后将自动重新审查（图片编号 {image_id}）"


def _stores(kind: str):
    """(text model, its foreign key, the background task, the pending note) for documents or images."""
    if kind == "image":
        return ImageText, "image", screen_image, image_pending_note
    return DocumentText, "document", screen_document, pending_note


def limit_finding(message: str) -> Finding:
    return Finding(
        ATTACHMENT_LIMIT, BLOCK, 0, 0, message, "请上传符合限制的文件，或经保密审查员核查后同意发布"
    )


def store_document_text(document):
    """Read a document's file once and store its text (`store_file_text`)."""
    return store_file_text(document, "document")


def store_image_text(image):
    """Read an image by OCR once and store its text (`store_file_text`)."""
    return store_file_text(image, "image")


def store_file_text(document, kind: str = "document"):
    """Read a document's (or an image's) file once and store its text (or why it has none) for its
    content's SHA-256; older contents of the same file are dropped. Returns the DocumentText/ImageText,
    or None if the file cannot be opened. Called by the background tasks (and by `attachment_states` in
    immediate mode)."""
    model, field, _, _ = _stores(kind)
    try:
        if message := _size_over_limit(document):
            data, error, over_limit = None, message, True
        else:
            with document.file.open("rb") as handle:
                data = handle.read()
            error, over_limit = "", False
    except OSError:
        return None
    sha = hashlib.sha256(data).hexdigest() if data is not None else ""
    if data is None:
        sha = file_sha256(document)
    text, spans, problems = "", [], []
    if data is not None:
        try:
            extracted = read(document.file.name, data)
            text, problems = extracted.text, list(extracted.problems)
            spans = [[s.start, s.end, s.page, *s.box] for s in extracted.spans]
        except FileOverLimit as exc:
            error, over_limit = str(exc), True
        except UnsupportedFile as exc:
            error = str(exc) or "不支持的文件类型"
        except Exception as exc:  # noqa: BLE001 — a broken file must not kill the worker: say so instead
            error = f"文件无法读取：{type(exc).__name__}"
    values = {"text": text, "error": error[:500], "spans": spans, "problems": [p[:300] for p in problems]}
    if kind == "document":
        values["over_limit"] = over_limit
    try:
        with transaction.atomic():
            row, _ = model.objects.update_or_create(**{field: document}, sha256=sha, defaults=values)
    except IntegrityError:  # another worker stored the same content at the same moment
        row = model.objects.get(**{field: document}, sha256=sha)
    model.objects.filter(**{field: document}).exclude(sha256=sha).delete()
    return row


DOCUMENT_SCREENED = "zwgk.document.screened"
IMAGE_SCREENED = "zwgk.image.screened"


def _waiting_pages(note: str) -> set[int]:
    """Pages with an open 附件待审查 finding carrying `note` (they wait for this very file)."""
    return set(
        PageFinding.objects.filter(
            kind="attachment_pending", status=PageFinding.Status.OPEN, suggestion=note
        ).values_list("page_id", flat=True)
    )


def _pages_referencing(obj) -> set[int]:
    """Pages (any revision's content in Wagtail's reference index) that use `obj`."""
    page_type = ContentType.objects.get_for_model(Page)
    refs = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    return {int(p) for p in refs.values_list("object_id", flat=True) if str(p).isdigit()}


def _rescreen(page_ids: set[int]) -> None:
    for page in Page.objects.filter(pk__in=page_ids).specific():
        screen_page(latest_version(page))


@task()
def screen_document(document_id: int):
    """Screen a document in the background: read its file once per content (within the upload limits)
    into `DocumentText`, then re-screen the latest version of every page that uses it or waits for it
    (附件待审查), so their findings list what the file holds and the wait no longer blocks 三审.

    Queued after an upload or a new file, and by a page save that meets an attachment not read yet.
    A second task for content already read only re-screens the pages still waiting (a page saved
    while the first task ran)."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        sha = file_sha256(document)
    except OSError as error:
        record(document, DOCUMENT_SCREENED, data={"error": f"文件无法打开：{error}"})
        return
    page_ids = _waiting_pages(pending_note(document.pk))
    if not DocumentText.objects.filter(document=document, sha256=sha).exists():
        row = store_document_text(document)
        if row is None:
            return
        if row.error:
            outcome = {"error": row.error, "over_limit": row.over_limit}
        else:
            findings = [f"{f.kind}:{f.text}" for f in scan_text(row.text)]
            outcome = {"findings": findings[:50], "count": len(findings)}
        record(document, DOCUMENT_SCREENED, data=outcome)
        pages = ReferenceIndex.get_references_to(document).values_list("object_id", flat=True)
        page_ids |= {int(p) for p in pages if str(p).isdigit()}
    _rescreen(page_ids)


@task()
def screen_image(image_id: int):
    """Read an image by OCR in the background (once per file content, into `ImageText`), record what it
    holds in the audit log, and re-screen the latest version of every page that shows it or waits for it."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    row = store_image_text(image)
    if row is None:
        record(image, IMAGE_SCREENED, data={"error": "文件无法打开"})
        return
    if row.error:
        outcome = {"error": row.error}
    else:
        findings = [f"{f.kind}:{f.text}" for f in scan_text(row.text)]
        outcome = {"findings": findings[:50], "count": len(findings), "problems": row.problems}
    record(image, IMAGE_SCREENED, data=outcome)
    _rescreen(_waiting_pages(image_pending_note(image.pk)) | _pages_referencing(image))


def findings_for_texts(texts):
    for source, text in texts:
        for finding in scan_text(text):
            context = text[max(0, finding.start - CONTEXT) : finding.end + CONTEXT].replace("\n", " ")
            yield source, finding, context


def latest_version(page):
    """The version of `page` that 三审 reviews and the next publish puts live: its latest revision
    (a draft if there is one, else the live content); the stored row when it has no revision."""
    page = page.specific
    if page.latest_revision_id and (page.has_unpublished_changes or not page.live):
        return page.get_latest_revision_as_object()
    return page  # live and unchanged since: the row is the latest revision's content (no JSON to read)


@transaction.atomic
def screen_page(page) -> list[PageFinding]:
    """Re-screen a page: open findings are replaced by those of the content object `page` passed.

    A page's stored findings are those of the version under review: callers pass the latest
    revision (`latest_version`; the editor's save passes the draft it has just saved, the publish
    guard the revision it is about to put live). While a newer draft waits, the live revision is
    screened too: what is online but no longer in the draft is stored with `live_only` (it can be
    masked in the live version; it does not block the draft's approval, which would remove it).
    Findings a 保密审查员/管理员 resolved (误报, 同意发布) are kept and their (kind, text, severity) is not
    reported again; a 误报 on a 提示 therefore never hides the same text once it is graded 禁止.
    """
    PageFinding.objects.filter(page=page, status=PageFinding.Status.OPEN).delete()
    overridden = set(
        PageFinding.objects.filter(
            page=page, status__in=[PageFinding.Status.OVERRIDDEN, PageFinding.Status.FALSE_POSITIVE]
        ).values_list("kind", "text", "severity")
    )
    texts, problems, layouts = _page_content(page)
    found = list(findings_for_texts(texts))
    found += [(source, f, f.text) for source, f in problems]
    body = str(getattr(page.specific, "body", "") or "")
    found += [("正文链接", f, "") for f in internal_link_findings(body)]
    rows = [
        _finding_row(page, source, f, context, layouts)
        for source, f, context in found
        if f.kind == ATTACHMENT_PENDING or (f.kind, f.text[:200], f.severity) not in overridden
    ]
    live = _other_live_version(page)
    if live is not None:
        seen = {(f.kind, f.text) for _, f, _ in found}
        live_texts, live_problems, live_layouts = _page_content(live)
        live_found = list(findings_for_texts(live_texts)) + [(s, f, f.text) for s, f in live_problems]
        for source, f, context in live_found:
            if (f.kind, f.text) in seen or (f.kind, f.text[:200], f.severity) in overridden:
                continue
            seen.add((f.kind, f.text))
            rows.append(_finding_row(page, source, f, context, live_layouts, live_only=True))
    created = PageFinding.objects.bulk_create(rows)
    if external_urls(body):
        enqueue_after_commit(check_external_links, page.pk)
    return created


def _finding_row(page, source, f, context, layouts, live_only=False) -> PageFinding:
    """A PageFinding for a hit; one in OCR text (an image, a scanned page) gets its page and box."""
    page_number, box = locate(layouts.get(source, ()), f.start, f.end) if f.end > f.start else (None, None)
    return PageFinding(
        page_id=page.pk,
        source=source[:200],
        kind=f.kind,
        severity=f.severity,
        start=f.start,
        end=f.end,
        text=f.text[:200],
        context=context[:300],
        suggestion=f.suggestion[:200],
        live_only=live_only,
        page_number=page_number,
        box=box_text(box),
    )


def _other_live_version(page):
    """The live revision of `page` as an object when a newer draft exists (None otherwise)."""
    row = Page.objects.filter(pk=page.pk).values("live", "live_revision_id", "latest_revision_id").first()
    if not row or not row["live"] or not row["live_revision_id"]:
        return None
    if row["live_revision_id"] == row["latest_revision_id"]:
        return None
    return Revision.objects.get(pk=row["live_revision_id"]).as_object()


def blocking_findings(page):
    """Open 禁止 findings of the version under review (those only in the live version don't count)."""
    return PageFinding.objects.filter(
        page_id=page.pk, status=PageFinding.Status.OPEN, severity=BLOCK, live_only=False
    )


class Blocker(str):
    """A reason approval is blocked (a plain string wherever reasons are joined) with `url`, the row of
    its finding on the page's 发布审查 screen, where it is masked, marked 误报 or allowed."""

    url = ""


def approval_blockers(page) -> list[str]:
    """Reasons the page may not be approved (hook `zwgk_approval_blockers` of the 三审 workflow), each a
    `Blocker` linking to its finding."""
    address = reverse("screening_page", args=[page.pk])
    reasons = []
    for f in blocking_findings(page)[:20]:
        reason = Blocker(
            f"附件《{f.text}》尚在审查中，请稍后"
            if f.kind == ATTACHMENT_PENDING
            else f"{f.get_kind_display()}“{f.text}”（{f.source}）"
        )
        reason.url = f"{address}#finding-{f.pk}"
        reasons.append(reason)
    return reasons


def may_decide_blocking(user) -> bool:
    """Who decides on 禁止 findings (误报, 同意发布): the 保密审查员 and the 管理员 (and superusers).

    A finding's grade is not changed one by one: it comes from the lexicon (审查规则 menu: 敏感词,
    表述与错别字规则, 公开号码白名单), which only the 管理员 group may edit (disclosure/setup.py), and a
    change there re-screens what it affects."""
    return roles.has_role(user, roles.SECRECY_REVIEW) or roles.has_role(user, roles.ADMINISTRATOR)


def _check_scope(user, page):
    if not can_act_for(user, getattr(page.specific, "organisation", None)):
        raise PermissionDenied("只能处理本机关及下属机关的信息。")


@transaction.atomic
def override(page, *, user, reason: str) -> int:
    """A 保密审查员 (or 管理员) allows publication despite 禁止 findings, with a written reason
    (audit-logged with the findings it covers). Nobody else may, and only inside their organ subtree."""
    if not may_decide_blocking(user):
        raise PermissionDenied("只有保密审查员或管理员可以同意带有禁止类问题的内容发布。")
    _check_scope(user, page)
    if not (reason or "").strip():
        raise PermissionDenied("请填写同意发布的理由。")
    findings = list(blocking_findings(page).exclude(kind=ATTACHMENT_PENDING))  # not read yet: wait for it
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
def mark_false_positive(findings, *, user, note: str = "") -> int:
    """Mark open findings as 误报 (false positive), each with the written reason in the audit log.

    Who may: a 禁止 finding only the 保密审查员 or the 管理员 — marking it would let the page through 三审
    and online. A 提示 finding (a mobile number, a typo) blocks nothing: any staff member of the page's
    organ subtree may mark it, 信息员 included, still with a reason. Either way only inside the user's
    organ subtree. Nothing changes unless every chosen finding may be marked. Returns how many changed.
    """
    note = (note or "").strip()
    if not note:
        raise PermissionDenied("请填写认定为误报的理由。")
    findings = [f for f in findings if f.status == PageFinding.Status.OPEN]
    if any(f.kind == ATTACHMENT_PENDING for f in findings):
        raise PermissionDenied("附件尚在审查中，不能认定为误报，请稍后。")
    if any(f.severity == BLOCK for f in findings) and not may_decide_blocking(user):
        raise PermissionDenied("禁止类问题只能由保密审查员或管理员认定为误报。")
    for page in {f.page for f in findings}:
        _check_scope(user, page)
    for finding in findings:
        finding.status = PageFinding.Status.FALSE_POSITIVE
        finding.resolved_by, finding.resolution_note = user, note[:300]
        finding.save(update_fields=["status", "resolved_by", "resolution_note"])
        record(
            finding.page.specific,
            "zwgk.screening.false_positive",
            user=user,
            data={"kind": finding.kind, "severity": finding.severity, "text": finding.text, "note": note},
        )
    return len(findings)


TEXT_FIELDS = ("title", "summary", "body")


@dataclass
class MaskResult:
    """What `mask_in_text` did: revisions saved, whether the live page was republished."""

    masked: list = field(default_factory=list)  # findings now 已脱敏
    published_revision: int | None = None  # the masked live revision put online
    draft_revision: int | None = None  # the new draft revision (goes through 三审)
    workflow_cancelled: bool = False  # never since the 三审 is kept (see review_step)
    # The 三审 in progress goes on at this step ("": 已退回, waits for the submitter).
    review_step: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.published_revision or self.draft_revision)


def _versions(page):
    """(live, draft) content objects of `page`: the live revision and a newer draft, either may be None."""
    live = draft = None
    if page.live:
        live = page.live_revision.as_object() if page.live_revision_id else page
    if page.latest_revision_id and page.latest_revision_id != page.live_revision_id:
        draft = page.latest_revision.as_object()
    elif not page.live:
        draft = page
    return live, draft


def _mask_version(obj, text_findings, attachment_findings, copies, user) -> set:
    """Mask the findings in one content object (in memory); the pks of the findings it changed."""
    done = set()
    for finding in text_findings:
        masked = mask(finding.kind, finding.text)
        for name in TEXT_FIELDS:
            value = getattr(obj, name, None)
            if isinstance(value, str) and finding.text in value:
                setattr(obj, name, value.replace(finding.text, masked))
                done.add(finding.pk)
    if attachment_findings and getattr(obj, "attachments", None) is not None:
        blocks, replaced = [], False
        for block in obj.attachments:
            document = block.value
            to_mask = attachment_findings.get(getattr(document, "title", None)) if document else None
            if document is not None and document.pk in copies:
                to_mask = copies[document.pk][1]
            elif to_mask:
                to_mask = maskable(document, to_mask)  # text in a PDF's text layer stays open
                copies[document.pk] = (masked_copy(document, to_mask, user) if to_mask else None, to_mask)
            copy = copies.get(getattr(document, "pk", None), (None, None))[0]
            if copy is not None:
                done.update(f.pk for f in to_mask)
                replaced = True
            blocks.append((block.block_type, copy or document))
        if replaced:
            obj.attachments = blocks
    return done


@transaction.atomic
def mask_in_text(page, *, user, findings) -> MaskResult:
    """脱敏: mask personal data in the title, summary, body and DOCX/XLSX attachments — never publish a draft.

    - A finding in the live content is masked in the live revision (`page.live_revision`), and only that
      masked revision is republished (past the publish guard, which would otherwise keep the unmasked
      version online because of another open 禁止 finding). A 三审 in progress is not cancelled by it.
    - A newer draft is masked too (so the value does not come back with it) and saved as a new draft
      revision, which goes through 三审 like any edit; if the live page was republished, the draft is saved
      again on top of it even when unchanged, so the editor's work stays the latest version.
    - A finding only in a draft masks the draft only (a new draft revision; nothing is published).

    Where a finding lies is read from the versions themselves (its text in a field, its attachment's
    title), not from which version was screened. The originals stay in the revision history and the
    original files in a login-only collection. A PDF cannot be masked here: its findings stay open
    (withdraw the page and upload a masked PDF). Staff of the page's organ subtree may mask.

    Masking during 三审 keeps the review where it is (same workflow, same step, the approvals already
    given still count for the masked revision): see zwgk.disclosure.workflow, `carry_review_to`.
    """
    page = type(page.specific).objects.select_for_update().get(pk=page.pk)
    _check_scope(user, page)
    findings = [
        f
        for f in findings
        if f.page_id == page.pk
        and f.status == PageFinding.Status.OPEN
        and f.kind not in (ATTACHMENT_PENDING, ATTACHMENT_LIMIT, UNREADABLE)  # about a file, not text in it
    ]
    text_findings = [f for f in findings if not f.source.startswith("附件：")]
    attachment_findings: dict = {}
    for finding in findings:
        if finding.source.startswith("附件："):
            attachment_findings.setdefault(finding.source[3:], []).append(finding)
    live, draft = _versions(page)
    for obj in (live, draft):  # read every attachment before a masked copy renames its original
        if obj is not None and getattr(obj, "attachments", None) is not None:
            [block.value for block in obj.attachments]
    copies: dict = {}
    result = MaskResult()
    live_done = _mask_version(live, text_findings, attachment_findings, copies, user) if live else set()
    draft_done = _mask_version(draft, text_findings, attachment_findings, copies, user) if draft else set()
    review = page.current_workflow_state
    previous_latest = page.latest_revision_id
    if live_done:
        revision = live.save_revision(user=user, log_action=True)
        with publishing_unscreened("脱敏后重新发布在线版本"), review_kept_through_publish(page):
            revision.publish(user=user, skip_permission_checks=True)
        result.published_revision = revision.pk
    if draft is not None and (draft_done or live_done):
        result.draft_revision = draft.save_revision(user=user, log_action=True).pk
    latest = result.draft_revision or result.published_revision
    if review is not None and latest:
        result.review_step = carry_review_to(
            review, previous_latest, Revision.objects.get(pk=latest), user=user
        )
    done = live_done | draft_done
    result.masked = [f for f in findings if f.pk in done]
    PageFinding.objects.filter(pk__in=done).update(status=PageFinding.Status.MASKED, resolved_by=user)
    record(
        page,
        "zwgk.screening.mask",
        user=user,
        data={
            "findings": [f.pk for f in result.masked],
            "kinds": [f"{f.kind}:{f.source}" for f in result.masked],
            "published_revision": result.published_revision,
            "draft_revision": result.draft_revision,
            "workflow_cancelled": result.workflow_cancelled,
            "review_step": result.review_step,
        },
    )
    return result


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
