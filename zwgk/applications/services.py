"""Every state change of an application: one function each, writing the ledger event and the audit log.

Each function first checks who may do it (`permissions.check`, PermissionDenied with a Chinese message;
`user=None` is the system: import, demo, tasks) and that its date fits the application's own history
(`validation.check_event_day`, ValidationError), then changes, then writes the ledger and the audit log.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zwgk.core.audit import record
from zwgk.core.sequences import reserve

from . import clock as clock_rules
from .models import Application, ApplicationEvent, ApplicationSequence
from .permissions import check as check_permission
from .validation import check_day, check_event_day, clean_line, clean_text
from .vocab import RESULT_LABELS, Channel, Status

logger = logging.getLogger(__name__)


def next_number(organisation, year: int) -> str:
    """申请编号 per organisation and year, unique and gap-free under concurrency."""
    return f"{organisation.slug.upper()}-{year}-{reserve(ApplicationSequence, organisation, year):05d}"


TEXT_FIELDS = ("description",)


def clean_fields(fields: dict) -> dict:
    """Applicant data as it comes in (form, registration, import): control characters removed."""
    return {
        name: (clean_text(value) if name in TEXT_FIELDS else clean_line(value))
        if isinstance(value, str)
        else value
        for name, value in fields.items()
    }


def _event(application, kind, on, *, user=None, note="", days=None, public=True, document=None, pdf=None):
    event = ApplicationEvent(
        application=application,
        kind=kind,
        on=on,
        note=note,
        days=days,
        public=public,
        actor=user if getattr(user, "pk", None) else None,
    )
    if document is not None:
        name, data = document
        event.document.save(name, ContentFile(data), save=False)
    if pdf is not None:
        name, data = pdf
        event.document_pdf.save(name, ContentFile(data), save=False)
    event.save()
    record(
        application,
        f"zwgk.application.{kind}",
        user=user if getattr(user, "pk", None) else None,
        data={"on": on.isoformat(), "note": note, "days": days},
    )
    return event


@transaction.atomic
def submit_online(organisation, *, idempotency_key: str | None = None, **fields) -> tuple[Application, bool]:
    """A citizen's online application: unconfirmed until the office confirms it (Art. 31)."""
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    today = timezone.localdate()
    application = Application.objects.create(
        organisation=organisation,
        number=next_number(organisation, today.year),
        channel=Channel.ONLINE,
        idempotency_key=idempotency_key,
        status=Status.UNCONFIRMED,
        **clean_fields(fields),
    )
    _event(application, "submitted", today, note="通过网站提交")
    return application, True


@transaction.atomic
def register(organisation, *, channel: str, received_on: dt.date, user, **fields) -> Application:
    """Letter, counter, fax applications: the receipt date is known at registration (Art. 31)."""
    check_permission(user, "register", organisation=organisation)
    check_day(received_on, "收到申请之日")
    application = Application.objects.create(
        organisation=organisation,
        number=next_number(organisation, received_on.year),
        channel=channel,
        received_on=received_on,
        status=Status.PROCESSING,
        **clean_fields(fields),
    )
    _event(application, "registered", received_on, user=user, note=f"{channel}申请")
    return application


def _check(application, extra_kind, on, days=None):
    """Validate the history with the new event through the clock rules (raises ValidationError)."""
    events = application.clock_events() + [clock_rules.ClockEvent(extra_kind, on, days)]
    try:
        return clock_rules.due_date(application.received_on, events)
    except ValueError as error:
        raise ValidationError(str(error)) from error


@transaction.atomic
def confirm(application, *, on: dt.date, user):
    """Art. 31: an online application is received on the day both sides confirm it."""
    check_permission(user, "confirm", application)
    if application.status != Status.UNCONFIRMED:
        raise ValidationError("该申请已确认。")
    check_event_day(application, on, "确认收到之日")
    application.received_on, application.status = on, Status.PROCESSING
    application.save(update_fields=["received_on", "status"])
    _event(application, "confirmed", on, user=user)


@transaction.atomic
def request_supplement(application, *, on, user, note, period_days: int = 15):
    check_permission(user, "request_supplement", application)
    check_event_day(application, on, "补正通知日期")
    note = clean_text(note)
    _check(application, "supplement_requested", on)
    application.status = Status.SUPPLEMENT
    application.save(update_fields=["status"])
    _event(application, "supplement_requested", on, user=user, note=note, days=period_days)


@transaction.atomic
def receive_supplement(application, *, on, user, note=""):
    check_permission(user, "receive_supplement", application)
    check_event_day(application, on, "收到补正之日")
    note = clean_text(note)
    _check(application, "supplement_received", on)
    application.status = Status.PROCESSING
    application.save(update_fields=["status"])
    _event(application, "supplement_received", on, user=user, note=note)


@transaction.atomic
def pause(application, *, on, user, note, days=None):
    """Third-party / other-organ consultation (Art. 32, 34) or awaiting fee payment: the clock stops.

    `days`: the working days the other side has to answer (15 for a consultation), shown as its deadline."""
    check_permission(user, "pause", application)
    check_event_day(application, on, "暂停计时日期")
    note = clean_text(note)
    _check(application, "pause_started", on)
    application.status = Status.PAUSED
    application.save(update_fields=["status"])
    _event(application, "pause_started", on, user=user, note=note, days=days)


CONSULTATION_DAYS = 15  # Art. 32 (third party) and Art. 34 (co-makers): 15 working days to answer


@transaction.atomic
def consult(application, *, on, user, party: str, joint: bool = False):
    """征求意见: the 征求意见书 is sent on `on`; the reply clock stops until the answer arrives (resume).

    Art. 32: a third party whose rights disclosure may harm answers within 15 working days; no answer in
    time and the organ decides under the 条例. Art. 34: co-makers of the information likewise, and their
    silence counts as consent to disclose.
    """
    check_permission(user, "consult_joint" if joint else "consult", application)
    party = clean_line(party)
    if not party:
        raise ValidationError("请填写被征求意见的第三方或共同制作机关名称。")
    if joint:
        note = f"征求共同制作机关（{party}）意见，逾期未答复视为同意公开（条例第三十四条）"
    else:
        note = f"征求第三方（{party}）意见，第三方应在15个工作日内提出意见（条例第三十二条）"
    pause(application, on=on, user=user, note=note, days=CONSULTATION_DAYS)


@transaction.atomic
def resume(application, *, on, user, note=""):
    check_permission(user, "resume", application)
    check_event_day(application, on, "恢复计时日期")
    note = clean_text(note)
    _check(application, "pause_ended", on)
    application.status = Status.PROCESSING
    application.save(update_fields=["status"])
    _event(application, "pause_ended", on, user=user, note=note)


@transaction.atomic
def extend(application, *, on, user, days: int, approved_by: str, reason: str = ""):
    """Art. 33: once, ≤ 20 working days, approved by the head of the disclosure office, notice sent.

    `reason`: 延期理由, written into the ledger with the approval."""
    check_permission(user, "extend", application)
    approved_by, reason = clean_line(approved_by), clean_line(reason)
    if not approved_by:
        raise ValidationError("延期须经政府信息公开工作机构负责人同意，请填写批准人。")
    check_event_day(application, on, "延期决定日期")
    _check(application, "extended", on, days)
    _event(
        application,
        "extended",
        on,
        user=user,
        days=days,
        note=f"{reason + '；' if reason else ''}经{approved_by}同意延长{days}个工作日，已告知申请人",
    )


@transaction.atomic
def reply(application, *, on, user, result: str, legal_basis: str, letter_body: str = "") -> ApplicationEvent:
    """答复: exactly one official result; the 答复告知书 (drafted from the template, or the clerk's edited
    text) is generated and becomes immutable history."""
    from .letters import NoCJKFont, compose, letter_docx, letter_pdf

    check_permission(user, "reply", application)
    if result not in RESULT_LABELS:
        raise ValidationError("请选择正式的办理结果类型。")
    if application.received_on is None:
        raise ValidationError("申请尚未确认收到。")
    if application.status in (Status.REPLIED, Status.CLOSED):
        raise ValidationError("该申请已答复，答复告知书不能再修改。")
    check_event_day(application, on, "答复日期")
    legal_basis, letter_body = clean_line(legal_basis), clean_text(letter_body)
    application.result, application.legal_basis, application.replied_on = result, legal_basis, on
    application.status = Status.REPLIED
    application.draft_result, application.draft_legal_basis, application.draft_letter = "", "", ""
    application.save(
        update_fields=[
            "result",
            "legal_basis",
            "replied_on",
            "status",
            "draft_result",
            "draft_legal_basis",
            "draft_letter",
        ]
    )
    letter = compose(application, result=result, legal_basis=legal_basis, today=on, body=letter_body)
    try:
        docx_file = (f"{application.number}-答复告知书.docx", letter_docx(letter))
    except ValueError as error:  # the text is cleaned; a writer that still refuses it must not lose the reply
        logger.exception("DOCX letter for %s not generated", application.number)
        raise ValidationError("答复告知书无法生成，请检查正文中的特殊字符后重试。") from error
    try:
        pdf = (f"{application.number}-答复告知书.pdf", letter_pdf(letter))
    except NoCJKFont:
        # The statutory reply must not wait for a server font: the DOCX is issued, the system check
        # (`zwgk check`) and the log say what to install.
        logger.error("PDF letter for %s not generated: no CJK font installed", application.number)
        pdf = None
    return _event(
        application,
        "replied",
        on,
        user=user,
        note=RESULT_LABELS[result],
        document=docx_file,
        pdf=pdf,
    )


@transaction.atomic
def save_draft(application, *, user, result: str, legal_basis: str, letter_body: str):
    """The clerk's draft of the reply, kept on the application for the reviewer who issues it."""
    check_permission(user, "draft_reply", application)
    if application.status in (Status.REPLIED, Status.CLOSED):
        raise ValidationError("该申请已答复，不能再起草答复。")
    if result and result not in RESULT_LABELS:
        raise ValidationError("请选择正式的办理结果类型。")
    application.draft_result = result or ""
    application.draft_legal_basis = clean_line(legal_basis)
    application.draft_letter = clean_text(letter_body).strip()
    application.drafted_by = user if getattr(user, "pk", None) else None
    application.save(update_fields=["draft_result", "draft_legal_basis", "draft_letter", "drafted_by"])
    record(
        application,
        "zwgk.application.draft_saved",
        user=application.drafted_by,
        data={"result": application.draft_result, "length": len(application.draft_letter)},
    )


@transaction.atomic
def close_without_supplement(application, *, on, user):
    """Art. 30: no supplement in time → 其他处理 1 (the applicant is deemed to have withdrawn)."""
    check_permission(user, "close_without_supplement", application)
    return reply(
        application,
        on=on,
        user=user,
        result="other.1",
        legal_basis="《中华人民共和国政府信息公开条例》第三十条",
    )


@transaction.atomic
def deliver(application, *, on, user, how: str, tracking: str = ""):
    check_permission(user, "deliver", application)
    check_event_day(application, on, "送达日期")
    _event(application, "delivered", on, user=user, note=clean_line(f"{how} {tracking}"))


@transaction.atomic
def archive(application, *, on, user):
    check_permission(user, "archive", application)
    if application.status != Status.REPLIED:
        raise ValidationError("答复后才能归档。")
    check_event_day(application, on, "归档日期")
    application.status = Status.CLOSED
    application.save(update_fields=["status"])
    _event(application, "archived", on, user=user, public=False)


@transaction.atomic
def assign(application, *, handler, user, reason: str = ""):
    """Assign (or transfer, with a reason) the application to a handler inside the organisation's subtree."""
    from zwgk.core.scoping import can_act_for

    check_permission(user, "assign", application)
    reason = clean_line(reason)
    if handler is None:
        raise ValidationError("请选择承办人。")
    if not can_act_for(handler, application.organisation):
        raise ValidationError("承办人不属于该申请的承办机关。")
    kind = "transferred" if application.handler_id else "assigned"
    if kind == "transferred" and not reason.strip():
        raise ValidationError("转办须说明理由。")
    application.handler = handler
    application.save(update_fields=["handler"])
    _event(
        application,
        kind,
        timezone.localdate(),
        user=user,
        note=f"{handler.get_full_name() or handler.username} {reason}".strip(),
        public=False,
    )


@transaction.atomic
def fee_notice(application, *, on, user, method: str, quantity: int):
    """收费通知 (国办函〔2020〕109号): amount by the rules, the clock paused until payment."""
    from .fees import fee_for_applications, fee_for_pages

    check_permission(user, "fee_notice", application)
    amount = fee_for_pages(quantity) if method == "按量" else fee_for_applications(quantity)
    if amount <= 0:
        raise ValidationError("按规定计算的信息处理费为0元，无需发出收费通知。")
    pause(
        application,
        on=on,
        user=user,
        note=f"收费通知：{method}计收，{quantity}{'页' if method == '按量' else '件'}，{amount}元",
    )
    _event(
        application,
        "fee_notice",
        on,
        user=user,
        days=20,
        note=f"{method}计收 {amount} 元，应自收到通知次日起20个工作日内缴纳",
    )
    return amount


@transaction.atomic
def fee_paid(application, *, on, user):
    check_permission(user, "fee_paid", application)
    check_event_day(application, on, "缴费日期")
    _event(application, "fee_paid", on, user=user)
    resume(application, on=on, user=user, note="已缴费，恢复计时")


@transaction.atomic
def close_fee_unpaid(application, *, on, user):
    """Fee not paid in time → 其他处理 2 (the applicant is deemed to have withdrawn)."""
    check_permission(user, "close_fee_unpaid", application)
    resume(application, on=on, user=user, note="逾期未缴费")
    return reply(
        application,
        on=on,
        user=user,
        result="other.2",
        legal_basis="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    )
