"""What happens to a consultation: one atomic function per action (check → change → audit entry).

Views, admin actions and the demo only call these. A refusal is a ValidationError (or PermissionDenied
for a user outside the organ's subtree or without the role) with a Chinese message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zwgk.core.audit import record
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import can_act_for
from zwgk.interaction.attachments import screen_each, screen_file
from zwgk.interaction.replies import mask_findings
from zwgk.screening.engine import scan_text
from zwgk.screening.findings import BLOCK

from . import rules
from .models import (
    EDITABLE_FIELDS,
    Attachment,
    Comment,
    Consultation,
    Feedback,
    FeedbackItem,
    FeedbackReview,
)
from .permissions import REVIEW_STEPS, TABLE, can
from .vocab import CommentStatus, FeedbackStatus, Phase, Status

AUDIT_ACTIONS = {
    "zwgk.consultation.create": "新建意见征集",
    "zwgk.consultation.change": "修改意见征集",
    "zwgk.consultation.publish": "发布意见征集",
    "zwgk.consultation.comment": "收到网民意见",
    "zwgk.consultation.moderate": "审核网民意见",
    "zwgk.consultation.feedback_saved": "保存采纳情况",
    "zwgk.consultation.feedback_submitted": "采纳情况提交三审",
    "zwgk.consultation.feedback_reviewed": "采纳情况三审",
    "zwgk.consultation.feedback_published": "发布采纳情况",
    "zwgk.consultation.close": "办结意见征集",
    "zwgk.consultation.link_document": "关联形成的规范性文件",
    "zwgk.consultation.attachment": "上传征集附件",
    "zwgk.consultation.attachment_screened": "征集附件审查",
}


def _require(user, permission, consultation):
    if not can(user, permission, consultation):
        label, roles = TABLE[permission]
        raise PermissionDenied(f"您无权{label}：须由本机关或上级机关的{'、'.join(roles)}办理。")


def _check_window(consultation):
    error = rules.window_error(consultation.kind, consultation.starts_on, consultation.ends_on)
    if error:
        raise ValidationError({"ends_on": error})


@transaction.atomic
def create(*, organisation, user, **fields) -> Consultation:
    consultation = Consultation(organisation=organisation, created_by=user, **fields)
    _require(user, "edit", consultation)
    _check_window(consultation)
    consultation.save()
    record(consultation, "zwgk.consultation.create", user=user, data={"title": consultation.title})
    return consultation


@transaction.atomic
def update(consultation, *, user, **fields) -> Consultation:
    """Change a consultation that is not closed; a published one keeps its window rule."""
    _require(user, "edit", consultation)
    if consultation.status == Status.CLOSED:
        raise ValidationError("已办结的意见征集不能修改。")
    old = {name: str(getattr(consultation, name)) for name in fields if name in EDITABLE_FIELDS}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(name)
        setattr(consultation, name, value)
    _check_window(consultation)
    consultation.save()
    new = {name: str(getattr(consultation, name)) for name in old}
    changed = {name: {"old": old[name], "new": new[name]} for name in old if old[name] != new[name]}
    record(consultation, "zwgk.consultation.change", user=user, data=changed)
    return consultation


@transaction.atomic
def publish(consultation, *, user) -> Consultation:
    _require(user, "edit", consultation)
    if consultation.status != Status.DRAFT:
        raise ValidationError("该意见征集已经发布。")
    _check_window(consultation)
    consultation.status, consultation.published_at = Status.PUBLISHED, timezone.now()
    consultation.save(update_fields=["status", "published_at"])
    record(
        consultation,
        "zwgk.consultation.publish",
        user=user,
        data={"old": Status.DRAFT, "new": Status.PUBLISHED},
    )
    return consultation


def add_attachment(consultation, *, user, title: str, upload) -> Attachment:
    """A file of the draft: stored (committed, audited), then screened like a 留言's attachments. It is
    public only once screened and without a 禁止 finding (身份证号码, 敏感词…)."""
    _require(user, "edit", consultation)
    with transaction.atomic():
        attachment = Attachment.objects.create(consultation=consultation, title=title[:200], file=upload)
        record(
            consultation,
            "zwgk.consultation.attachment",
            user=user,
            data={"attachment": attachment.pk, "title": attachment.title},
        )
    transaction.on_commit(lambda: screen_attachment(attachment))
    return attachment


def screen_attachment(attachment) -> Attachment:
    """Read the file's text and screen it; a 禁止 finding keeps the file off the public page."""
    findings, note = screen_file(attachment.file, attachment.file.name)
    attachment.findings = [
        {"kind": f.kind, "severity": f.severity, "label": f.label, "text": f.text[:50]} for f in findings[:50]
    ]
    attachment.blocked = any(f.severity == BLOCK for f in findings)
    attachment.screening_note, attachment.screened_at = note, timezone.now()
    attachment.save(update_fields=["findings", "blocked", "screening_note", "screened_at"])
    record(
        attachment.consultation,
        "zwgk.consultation.attachment_screened",
        data={"attachment": attachment.pk, "findings": len(findings), "blocked": attachment.blocked},
    )
    return attachment


def screen_pending_attachments() -> int:
    """Screen the attachments a crash left unscreened (the daily digest runs it); returns how many."""
    pending = Attachment.objects.filter(screened_at__isnull=True).select_related("consultation")
    return screen_each(pending, screen_attachment)


def submit_comment(consultation, *, body, article=None, answers=None, name="", contact="") -> Comment:
    """A citizen's comment: stored first, then screened; it waits for moderation (never public before)."""
    if not consultation.accepts_comments():
        raise ValidationError("该意见征集不在征集期内，不能提交意见。")
    if article is not None and article not in consultation.article_numbers():
        raise ValidationError({"article": "征求意见稿中没有这一条。"})
    comment = Comment.objects.create(
        consultation=consultation,
        body=body,
        article=article,
        answers=answers or {},
        name=name,
        contact=contact,
    )
    findings = scan_text(body)
    comment.findings = [
        {"kind": f.kind, "severity": f.severity, "label": f.label, "start": f.start, "end": f.end}
        for f in findings
    ]
    comment.public_text = mask_findings(body, findings, blocked=True)
    comment.save(update_fields=["findings", "public_text"])
    record(
        comment,
        "zwgk.consultation.comment",
        data={"consultation": consultation.pk, "findings": len(findings)},
    )
    return comment


@transaction.atomic
def moderate(comment, *, user, approve: bool, note: str = "") -> Comment:
    """审核: approved comments are public (masked) when the organ publishes comments; rejected never."""
    _require(user, "moderate", comment.consultation)
    old = comment.status
    comment.status = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    comment.moderation_note = note
    comment.save(update_fields=["status", "moderation_note"])
    record(
        comment,
        "zwgk.consultation.moderate",
        user=user,
        data={"old": old, "new": comment.status, "note": note},
    )
    return comment


def public_comments(consultation):
    """The comments any visitor may read: approved, and only if the organ publishes comments."""
    if not consultation.publish_comments:
        return Comment.objects.none()
    return consultation.comments.filter(status=CommentStatus.APPROVED).only(
        "pk", "consultation_id", "article", "public_text", "created_at"
    )


@transaction.atomic
def save_feedback(consultation, *, user, summary: str, items: list[dict]) -> Feedback:
    """Write (or rewrite) the 采纳情况 after the window ended; items: opinion, decision, reason, comments."""
    _require(user, "write_feedback", consultation)
    if consultation.status != Status.PUBLISHED or consultation.phase() != Phase.ENDED:
        raise ValidationError("征集期结束后才能编写采纳情况。")
    feedback = consultation.feedback_or_none
    if feedback is not None and feedback.status in (FeedbackStatus.IN_REVIEW, FeedbackStatus.PUBLISHED):
        raise ValidationError(f"采纳情况{feedback.get_status_display()}，不能修改。")
    if not items and consultation.comments.exclude(status=CommentStatus.REJECTED).exists():
        raise ValidationError("请对每条意见（或每组意见）填写采纳情况。")
    for item in items:
        if not item.get("decision"):
            raise ValidationError("每条意见都须选择采纳、部分采纳或不予采纳。")
        if item["decision"] != "adopted" and not (item.get("reason") or "").strip():
            raise ValidationError("部分采纳或不予采纳的意见须说明理由。")
    if feedback is None:
        feedback = Feedback.objects.create(consultation=consultation, summary=summary)
    else:
        feedback.summary, feedback.status = summary, FeedbackStatus.DRAFT
        feedback.save(update_fields=["summary", "status"])
        feedback.items.all().delete()
    for order, item in enumerate(items, 1):
        row = FeedbackItem.objects.create(
            feedback=feedback,
            order=order,
            opinion=item["opinion"],
            decision=item["decision"],
            reason=item.get("reason", ""),
        )
        comments = [c for c in item.get("comments", ()) if c.consultation_id == consultation.pk]
        row.comments.set(comments)
    record(feedback, "zwgk.consultation.feedback_saved", user=user, data={"items": len(items)})
    return feedback


@transaction.atomic
def submit_feedback(feedback, *, user) -> Feedback:
    _require(user, "write_feedback", feedback.consultation)
    if feedback.status not in (FeedbackStatus.DRAFT, FeedbackStatus.REJECTED):
        raise ValidationError(f"采纳情况{feedback.get_status_display()}，不能提交三审。")
    _refuse_blocked(feedback)
    old = feedback.status
    feedback.status, feedback.step, feedback.submitted_by = FeedbackStatus.IN_REVIEW, 0, user
    feedback.save(update_fields=["status", "step", "submitted_by"])
    record(
        feedback, "zwgk.consultation.feedback_submitted", user=user, data={"old": old, "new": feedback.status}
    )
    return feedback


def current_step(feedback) -> str:
    return REVIEW_STEPS[feedback.step][0] if feedback.status == FeedbackStatus.IN_REVIEW else ""


def feedback_blockers(feedback) -> list[str]:
    """禁止 findings (身份证号码, 敏感词…) in what the 采纳情况 publishes: its summary, opinions and reasons.
    As on a page under 三审, they stop the submission and every approval until the text is changed."""
    texts = [feedback.summary] + [
        text for item in feedback.items.all() for text in (item.opinion, item.reason)
    ]
    return sorted({f.label for f in scan_text("\n".join(texts)) if f.severity == BLOCK})


def _refuse_blocked(feedback):
    blockers = feedback_blockers(feedback)
    if blockers:
        raise ValidationError(
            f"采纳情况中有禁止发布的内容（{'、'.join(blockers)}），须修改采纳情况后再提交三审。"
        )


def review_refusal(feedback, user) -> str:
    """Why `user` may not decide the current 三审 step ("" if they may): the step's role, inside the organ's
    subtree, and never the person who submitted it (the separation of duties of zwgk.disclosure.workflow)."""
    step = current_step(feedback)
    if not step:
        return "采纳情况不在三审中。"
    deciders = dict(REVIEW_STEPS)[step]
    if not has_any_role(user, deciders):
        return f"当前步骤为{step}，须由{'或'.join(deciders)}人员审核。"
    if not can_act_for(user, feedback.consultation.organisation):
        return "该意见征集属于其他机关，您无权审核。"
    if feedback.submitted_by_id == user.pk:
        return "不能审核本人提交的采纳情况。"
    return ""


@transaction.atomic
def review_feedback(feedback, *, user, approve: bool, opinion: str = "") -> Feedback:
    """One 三审 decision. 退回修改 needs an opinion; the 终审 approval publishes the 采纳情况 and closes
    the consultation."""
    feedback = (
        Feedback.objects.select_for_update().select_related("consultation__organisation").get(pk=feedback.pk)
    )
    refusal = review_refusal(feedback, user)
    if refusal:
        raise PermissionDenied(refusal)
    opinion = (opinion or "").strip()
    if not approve and not opinion:
        raise ValidationError({"opinion": "退回修改须填写审核意见，说明需要修改的内容。"})
    if approve:
        _refuse_blocked(feedback)  # the lexicon may have grown since it was submitted
    step = current_step(feedback)
    FeedbackReview.objects.create(feedback=feedback, step=step, approved=approve, opinion=opinion, user=user)
    old = feedback.status
    if not approve:
        feedback.status = FeedbackStatus.REJECTED
    elif feedback.step + 1 < len(REVIEW_STEPS):
        feedback.step += 1
    else:
        feedback.status, feedback.published_at = FeedbackStatus.PUBLISHED, timezone.now()
    feedback.save(update_fields=["status", "step", "published_at"])
    record(
        feedback,
        "zwgk.consultation.feedback_reviewed",
        user=user,
        data={"step": step, "approved": approve, "opinion": opinion, "old": old, "new": feedback.status},
    )
    if feedback.status == FeedbackStatus.PUBLISHED:
        record(feedback, "zwgk.consultation.feedback_published", user=user)
        _close(feedback.consultation, user=user)
    return feedback


def _close(consultation, *, user):
    refusal = rules.closing_refusal(getattr(consultation.feedback_or_none, "status", None))
    if refusal:
        raise ValidationError(refusal)
    old = consultation.status
    consultation.status, consultation.closed_at = Status.CLOSED, timezone.now()
    consultation.save(update_fields=["status", "closed_at"])
    record(consultation, "zwgk.consultation.close", user=user, data={"old": old, "new": Status.CLOSED})
    return consultation


@transaction.atomic
def close(consultation, *, user) -> Consultation:
    """办结: only with the 采纳情况 approved through 三审 and published (rules.closing_refusal)."""
    _require(user, "close", consultation)
    if consultation.status == Status.CLOSED:
        raise ValidationError("该意见征集已经办结。")
    return _close(consultation, user=user)


@transaction.atomic
def link_document(consultation, *, user, document) -> Consultation:
    """The 规范性文件 the consultation produced (the document's page links back)."""
    _require(user, "edit", consultation)
    if document is not None and not can_act_for(user, document.organisation):
        raise PermissionDenied("只能关联本机关或下级机关发布的文件。")
    old = consultation.result_document_id
    consultation.result_document = document
    consultation.save(update_fields=["result_document"])
    record(
        consultation,
        "zwgk.consultation.link_document",
        user=user,
        data={"old": old, "new": getattr(document, "pk", None)},
    )
    return consultation
