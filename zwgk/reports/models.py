"""What the annual report needs that zwgk does not hold itself: the clerk's texts and staff-entered figures."""

from django.db import models

from zwgk.core.models import Organisation


class AnnualReportInput(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveIntegerField("年度")
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    licensing_decisions = models.PositiveIntegerField("行政许可：本年处理决定数量", default=0)
    penalty_decisions = models.PositiveIntegerField("行政处罚：本年处理决定数量", default=0)
    enforcement_decisions = models.PositiveIntegerField("行政强制：本年处理决定数量", default=0)
    fees_wan_yuan = models.DecimalField(
        "行政事业性收费：本年收费金额（万元）", max_digits=12, decimal_places=4, default=0
    )

    class Meta:
        verbose_name = verbose_name_plural = "年度报告填报"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_annual_report_input")
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}年度"
