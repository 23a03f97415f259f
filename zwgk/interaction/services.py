"""Every state change of a 留言: one function each (check → change → event in the chain → audit entry).

A citizen's message is committed to the database, with its attachments' files, before anything slow
happens (screening the files, duplicate detection come after, each failing alone), so a crash or a killed
worker never loses one; files left unscreened by a crash are screened by `screen_pending` (daily digest,
and before the clerk opens the message).
"""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zwgk.core.audit import record
from zwgk.core.cache import bump
from zwgk.core.scoping import can_act_for
from zwgk.core.sequences import reserve
from zwgk.text.normalize import clean_line, clean_text, fold_width

from . import rules
from .attachments import screen_each, screen_file
from .models import Message, MessageAttachment, MessageEvent, MessageSequence
from .permissions import check
from .replies import public_texts
from .vocab import OPEN, Rating, Source, Status

DUPLICATE_WINDOW_DAYS = 30


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _event(message, kind, on, *, user=None, note="", from_org=None, to_org=None, data=None):
    MessageEvent.objects.create(
        message=message,
        kind=kind,
        on=on,
        note=note,
        actor=_actor(user),
        from_organisation=from_org,
        to_organisation=to_org,
    )
    record(
        message,
        f"zwgk.message.{kind}",
        user=_actor(user),
        data={"on": on.isoformat(), "note": note, **(data or {})},
    )


def fingerprint(subject: str, content: str) -> str:
    """Two messages with the same words (width, spaces and punctuation aside) share a fingerprint."""
    folded = "".join(ch for ch in fold_width(f"{subject}\n{content}").lower() if ch.isalnum())
    return hashlib.sha256(folded.encode()).hexdigest()


def next_number(organisation, year: int) -> str:
    return f"LY-{organisation.slug.upper()}-{year}-{reserve(MessageSequence, organisation, year):05d}"


def submit(
    box,
    *,
    subject: str,
    content: str,
    name: str = "",
    phone: str = "",
    email: str = "",
    wants_public: bool = False,
    page_url: str = "",
    error_type: str = "",
    ip: str | None = None,
    idempotency_key: str | None = None,
    files=(),
    source: str = Source.WEB,
    received_on: dt.date | None = None,
    user=None,
) -> tuple[Message, bool]:
    """A message (留言 or 纠错 report) arrives: stored and committed first, then its attachments screened
    and duplicates looked for. Returns (message, created); the same idempotency key gives the same message."""
    if user is not None:
        check(user, "register", organisation=box.organisation)
    if idempotency_key:
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    received_on = received_on or timezone.localdate()
    subject, content = clean_line(subject)[:100], clean_text(content)
    with transaction.atomic():
        message = Message.objects.create(
            box=box,
            organisation=box.organisation,
            number=next_number(box.organisation, received_on.year),
            idempotency_key=idempotency_key,
            source=source,
            received_on=received_on,
            name=clean_line(name),
            phone=clean_line(phone),
            email=clean_line(email),
            subject=subject,
            content=content,
            wants_public=wants_public,
            page_url=clean_line(page_url)[:500],
            error_type=error_type,
            ip=ip,
            fingerprint=fingerprint(subject, content),
            reply_days=box.period,
            due_on=rules.due_date(received_on, box.period),
        )
        _event(
            message,
            "submitted" if user is None else "registered",
            received_on,
            user=user,
            note=Source(source).label,
        )
        stored = [store_attachment(message, filename, data) for filename, data in files]
    # Committed with its files: whatever fails or is killed below, nothing the citizen sent is lost.
    screen_each(stored, screen_attachment)
    mark_duplicate(message)
    return message, True


def store_attachment(message, filename: str, data: bytes) -> MessageAttachment:
    """Keep one attachment privately, unscreened (fast: no text extraction here)."""
    attachment = MessageAttachment(message=message, name=clean_line(filename)[:200], size=len(data))
    attachment.file.save(filename, ContentFile(data), save=False)
    attachment.save()
    return attachment


def screen_attachment(attachment) -> MessageAttachment:
    """Screen a stored attachment's text (personal data, sensitive words): the slow step (OCR of scans)."""
    findings, attachment.screening_note = screen_file(attachment.file, attachment.name)
    attachment.findings, attachment.screened_at = len(findings), timezone.now()
    attachment.save(update_fields=["findings", "screening_note", "screened_at"])
    return attachment


def screen_pending(message=None) -> int:
    """Screen the attachments a crash left unscreened (of one message, or all); returns how many."""
    pending = MessageAttachment.objects.filter(screened_at__isnull=True).order_by("pk")
    if message is not None:
        pending = pending.filter(message=message)
    return screen_each(pending, screen_attachment)


def find_submitted(idempotency_key: str) -> Message | None:
    """The message a form with this token already created (a retry after a lost response)."""
    if not idempotency_key:
        return None
    return Message.objects.filter(idempotency_key=idempotency_key).first()


def mark_duplicate(message) -> Message | None:
    """An earlier message of the same organ with the same words within 30 days: this one is marked as
    its likely duplicate (kept and shown to the clerk, who decides)."""
    since = message.received_on - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    original = (
        Message.objects.filter(
            organisation=message.organisation,
            fingerprint=message.fingerprint,
            received_on__gte=since,
            pk__lt=message.pk,
        )
        .order_by("pk")
        .first()
    )
    if original is not None:
        Message.objects.filter(pk=message.pk).update(duplicate_of=original)
        message.duplicate_of = original
    return original


def _require(message, states, what):
    if message.status not in states:
        raise ValidationError(f"该留言当前状态为“{message.get_status_display()}”，不能{what}。")


def _check_day(message, on, label):
    if on > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天。")
    if on < message.received_on:
        raise ValidationError(f"{label}不能早于收到留言之日（{message.received_on:%Y-%m-%d}）。")


@transaction.atomic
def accept(message, *, user, on: dt.date):
    """受理: a valid message; its clock has run since the day it was received."""
    check(user, "accept", message)
    _require(message, (Status.NEW,), "受理")
    _check_day(message, on, "受理日期")
    message.status = Status.PROCESSING
    message.save(update_fields=["status"])
    _event(message, "accepted", on, user=user)


@transaction.atomic
def reject(message, *, user, on: dt.date, reason: str):
    """不予受理, with the reason the writer will read (not counted as a valid message)."""
    check(user, "reject", message)
    _require(message, (Status.NEW,), "不予受理")
    _check_day(message, on, "决定日期")
    reason = clean_text(reason).strip()
    if not reason:
        raise ValidationError("请填写不予受理的理由。")
    message.status, message.reply, message.answered_on = Status.REJECTED, reason, on
    message.replied_by = _actor(user)
    message.save(update_fields=["status", "reply", "answered_on", "replied_by"])
    _event(message, "rejected", on, user=user, note=reason)


@transaction.atomic
def transfer(message, *, user, to_organisation, on: dt.date, note: str = ""):
    """分办 (to an organ inside the user's subtree) or 转办 (to another organ): the chain keeps each step,
    the clock does not restart (the due date stays)."""
    check(user, "transfer", message)
    _require(message, (Status.NEW, Status.PROCESSING), "分办或转办")
    _check_day(message, on, "转办日期")
    if to_organisation.pk == message.organisation_id:
        raise ValidationError("转办机关与当前承办机关相同。")
    kind = "assigned" if user is not None and can_act_for(user, to_organisation) else "transferred"
    old = message.organisation
    message.organisation, message.handler = to_organisation, None
    message.save(update_fields=["organisation", "handler"])
    _event(
        message,
        kind,
        on,
        user=user,
        note=clean_text(note),
        from_org=old,
        to_org=to_organisation,
        data={"old": old.name, "new": to_organisation.name},
    )


@transaction.atomic
def draft(message, *, user, text: str, on: dt.date | None = None):
    """拟写答复: the reply goes to 审核 (the text is kept as written, control characters removed)."""
    check(user, "draft", message)
    _require(message, (Status.PROCESSING, Status.REVIEW), "拟写答复")
    text = clean_text(text).strip()
    if not text:
        raise ValidationError("请填写答复内容。")
    message.reply, message.status, message.handler = text, Status.REVIEW, _actor(user) or message.handler
    message.save(update_fields=["reply", "status", "handler"])
    _event(message, "drafted", on or timezone.localdate(), user=user)


@transaction.atomic
def send_back(message, *, user, note: str):
    """审核退回: the draft goes back to the handler with the reviewer's note."""
    check(user, "review", message)
    _require(message, (Status.REVIEW,), "退回")
    message.status = Status.PROCESSING
    message.save(update_fields=["status"])
    _event(message, "returned", timezone.localdate(), user=user, note=clean_text(note))


@transaction.atomic
def approve(message, *, user, on: dt.date, text: str | None = None, publish: bool = False):
    """审核通过并答复: the writer sees the reply with the 查询码; published if the writer and the box allow."""
    check(user, "review", message)
    _require(message, (Status.REVIEW,), "审核答复")
    _check_day(message, on, "答复日期")
    if text is not None:
        text = clean_text(text).strip()
        if not text:
            raise ValidationError("请填写答复内容。")
        message.reply = text
    message.status, message.answered_on, message.replied_by = Status.ANSWERED, on, _actor(user)
    message.save(update_fields=["reply", "status", "answered_on", "replied_by"])
    _event(message, "answered", on, user=user, data={"late": on > message.due_on})
    if publish:
        publish_message(message, user=user, on=on)


@transaction.atomic
def extend(message, *, user, on: dt.date, days: int, reason: str):
    """延期 with its reason: once, at most the box's own period again ([M] rules.max_extension_days)."""
    check(user, "extend", message)
    _require(message, OPEN, "延期")
    _check_day(message, on, "延期决定日期")
    reason = clean_text(reason).strip()
    if not reason:
        raise ValidationError("请填写延期理由。")
    if message.extension_days:
        raise ValidationError("每件留言只能延期一次。")
    limit = rules.max_extension_days(message.reply_days)
    if not 1 <= days <= limit:
        raise ValidationError(f"延期天数应在1至{limit}个工作日之间。")
    if on > message.due_on:
        raise ValidationError(f"答复期限（{message.due_on:%Y-%m-%d}）已过，不能再延期。")
    old = message.due_on
    message.extension_days = days
    message.due_on = rules.due_date(message.received_on, message.reply_days, days)
    message.save(update_fields=["extension_days", "due_on"])
    _event(
        message,
        "extended",
        on,
        user=user,
        note=f"延期{days}个工作日：{reason}",
        data={"old": old.isoformat(), "new": message.due_on.isoformat()},
    )


def publishable(message) -> str:
    """ "" if the message may be published, else why not (in Chinese)."""
    if message.status != Status.ANSWERED:
        return "只有已答复的留言才能公开。"
    if not message.wants_public:
        return "留言人未同意公开。"
    if not message.box.publish_replies:
        return "该信箱设置为不公开答复。"
    return ""


@transaction.atomic
def publish_message(message, *, user, on: dt.date | None = None):
    """公开: the masked texts are computed now and only they are ever shown to the public."""
    check(user, "publish", message)
    refusal = publishable(message)
    if refusal:
        raise ValidationError(refusal)
    on = on or timezone.localdate()
    for name, value in public_texts(message).items():
        setattr(message, name, value)
    message.published, message.published_on = True, on
    message.save(
        update_fields=["public_subject", "public_content", "public_reply", "published", "published_on"]
    )
    _event(message, "published", on, user=user)
    transaction.on_commit(bump)  # the public list's pages and count, the 互动交流 home's latest replies


@transaction.atomic
def unpublish(message, *, user, note: str = ""):
    check(user, "publish", message)
    if not message.published:
        raise ValidationError("该留言未公开。")
    message.published = False
    message.public_subject = message.public_content = message.public_reply = ""
    message.save(update_fields=["published", "public_subject", "public_content", "public_reply"])
    _event(message, "unpublished", timezone.localdate(), user=user, note=clean_text(note))
    transaction.on_commit(bump)


@transaction.atomic
def rate(message, *, rating: str, note: str = ""):
    """满意度: the writer rates the answered reply once (with the 查询码)."""
    if message.status not in (Status.ANSWERED, Status.REJECTED):
        raise ValidationError("答复后才能评价。")
    if message.rating:
        raise ValidationError("您已评价过这件留言。")
    if rating not in Rating.values:
        raise ValidationError("请选择满意度。")
    message.rating, message.rating_note = rating, clean_line(note)[:200]
    message.save(update_fields=["rating", "rating_note"])
    _event(message, "rated", timezone.localdate(), note=Rating(rating).label)
