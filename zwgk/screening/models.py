"""Editable screening data (lexicons, rules, whitelist) and stored findings of pages and the archive."""

from django.conf import settings
from django.db import models

from .findings import BLOCK, KIND_LABELS, WARN

SEVERITIES = [(BLOCK, "禁止（阻止发布）"), (WARN, "提示")]


# The categories of the lexicon (zwgk/screening/lexicon/README); an import with another is refused.
CATEGORIES = [
    ("政治", "政治"),
    ("色情", "色情"),
    ("赌博", "赌博"),
    ("涉毒", "涉毒"),
    ("暴恐", "暴恐"),
    ("诈骗/黑产", "诈骗/黑产（代开发票、办证、刷单、贷款等）"),
    ("低俗辱骂", "低俗辱骂"),
]


class SensitiveWord(models.Model):
    word = models.CharField("敏感词", max_length=60, unique=True)
    category = models.CharField("类别", max_length=20, choices=CATEGORIES)
    severity = models.CharField("级别", max_length=4, choices=SEVERITIES, default=BLOCK)
    source = models.CharField(
        "来源", max_length=80, blank=True, default="", help_text="词库来源（软件包及版本），本地添加的词为空"
    )
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "敏感词"
        ordering = ["category", "word"]

    def __str__(self):
        return self.word


class ExpressionRule(models.Model):
    """A wrong expression or typo and its correction."""

    class Kind(models.TextChoices):
        EXPRESSION = "expression", "严重表述错误"
        TYPO = "typo", "错别字"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    wrong = models.CharField("错误写法", max_length=60, unique=True)
    correct = models.CharField("正确写法", max_length=60)
    severity = models.CharField("级别", max_length=4, choices=SEVERITIES, default=WARN)
    note = models.CharField("说明", max_length=100, blank=True)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "表述与错别字规则"
        ordering = ["kind", "wrong"]

    def __str__(self):
        return f"{self.wrong} → {self.correct}"


class WhitelistEntry(models.Model):
    """Numbers and addresses published on purpose (office phones, official mailboxes…): never flagged."""

    value = models.CharField(
        "号码或地址",
        max_length=100,
        unique=True,
        help_text="如办公电话 0797-6120001、政务邮箱；号码中的空格、横线、括号不计",
    )
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开号码白名单"

    def __str__(self):
        return self.value


class PageFinding(models.Model):
    """A finding on a page's text or one of its attachments, kept until resolved."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        FALSE_POSITIVE = "false_positive", "误报"
        MASKED = "masked", "已脱敏"
        WITHDRAWN = "withdrawn", "已撤下"
        OVERRIDDEN = "overridden", "保密审查员同意发布"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="screening_findings")
    source = models.CharField("位置", max_length=200, help_text="正文、标题或附件名")
    kind = models.CharField("类型", max_length=20, choices=list(KIND_LABELS.items()))
    severity = models.CharField("级别", max_length=4, choices=SEVERITIES)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField("内容", max_length=200)
    context = models.CharField("上下文", max_length=300, blank=True)
    suggestion = models.CharField("建议", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    resolution_note = models.CharField("处理说明", max_length=300, blank=True)
    live_only = models.BooleanField(
        "仅在线版本",
        default=False,
        db_default=False,  # the archive scan inserts rows without it
        help_text="只在当前在线的版本中、不在待审草稿中：不阻止草稿的审批，可脱敏在线版本",
    )
    # Where a hit read by OCR (an image, a scanned PDF page) lies: the page and its box "x0,y0,x1,y1"
    # (pixels of an image, PDF points from a page's top left); image masking fills that box.
    page_number = models.PositiveIntegerField("页码", null=True, blank=True)
    box = models.CharField("图中位置", max_length=60, blank=True, default="", db_default="")

    class Meta:
        verbose_name = verbose_name_plural = "审查发现"
        ordering = ["-found_at", "page_id", "start"]
        indexes = [models.Index(fields=["status", "severity", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.text}"


class ArchiveScan(models.Model):
    """Progress of `zwgk screen-archive`, so an interrupted scan resumes where it stopped."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_page_id = models.PositiveBigIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "全站审查任务"
        ordering = ["-started_at"]


class Withdrawal(models.Model):
    """A page taken down after screening; its address shows the public reason (HTTP 410)."""

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="withdrawal")
    url = models.CharField(max_length=500, db_index=True)
    title = models.CharField(max_length=255)
    reason = models.CharField("撤下原因（公开）", max_length=300)
    withdrawn_at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = verbose_name_plural = "已撤下信息"


class LexiconRescreen(models.Model):
    """One lexicon change (all changes of one transaction) and the re-screening of what it affects.

    Created in the same transaction as the change, so a worker that dies (or a lost task) leaves an
    unfinished row that `zwgk rescreen` or the next task resumes after `last_page_id`.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    added = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    whitelisted = models.JSONField(default=list)
    unwhitelisted = models.JSONField(default=list)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    last_page_id = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "词库变更复查"
        ordering = ["-created_at"]

    def __str__(self):
        terms = "、".join((self.added + self.removed + self.whitelisted + self.unwhitelisted)[:5])
        return f"词库变更复查（{terms}）"


class StoredText(models.Model):
    """The text read once from one content (sha256) of a file, or why there is none (`error`), with
    the OCR spans [start, end, page, x0, y0, x1, y1] (zwgk.screening.ocr.Span) and the parts of the file
    that could not be read (an encrypted PDF, scanned pages without OCR …), each a reason."""

    sha256 = models.CharField("文件 SHA-256", max_length=64)
    text = models.TextField("文本", blank=True)
    error = models.CharField("无法读取的原因", max_length=500, blank=True)
    spans = models.JSONField("文字识别位置", default=list, blank=True)
    problems = models.JSONField("未能读取的部分", default=list, blank=True)
    extracted_at = models.DateTimeField("读取时间", auto_now=True)

    class Meta:
        abstract = True


class DocumentText(StoredText):
    """附件文本: the text of one content (sha256) of a document's file, read once by the background task
    (`zwgk.screening.services.screen_document`); page screening reads attachments from here, never
    from the file inside a request. `error` says why there is no text (a file over a limit, an
    unsupported or broken file)."""

    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="screening_texts", verbose_name="文件"
    )
    over_limit = models.BooleanField("超出上传限制", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "附件文本"
        constraints = [
            models.UniqueConstraint(fields=["document", "sha256"], name="screening_documenttext_content")
        ]

    def __str__(self):
        return f"{self.document_id}:{self.sha256[:12]}"


class ImageText(StoredText):
    """图片文本: the OCR text of one content (sha256) of an image's file, read once by the background task
    (`zwgk.screening.services.screen_image`), as DocumentText is for documents; pages showing the image
    are screened with it."""

    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="screening_texts", verbose_name="图片"
    )

    class Meta:
        verbose_name = verbose_name_plural = "图片文本"
        constraints = [
            models.UniqueConstraint(fields=["image", "sha256"], name="screening_imagetext_content")
        ]

    def __str__(self):
        return f"{self.image_id}:{self.sha256[:12]}"
