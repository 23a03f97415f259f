"""依申请公开 applications, their event ledger (the clock is derived from it), appeals and templates."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zwgk.core.models import Organisation
from zwgk.core.storage import private_storage
from zwgk.core.workdays import add_working_days
from zwgk.text.normalize import clean_text

from . import clock as clock_rules
from .notice_placeholders import placeholders_for
from .validation import template_errors
from .vocab import (
    RESULT_CHOICES,
    AnswerForm,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    EventKind,
    FeeMethod,
    IdType,
    NoticeKind,
    Status,
)


def new_query_code() -> str:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class ApplicationSequence(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_application_sequence")
        ]


class Application(models.Model):
    """One 政府信息公开申请 (条例 Art. 29 contents)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name="承办机关"
    )
    number = models.CharField("申请编号", max_length=40, unique=True)
    query_code = models.CharField("查询码", max_length=12, default=new_query_code)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    channel = models.CharField("申请方式", max_length=8, choices=Channel.choices)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    received_on = models.DateField(
        "收到申请之日", null=True, blank=True, help_text="条例第三十一条；网络申请经确认后确定"
    )
    applicant_type = models.CharField("申请人类型", max_length=10, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=100, blank=True)
    id_type = models.CharField("证件类型", max_length=10, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    description = models.TextField("所需信息的名称、文号或特征描述", blank=True)
    form_wanted = models.CharField(
        "获取形式", max_length=10, blank=True, choices=[(v, v) for v in ("纸质", "电子", "其他")]
    )
    delivery = models.CharField(
        "获取方式",
        max_length=10,
        blank=True,
        choices=[(v, v) for v in ("邮寄", "电子邮件", "当面领取", "网上获取")],
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_applications",
        verbose_name="承办人",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    result = models.CharField("办理结果", max_length=20, choices=RESULT_CHOICES, blank=True)
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    # The clerk's draft of the reply (信息员 drafts, 依申请公开审核 issues): kept until the reply is issued.
    draft_result = models.CharField("拟办理结果", max_length=20, choices=RESULT_CHOICES, blank=True)
    draft_legal_basis = models.CharField("拟法律依据", max_length=300, blank=True)
    draft_letter = models.TextField("答复告知书草稿", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafted_applications",
        verbose_name="起草人",
    )
    answer_form = models.CharField(
        "答复形式", max_length=4, choices=AnswerForm.choices, blank=True, help_text="条例第三十六条"
    )
    competent_organ = models.CharField(
        "负责公开的机关", max_length=100, blank=True, help_text="条例第三十六条第（五）项"
    )
    competent_contact = models.CharField("负责公开机关的联系方式", max_length=200, blank=True)
    information_item = models.CharField(
        "所申请信息（归并名称）",
        max_length=200,
        blank=True,
        help_text="多个申请人申请相同政府信息的，填写同一名称（条例第四十四条）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["organisation", "received_on"]),
            models.Index(fields=["organisation", "replied_on"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self):
        return self.number

    def clock_events(self):
        return [
            clock_rules.ClockEvent(e.kind, e.on, e.days)
            for e in self.events.all()
            if e.kind in clock_rules.KINDS
        ]

    def last_event(self, *kinds):
        """The latest ledger event of one of `kinds` (from the prefetched events), or None."""
        found = [e for e in self.events.all() if e.kind in kinds]
        return found[-1] if found else None

    def consultation(self, today=None):
        """The open 征求意见 (Art. 32, 34), if any: who, when sent, by when they must answer, lapsed?"""
        events = [e for e in self.events.all() if e.kind in (EventKind.PAUSE_STARTED, EventKind.PAUSE_ENDED)]
        if not events or events[-1].kind != EventKind.PAUSE_STARTED or not events[-1].days:
            return None
        started = events[-1]
        answer_by = add_working_days(started.on, started.days)
        return {
            "note": started.note,
            "sent_on": started.on,
            "answer_by": answer_by,
            "lapsed": (today or timezone.localdate()) > answer_by,
        }

    def supplement_period(self, today=None):
        """The open 补正 period (Art. 30): when the notice went out, its days, last day, lapsed?"""
        request = self.last_event(EventKind.SUPPLEMENT_REQUESTED)
        if self.status != Status.SUPPLEMENT or request is None or not request.days:
            return None
        today = today or timezone.localdate()
        return {
            "sent_on": request.on,
            "days": request.days,
            "deadline": clock_rules.period_end(request.on, request.days),
            "lapsed": clock_rules.lapsed(request.on, request.days, today),
        }

    def fee_period(self, today=None):
        """The unpaid 信息处理费 (109号): amount payable, last day to pay, lapsed?"""
        fee = Fee.objects.filter(application=self, paid_on=None).first() if self.pk else None
        if fee is None or self.status != Status.PAUSED:
            return None
        return {
            "fee": fee,
            "payable": fee.payable,
            "deadline": fee.pay_by,
            "lapsed": (today or timezone.localdate()) > fee.pay_by,
        }

    def clock(self, today=None):
        if self.received_on is None or self.status in (Status.REPLIED, Status.CLOSED):
            return None
        return clock_rules.clock(self.received_on, self.clock_events(), today or timezone.localdate())


class ApplicationEvent(models.Model):
    """The ledger: every step with its date, actor and document (the clock is computed from it)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=24, choices=EventKind.choices)
    on = models.DateField("日期")
    days = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("向申请人展示", default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    document = models.FileField(
        "文书", upload_to="applications/letters/%Y/", blank=True, storage=private_storage
    )
    document_pdf = models.FileField(
        "文书（PDF）", upload_to="applications/letters/%Y/", blank=True, storage=private_storage
    )
    document_title = models.CharField("文书名称", max_length=60, blank=True)
    document_to_applicant = models.BooleanField(
        "文书送申请人", default=True, help_text="征求意见函、转送函送其他单位，不在查询页面提供"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    LABELS = dict(EventKind.choices)

    @property
    def label(self):
        return self.LABELS.get(self.kind, self.kind)


class LetterTemplate(models.Model):
    """答复告知书 text per result type, editable by 管理员; {placeholders} are filled on issue."""

    result_kind = models.CharField(
        "答复类型",
        max_length=10,
        unique=True,
        choices=[(v, v) for v in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")],
    )
    title = models.CharField("标题", max_length=60, default="政府信息公开申请答复告知书")
    body = models.TextField(
        "正文",
        help_text="可用：{applicant} {received_on} {description} {result} {reason} {legal_basis} {organisation} {date}",
    )

    class Meta:
        verbose_name = verbose_name_plural = "答复告知书模板"

    def __str__(self):
        return self.result_kind

    def clean(self):
        """A template with an unpaired brace or an unknown placeholder would break every reply of its type."""
        self.title, self.body = clean_text(self.title).strip(), clean_text(self.body)
        errors = template_errors(self.body)
        if errors:
            raise ValidationError({"body": errors})


class NoticeTemplate(models.Model):
    """The text of a notice other than the 答复告知书 (补正、延期、征求意见、收费、转送), per organ.

    `organisation` empty: the default for every organ (seeded by migration 0007); an organ's own template
    overrides it for that organ and the organs under it. {placeholders} are checked on save."""

    kind = models.CharField("文书类型", max_length=16, choices=NoticeKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notice_templates",
        verbose_name="适用机关",
        help_text="留空为所有机关的默认模板；选定机关的模板也适用于其下级机关",
    )
    title = models.CharField("标题", max_length=60)
    body = models.TextField("正文")

    class Meta:
        verbose_name = verbose_name_plural = "告知书和函件模板"
        ordering = ["kind", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "organisation"], name="unique_notice_template"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(organisation=None), name="unique_default_notice_template"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.organisation or '默认'}）"

    def clean(self):
        """Only the placeholders its kind fills (notice_placeholders.placeholders_for) may appear in the body."""
        self.title, self.body = clean_text(self.title).strip(), clean_text(self.body)
        errors = template_errors(self.body, placeholders_for(self.kind))
        if errors:
            raise ValidationError({"body": errors})


class OrganSettings(models.Model):
    """How an organ takes part in 依申请公开: whether it may receive applications (条例第二十七条) and the
    补正 period its notices give (条例第三十条 says only “合理的补正期限” — [M], default 15 working days)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="application_settings", verbose_name="机关"
    )
    accepts_applications = models.BooleanField(
        "可以受理政府信息公开申请",
        default=True,
        help_text="乡镇内设机构、县级部门内设机构（未依法以自己名义履职的）不能受理申请（条例第二十七条、第十条第二款）",
    )
    supplement_days = models.PositiveSmallIntegerField(
        "补正期限（工作日）", null=True, blank=True, help_text="留空按15个工作日"
    )

    class Meta:
        verbose_name = verbose_name_plural = "依申请公开机关设置"

    def __str__(self):
        return str(self.organisation)


class Fee(models.Model):
    """信息处理费 of one application (国办函〔2020〕109号): notice, amount, 减免, payment and receipt."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="fee", verbose_name="申请"
    )
    method = models.CharField("计收方式", max_length=4, choices=FeeMethod.choices)
    quantity = models.PositiveIntegerField("页数或本申请计件数")
    prior_count = models.PositiveIntegerField(
        "同月此前计件数", default=0, help_text="按件计收：同一申请人当月在本级政府各机关此前的申请件数"
    )
    amount = models.DecimalField("应收金额（元）", max_digits=10, decimal_places=2)
    reduction = models.DecimalField("减免金额（元）", max_digits=10, decimal_places=2, default=Decimal(0))
    reduction_reason = models.CharField("减免理由", max_length=200, blank=True)
    notice_on = models.DateField("收费通知日期")
    pay_by = models.DateField("缴费期限")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    receipt_number = models.CharField("票据号码", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信息处理费"
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self):
        return f"{self.application.number} {self.payable}元"

    @property
    def payable(self) -> Decimal:
        return self.amount - self.reduction


class AppealRecord(models.Model):
    """行政复议 / 行政诉讼 about an application (annual report Table 4)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    kind = models.CharField("类型", max_length=8, choices=AppealKind.choices)
    after_review = models.BooleanField("复议后起诉", default=False)
    filed_on = models.DateField("受理日期")
    outcome = models.CharField(
        "结果", max_length=8, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政复议和行政诉讼"
