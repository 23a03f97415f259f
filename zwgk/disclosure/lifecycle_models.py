"""What the 规范性文件 lifecycle keeps beyond the document itself (spec §7.3): the 有效期评估 decided before a
document lapses, and the 清理 campaigns with each document's result. Imported by models.py."""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class ReviewOutcome(models.TextChoices):
    """有效期评估的结论 (spec §7.3, 山东省司法厅: evaluate six months before expiry, then renew or not)."""

    RENEW = "renew", "延续"
    REVISE = "revise", "修订"
    EXPIRE = "expire", "失效"


class PolicyReview(models.Model):
    """The 有效期评估 of one document for one 有效期至: the outcome, its reason and, for 延续, the new period."""

    document = models.ForeignKey(
        "disclosure.PolicyDocumentPage", on_delete=models.CASCADE, related_name="reviews", verbose_name="文件"
    )
    due_on = models.DateField("评估的有效期至")
    outcome = models.CharField("评估结论", max_length=16, choices=ReviewOutcome.choices)
    new_expiry_date = models.DateField("延续后有效期至", null=True, blank=True)
    reason = models.TextField("评估意见")
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "有效期评估"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "due_on"], name="unique_review_per_period")
        ]

    def __str__(self):
        return f"{self.document}：{self.get_outcome_display()}"


class CleanupResultKind(models.TextChoices):
    """规范性文件清理的结果 (国办发〔2018〕37号 动态清理)."""

    KEEP = "keep", "继续有效"
    REVISE = "revise", "修订"
    REPEAL = "repeal", "废止"
    DECLARE_EXPIRED = "declare_expired", "宣布失效"


class CleanupStatus(models.TextChoices):
    OPEN = "open", "清理中"
    APPROVED = "approved", "已批准"


class CleanupCampaign(ClusterableModel):
    """A 规范性文件清理: the organ whose subtree's documents are reviewed, its reason and deadline, and
    each document's result; approval changes the documents' 有效性 in one transaction."""

    title = models.CharField("清理名称", max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="cleanups", verbose_name="组织清理的机关"
    )
    basis = models.TextField("清理依据", blank=True, help_text="如：上位法修改、机构改革、专项清理通知。")
    deadline = models.DateField("完成时限")
    status = models.CharField(
        "状态", max_length=16, choices=CleanupStatus.choices, default=CleanupStatus.OPEN, editable=False
    )
    approved_on = models.DateField("批准日期", null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    result_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
        verbose_name="清理结果信息",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "规范性文件清理"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class CleanupResult(models.Model):
    """One document's result in a 清理, with its reason (废止, 宣布失效 and 修订 need one)."""

    campaign = ParentalKey(CleanupCampaign, on_delete=models.CASCADE, related_name="results")
    document = models.ForeignKey(
        "disclosure.PolicyDocumentPage",
        on_delete=models.CASCADE,
        related_name="cleanup_results",
        verbose_name="文件",
    )
    result = models.CharField("清理结果", max_length=16, choices=CleanupResultKind.choices, blank=True)
    reason = models.CharField("理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "清理结果"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "document"], name="unique_cleanup_result_per_document"
            )
        ]

    def __str__(self):
        return f"{self.document}：{self.get_result_display() or '待定'}"
