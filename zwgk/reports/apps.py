from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zwgk.reports"
    label = "reports"
    verbose_name = "年度报告与统计"
