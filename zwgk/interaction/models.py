"""互动交流: boxes per organ, messages (留言 and 纠错 reports) with their event chain, attachments, templates."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from zwgk.core.models import Organisation
from zwgk.core.storage import private_storage

from .replies import template_errors
from .rules import default_reply_days
from .vocab import ERROR_TYPES, BoxKind, Rating, Source, Status


def new_query_code() -> str:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Box(models.Model):
    """A 信箱 of an organ: 书记/县长信箱, 部门信箱, 咨询, 投诉, 建议 or the site's 网站纠错."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="boxes", verbose_name="所属机关"
    )
    kind = models.CharField("信箱类型", max_length=12, choices=BoxKind.choices)
    name = models.CharField("名称", max_length=60)
    intro = models.TextField("说明", blank=True, help_text="显示在留言页面上，如受理范围和答复期限。")
    reply_days = models.PositiveIntegerField(
        "答复期限（工作日）", null=True, blank=True, help_text="留空按该类型的默认期限（运维设置）。"
    )
    publish_replies = models.BooleanField(
        "公开答复", default=True, help_text="留言人选择公开、经审核的答复在网站上公开（个人信息已遮盖）。"
    )
    active = models.BooleanField("启用", default=True)
    leader_email = models.EmailField(
        "负责人电子邮箱", blank=True, help_text="留言满2个月未答复时提醒机关负责人。"
    )
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "信箱"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @property
    def period(self) -> int:
        return self.reply_days if self.reply_days is not None else default_reply_days(self.kind)


class MessageSequence(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_message_sequence")
        ]


class Message(models.Model):
    """One 留言 (or one 网站纠错 report): what the citizen wrote, the handling organ, the clock, the reply."""

    box = models.ForeignKey(Box, on_delete=models.PROTECT, related_name="messages", verbose_name="信箱")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="messages", verbose_name="承办机关"
    )
    number = models.CharField("留言编号", max_length=40, unique=True)
    query_code = models.CharField("查询码", max_length=12, default=new_query_code)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.WEB)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    received_on = models.DateField("收到日期", db_index=True)
    name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    subject = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    wants_public = models.BooleanField("同意公开", default=False)
    page_url = models.CharField("出错网页地址", max_length=500, blank=True)
    error_type = models.CharField("错误类型", max_length=20, blank=True, choices=ERROR_TYPES)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False, default="")
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name="疑似重复于",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NEW)
    reply_days = models.PositiveIntegerField("答复期限（工作日）")
    extension_days = models.PositiveIntegerField("延期（工作日）", default=0)
    due_on = models.DateField("答复期限", db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_messages",
        verbose_name="承办人",
    )
    reply = models.TextField("答复内容", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replied_messages",
        verbose_name="答复人",
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    published = models.BooleanField("已公开", default=False)
    public_subject = models.CharField("公开标题", max_length=100, blank=True)
    public_content = models.TextField("公开内容（已遮盖个人信息）", blank=True)
    public_reply = models.TextField("公开答复（已遮盖个人信息）", blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    rating = models.CharField("满意度", max_length=12, choices=Rating.choices, blank=True)
    rating_note = models.CharField("评价意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "留言"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["organisation", "received_on"]),
            models.Index(fields=["status", "due_on"]),
            # 留言选登: the published rows in their order, all of them or one box's (partial indexes).
            models.Index(
                fields=["-published_on", "-id"],
                condition=models.Q(published=True),
                name="interaction_public_list",
            ),
            models.Index(
                fields=["box", "-published_on", "-id"],
                condition=models.Q(published=True),
                name="interaction_public_box",
            ),
        ]

    def __str__(self):
        return self.number


class MessageEvent(models.Model):
    """The chain of a message: every step with its date, actor and (for 分办/转办) the organs."""

    LABELS = {
        "submitted": "提交留言",
        "registered": "登记",
        "accepted": "受理",
        "rejected": "不予受理",
        "assigned": "分办",
        "transferred": "转办",
        "drafted": "拟写答复",
        "returned": "退回修改",
        "answered": "审核通过并答复",
        "extended": "延期",
        "published": "公开",
        "unpublished": "撤销公开",
        "rated": "评价",
    }

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=16)
    on = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    from_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def label(self):
        return self.LABELS.get(self.kind, self.kind)


class ScreenedFile(models.Model):
    """A stored file screened after its upload was committed (`attachments.screen_file`)."""

    screening_note = models.CharField("审查结果", max_length=200, blank=True)
    screened_at = models.DateTimeField("审查时间", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def screening_label(self) -> str:
        return self.screening_note if self.screened_at else "待审查"


class MessageAttachment(ScreenedFile):
    """A file the citizen attached: private (never served by URL), stored with its message, screened after
    the message is committed (`screened_at` empty until then; services.screen_pending catches up)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="interaction/%Y/", storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    findings = models.PositiveIntegerField("审查发现", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "留言附件"


class ReplyTemplate(models.Model):
    """答复模板: {name} {subject} {received_on} {organisation} {date} are filled when used."""

    title = models.CharField("名称", max_length=60, unique=True)
    body = models.TextField("正文", help_text="可用：{name} {subject} {received_on} {organisation} {date}")

    class Meta:
        verbose_name = verbose_name_plural = "答复模板"

    def __str__(self):
        return self.title

    def clean(self):
        errors = template_errors(self.body)
        if errors:
            raise ValidationError({"body": errors})
