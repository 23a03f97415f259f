"""意见征集: a draft put out for public comment, the comments, and the 采纳情况 that closes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zwgk.core.storage import private_storage
from zwgk.interaction.models import ScreenedFile

from . import rules
from .vocab import CommentStatus, Decision, DraftKind, FeedbackStatus, Phase, QuestionKind, Status

# What the clerk edits on a consultation (its form, `services.update`); the organ is chosen once.
EDITABLE_FIELDS = (
    "title",
    "kind",
    "draft_text",
    "explanation",
    "starts_on",
    "ends_on",
    "contact",
    "publish_comments",
)


class Consultation(models.Model):
    """一次意见征集."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="consultations", verbose_name="征集机关"
    )
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("草案类别", max_length=20, choices=DraftKind.choices, default=DraftKind.NORMATIVE)
    draft_text = models.TextField(
        "征求意见稿正文", help_text="每条以“第X条”开头另起一行，公众可以对每一条分别提出意见。"
    )
    explanation = models.TextField("起草说明", blank=True)
    starts_on = models.DateField("征集开始日期")
    ends_on = models.DateField("征集截止日期")
    contact = models.CharField(
        "联系方式",
        max_length=300,
        blank=True,
        help_text="公布的联系人、电话、邮箱或通信地址（机关的，不是个人的）。",
    )
    publish_comments = models.BooleanField(
        "公开网民意见", default=True, help_text="审核通过的意见（已遮蔽个人信息）在征集页面公开。"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    result_document = models.ForeignKey(
        "disclosure.PolicyDocumentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name="形成的规范性文件",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self):
        return self.title

    def phase(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.status == Status.CLOSED:
            return Phase.FEEDBACK
        if today < self.starts_on:
            return Phase.UPCOMING
        if today <= self.ends_on:
            return Phase.OPEN
        return Phase.ENDED

    def phase_label(self) -> str:
        return Phase(self.phase()).label

    def accepts_comments(self, today=None) -> bool:
        return self.status == Status.PUBLISHED and self.phase(today) == Phase.OPEN

    def articles(self):
        return rules.split_articles(self.draft_text)

    def article_numbers(self) -> set[int]:
        return {number for number, _, _ in self.articles()[1]}

    @property
    def feedback_or_none(self):
        try:
            return self.feedback
        except Feedback.DoesNotExist:
            return None


class Attachment(ScreenedFile):
    """A file of the draft (征求意见稿全文…): public once screened, never while it holds a 禁止 finding. Kept
    in the private storage and served by `views.attachment`, which checks both: no public MEDIA URL."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("附件名称", max_length=200)
    file = models.FileField("文件", upload_to="consultations/%Y/", storage=private_storage)
    findings = models.JSONField("审查发现", default=list, blank=True)
    blocked = models.BooleanField("含禁止发布的内容", default=False)

    class Meta:
        verbose_name = "征集附件"
        verbose_name_plural = "征集附件"
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """问卷题目 (optional): single choice, multiple choice or a text answer."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField("序号", default=0)
    text = models.CharField("题目", max_length=300)
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    options_text = models.TextField("选项", blank=True, help_text="每行一个选项（文字回答题不填）。")
    required = models.BooleanField("必答", default=False)

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.options_text.splitlines() if line.strip()]


class Comment(models.Model):
    """网民意见. The commenter's name and contact are for the organ only: never shown on any public page;
    the public sees `public_text` (personal data masked by the screening engine) and the date."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    article = models.PositiveIntegerField("针对条款", null=True, blank=True, help_text="空：针对全文")
    body = models.TextField("意见内容")
    public_text = models.TextField("公开文本（已遮蔽个人信息）", blank=True)
    findings = models.JSONField("审查发现", default=list, blank=True)
    answers = models.JSONField("问卷回答", default=dict, blank=True)
    name = models.CharField("姓名", max_length=60, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    status = models.CharField(
        "审核状态", max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderation_note = models.CharField("审核说明", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "网民意见"
        verbose_name_plural = "网民意见"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self):
        return f"意见 {self.pk}"

    @property
    def article_label(self) -> str:
        return f"第{rules.chinese_numeral(self.article)}条" if self.article else "全文"

    @property
    def blocked(self) -> bool:
        """A 禁止 finding (身份证号码, 敏感词…): the text is never published as written."""
        return any(f.get("severity") == "禁止" for f in self.findings)


class Feedback(models.Model):
    """采纳情况: the organ's answer to the comments, approved through 三审 (初审 → 复审 → 终审) and
    published on the consultation's page."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="feedback")
    summary = models.TextField("总体情况", help_text="征集到的意见概况和总体采纳情况。")
    status = models.CharField(
        "状态", max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT
    )
    step = models.PositiveSmallIntegerField("当前审核步骤", default=0)  # index in services.REVIEW_STEPS
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "采纳情况"
        verbose_name_plural = "采纳情况"

    def __str__(self):
        return f"{self.consultation}的采纳情况"


class FeedbackItem(models.Model):
    """One answer: to one comment, or to a group of similar comments (`comments`), with its reason."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", default=0)
    opinion = models.TextField("意见摘要")
    comments = models.ManyToManyField(
        Comment, blank=True, related_name="feedback_items", verbose_name="对应意见"
    )
    decision = models.CharField("采纳情况", max_length=12, choices=Decision.choices)
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "采纳情况条目"
        verbose_name_plural = "采纳情况条目"
        ordering = ["order", "pk"]


class FeedbackReview(models.Model):
    """审签记录: one reviewer's decision on one step of the 三审."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField("审核步骤", max_length=10)
    approved = models.BooleanField("批准")
    opinion = models.TextField("审核意见", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "审签记录"
        verbose_name_plural = "审签记录"
        ordering = ["at", "pk"]
