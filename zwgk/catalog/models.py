"""An organ's 标准目录: the items it adopted from the areas' 标准指引 or added itself."""

from django.db import models

from zwgk.core.models import Organisation
from zwgk.disclosure.vocab import StatutoryCategory

from .standards import ITEM_FIELDS

FIELD_LABELS = {
    "level1": "一级事项",
    "level2": "二级事项",
    "content": "公开内容（要素）",
    "basis": "公开依据",
    "time_limit": "公开时限",
    "subject": "公开主体",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "mode": "公开方式",
    "levels": "公开层级",
}
assert tuple(FIELD_LABELS) == ITEM_FIELDS


class CatalogItem(models.Model):
    """标准目录事项 of one organ, with the columns and categories where its content is published."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="catalog_items", verbose_name="机关"
    )
    area_code = models.CharField("领域编码", max_length=8)
    area_name = models.CharField("领域", max_length=40)
    code = models.CharField("编码", max_length=20)
    source_code = models.CharField(
        "标准指引事项编码", max_length=20, blank=True, help_text="本机关自行增加的事项为空"
    )
    source_version = models.CharField("标准指引版本", max_length=10, blank=True)
    level1 = models.CharField("一级事项", max_length=100)
    level2 = models.CharField("二级事项", max_length=100, blank=True)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据", blank=True)
    time_limit = models.CharField("公开时限", max_length=200, default="信息形成或者变更之日起20个工作日内")
    update_cycle_days = models.PositiveIntegerField(
        "更新周期（天）", null=True, blank=True, help_text="如年度信息填 366；留空则只按公开时限检查"
    )
    subject = models.CharField("公开主体", max_length=200)
    channels = models.JSONField("公开渠道和载体", default=list)
    audience = models.JSONField("公开对象", default=list)
    mode = models.JSONField("公开方式", default=list)
    levels = models.JSONField("公开层级", default=list)
    manual = models.JSONField("待核实字段", default=list, blank=True, help_text="[M]：官方文本未核实的字段")
    columns = models.ManyToManyField(
        "disclosure.ColumnPage", blank=True, related_name="+", verbose_name="发布栏目"
    )
    categories = models.JSONField("法定主动公开内容类别", default=list, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "标准目录事项"
        verbose_name_plural = "标准目录事项"
        ordering = ["organisation", "area_code", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_catalog_item_code")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return f"{self.level1}—{self.level2}" if self.level2 else self.level1

    @property
    def local(self) -> bool:
        """本机关增加的事项 (not from a 标准指引)."""
        return not self.source_code

    def is_manual(self, name: str) -> bool:
        return name in (self.manual or [])

    def category_labels(self) -> list[str]:
        return [StatutoryCategory(c).label for c in self.categories if c in StatutoryCategory.values]
