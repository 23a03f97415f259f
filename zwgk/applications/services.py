"""Every state change of an application: one function each, writing the ledger event and the audit log.

Each function first checks who may do it (`permissions.check`, PermissionDenied with a Chinese message;
`user=None` is the system: import, demo, tasks) and that its date fits the application's own history
(`validation.check_event_day`, ValidationError), then changes, then writes the ledger and the audit log.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zwgk.core.audit import record
from zwgk.core.scoping import can_act_for
from zwgk.core.sequences import reserve
from zwgk.text.normalize import clean_line, clean_text

from . import clock as clock_rules
from . import fees as fee_rules
from .answers import check_answer, default_form
from .letters import NoCJKFont, chinese_date, compose, letter_docx, letter_pdf
from .models import Application, ApplicationEvent, ApplicationSequence, Fee
from .notices import TO_APPLICANT, compose_notice, notice_files
from .permissions import check as check_permission
from .receiving import can_receive, supplement_days
from .validation import check_day, check_event_day
from .vocab import RESULT_LABELS, AnswerForm, Channel, EventKind, FeeMethod, NoticeKind, Status

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


def _event(
    application,
    kind,
    on,
    *,
    user=None,
    note="",
    days=None,
    public=True,
    document=None,
    pdf=None,
    notice=None,
    audit=None,
):
    """One ledger step and its audit entry. `notice`: (NoticeKind, values) — the notice is drafted from the
    organ's template, stored as DOCX and PDF on the event, and offered to the applicant if it is theirs."""
    event = ApplicationEvent(
        application=application,
        kind=kind,
        on=on,
        note=note,
        days=days,
        public=public,
        actor=user if getattr(user, "pk", None) else None,
    )
    if notice is not None:
        notice_kind, values = notice
        letter = compose_notice(notice_kind, application, values, today=on)
        document, pdf = notice_files(letter, application, notice_kind)
        event.document_title = letter.title
        event.document_to_applicant = TO_APPLICANT[notice_kind]
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
        data={"on": on.isoformat(), "note": note, "days": days, **(audit or {})},
    )
    return event


def _check_receiving(organisation):
    if not can_receive(organisation):
        raise ValidationError(
            f"{organisation.name}不能受理政府信息公开申请：乡镇人民政府的内设机构、县级人民政府部门的内设机构"
            "不是受理申请的机关，请向其所属的人民政府或部门提出（条例第二十七条）。"
        )


@transaction.atomic
def submit_online(organisation, *, idempotency_key: str | None = None, **fields) -> tuple[Application, bool]:
    """A citizen's online application: unconfirmed until the office confirms it (Art. 31)."""
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    _check_receiving(organisation)
    today = timezone.localdate()
    application = Application.objects.create(
        organisation=organisation,
        number=next_number(organisation, today.year),
        channel=Channel.ONLINE,
        idempotency_key=idempotency_key,
        status=Status.UNCONFIRMED,
        **clean_fields(fields),
    )
    _event(application, EventKind.SUBMITTED, today, note="通过网站提交")
    return application, True


@transaction.atomic
def register_application(organisation, *, channel: str, received_on: dt.date, user, **fields) -> Application:
    """Letter, counter, fax applications: the receipt date is known at registration (Art. 31)."""
    check_permission(user, "register", organisation=organisation)
    _check_receiving(organisation)
    check_day(received_on, "收到申请之日")
    application = Application.objects.create(
        organisation=organisation,
        number=next_number(organisation, received_on.year),
        channel=channel,
        received_on=received_on,
        status=Status.PROCESSING,
        **clean_fields(fields),
    )
    _event(application, EventKind.REGISTERED, received_on, user=user, note=f"{channel}申请")
    return application


@transaction.atomic
def import_application(data: dict) -> Application:
    """One 台账 row (importer.py, validated there): the application with its registration and, if answered,
    its reply in the ledger, each with an audit entry (the system acts: no user)."""
    replied_on = data.get("replied_on")
    application = Application.objects.create(
        **data, status=Status.CLOSED if replied_on else Status.PROCESSING
    )
    _event(application, EventKind.REGISTERED, data["received_on"], note="台账导入", public=False)
    if replied_on:
        _event(application, EventKind.REPLIED, replied_on, note="台账导入", public=False)
    return application


def _check(application, extra_kind, on, days=None):
    """Validate the history with the new event through the clock rules (raises ValidationError)."""
    events = application.clock_events() + [clock_rules.ClockEvent(extra_kind, on, days)]
    try:
        return clock_rules.due_date(application.received_on, events)
    except ValueError as error:
        raise ValidationError(str(error)) from error


def _clock_step(application, permission, kind, status, day_label, *, on, user, note, **event):
    """A step that moves the statutory clock (补正, 暂停, 恢复): who may, on which day, whether the clock
    rules allow it; then the new status and the ledger event (with its audit entry)."""
    check_permission(user, permission, application)
    check_event_day(application, on, day_label)
    note = clean_text(note)
    _check(application, kind, on)
    application.status = status
    application.save(update_fields=["status"])
    return _event(application, kind, on, user=user, note=note, **event)


@transaction.atomic
def confirm(application, *, on: dt.date, user):
    """Art. 31: an online application is received on the day both sides confirm it."""
    check_permission(user, "confirm", application)
    if application.status != Status.UNCONFIRMED:
        raise ValidationError("该申请已确认。")
    check_event_day(application, on, "确认收到之日")
    application.received_on, application.status = on, Status.PROCESSING
    application.save(update_fields=["received_on", "status"])
    _event(application, EventKind.CONFIRMED, on, user=user)


@transaction.atomic
def request_supplement(application, *, on, user, note, period_days: int | None = None):
    """Art. 30: the 补正告知书, once, within 7 working days of receipt, with a reasonable period to answer
    (`period_days`, by default the organ's: `receiving.supplement_days`); the reply clock waits."""
    period_days = period_days or supplement_days(application.organisation)
    deadline = clock_rules.period_end(on, period_days)
    items = clean_text(note).rstrip("。")
    _clock_step(
        application,
        "request_supplement",
        EventKind.SUPPLEMENT_REQUESTED,
        Status.SUPPLEMENT,
        "补正通知日期",
        on=on,
        user=user,
        note=note,
        days=period_days,
        notice=(
            NoticeKind.SUPPLEMENT,
            {"items": items, "period_days": period_days, "deadline": chinese_date(deadline)},
        ),
    )


@transaction.atomic
def receive_supplement(application, *, on, user, note=""):
    _clock_step(
        application,
        "receive_supplement",
        EventKind.SUPPLEMENT_RECEIVED,
        Status.PROCESSING,
        "收到补正之日",
        on=on,
        user=user,
        note=note,
    )


@transaction.atomic
def pause(application, *, on, user, note, days=None, notice=None):
    """Third-party / other-organ consultation (Art. 32, 34) or awaiting fee payment: the clock stops.

    `days`: the working days the other side has to answer (15 for a consultation), shown as its deadline;
    `notice`: the 征求意见函 sent with it (see `_event`)."""
    _clock_step(
        application,
        "pause",
        EventKind.PAUSE_STARTED,
        Status.PAUSED,
        "暂停计时日期",
        on=on,
        user=user,
        note=note,
        days=days,
        notice=notice,
    )


CONSULTATION_DAYS = clock_rules.CONSULTATION_DAYS


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
    values = {
        "party": party,
        "period_days": CONSULTATION_DAYS,
        "answer_by": chinese_date(clock_rules.period_end(on, CONSULTATION_DAYS)),
    }
    kind = NoticeKind.CO_MAKER if joint else NoticeKind.THIRD_PARTY
    pause(application, on=on, user=user, note=note, days=CONSULTATION_DAYS, notice=(kind, values))


@transaction.atomic
def resume(application, *, on, user, note=""):
    _clock_step(
        application,
        "resume",
        EventKind.PAUSE_ENDED,
        Status.PROCESSING,
        "恢复计时日期",
        on=on,
        user=user,
        note=note,
    )


@transaction.atomic
def extend(application, *, on, user, days: int, approved_by: str, reason: str = ""):
    """Art. 33: once, ≤ 20 working days, approved by the head of the disclosure office, notice sent.

    `reason`: 延期理由, written into the ledger with the approval."""
    check_permission(user, "extend", application)
    approved_by, reason = clean_line(approved_by), clean_line(reason)
    if not approved_by:
        raise ValidationError("延期须经政府信息公开工作机构负责人同意，请填写批准人。")
    check_event_day(application, on, "延期决定日期")
    due = _check(application, EventKind.EXTENDED, on, days)
    _event(
        application,
        EventKind.EXTENDED,
        on,
        user=user,
        days=days,
        note=f"{reason + '；' if reason else ''}经{approved_by}同意延长{days}个工作日，已告知申请人",
        notice=(
            NoticeKind.EXTENSION,
            {"days": days, "reason": (reason or "情况复杂").rstrip("。"), "due": chinese_date(due)},
        ),
    )


@transaction.atomic
def reply(
    application,
    *,
    on,
    user,
    result: str,
    legal_basis: str,
    letter_body: str = "",
    answer_form: str = "",
    competent_organ: str = "",
    competent_contact: str = "",
) -> ApplicationEvent:
    """答复: exactly one official result and, where Art. 36 covers it, its legal form (`answer_form`; implied
    when the result allows only one); the 答复告知书 (drafted from the template, or the clerk's edited
    text) is generated and becomes immutable history. A 36(5) reply names the competent organ and its
    contact in the letter, and the 转送函 to that organ is recorded in the ledger as a referral."""
    check_permission(user, "reply", application)
    if result not in RESULT_LABELS:
        raise ValidationError("请选择正式的办理结果类型。")
    answer_form = answer_form or default_form(result)
    competent_organ, competent_contact = clean_line(competent_organ), clean_line(competent_contact)
    check_answer(answer_form, result, competent_organ, competent_contact)
    if application.received_on is None:
        raise ValidationError("申请尚未确认收到。")
    if application.status in (Status.REPLIED, Status.CLOSED):
        raise ValidationError("该申请已答复，答复告知书不能再修改。")
    check_event_day(application, on, "答复日期")
    legal_basis, letter_body = clean_line(legal_basis), clean_text(letter_body)
    application.result, application.legal_basis, application.replied_on = result, legal_basis, on
    application.answer_form = answer_form
    if answer_form == AnswerForm.NOT_OURS:
        application.competent_organ, application.competent_contact = competent_organ, competent_contact
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
            "answer_form",
            "competent_organ",
            "competent_contact",
        ]
    )
    letter = compose(
        application,
        result=result,
        legal_basis=legal_basis,
        today=on,
        body=letter_body,
        answer_form=answer_form,
        competent=(competent_organ, competent_contact),
    )
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
    if answer_form == AnswerForm.NOT_OURS:
        _event(
            application,
            EventKind.REFERRED,
            on,
            user=user,
            note=f"不属于本机关负责公开，已告知申请人负责公开的机关：{competent_organ}（{competent_contact}）",
            notice=(
                NoticeKind.REFERRAL,
                {"competent_organ": competent_organ, "competent_contact": competent_contact},
            ),
        )
    return _event(
        application,
        EventKind.REPLIED,
        on,
        user=user,
        note=RESULT_LABELS[result]
        + (f"（条例第三十六条第{AnswerForm(answer_form).label[:3]}项）" if answer_form else ""),
        document=docx_file,
        pdf=pdf,
        audit={"result": result, "answer_form": answer_form},
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
    if not supplement_lapsed(application, on):
        raise ValidationError("补正期限尚未届满，不能按逾期未补正处理（条例第三十条）。")
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
    _event(application, EventKind.DELIVERED, on, user=user, note=clean_line(f"{how} {tracking}"))


@transaction.atomic
def archive(application, *, on, user):
    check_permission(user, "archive", application)
    if application.status != Status.REPLIED:
        raise ValidationError("答复后才能归档。")
    check_event_day(application, on, "归档日期")
    application.status = Status.CLOSED
    application.save(update_fields=["status"])
    _event(application, EventKind.ARCHIVED, on, user=user, public=False)


@transaction.atomic
def assign(application, *, handler, user, reason: str = ""):
    """Assign (or transfer, with a reason) the application to a handler inside the organisation's subtree."""
    check_permission(user, "assign", application)
    reason = clean_line(reason)
    if handler is None:
        raise ValidationError("请选择承办人。")
    if not can_act_for(handler, application.organisation):
        raise ValidationError("承办人不属于该申请的承办机关。")
    kind = EventKind.TRANSFERRED if application.handler_id else EventKind.ASSIGNED
    if kind == EventKind.TRANSFERRED and not reason.strip():
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


def supplement_lapsed(application, today) -> bool:
    """Art. 30: the 补正 period the notice stated (its `days`) has run out by `today` without a supplement."""
    request = application.last_event(EventKind.SUPPLEMENT_REQUESTED)
    if request is None or application.last_event(EventKind.SUPPLEMENT_RECEIVED) is not None:
        return False
    return clock_rules.lapsed(request.on, request.days or supplement_days(application.organisation), today)


def fee_lapsed(application, today) -> bool:
    """109号: the fee is unpaid and its payment period (20 working days from the notice) has run out."""
    fee = Fee.objects.filter(application=application).first()
    return fee is not None and fee.paid_on is None and today > fee.pay_by


@transaction.atomic
def send_fee_notice(
    application,
    *,
    on,
    user,
    method: str,
    quantity: int = 1,
    reduction=0,
    reduction_reason: str = "",
):
    """收费通知书 (条例第四十二条, 国办函〔2020〕109号): one method per application; 按量: `quantity` pages of
    this application; 按件: this application counts `quantity` 件 after the applicant's earlier ones that
    month across the government's organs (`fees.prior_count`), only its own part of the bands charged.
    `reduction`: 减免 (yuan), with its reason. The clock pauses until payment; payable within 20 WD.
    Returns the amount payable."""
    check_permission(user, "fee_notice", application)
    if method not in FeeMethod.values:
        raise ValidationError("请选择按件计收或按量计收。")
    if Fee.objects.filter(application=application).exists():
        raise ValidationError("该申请已发出过收费通知。")
    if quantity is None or quantity < 1:
        raise ValidationError("件数或页数至少为1。")
    prior = 0
    if method == FeeMethod.PER_PAGE:
        amount = Decimal(fee_rules.fee_for_pages(quantity))
    else:
        prior = fee_rules.prior_count(application)
        amount = Decimal(fee_rules.fee_for_this_application(prior, quantity))
    reduction, reduction_reason = Decimal(reduction or 0), clean_line(reduction_reason)
    if reduction < 0 or reduction > amount:
        raise ValidationError("减免金额应在0元和应收金额之间。")
    if reduction and not reduction_reason:
        raise ValidationError("减免信息处理费须说明理由。")
    payable = amount - reduction
    if payable <= 0:
        raise ValidationError(
            f"按规定计算的信息处理费为{payable:g}元（{'同月此前已申请' + str(prior) + '件，' if method == FeeMethod.PER_APPLICATION else ''}"
            "未超过免费额度或已全部减免），无需发出收费通知。"
        )
    unit = "页" if method == FeeMethod.PER_PAGE else "件"
    counted = f"{quantity}页" if method == FeeMethod.PER_PAGE else f"同月第{prior + 1}至{prior + quantity}件"
    pause(application, on=on, user=user, note=f"收费通知：{method}计收，{quantity}{unit}，{payable:g}元")
    fee = Fee.objects.create(
        application=application,
        method=method,
        quantity=quantity,
        prior_count=prior,
        amount=amount,
        reduction=reduction,
        reduction_reason=reduction_reason,
        notice_on=on,
        pay_by=fee_rules.pay_by(on),
    )
    _event(
        application,
        EventKind.FEE_NOTICE,
        on,
        user=user,
        days=fee_rules.PAYMENT_DAYS,
        note=f"{method}计收 {payable:g} 元，应于{fee.pay_by:%Y-%m-%d}前缴纳（收到通知次日起20个工作日内）",
        notice=(
            NoticeKind.FEE,
            {
                "method": FeeMethod(method).label,
                "quantity": counted,
                "amount": f"{amount:g}",
                "reduction": f"，减免{reduction:g}元（{reduction_reason}）" if reduction else "",
                "payable": f"{payable:g}",
                "pay_by": chinese_date(fee.pay_by),
                "period_days": fee_rules.PAYMENT_DAYS,
            },
        ),
        audit={"amount": str(amount), "reduction": str(reduction), "prior": prior},
    )
    return payable


@transaction.atomic
def record_fee_payment(application, *, on, user, receipt_number: str):
    """The fee is paid (财政票据 number recorded); the reply clock runs again."""
    check_permission(user, "fee_paid", application)
    check_event_day(application, on, "缴费日期")
    receipt_number = clean_line(receipt_number)
    if not receipt_number:
        raise ValidationError("请填写缴费票据号码。")
    fee = Fee.objects.filter(application=application, paid_on=None).first()
    if fee is None:
        raise ValidationError("该申请没有待缴的信息处理费。")
    fee.paid_on, fee.receipt_number = on, receipt_number
    fee.save(update_fields=["paid_on", "receipt_number"])
    _event(
        application,
        EventKind.FEE_PAID,
        on,
        user=user,
        note=f"已缴纳{fee.payable:g}元，票据号码{receipt_number}",
        audit={"amount": str(fee.payable), "receipt_number": receipt_number},
    )
    resume(application, on=on, user=user, note="已缴费，恢复计时")


@transaction.atomic
def close_fee_unpaid(application, *, on, user):
    """Fee not paid in time → 其他处理 2 (the applicant is deemed to have withdrawn; 109号)."""
    check_permission(user, "close_fee_unpaid", application)
    if not fee_lapsed(application, on):
        raise ValidationError("缴费期限尚未届满，不能按逾期未缴费处理（国办函〔2020〕109号）。")
    resume(application, on=on, user=user, note="逾期未缴费")
    return reply(
        application,
        on=on,
        user=user,
        result="other.2",
        legal_basis="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    )


@transaction.atomic
def set_information_item(application, *, user, item: str):
    """条例第四十四条: name the information asked for, the same name for the same information, so that
    several applicants' requests for it are counted (`receiving.proactive_candidates`)."""
    check_permission(user, "draft_reply", application)
    old, item = application.information_item, clean_line(item)[:200]
    application.information_item = item
    application.save(update_fields=["information_item"])
    record(
        application,
        "zwgk.application.information_item",
        user=user if getattr(user, "pk", None) else None,
        data={"old": old, "new": item},
    )
